package analytics

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ipintel"
)

var benchPeople = flag.Int("analytics.people", 200, "people simulated by BenchmarkEngine (the full-size figure uses 10000)")

// benchCities are home locations of the simulated people.
var benchCities = [][2]float64{{41.88, -87.63}, {40.71, -74.01}, {34.05, -118.24}, {29.76, -95.37}, {47.61, -122.33}}

// benchLookup is a cheap synthetic IP intelligence: 11.x.y.z are home broadband in one
// of benchCities, 12.200.x.y are commercial VPN in Amsterdam, 12.201.x.y corporate.
func benchLookup(a netip.Addr) ipintel.Info {
	b := a.As4()
	info := ipintel.Info{Addr: a, ASN: 64000 + uint(b[1]), Org: "Bench ISP", Country: "US", HasCoords: true, AccuracyKM: 20}
	switch {
	case b[0] == 12 && b[1] == 200:
		info.Lat, info.Lon, info.Country = 52.37, 4.90, "NL"
		info.Tags = info.Tags.With(ipintel.TagVPN)
		info.Matches = []ipintel.Match{{Tag: ipintel.TagVPN, Feed: "bench-vpn"}}
	case b[0] == 12 && b[1] == 201:
		info.Lat, info.Lon = 37.34, -121.89
		info.Tags = info.Tags.With(ipintel.TagCorporate)
	default:
		c := benchCities[(int(b[1])<<16|int(b[2])<<8|int(b[3]))%len(benchCities)]
		info.Lat, info.Lon = c[0], c[1]
	}
	return info
}

// benchGen generates a month of activity for a population.
type benchGen struct {
	people int
	r      *rand.Rand
	seq    int
	evs    []*unmask.Event
}

func homeIP(p int) string {
	if p%50 == 1 {
		p-- // every 50th pair is a couple sharing a home connection
	}
	if p%1000 < 3 {
		p = 999_000 // a small laptop farm
	}
	return netip.AddrFrom4([4]byte{11, byte(p >> 16), byte(p >> 8), byte(p)}).String()
}

func benchProfile(p int) Profile {
	home := p
	if p%50 == 1 {
		home = p - 1
	}
	c := benchCities[home%len(benchCities)]
	hire := monday.AddDate(0, 0, -400+p%380)
	return Profile{
		PersonID: fmt.Sprintf("p%d", p), Groups: []string{[]string{"eng", "sales", "it"}[p%3]}, HireDate: hire,
		TimeZone: "America/Chicago", Home: Place{Key: fmt.Sprintf("h%d", home), Lat: c[0], Lon: c[1], Geocoded: true},
		ShipTo: Place{Key: fmt.Sprintf("h%d", home), Lat: c[0], Lon: c[1], Geocoded: true}, AssignedSerials: []string{fmt.Sprintf("SN%d", p)},
	}
}

// add appends an event, reusing the generator's buffer.
func (g *benchGen) add(kind unmask.EventKind, p int, t time.Time, mod func(*unmask.Event)) {
	g.seq++
	e := &unmask.Event{ID: "b" + fmt.Sprint(g.seq), Time: t, Source: "bench", Kind: kind, PersonID: fmt.Sprintf("p%d", p),
		Outcome: unmask.OutcomeSuccess, Fields: map[string]string{}}
	mod(e)
	g.evs = append(g.evs, e)
}

// day returns one day's events for everyone, in time order.
func (g *benchGen) day(d int) []*unmask.Event {
	g.evs = g.evs[:0]
	date := monday.AddDate(0, 0, d)
	weekend := date.Weekday() == time.Saturday || date.Weekday() == time.Sunday
	for p := range g.people {
		if weekend && g.r.IntN(20) != 0 {
			continue
		}
		g.person(p, d, date)
	}
	slices.SortFunc(g.evs, func(a, b *unmask.Event) int { return a.Time.Compare(b.Time) })
	return g.evs
}

func (g *benchGen) person(p, d int, date time.Time) {
	local := func(h float64) time.Time { return date.Add(time.Duration((h + 6) * float64(time.Hour))) } // Chicago, UTC-6
	ip, session := homeIP(p), fmt.Sprintf("s-%d-%d", p, d)
	if d == 0 {
		g.add(unmask.KindHRChange, p, local(8), func(e *unmask.Event) { e.Action, e.Serial = ActionLaptopShipped, fmt.Sprintf("SN%d", p) })
	}
	for i := range 3 {
		src := ip
		if g.r.IntN(50) == 0 {
			src = fmt.Sprintf("12.200.0.%d", g.r.IntN(250))
		}
		g.add(unmask.KindSignIn, p, local(9+float64(g.r.IntN(8))+float64(i)/10), func(e *unmask.Event) {
			e.SourceIP, e.SessionID, e.UserAgent, e.DeviceID = src, session, "Mozilla/5.0 Chrome/140.0", fmt.Sprintf("dev-%d", p)
			e.Fields[FieldDeviceManaged] = "true"
		})
	}
	g.add(unmask.KindMFA, p, local(9), func(e *unmask.Event) {
		e.Fields[FieldFactor], e.Fields[FieldMFADevice] = "push", fmt.Sprintf("phone-%d", p)
	})
	g.add(unmask.KindDeviceInventory, p, local(10), func(e *unmask.Event) {
		e.SourceIP, e.DeviceID, e.Serial = ip, fmt.Sprintf("dev-%d", p), fmt.Sprintf("SN%d", p)
	})
	for range g.r.IntN(4) {
		g.add(unmask.KindGit, p, local(11+float64(g.r.IntN(5))), func(e *unmask.Event) {
			e.Action, e.Target = ActionGitClone, fmt.Sprintf("acme/repo-%d", g.r.IntN(200))
		})
	}
	domains := []string{"github.com", "slack.com", "www.google.com", "zoom.us", "www.dropbox.com"}
	for range 4 {
		g.add(unmask.KindDNS, p, local(9+float64(g.r.IntN(9))), func(e *unmask.Event) { e.Fields["QueryName"] = domains[g.r.IntN(len(domains))] })
	}
}

// BenchmarkEngine runs 30 days of generated activity for -analytics.people people
// through every detector and reports throughput and retained memory per person.
func BenchmarkEngine(b *testing.B) {
	people := *benchPeople
	for b.Loop() {
		eng, err := New(Options{Lookup: benchLookup, Detectors: DefaultDetectors(Config{Git: GitOptions{OrgNamespaces: []string{"acme"}}})})
		if err != nil {
			b.Fatal(err)
		}
		for p := range people {
			eng.SetProfile(benchProfile(p))
		}
		gen := &benchGen{people: people, r: rand.New(rand.NewPCG(1, 2))}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var n, signals int
		var busy time.Duration
		for d := range 30 {
			evs := gen.day(d)
			now := monday.AddDate(0, 0, d+1)
			eng.opts.Now = func() time.Time { return now }
			start := time.Now()
			for _, e := range evs {
				signals += len(eng.Process(e))
			}
			signals += len(eng.Sweep())
			busy += time.Since(start)
			n += len(evs)
		}
		gen.evs = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(eng)
		b.ReportMetric(float64(n)/busy.Seconds(), "events/s")
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(people), "B/person")
		b.ReportMetric(float64(n)/float64(people), "events/person")
		b.ReportMetric(float64(signals), "signals")
	}
}

// BenchmarkDetector runs the same generated month (200 people) through an Engine with one
// detector at a time, reporting the cost per event of each.
func BenchmarkDetector(b *testing.B) {
	gen := &benchGen{people: 200, r: rand.New(rand.NewPCG(1, 2))}
	var month []*unmask.Event
	for d := range 30 {
		month = append(month, slices.Clone(gen.day(d))...)
	}
	cfg := Config{Git: GitOptions{OrgNamespaces: []string{"acme"}}}
	for i, d := range DefaultDetectors(cfg) {
		name := fmt.Sprintf("%T", d)[len("*analytics."):]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				eng, err := New(Options{Lookup: benchLookup, Detectors: []Detector{DefaultDetectors(cfg)[i]}})
				if err != nil {
					b.Fatal(err)
				}
				for p := range 200 {
					eng.SetProfile(benchProfile(p))
				}
				for _, e := range month {
					eng.Process(e)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(month)), "ns/event")
		})
	}
}
