package gen

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"time"

	"github.com/unmask/unmask"
)

// Scenario names.
const (
	ScenarioLaptopFarm   = "laptop_farm"
	ScenarioAstrill      = "astrill"
	ScenarioRemoteAccess = "remote_access"
	ScenarioSubtle       = "subtle"
)

var scenarioCycle = []string{ScenarioLaptopFarm, ScenarioAstrill, ScenarioRemoteAccess, ScenarioSubtle}

const farmSize = 3

// fraudHeadcount is how many workers n scenarios plant.
func fraudHeadcount(n int) int {
	c := 0
	for i := range n {
		c++
		if scenarioCycle[i%len(scenarioCycle)] == ScenarioLaptopFarm {
			c += farmSize - 1
		}
	}
	return c
}

// fraudCase is what makes one planted worker behave differently. Hooks are nil when the
// scenario does not need them.
type fraudCase struct {
	p       *person
	planted *Planted
	egress  func(r *rand.Rand) (endpoint, bool)
	// session and daily run on the generator (or parallel worker) that writes the day.
	session       func(g *generator, r *rand.Rand, s *session)
	daily         func(g *generator, r *rand.Rand, first *session)
	onDay         func(d int, day time.Time)
	noHardwareMFA bool
	shipTo        string // the laptop ship-to address when not the home address
	personal      string // the personal e-mail the worker applied with
}

// plantFraud turns some people into fraudulent workers.
func (g *generator) plantFraud() {
	r := g.rng(1<<40, 7)
	var pool []*person
	for _, p := range g.people[len(depts):] {
		if p.Household == nil && p.Dept != &depts[deptIT] && p.Hire.Before(g.start) {
			pool = append(pool, p)
		}
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	take := func() *person { p := pool[0]; pool = pool[1:]; return p }
	var astrill *person
	for i := range g.opts.Fraud {
		group := fmt.Sprintf("%s-%d", scenarioCycle[i%len(scenarioCycle)], i/len(scenarioCycle)+1)
		switch scenarioCycle[i%len(scenarioCycle)] {
		case ScenarioLaptopFarm:
			g.plantFarm(r, group, i/len(scenarioCycle), []*person{take(), take(), take()})
		case ScenarioAstrill:
			astrill = take()
			g.plantAstrill(r, group, astrill)
		case ScenarioRemoteAccess:
			g.plantRemoteAccess(r, group, take(), astrill)
		case ScenarioSubtle:
			g.plantSubtle(r, group, take())
		}
	}
}

// newCase makes p fraudulent and starts its manifest entry.
func (g *generator) newCase(r *rand.Rand, p *person, scenario, group string, hire time.Time, indicators ...string) *fraudCase {
	p.Hire, p.Trip, p.VPNP, p.Approved = hire, nil, 0, nil
	f := &fraudCase{p: p, personal: fmt.Sprintf("%s.%s.%d@gmail.com", asciiLower(p.First), asciiLower(p.Last), 10+r.IntN(89))}
	p.Fraud = f
	f.planted = &Planted{Scenario: scenario, Group: group, EmployeeID: p.ID, Email: p.Email, Name: p.First + " " + p.Last,
		GitHub: p.Git, Host: p.Host, Hired: hire.Format(time.DateOnly), ClaimedZone: cities[p.City].TZ,
		WorkZone: p.WorkLoc.String(), Indicators: indicators,
		Identifiers: []Identifier{{string(unmask.IdentEmail), p.Email}, {string(unmask.IdentEmail), f.personal}, {string(unmask.IdentPhone), p.Phone}, {string(unmask.IdentAddress), p.Address},
			{string(unmask.IdentDeviceSerial), p.Serial}, {string(unmask.IdentGitHubLogin), p.Git}}}
	g.cases = append(g.cases, f)
	return f
}

func (f *fraudCase) evidence(e Evidence) { f.planted.Evidence = append(f.planted.Evidence, e) }

// movePerson re-homes p in city c (a claimed home the scenario needs).
func (g *generator) movePerson(r *rand.Rand, p *person, c int) {
	if p.City != c {
		g.place(p, r, c)
		p.Bank = g.bank(r, cities[c].Country, p.First+" "+p.Last)
	}
}

var farmCities = []int{cityPhoenix, cityDallas, cityDenver}

// plantFarm: several workers whose laptops sit at one residential address, reached
// through IP-KVMs (N-03, N-04, O-01, O-02, §3.3).
func (g *generator) plantFarm(r *rand.Rand, group string, n int, members []*person) {
	fc := farmCities[n%len(farmCities)]
	farmIP := g.nets.addFarm(fc)
	farmAddr := address(r, fc)
	homes := []int{cityAtlanta, cityNash, cityRaleigh}
	kvms := []map[string]string{
		{"vendor_id": "1d6b", "model_id": "0104", "vendor": "PiKVM", "model": "PiKVM Composite Device", "serial": "CAFEBABE"},
		{"vendor_id": "1d6b", "model_id": "0104", "vendor": "tinypilot", "model": "Multifunction USB Device", "serial": "6b65796d696d6570690"},
	}
	for i, p := range members {
		if cities[p.City].Country != "US" || p.City == fc {
			g.movePerson(r, p, homes[i%len(homes)])
		}
		p.Mac = true
		g.equipMac(r, p)
		ind := []string{"O-01", "O-02", "N-03", "N-04"}
		if i < len(kvms) {
			ind = append(ind, "§3.3")
		}
		f := g.newCase(r, p, ScenarioLaptopFarm, group, g.start.AddDate(0, 0, -20-r.IntN(20)), ind...)
		f.shipTo = farmAddr
		f.planted.Identifiers = append(f.planted.Identifiers, Identifier{"ip", farmIP.String()}, Identifier{string(unmask.IdentShipToAddress), farmAddr})
		farm := endpoint{IP: farmIP, Net: g.nets.farm[len(g.nets.farm)-1]}
		f.egress = func(*rand.Rand) (endpoint, bool) { return farm, true }
		f.evidence(Evidence{Indicator: "N-03", Source: "okta", Kind: "sign_in", Actor: p.Email, SourceIP: farmIP.String(), MinCount: 5})
		f.evidence(Evidence{Indicator: "N-03", Source: "mdm", Serial: p.MDMSer, SourceIP: farmIP.String()})
		f.evidence(Evidence{Indicator: "O-01", Source: "hris", Action: "ship_to_change", Actor: p.Email,
			Fields: map[string]string{"new_address": farmAddr}})
		f.evidence(Evidence{Indicator: "O-02", Source: "hris", Action: "laptop_shipment", Actor: p.Email,
			Fields: map[string]string{"ship_to_address": farmAddr}})
		if i < len(kvms) {
			plugKVM(f, kvms[i])
		}
		if i == 0 {
			g.hr.add(hrSpot, g.start.AddDate(0, 0, min(g.opts.Days-1, 9)).Add(17*time.Hour),
				spotRow(g, p, "no_show", "video", "", "", "did not join; asked to reschedule twice"))
		}
		req := p.Hire.AddDate(0, 0, -9).Add(15 * time.Hour)
		g.hr.add(hrShipTo, req, []string{fmt.Sprintf("STC-%05d", p.idx), p.ID, p.Email, rfc(req), "", p.Address, farmAddr, "US",
			p.Email, "staying with family while my apartment is renovated"})
	}
}

func (g *generator) equipMac(r *rand.Rand, p *person) {
	p.Host = fmt.Sprintf("NW-MBP-%04d", 1000+p.idx)
	p.Serial = macSerial(r)
	p.MDMSer = p.Serial
}

// plugKVM shows an IP-KVM as a USB device on the laptop of f: on the first day and
// after every weekend, when the laptop restarts.
func plugKVM(f *fraudCase, kvm map[string]string) {
	p := f.p
	f.daily = func(g *generator, r *rand.Rand, first *session) {
		if first.Start.Weekday() == time.Monday || first.Start.Before(g.start.Add(36*time.Hour)) {
			g.osquery(p, first.Start.Add(-2*time.Minute), "usb_devices", "added", maps.Clone(kvm), nil)
		}
	}
	f.evidence(Evidence{Indicator: "§3.3", Source: "osquery", Kind: "usb_device", Host: p.Host,
		Fields: map[string]string{"vendor_id": kvm["vendor_id"], "model_id": kvm["model_id"]}})
}

// plantAstrill: Astrill VPN egress and client, hours of UTC+9 against a claimed US
// Central zone, and a bulk clone (N-01, N-08, O-10, N-09, §3.2).
func (g *generator) plantAstrill(r *rand.Rand, group string, p *person) {
	g.movePerson(r, p, cityChicago)
	p.Dept, p.Title, p.Mac = &depts[deptEngineering], "Senior Software Engineer", false
	p.Host = fmt.Sprintf("NW-LT-%04d", 1000+p.idx)
	p.Serial = dellTag(r)
	p.MDMSer = p.Serial
	p.WorkLoc, p.StartH, p.LenH = mustZone("Asia/Pyongyang"), 9, 8.5
	f := g.newCase(r, p, ScenarioAstrill, group, g.start.AddDate(0, 0, -10), "N-01", "N-08", "O-10", "N-09", "§3.2")
	f.planted.WorkZone = "Asia/Pyongyang"
	f.egress = func(r *rand.Rand) (endpoint, bool) {
		if r.Float64() < 0.05 {
			return endpoint{}, false
		}
		return endpoint{IP: g.nets.astrill.host(r.IntN(6)), Net: g.nets.astrill}, true
	}
	f.session = func(g *generator, r *rand.Rand, s *session) {
		if s.Via.Net.Role == RoleAstrill {
			g.dnsQuery(r, p, s.Start.Add(-30*time.Second), "www.astrill.com")
		}
	}
	installed := false
	f.daily = func(g *generator, r *rand.Rand, first *session) {
		if !installed {
			installed = true
			g.osquery(p, first.Start.Add(-10*time.Minute), "programs", "added", map[string]string{"name": "Astrill",
				"version": "3.10.2", "publisher": "Astrill Systems Corp", "install_location": `C:\Program Files (x86)\Astrill\`}, nil)
		}
		g.processStart(r, p, first.Start.Add(-3*time.Minute), toolAstrill, "/autostart")
	}
	cloneDay := min(4, g.opts.Days-1)
	f.onDay = func(d int, day time.Time) {
		if d != cloneDay {
			return
		}
		r := g.rng(uint64(p.idx), 3<<32)
		t0 := time.Date(day.Year(), day.Month(), day.Day(), 11, 0, 0, 0, p.WorkLoc)
		s := &session{Start: t0, End: t0.Add(2 * time.Hour), Via: endpoint{IP: g.nets.astrill.host(2), Net: g.nets.astrill}}
		for i, repo := range g.repos[:min(len(g.repos), 60)] {
			g.github(r, p, s, t0.Add(time.Duration(i*110+r.IntN(60))*time.Second), "git.clone", repo)
		}
		f.evidence(Evidence{Indicator: "N-09", Source: "github", Action: "git.clone", Actor: p.Git, Since: t0,
			Until: t0.Add(2 * time.Hour), MinCount: min(len(g.repos), 60)})
	}
	f.evidence(Evidence{Indicator: "N-01", Source: "okta", Kind: "sign_in", Actor: p.Email,
		SourceCIDR: g.nets.astrill.Prefix.String(), MinCount: 5})
	f.evidence(Evidence{Indicator: "N-01", Source: "entra", Actor: p.Email, SourceCIDR: g.nets.astrill.Prefix.String()})
	f.evidence(Evidence{Indicator: "§3.2", Source: "sysmon", Kind: "process_start", Host: p.fqdn(),
		Fields: map[string]string{"Image": toolAstrill.Win}})
	f.evidence(Evidence{Indicator: "§3.2", Source: "osquery", Kind: "software_inventory", Host: p.Host,
		Fields: map[string]string{"name": "Astrill"}})
	spot := g.start.AddDate(0, 0, min(g.opts.Days-1, 12)).Add(16 * time.Hour)
	g.hr.add(hrSpot, spot, spotRow(g, p, "fail", "video", "false", "false", "camera off; could not show ID"))
}

// plantRemoteAccess: AnyDesk days after delivery, an enrolled laptop that is not the one
// shipped, no hardware MFA and a payroll account shared with another worker (O-09, §3.1,
// N-11, O-05, O-06, O-03).
func (g *generator) plantRemoteAccess(r *rand.Rand, group string, p, sharer *person) {
	p.Mac = false
	p.Host = fmt.Sprintf("NW-LT-%04d", 1000+p.idx)
	p.Serial, p.MDMSer = dellTag(r), dellTag(r)
	p.FIDO, p.KeySerial = false, ""
	hire := g.start.AddDate(0, 0, min(3, g.opts.Days-1))
	f := g.newCase(r, p, ScenarioRemoteAccess, group, hire, "O-09", "§3.1", "N-11", "O-05", "O-06")
	f.noHardwareMFA = true
	f.planted.Delivered = deliveredAt(hire)
	f.planted.Identifiers = append(f.planted.Identifiers, Identifier{string(unmask.IdentDeviceSerial), p.MDMSer})
	if sharer != nil {
		sharer.Bank.Bank = "Example Neobank"
		p.Bank = sharer.Bank
		f.planted.Indicators = append(f.planted.Indicators, "O-03")
		f.planted.Identifiers = append(f.planted.Identifiers, Identifier{string(unmask.IdentBankAccount), p.Bank.Number})
		sharer.Fraud.planted.Identifiers = append(sharer.Fraud.planted.Identifiers, Identifier{string(unmask.IdentBankAccount), p.Bank.Number})
		f.evidence(Evidence{Indicator: "O-03", Source: "hris", Action: "payroll_account_change", Actor: p.Email,
			Fields: map[string]string{"account_number_masked": "****" + p.Bank.Number[len(p.Bank.Number)-4:], "account_holder": p.Bank.Holder}})
	}
	f.daily = func(g *generator, r *rand.Rand, first *session) {
		if first.Start.Before(f.planted.Delivered.Add(24 * time.Hour)) {
			return
		}
		g.processStart(r, p, first.Start.Add(-4*time.Minute), toolAnyDesk, "--service")
		g.dnsQuery(r, p, first.Start.Add(-3*time.Minute), "relay-5b3c9d1e.net.anydesk.com")
	}
	f.evidence(Evidence{Indicator: "O-09", Source: "sysmon", Kind: "process_start", Host: p.fqdn(),
		Fields: map[string]string{"Image": toolAnyDesk.Win}, Since: f.planted.Delivered, Until: f.planted.Delivered.AddDate(0, 0, 7)})
	f.evidence(Evidence{Indicator: "§3.1", Source: "osquery", Kind: "process_start", Host: p.Host,
		Fields: map[string]string{"path": toolAnyDesk.Win}})
	f.evidence(Evidence{Indicator: "N-11", Source: "zeek", Kind: "dns", SourceIP: p.Tunnel.String(), Target: "relay-5b3c9d1e.net.anydesk.com"})
	f.evidence(Evidence{Indicator: "O-05", Source: "mdm", Actor: p.Email, Serial: p.MDMSer})
	f.evidence(Evidence{Indicator: "O-05", Source: "hris", Action: "laptop_shipment", Actor: p.Email, Serial: p.Serial})
	f.evidence(Evidence{Indicator: "O-06", Source: "hris", Action: "mfa_enrollment", Actor: p.Email,
		Fields: map[string]string{"authenticator_type": "sms"}})
}

func deliveredAt(hire time.Time) time.Time { return hire.AddDate(0, 0, -2).Add(18 * time.Hour) }

// plantSubtle: sign-ins that hop through a hosting provider abroad, a mouse jiggler and
// uploads to personal cloud storage (N-02, N-06, §3.4, N-10).
func (g *generator) plantSubtle(r *rand.Rand, group string, p *person) {
	if cities[p.City].Country != "US" {
		g.movePerson(r, p, cityDenver)
	}
	p.Mac = false
	p.Host = fmt.Sprintf("NW-LT-%04d", 1000+p.idx)
	f := g.newCase(r, p, ScenarioSubtle, group, g.start.AddDate(0, 0, -90-r.IntN(60)), "N-02", "N-06", "§3.4", "N-10")
	workdays := 0
	f.session = func(g *generator, r *rand.Rand, s *session) {
		if !s.First {
			return
		}
		if workdays++; workdays%6 != 2 {
			return
		}
		hop := &session{Start: s.Start.Add(hours(0.6 + r.Float64()*0.3)), ID: "102" + token(r, 22),
			Via: endpoint{IP: g.nets.hosting.host(r.IntN(8)), Net: g.nets.hosting}}
		hop.End = hop.Start.Add(40 * time.Minute)
		g.oktaSession(r, p, hop)
		g.entraSession(r, p, hop)
	}
	f.daily = func(g *generator, r *rand.Rand, first *session) {
		g.processStart(r, p, first.Start.Add(-90*time.Second), toolJiggler, "-j -m")
	}
	exfil := max(0, g.opts.Days-8)
	f.onDay = func(d int, day time.Time) {
		if d == exfil {
			g.exfiltrate(p, f, day)
		}
	}
	f.evidence(Evidence{Indicator: "N-02", Source: "okta", Kind: "sign_in", Actor: p.Email, SourceCIDR: g.nets.hosting.Prefix.String()})
	f.evidence(Evidence{Indicator: "§3.4", Source: "sysmon", Kind: "process_start", Host: p.fqdn(),
		Fields: map[string]string{"Image": p.imagePath(toolJiggler)}})
}

// exfiltrate shares documents to the worker's personal account and uploads to MEGA.
func (g *generator) exfiltrate(p *person, f *fraudCase, day time.Time) {
	r := g.rng(uint64(p.idx), 4<<32)
	t0 := time.Date(day.Year(), day.Month(), day.Day(), 19, 30, 0, 0, p.WorkLoc)
	for i, title := range docTitles[:12] {
		doc := stableID("1", "x"+title, 16) + token(r, 12)
		t := t0.Add(time.Duration(i) * 3 * time.Minute)
		g.google(r, g.streams.drive, p, p.Home.String(), t, "drive", googleEvent{Type: "access", Name: "download",
			Parameters: []googleParam{{Name: "doc_id", Value: doc}, {Name: "doc_title", Value: title}, {Name: "visibility", Value: "shared_internally"}}},
			googleEvent{Type: "acl_change", Name: "change_user_access", Parameters: []googleParam{{Name: "doc_id", Value: doc},
				{Name: "doc_title", Value: title}, {Name: "target_user", Value: f.personal},
				{Name: "old_value", MultiValue: []string{"none"}}, {Name: "new_value", MultiValue: []string{"can_view"}},
				{Name: "visibility", Value: "shared_externally"}}})
	}
	g.dnsQuery(r, p, t0.Add(40*time.Minute), "g.api.mega.co.nz")
	g.connRow(r, conn{t: t0.Add(41 * time.Minute), orig: p.Tunnel, resp: domainAnswer("g.api.mega.co.nz"), respPort: 443,
		proto: "tcp", service: "ssl", dur: 1800, origBytes: 1_800_000_000 + int64(r.IntN(400_000_000)), rspByte: 2_000_000})
	f.evidence(Evidence{Indicator: "N-10", Source: "google", Kind: "file_share", Actor: p.Email,
		Fields: map[string]string{"target_user": f.personal, "visibility": "shared_externally"}, MinCount: 10})
	f.evidence(Evidence{Indicator: "N-10", Source: "zeek", Kind: "dns", SourceIP: p.Tunnel.String(), Target: "g.api.mega.co.nz"})
}

// plantDay runs the scenarios' day hooks.
func (g *generator) plantDay(d int, day time.Time) {
	for _, f := range g.cases {
		if f.onDay != nil {
			f.onDay(d, day)
		}
	}
}

func asciiLower(s string) string {
	b := []byte(asciiName(s))
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// lookalikes lists the benign people whose behaviour resembles an indicator.
func (g *generator) lookalikes() {
	for _, p := range g.people {
		if p.Fraud != nil {
			continue
		}
		add := func(pattern, note string) {
			g.man.Benign = append(g.man.Benign, Lookalike{Pattern: pattern, EmployeeID: p.ID, Email: p.Email, Note: note})
		}
		switch {
		case p.StartH >= 14:
			add("second_shift", "support second shift, works 14:00-23:00 in "+cities[p.City].TZ)
		case p.StartH >= 11:
			add("night_owl", "works late hours in "+cities[p.City].TZ)
		}
		if p.Trip != nil {
			add("traveller", fmt.Sprintf("flies to %s on %s, back on %s", cities[p.Trip.Dest].Name,
				p.Trip.Depart.Format(time.DateOnly), p.Trip.Return.Format(time.DateOnly)))
		}
		if p.VPNP > 0 {
			add("personal_vpn", "signs in through a commercial VPN in some sessions")
		}
		if c := cities[p.City]; c.Country == "JP" || c.Country == "AU" || c.Country == "PH" {
			add("apac_staff", "lives in "+c.TZ+" and works its daytime, as HR records")
		}
		if !p.Hire.Before(g.start) {
			add("new_hire", "joins on "+p.Hire.Format(time.DateOnly)+"; laptop delivered two days before")
		}
		for _, t := range p.Approved {
			g.man.Approved = append(g.man.Approved, Approval{EmployeeID: p.ID, Email: p.Email, Tool: t})
		}
	}
}
