package gen

import (
	"math"
	"math/rand/v2"
	"time"
)

// session is one stretch of work from one egress point.
type session struct {
	Start, End time.Time
	Via        endpoint
	First      bool // the first session of the person's day
	// Continued is set when the session carries on the previous one's IdP session (same
	// egress): no new sign-in, only app access.
	Continued bool
	ID        string
}

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// personDay writes one person's activity for day d.
func (g *generator) personDay(p *person, d int, day time.Time) {
	local := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, p.WorkLoc)
	if local.Before(time.Date(p.Hire.Year(), p.Hire.Month(), p.Hire.Day(), 0, 0, 0, 0, p.WorkLoc)) {
		return
	}
	r := g.rng(uint64(p.idx), 1<<32+uint64(d))
	ss := g.plan(p, r, local)
	for i := range ss {
		s := &ss[i]
		s.First = i == 0
		s.ID = "102" + token(r, 22)
		if i > 0 && s.Via.Net == ss[i-1].Via.Net && s.Via.IP == ss[i-1].Via.IP {
			s.ID, s.Continued = ss[i-1].ID, true
		}
		g.emitSession(p, r, s)
	}
	if len(ss) > 0 {
		g.hostDaily(p, r, &ss[0])
	}
}

// plan returns the day's sessions of p, whose local midnight is local.
func (g *generator) plan(p *person, r *rand.Rand, local time.Time) []session {
	if t := p.Trip; t != nil {
		home := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, p.Loc)
		switch {
		case sameDate(home, t.Depart):
			return g.travelDay(p, r, home, p.City, t.Dest)
		case sameDate(home, t.Return):
			return g.travelDay(p, r, home, t.Dest, p.City)
		case home.After(t.Depart) && home.Before(t.Return):
			dl := mustZone(cities[t.Dest].TZ)
			ss := g.workday(p, r, time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, dl))
			for i := range ss {
				ss[i].Via = g.hotel(r, t.Dest)
			}
			return ss
		}
	}
	ss := g.workday(p, r, local)
	for i := range ss {
		ss[i].Via = g.via(p, r)
	}
	return ss
}

// workday returns the sessions of an ordinary day, without egress.
func (g *generator) workday(p *person, r *rand.Rand, local time.Time) []session {
	wd := local.Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	if weekend && r.Float64() >= p.WeekendP || !weekend && r.Float64() < 0.04 {
		return nil
	}
	start := local.Add(hours(p.StartH + r.NormFloat64()*0.3))
	if weekend {
		return []session{{Start: start.Add(2 * time.Hour), End: start.Add(hours(3 + r.Float64()*2))}}
	}
	length := hours(p.LenH + r.NormFloat64()*0.4)
	lunch := start.Add(length * 45 / 100)
	gap := hours(0.5 + r.Float64()*0.5)
	ss := []session{{Start: start, End: lunch}, {Start: lunch.Add(gap), End: start.Add(length + gap)}}
	if r.Float64() < 0.12 { // an evening check-in
		e := ss[1].End.Add(hours(2 + r.Float64()*2))
		ss = append(ss, session{Start: e, End: e.Add(hours(0.3 + r.Float64()*0.5))})
	}
	return ss
}

// travelDay flies p from city a to city b: work at a, the flight, then work at b.
func (g *generator) travelDay(p *person, r *rand.Rand, home time.Time, a, b int) []session {
	la := mustZone(cities[a].TZ)
	start := time.Date(home.Year(), home.Month(), home.Day(), 7, 0, 0, 0, la).Add(hours(r.Float64()))
	viaA, viaB := g.hotel(r, a), g.hotel(r, b)
	if a == p.City {
		viaA = endpoint{IP: p.Home, Net: g.nets.residential[a]}
	}
	if b == p.City {
		viaB = endpoint{IP: p.Home, Net: g.nets.residential[b]}
	}
	depart := start.Add(3 * time.Hour)
	land := depart.Add(flightTime(&cities[a], &cities[b]))
	return []session{
		{Start: start, End: start.Add(2 * time.Hour), Via: viaA},
		{Start: land.Add(hours(1 + r.Float64())), End: land.Add(hours(3 + r.Float64())), Via: viaB},
	}
}

// flightTime is a plausible door-to-gate time between two cities: 800 km/h plus 45
// minutes of taxiing and climb.
func flightTime(a, b *city) time.Duration {
	return hours(distanceKM(a.Lat, a.Lon, b.Lat, b.Lon)/800 + 0.75)
}

func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 6371 * math.Asin(math.Sqrt(h))
}

func (g *generator) hotel(r *rand.Rand, c int) endpoint {
	n := g.nets.hotel[c]
	return endpoint{IP: n.host(r.IntN(n.hostCap)), Net: n}
}

// via picks the egress of one ordinary session.
func (g *generator) via(p *person, r *rand.Rand) endpoint {
	if p.Fraud != nil && p.Fraud.egress != nil {
		if ep, ok := p.Fraud.egress(r); ok {
			return ep
		}
	}
	pickNet := func(n *network) endpoint { return endpoint{IP: n.host(r.IntN(n.hostCap)), Net: n} }
	switch x := r.Float64(); {
	case x < p.CorpP/2:
		return pickNet(g.nets.corpVPN)
	case x < p.CorpP:
		return pickNet(g.nets.ztna)
	case x < p.CorpP+p.VPNP:
		return pickNet(g.nets.vpn)
	}
	return endpoint{IP: p.Home, Net: g.nets.residential[p.City]}
}

// poisson draws a Poisson count with mean lambda (small lambdas).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l, k, q := math.Exp(-lambda), 0, 1.0
	for {
		q *= r.Float64()
		if q <= l || k > 200 {
			return k
		}
		k++
	}
}

// within returns a random time in [s.Start, s.End).
func within(r *rand.Rand, s *session) time.Time {
	d := s.End.Sub(s.Start)
	if d <= 0 {
		return s.Start
	}
	return s.Start.Add(time.Duration(r.Int64N(int64(d))))
}
