package gen

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// person is one employee with everything the logs need about them.
type person struct {
	idx                   int
	ID                    string // HRIS employee id
	First, Last           string
	Email, Username, Git  string // work e-mail, host account, GitHub login ("" without one)
	Phone                 string
	Dept                  *dept
	Title                 string
	Manager               *person
	Contractor            bool
	City                  int // claimed home city
	Loc                   *time.Location
	Address               string
	Home                  netip.Addr
	Hire                  time.Time
	Mac                   bool   // a Mac (Jamf) or a Windows laptop (Intune, Entra, Sysmon)
	Host, Serial, MDMSer  string // host name, assigned serial, serial the device reports
	DeviceID, AADID, Okta string // MDM id, Entra device id, Okta user id
	EntraUser, Profile    string // Entra user id, Google profile id
	Tunnel                netip.Addr
	FIDO                  bool   // has a hardware security key
	KeySerial             string // the security key's serial
	StartH, LenH          float64
	WeekendP, CorpP, VPNP float64 // chance of weekend work, corporate egress, personal VPN per session
	Trip                  *trip
	WorkLoc               *time.Location // the zone the person actually works in
	Approved              []string       // approved remote-access tools (IT)
	Fraud                 *fraudCase
	Bank                  bankAccount
	Household             *person // spouse sharing home and IP
	LastIP                netip.Addr
	LastSeen              time.Time
}

// trip is business travel: fly out on Depart, work from Dest, fly back on Return.
type trip struct {
	Dest           int
	Depart, Return time.Time // local dates at home
}

func (g *generator) buildPeople() {
	wc := weights(len(cities), func(i int) int { return cities[i].Weight })
	wd := weights(len(depts), func(i int) int { return depts[i].Weight })
	used := map[string]int{}
	for i := range g.opts.Employees {
		r := g.rng(uint64(i), 1)
		p := &person{idx: i, ID: fmt.Sprintf("E%05d", 10001+i)}
		p.First, p.Last = pick(r, firstNames), pick(r, lastNames)
		g.naming(p, used)
		p.Dept = &depts[pickWeighted(r, wd)]
		if i < len(depts) {
			p.Dept = &depts[i] // every department has someone
		}
		p.Title = pick(r, p.Dept.Titles)
		p.Contractor = r.Float64() < 0.08
		g.place(p, r, pickWeighted(r, wc))
		p.Hire = g.start.AddDate(0, 0, -30-r.IntN(5*365))
		if r.Float64() < 0.04 {
			p.Hire = g.start.AddDate(0, 0, r.IntN(max(1, g.opts.Days-3))) // joins during the window
		}
		g.equip(p, r)
		g.habits(p, r)
		g.people = append(g.people, p)
	}
	g.assignManagers()
	g.household()
}

// naming sets e-mail, user name and GitHub login, unique across the company.
func (g *generator) naming(p *person, used map[string]int) {
	base := strings.ToLower(asciiName(p.First) + "." + asciiName(p.Last))
	n := used[base]
	used[base] = n + 1
	local := base
	if n > 0 {
		local = fmt.Sprintf("%s%d", base, n+1)
	}
	p.Email = local + "@" + Domain
	p.Username = strings.ReplaceAll(local, ".", "")
	if len(p.Username) > 20 {
		p.Username = p.Username[:20]
	}
	p.Git = strings.ReplaceAll(local, ".", "-") + "-nw"
}

// asciiName folds a name to the letters an e-mail address uses.
func asciiName(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			b.WriteRune(c)
		case c == 'ã' || c == 'á':
			b.WriteByte('a')
		case c == 'é':
			b.WriteByte('e')
		}
	}
	return b.String()
}

// place sets home city, address, zone, home IP and phone.
func (g *generator) place(p *person, r *rand.Rand, c int) {
	p.City = c
	p.Loc = mustZone(cities[c].TZ)
	p.WorkLoc = p.Loc
	p.Address = address(r, c)
	p.Home = g.nets.residential[c].alloc()
	p.Phone = g.phone(cities[c].Country)
}

func (g *generator) equip(p *person, r *rand.Rand) {
	p.Mac = r.Float64() < 0.6
	if p.Mac {
		p.Host = fmt.Sprintf("NW-MBP-%04d", 1000+p.idx)
		p.Serial = macSerial(r)
	} else {
		p.Host = fmt.Sprintf("NW-LT-%04d", 1000+p.idx)
		p.Serial = dellTag(r)
	}
	p.MDMSer = p.Serial
	p.DeviceID, p.AADID, p.EntraUser = uuid(r), uuid(r), uuid(r)
	p.Okta = "00u" + token(r, 17)
	p.Profile = fmt.Sprintf("1%020d", r.Uint64()%1e18)
	p.Tunnel = netip.AddrFrom4([4]byte{10, 64 + byte(p.idx>>16), byte(p.idx >> 8), byte(p.idx)})
	p.FIDO = r.Float64() < 0.88
	if p.FIDO {
		p.KeySerial = fmt.Sprintf("%08d", 10000000+r.IntN(89999999))
	}
	p.Bank = g.bank(r, cities[p.City].Country, p.First+" "+p.Last)
}

// habits sets working hours, egress preferences and travel.
func (g *generator) habits(p *person, r *rand.Rand) {
	p.StartH, p.LenH = 7.5+r.Float64()*2, 8+r.Float64()*1.5
	p.WeekendP, p.CorpP = 0.05, 0.1
	switch {
	case p.Dept == &depts[deptSupport] && r.Float64() < 0.4: // the second shift
		p.StartH, p.LenH = 14+r.Float64()*0.5, 8.5
	case r.Float64() < 0.07: // night owls
		p.StartH, p.LenH = 11+r.Float64()*2, 9+r.Float64()*2
	}
	if p.Dept == &depts[deptEngineering] || p.Dept == &depts[deptIT] {
		p.CorpP = 0.25
	}
	if r.Float64() < 0.06 {
		p.VPNP = 0.3
	}
	if p.Dept == &depts[deptIT] {
		p.Approved = []string{"AnyDesk", "TeamViewer"}[:1+r.IntN(2)]
	}
	travelP := 0.08
	if p.Dept.Name == "Sales" {
		travelP = 0.3
	}
	if g.opts.Days >= 7 && r.Float64() < travelP {
		dest := r.IntN(16) // a US city
		if dest == p.City {
			dest = (dest + 1) % 16
		}
		d := 1 + r.IntN(g.opts.Days-5)
		dep := time.Date(g.start.Year(), g.start.Month(), g.start.Day()+d, 0, 0, 0, 0, p.Loc)
		p.Trip = &trip{Dest: dest, Depart: dep, Return: dep.AddDate(0, 0, 2+r.IntN(3))}
	}
}

func (g *generator) assignManagers() {
	heads := map[*dept]*person{}
	for _, p := range g.people {
		if h, ok := heads[p.Dept]; ok {
			p.Manager = h
			continue
		}
		heads[p.Dept] = p
	}
}

// household makes two people a married couple sharing a home address and IP, with
// numbers on one family phone plan.
func (g *generator) household() {
	for i := len(g.people) - 1; i > 0; i-- {
		a := g.people[i]
		for _, b := range g.people[len(depts):i] {
			if b.City != a.City {
				continue
			}
			b.Address, b.Home, b.Phone, b.Household, a.Household = a.Address, a.Home, a.Phone, a, b
			g.man.Benign = append(g.man.Benign, Lookalike{Pattern: "shared_household", EmployeeID: a.ID, Email: a.Email,
				Note: "married to " + b.ID + ": same home address, home IP and family-plan phone number"})
			return
		}
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickN returns n distinct elements of xs in random order.
func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	out := make([]T, 0, n)
	for _, i := range r.Perm(len(xs))[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// weights returns the cumulative weights of n items.
func weights(n int, w func(int) int) []int {
	cum := make([]int, n)
	t := 0
	for i := range n {
		t += w(i)
		cum[i] = t
	}
	return cum
}

func pickWeighted(r *rand.Rand, cum []int) int {
	x := r.IntN(cum[len(cum)-1])
	for i, c := range cum {
		if x < c {
			return i
		}
	}
	return len(cum) - 1
}

// zones caches the static zone list; loading a zone parses the tz database.
var zones sync.Map // string → *time.Location

func mustZone(name string) *time.Location {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("gen: zone %q: %v", name, err)) // the zone list is static and embedded
	}
	zones.Store(name, l)
	return l
}
