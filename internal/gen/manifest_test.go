package gen_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/gen"
	"github.com/unmask/unmask/internal/ipintel"
	"github.com/unmask/unmask/internal/resume"
)

// matches reports whether e is what ev describes, apart from its count.
func matches(e *unmask.Event, ev *gen.Evidence) bool {
	switch {
	case e.Source != ev.Source, ev.Kind != "" && string(e.Kind) != ev.Kind, ev.Action != "" && e.Action != ev.Action,
		ev.Actor != "" && e.Actor != ev.Actor, ev.Host != "" && e.Host != ev.Host,
		ev.SourceIP != "" && e.SourceIP != ev.SourceIP, ev.Target != "" && e.Target != ev.Target,
		ev.Serial != "" && e.Serial != ev.Serial,
		!ev.Since.IsZero() && e.Time.Before(ev.Since), !ev.Until.IsZero() && !e.Time.Before(ev.Until):
		return false
	}
	if ev.SourceCIDR != "" {
		a, err := netip.ParseAddr(e.SourceIP)
		if err != nil || !netip.MustParsePrefix(ev.SourceCIDR).Contains(a) {
			return false
		}
	}
	for k, v := range ev.Fields {
		if e.Fields[k] != v {
			return false
		}
	}
	return true
}

// TestPlantedEvidence checks that every planted indicator's evidence is in the ingested
// events, for every planted worker.
func TestPlantedEvidence(t *testing.T) {
	c := MustCompany(t)
	scenarios := map[string]int{}
	for _, p := range c.man.Fraud {
		scenarios[p.Scenario]++
		for i := range p.Evidence {
			ev := &p.Evidence[i]
			t.Run(p.EmployeeID+"_"+subtestName(ev.Indicator)+"_"+ev.Source, func(t *testing.T) {
				n := 0
				for _, e := range c.bySource[ev.Source] {
					if matches(e, ev) {
						n++
					}
				}
				if n < max(1, ev.MinCount) {
					t.Errorf("%s %s: %d matching %s events, want at least %d", p.Scenario, ev.Indicator, n, ev.Source, max(1, ev.MinCount))
				}
			})
		}
		covered := map[string]bool{}
		for _, ev := range p.Evidence {
			covered[ev.Indicator] = true
		}
		for _, ind := range p.Indicators {
			switch ind {
			case "N-08", "O-10", "N-06", "N-04", "H-02": // checked by the tests below
			default:
				if !covered[ind] {
					t.Errorf("%s %s: indicator %s has no evidence", p.Scenario, p.EmployeeID, ind)
				}
			}
		}
	}
	want := map[string]int{gen.ScenarioLaptopFarm: 3, gen.ScenarioAstrill: 1, gen.ScenarioRemoteAccess: 1, gen.ScenarioSubtle: 1}
	for s, n := range want {
		if scenarios[s] != n {
			t.Errorf("%d workers planted for %s, want %d", scenarios[s], s, n)
		}
	}
}

// planted returns the planted workers of a scenario.
func planted(tb testing.TB, m *gen.Manifest, scenario string) []gen.Planted {
	tb.Helper()
	var out []gen.Planted
	for _, p := range m.Fraud {
		if p.Scenario == scenario {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		tb.Fatalf("no %s worker planted", scenario)
	}
	return out
}

func signIns(c *company, actor string) []*unmask.Event {
	var out []*unmask.Event
	for _, e := range c.bySource["okta"] {
		if e.Actor == actor && e.Kind == unmask.KindSignIn && e.Outcome == unmask.OutcomeSuccess {
			out = append(out, e)
		}
	}
	return out
}

// TestWorkingHours: the Astrill worker's sign-ins fall in the daytime of UTC+9, not of
// the claimed zone (N-08, O-10); a benign colleague's are the other way round.
func TestWorkingHours(t *testing.T) {
	c := MustCompany(t)
	p := planted(t, c.man, gen.ScenarioAstrill)[0]
	daytime := func(evs []*unmask.Event, zone string, from, to int) float64 {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if h := e.Time.In(loc).Hour(); h >= from && h < to {
				n++
			}
		}
		return float64(n) / float64(max(1, len(evs)))
	}
	evs := signIns(c, p.Email)
	if got := daytime(evs, p.ClaimedZone, 9, 18); got > 0.2 {
		t.Errorf("%.0f%% of the Astrill worker's sign-ins in the claimed zone's daytime, want at most 20%%", got*100)
	}
	if got := daytime(evs, "Asia/Pyongyang", 8, 19); got < 0.8 {
		t.Errorf("%.0f%% of the Astrill worker's sign-ins in UTC+9 daytime, want at least 80%%", got*100)
	}
}

// TestImpossibleTravel: the subtle worker signs in from a hosting provider abroad within
// an hour of a sign-in from home (N-02, N-06).
func TestImpossibleTravel(t *testing.T) {
	c := MustCompany(t)
	p := planted(t, c.man, gen.ScenarioSubtle)[0]
	hosting := prefixOf(t, c.man, gen.RoleHosting)
	hops := 0
	var last *unmask.Event
	for _, e := range signIns(c, p.Email) {
		a := netip.MustParseAddr(e.SourceIP)
		if hosting.Contains(a) && last != nil && !hosting.Contains(netip.MustParseAddr(last.SourceIP)) &&
			e.Time.Sub(last.Time) < time.Hour {
			hops++
		}
		last = e
	}
	if hops == 0 {
		t.Error("no sign-in from the hosting range within an hour of a sign-in from elsewhere")
	}
}

func prefixOf(tb testing.TB, m *gen.Manifest, role string) netip.Prefix {
	tb.Helper()
	for _, n := range m.Networks {
		if n.Role == role {
			return netip.MustParsePrefix(n.CIDR)
		}
	}
	tb.Fatalf("no %s network in the manifest", role)
	return netip.Prefix{}
}

// TestLaptopFarm: every sign-in of every farm member comes from the one farm IP, which
// no benign employee uses, and the members claim homes in other cities (N-03, N-04).
func TestLaptopFarm(t *testing.T) {
	c := MustCompany(t)
	members := planted(t, c.man, gen.ScenarioLaptopFarm)
	farm := prefixOf(t, c.man, gen.RoleLaptopFarm).Addr().String()
	isMember := map[string]bool{}
	farmCity := ""
	for _, n := range c.man.Networks {
		if n.Role == gen.RoleLaptopFarm {
			farmCity = n.City
		}
	}
	homes := map[string]string{}
	for _, e := range c.events["hris/employees.csv"] {
		homes[e.Actor] = e.Fields["home_address"]
	}
	for _, p := range members {
		isMember[p.Email] = true
		if home := homes[p.Email]; home == "" || strings.Contains(home, farmCity) {
			t.Errorf("%s claims a home %q in the farm's city %s, want another city (N-04)", p.EmployeeID, home, farmCity)
		}
		for _, e := range signIns(c, p.Email) {
			if e.SourceIP != farm {
				t.Errorf("%s signed in from %s, not the farm IP", p.EmployeeID, e.SourceIP)
				break
			}
		}
	}
	for _, e := range c.bySource["okta"] {
		if e.SourceIP == farm && !isMember[e.Actor] {
			t.Errorf("benign %s signed in from the farm IP", e.Actor)
			break
		}
	}
}

// TestClusters: each applicant cluster has different names behind its shared
// identifiers, and its résumés are near-duplicates (H-02, H-05).
func TestClusters(t *testing.T) {
	c := MustCompany(t)
	if len(c.man.Clusters) != 3 {
		t.Fatalf("%d clusters, want 3", len(c.man.Clusters))
	}
	byID := map[string]*unmask.Event{}
	for _, e := range c.bySource["greenhouse"] {
		byID[e.Fields["candidate_id"]] = e
	}
	for _, cl := range c.man.Clusters {
		t.Run(cl.Name, func(t *testing.T) {
			names := map[string]bool{}
			var docs []string
			for _, id := range cl.CandidateIDs {
				e := byID[id]
				if e == nil {
					t.Fatalf("candidate %s not ingested", id)
				}
				names[e.Fields["first_name"]+" "+e.Fields["last_name"]] = true
				for _, s := range cl.Shared {
					if s.Kind == "phone" && e.Fields["phone.0"] != s.Value || s.Kind == "address" && e.Fields["address.0"] != s.Value {
						t.Errorf("candidate %s lacks the shared %s", id, s.Kind)
					}
				}
				docs = append(docs, mustRead(t, filepath.Join(c.dir, "greenhouse", "resumes", e.Fields["attachment.0.filename"])))
			}
			if cl.EmployeeID != "" {
				checkEmployeeLink(t, c, cl)
			}
			if len(names) < 2 {
				t.Errorf("cluster members share one name; want different names")
			}
			if j := jaccard(shingles(docs[0]), shingles(docs[1])); j < 0.8 {
				t.Errorf("cluster résumés have Jaccard %.2f, want at least 0.8", j)
			}
		})
	}
	var benign []string
	for _, e := range c.bySource["greenhouse"][:2] {
		benign = append(benign, mustRead(t, filepath.Join(c.dir, "greenhouse", "resumes", e.Fields["attachment.0.filename"])))
	}
	if j := jaccard(shingles(benign[0]), shingles(benign[1])); j > 0.3 {
		t.Errorf("two unrelated résumés have Jaccard %.2f, want at most 0.3", j)
	}
}

func mustRead(tb testing.TB, p string) string {
	tb.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func shingles(s string) map[string]bool {
	w := strings.Fields(strings.ToLower(s))
	out := map[string]bool{}
	for i := 0; i+5 <= len(w); i++ {
		out[strings.Join(w[i:i+5], " ")] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

// checkEmployeeLink: the employee the cluster is linked to has the cluster's shared
// phone in the HRIS export (H-02 against a current employee).
func checkEmployeeLink(tb testing.TB, c *company, cl gen.Cluster) {
	tb.Helper()
	for _, e := range c.events["hris/employees.csv"] {
		if e.Fields["employee_id"] != cl.EmployeeID {
			continue
		}
		for _, s := range cl.Shared {
			if s.Kind == "phone" && e.Fields["phone"] != s.Value {
				tb.Errorf("employee %s has another phone than cluster %s", cl.EmployeeID, cl.Name)
			}
		}
		return
	}
	tb.Errorf("employee %s of cluster %s not in the HRIS export", cl.EmployeeID, cl.Name)
}

// TestResumeDetector: internal/resume flags every clustered applicant's résumé as a
// near-duplicate filed under another name (H-05), and no one else's.
func TestResumeDetector(t *testing.T) {
	c := MustCompany(t)
	d, err := resume.NewDetector(resume.Options{Now: func() time.Time { return c.man.Start }})
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]bool{}
	for _, e := range c.bySource["greenhouse"] {
		text := mustRead(t, filepath.Join(c.dir, "greenhouse", "resumes", e.Fields["attachment.0.filename"]))
		id := e.Fields["candidate_id"]
		sigs, err := d.Screen(t.Context(), resume.Entry{DocID: id, PersonID: id, EventID: e.ID,
			Name: e.Fields["first_name"] + " " + e.Fields["last_name"], Shingles: resume.Shingles(text)})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sigs {
			flagged[s.PersonID] = true
		}
	}
	want := map[string]bool{}
	for _, cl := range c.man.Clusters {
		for _, id := range cl.CandidateIDs {
			want[id] = true
		}
	}
	if diff := cmp.Diff(want, flagged); diff != "" {
		t.Errorf("applicants flagged as near-duplicates (-want +got):\n%s", diff)
	}
}

// TestIntelFeeds: the CIDR lists load with internal/ipintel, and the Astrill feed covers
// every sign-in of the Astrill worker that does not come from home.
func TestIntelFeeds(t *testing.T) {
	c := MustCompany(t)
	feeds := map[string]*ipintel.PrefixSet{}
	for _, f := range c.man.IntelFeeds {
		fh, err := os.Open(filepath.Join(c.dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		set, err := ipintel.ParseCIDRList(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		if set.Len() != len(f.CIDRs) {
			t.Errorf("%s holds %d prefixes, manifest lists %d", f.Path, set.Len(), len(f.CIDRs))
		}
		feeds[f.Tag] = set
	}
	if feeds["astrill"] == nil || feeds["corporate"] == nil {
		t.Fatalf("feeds %v lack astrill or corporate", c.man.IntelFeeds)
	}
	p := planted(t, c.man, gen.ScenarioAstrill)[0]
	tagged := 0
	evs := signIns(c, p.Email)
	for _, e := range evs {
		if feeds["astrill"].Contains(netip.MustParseAddr(e.SourceIP)) {
			tagged++
		}
	}
	if tagged < len(evs)*8/10 {
		t.Errorf("%d of %d Astrill-worker sign-ins are in the Astrill feed, want at least 80%%", tagged, len(evs))
	}
}

// TestHomeIPsDistinct: apart from the laptop farm and the one married couple, no two
// people sign in from the same residential address, so shared IPs are only the planted
// ones.
func TestHomeIPsDistinct(t *testing.T) {
	c := MustCompany(t)
	var homes []netip.Prefix
	for _, n := range c.man.Networks {
		if n.Role == gen.RoleResidential {
			homes = append(homes, netip.MustParsePrefix(n.CIDR))
		}
	}
	farm := prefixOf(t, c.man, gen.RoleLaptopFarm).Addr().String()
	actors := map[string]map[string]bool{}
	for _, e := range c.bySource["okta"] {
		a := netip.MustParseAddr(e.SourceIP)
		for _, h := range homes {
			if h.Contains(a) && e.SourceIP != farm {
				if actors[e.SourceIP] == nil {
					actors[e.SourceIP] = map[string]bool{}
				}
				actors[e.SourceIP][e.Actor] = true
			}
		}
	}
	shared := 0
	for ip, who := range actors {
		if len(who) > 1 {
			shared++
			if len(who) > 2 {
				t.Errorf("%d people sign in from home IP %s", len(who), ip)
			}
		}
	}
	if shared > 1 {
		t.Errorf("%d home IPs are shared, want only the married couple's", shared)
	}
}
