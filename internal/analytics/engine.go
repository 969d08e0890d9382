package analytics

import (
	"cmp"
	"iter"
	"log/slog"
	"maps"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ipintel"
)

// Point is where an event came from, as far as it is known.
type Point struct {
	Lat, Lon float64
	// AccuracyKM is the radius the location is good to; 0 when unknown.
	AccuracyKM float64
	Country    string
	City       string
	OK         bool // Lat and Lon are valid
}

// Input is one event with the context the detectors need, built once per event by the
// Engine. Profile is never nil: an unknown person gets a Profile with only PersonID.
type Input struct {
	Event   *unmask.Event
	Profile *Profile
	// Addr is the parsed Event.SourceIP; invalid when there is none.
	Addr netip.Addr
	// IP is what IP intelligence says about Addr (zero without a lookup).
	IP ipintel.Info
	// Geo is the location from IP intelligence, else from Event.Geo.
	Geo Point
}

// untrusted reports whether the address is on a VPN, hosting, Tor, anonymiser, Astrill
// or IOC list, so its geolocation says nothing about where the person is.
func (in *Input) untrusted() bool {
	return in.IP.Tags.Any(ipintel.TagVPN, ipintel.TagHosting, ipintel.TagTor, ipintel.TagAnonymous,
		ipintel.TagAstrill, ipintel.TagIOC)
}

// corporate reports whether the address is the company's own egress.
func (in *Input) corporate() bool { return in.IP.Tags.Has(ipintel.TagCorporate) }

// Finding is a detector's result: a signal before suppression and deduplication, plus
// the Value that suppressions match (a list name, a tool, an address).
type Finding struct {
	unmask.Signal
	Value string
}

// Detector turns events into findings. Implementations keep bounded state per person
// and are called by one goroutine at a time (the Engine serialises calls).
type Detector interface {
	Observe(in *Input) []Finding
}

// Sweeper is a Detector that also raises findings when time passes without an event (a
// laptop that never enrols, no hardware factor after N days).
type Sweeper interface {
	Sweep(now time.Time, people iter.Seq[*Profile]) []Finding
}

// Forgetter is a Detector that can drop a person's state, for people who left.
type Forgetter interface {
	Forget(person string)
}

// DefaultDedupeWindow is how long the Engine drops a repeat of the same person,
// detector and key.
const DefaultDedupeWindow = 24 * time.Hour

// Options configures an Engine.
type Options struct {
	// Detectors run in order on every event; DefaultDetectors(Config{}) if nil.
	Detectors []Detector
	// Lookup answers IP intelligence for sign-in addresses, e.g. (*ipintel.Intel).Lookup;
	// events then rely on Event.Geo alone if nil.
	Lookup func(netip.Addr) ipintel.Info
	// Suppressions drop matching findings (approved RMM for IT, corporate VPN).
	Suppressions []Suppression
	// DedupeWindow defaults to DefaultDedupeWindow; negative disables deduplication.
	DedupeWindow time.Duration
	Logger       *slog.Logger
	// Now stamps Signal.CreatedAt and drives Sweep; time.Now if nil.
	Now func() time.Time
}

// Engine runs the detectors over events and HR context and returns signals. It is safe
// for concurrent use; calls are serialised by one mutex, since several detectors
// correlate across people (shared IPs, addresses, bank accounts, MFA devices).
type Engine struct {
	opts Options
	log  *slog.Logger

	mu       sync.Mutex // guards the following and every detector's state
	profiles map[string]*Profile
	supp     *suppressions
	recent   map[string]time.Time // dedupe key → last emitted event time
	latest   time.Time            // the latest event time seen, for pruning recent
}

// New returns an Engine. It returns an error if a suppression is invalid.
func New(opts Options) (*Engine, error) {
	if opts.Detectors == nil {
		opts.Detectors = DefaultDetectors(Config{})
	}
	if opts.DedupeWindow == 0 {
		opts.DedupeWindow = DefaultDedupeWindow
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	supp, err := newSuppressions(opts.Suppressions)
	if err != nil {
		return nil, err
	}
	return &Engine{
		opts: opts, log: log.With("component", "analytics"),
		profiles: make(map[string]*Profile), supp: supp, recent: make(map[string]time.Time),
	}, nil
}

// SetProfile records or replaces a person's HR context. The engine keeps its own copy.
func (e *Engine) SetProfile(p Profile) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p.Groups = append([]string(nil), p.Groups...)
	p.AssignedSerials = append([]string(nil), p.AssignedSerials...)
	e.profiles[p.PersonID] = &p
}

// RemoveProfile forgets a person: their HR context and every detector's per-person
// state. Cross-person records (shared addresses, accounts, MFA devices) keep them, so a
// departed worker's laptop-farm address still links the people who remain.
func (e *Engine) RemoveProfile(id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.profiles, id)
	for _, d := range e.opts.Detectors {
		if f, ok := d.(Forgetter); ok {
			f.Forget(id)
		}
	}
}

// Process runs every detector on ev and returns the new signals. Events without a
// PersonID are ignored: resolution comes first.
func (e *Engine) Process(ev *unmask.Event) []unmask.Signal {
	if ev == nil || ev.PersonID == "" {
		return nil
	}
	ev = canonical(ev)
	e.mu.Lock()
	defer e.mu.Unlock()
	in := e.input(ev)
	if ev.Time.After(e.latest) {
		e.latest = ev.Time
	}
	var fs []Finding
	for _, d := range e.opts.Detectors {
		fs = append(fs, d.Observe(&in)...)
	}
	return e.finish(fs)
}

// Sweep runs every Sweeper at the engine's clock and forgets dedupe entries older than
// the window before the latest event.
func (e *Engine) Sweep() []unmask.Signal {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.opts.Now()
	var fs []Finding
	for _, d := range e.opts.Detectors {
		if s, ok := d.(Sweeper); ok {
			fs = append(fs, s.Sweep(now, maps.Values(e.profiles))...)
		}
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.PersonID, b.PersonID), cmp.Compare(a.Key, b.Key))
	})
	// Dedupe entries expire by event time, so replaying old events keeps deduplicating.
	maps.DeleteFunc(e.recent, func(_ string, t time.Time) bool { return e.latest.Sub(t) > e.opts.DedupeWindow })
	return e.finish(fs)
}

// SuppressionHits returns how many findings each suppression dropped, in order, so
// that unused suppressions can be reviewed.
func (e *Engine) SuppressionHits() []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]int(nil), e.supp.hits...)
}

// input builds the detector input for ev.
func (e *Engine) input(ev *unmask.Event) Input {
	in := Input{Event: ev, Profile: e.profile(ev.PersonID)}
	if a, err := netip.ParseAddr(ev.SourceIP); err == nil {
		in.Addr = a.Unmap()
		if e.opts.Lookup != nil {
			in.IP = e.opts.Lookup(in.Addr)
		}
	}
	switch {
	case in.IP.HasCoords:
		in.Geo = Point{Lat: in.IP.Lat, Lon: in.IP.Lon, AccuracyKM: float64(in.IP.AccuracyKM),
			Country: in.IP.Country, City: in.IP.City, OK: true}
	case ev.Geo != nil && (ev.Geo.Lat != 0 || ev.Geo.Lon != 0):
		in.Geo = Point{Lat: ev.Geo.Lat, Lon: ev.Geo.Lon, Country: ev.Geo.Country, City: ev.Geo.City, OK: true}
	}
	if in.IP.ASN == 0 && ev.Geo != nil && ev.Geo.ASN > 0 {
		in.IP.ASN, in.IP.Org = uint(ev.Geo.ASN), ev.Geo.ASOrg
	}
	return in
}

// profile returns the person's profile, or a bare one if none was set.
func (e *Engine) profile(id string) *Profile {
	if p, ok := e.profiles[id]; ok {
		return p
	}
	return &Profile{PersonID: id}
}

// finish applies suppressions and deduplication and stamps the surviving signals.
func (e *Engine) finish(fs []Finding) []unmask.Signal {
	if len(fs) == 0 {
		return nil
	}
	now := e.opts.Now()
	var out []unmask.Signal
	for i := range fs {
		f := &fs[i]
		if i, ok := e.supp.match(f, e.profile(f.PersonID), now); ok {
			e.log.Debug("finding suppressed", "person_id", f.PersonID, "indicator", f.Indicator, "key", f.Key, "suppression", i)
			continue
		}
		if e.opts.DedupeWindow > 0 {
			k := f.PersonID + "\x00" + f.Detector + "\x00" + f.Key
			last, ok := e.recent[k]
			if ok && absDuration(f.LastSeen.Sub(last)) < e.opts.DedupeWindow {
				continue
			}
			if !ok || f.LastSeen.After(last) {
				e.recent[k] = f.LastSeen
			}
		}
		s := f.Signal
		s.CreatedAt = now
		if s.Count == 0 {
			s.Count = 1
		}
		out = append(out, s)
	}
	return out
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// spec describes the signals one detector raises for one indicator.
type spec struct {
	detector  string // "analytics:<name>"
	indicator string
	severity  unmask.Severity
	weight    float64
}

// finding returns a finding of s for person at time t. Weight is scaled by boost and
// capped at 1.
func (s spec) finding(person string, t time.Time, boost float64, key, value, explanation string, events ...string) Finding {
	w := s.weight
	if boost > 0 {
		w = min(1, w*boost)
	}
	return Finding{Value: value, Signal: unmask.Signal{
		PersonID: person, Indicator: s.indicator, Detector: s.detector, Severity: s.severity,
		Weight: w, EventIDs: compact(events), Explanation: explanation, Key: key,
		Time: t, LastSeen: t, Count: 1,
	}}
}

// compact returns ids without empty strings, or nil.
func compact(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
