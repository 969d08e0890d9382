package analytics

import (
	"fmt"
	"time"

	"github.com/unmask/unmask"
)

// HomeOptions configures HomeDistance. Zero fields take the documented defaults.
type HomeOptions struct {
	// FarKM is the distance from the HR home address beyond which a sign-in is far,
	// after subtracting the geolocation's accuracy radius; default 500.
	FarKM float64
	// MinSignIns is how many located sign-ins are needed before judging; default 10.
	MinSignIns int
	// MinFarShare is the share of far sign-ins that raises N-04; default 0.8.
	MinFarShare float64
	// Memory is how many recent sign-ins the share is over (older ones are halved
	// away); default 100.
	Memory int
}

// HomeDistance raises N-04 when most of a person's located sign-ins are far from their
// HR home address. VPN, hosting and corporate egress are skipped: their location says
// nothing about the person. State: two counters per person.
type HomeDistance struct {
	opts HomeOptions
	st   map[string]*homeState
}

type homeState struct {
	n, far int
}

// NewHomeDistance returns a HomeDistance detector.
func NewHomeDistance(opts HomeOptions) *HomeDistance {
	opts.FarKM = cmpOr(opts.FarKM, 500)
	opts.MinSignIns = cmpOr(opts.MinSignIns, 10)
	opts.MinFarShare = cmpOr(opts.MinFarShare, 0.8)
	opts.Memory = cmpOr(opts.Memory, 100)
	return &HomeDistance{opts: opts, st: make(map[string]*homeState)}
}

var specHome = spec{"analytics:home-distance", "N-04", unmask.SeverityMedium, 0.4}

// Observe implements Detector.
func (d *HomeDistance) Observe(in *Input) []Finding {
	ev, home := in.Event, in.Profile.Home
	if !signIn(ev) || !in.Geo.OK || !home.Geocoded || in.corporate() || in.untrusted() {
		return nil
	}
	st := d.st[ev.PersonID]
	if st == nil {
		st = &homeState{}
		d.st[ev.PersonID] = st
	}
	km := haversineKM(home.Lat, home.Lon, in.Geo.Lat, in.Geo.Lon)
	st.n++
	if km-in.Geo.AccuracyKM > d.opts.FarKM {
		st.far++
	}
	if st.n > d.opts.Memory {
		st.n, st.far = st.n/2, st.far/2
	}
	share := float64(st.far) / float64(st.n)
	if st.n < d.opts.MinSignIns || share < d.opts.MinFarShare || km-in.Geo.AccuracyKM <= d.opts.FarKM {
		return nil
	}
	expl := fmt.Sprintf("%d of the last %d located sign-ins were more than %.0f km from the HR home address; the latest, from %s, was about %.0f km away.",
		st.far, st.n, d.opts.FarKM, place(in.Geo), km)
	return []Finding{specHome.finding(ev.PersonID, ev.Time, share, "N-04", in.Geo.Country, expl, ev.ID)}
}

func place(p Point) string {
	switch {
	case p.City != "" && p.Country != "":
		return p.City + ", " + p.Country
	case p.Country != "":
		return p.Country
	}
	return fmt.Sprintf("%.2f,%.2f", p.Lat, p.Lon)
}

// TravelOptions configures ImpossibleTravel. Zero fields take the documented defaults.
type TravelOptions struct {
	// MaxSpeedKMH is the fastest plausible travel; default 900 (THREAT.md N-06).
	MaxSpeedKMH float64
	// MinDistanceKM ignores hops shorter than this after accuracy slack; default 500.
	MinDistanceKM float64
	// DefaultAccuracyKM is the accuracy radius assumed when the source gives none;
	// default 50.
	DefaultAccuracyKM float64
	// MinInterval floors the time between sign-ins, so that near-simultaneous
	// sign-ins do not divide by zero; default 5 minutes.
	MinInterval time.Duration
}

// ImpossibleTravel raises N-06 when consecutive located sign-ins imply a speed above
// MaxSpeedKMH over at least MinDistanceKM, after subtracting both accuracy radii.
// Hops where either end is tagged VPN, hosting or anonymiser are reported separately
// (Key "N-06:vpn:…", low weight) rather than dropped; corporate egress is skipped. State:
// the last located sign-in per person.
type ImpossibleTravel struct {
	opts TravelOptions
	last map[string]*travelPoint
}

type travelPoint struct {
	t         time.Time
	p         Point
	untrusted bool
	event     string
}

// NewImpossibleTravel returns an ImpossibleTravel detector.
func NewImpossibleTravel(opts TravelOptions) *ImpossibleTravel {
	opts.MaxSpeedKMH = cmpOr(opts.MaxSpeedKMH, 900)
	opts.MinDistanceKM = cmpOr(opts.MinDistanceKM, 500)
	opts.DefaultAccuracyKM = cmpOr(opts.DefaultAccuracyKM, 50)
	opts.MinInterval = cmpOr(opts.MinInterval, 5*time.Minute)
	return &ImpossibleTravel{opts: opts, last: make(map[string]*travelPoint)}
}

var (
	specTravel    = spec{"analytics:impossible-travel", "N-06", unmask.SeverityMedium, 0.4}
	specTravelVPN = spec{"analytics:impossible-travel", "N-06", unmask.SeverityLow, 0.1}
)

// Observe implements Detector.
func (d *ImpossibleTravel) Observe(in *Input) []Finding {
	ev := in.Event
	if !signIn(ev) || !in.Geo.OK || in.corporate() {
		return nil
	}
	cur := travelPoint{t: ev.Time, p: in.Geo, untrusted: in.untrusted(), event: ev.ID}
	if cur.p.AccuracyKM <= 0 {
		cur.p.AccuracyKM = d.opts.DefaultAccuracyKM
	}
	prev := d.last[ev.PersonID]
	if prev == nil {
		d.last[ev.PersonID] = &cur
		return nil
	}
	if cur.t.Before(prev.t) {
		return nil // late event: compare only forward in time
	}
	from, to := *prev, cur
	*prev = cur
	km := haversineKM(from.p.Lat, from.p.Lon, to.p.Lat, to.p.Lon) - from.p.AccuracyKM - to.p.AccuracyKM
	if km < d.opts.MinDistanceKM {
		return nil
	}
	hours := max(to.t.Sub(from.t), d.opts.MinInterval).Hours()
	speed := km / hours
	if speed <= d.opts.MaxSpeedKMH {
		return nil
	}
	sp, key, via := specTravel, "N-06:", ""
	if from.untrusted || to.untrusted {
		sp, key, via = specTravelVPN, "N-06:vpn:", " through an address tagged as VPN or hosting, so the hop may be the VPN rather than the person"
	}
	expl := fmt.Sprintf("Sign-ins from %s and %s %s apart imply at least %.0f km/h over %.0f km%s.",
		place(from.p), place(to.p), durationText(to.t.Sub(from.t)), speed, km, via)
	return []Finding{sp.finding(ev.PersonID, ev.Time, 1, key+from.p.Country+">"+to.p.Country, to.p.Country, expl, from.event, to.event)}
}

// Forget implements Forgetter.
func (d *HomeDistance) Forget(person string) {
	delete(d.st, person)
}

// Forget implements Forgetter.
func (d *ImpossibleTravel) Forget(person string) {
	delete(d.last, person)
}
