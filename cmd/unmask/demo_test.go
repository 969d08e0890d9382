package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/gen"
)

// The end-to-end company: by default one with every planted scenario that ingests in
// seconds; -e2e.employees 200 -e2e.applicants 300 -e2e.days 30 runs the demo's default.
var (
	e2eEmployees  = flag.Int("e2e.employees", 80, "employees of the end-to-end test company")
	e2eApplicants = flag.Int("e2e.applicants", 60, "applicants of the end-to-end test company")
	e2eDays       = flag.Int("e2e.days", 14, "days of activity of the end-to-end test company")
	e2eSeed       = flag.Int64("e2e.seed", 7, "seed of the end-to-end test company")
)

// rankedPerson is one person of the final ranking with the ground truth about them.
type rankedPerson struct {
	person  *unmask.Person
	score   unmask.RiskScore
	planted *gen.Planted
}

// TestDemoFindsPlantedFraud is the end-to-end check: generate a company, ingest every
// file through the real ingest path, detect and score, and check that the planted
// fraudulent workers rank above the benign employees, with reasons that name what was
// planted, and that the planted applicant clusters are linked.
func TestDemoFindsPlantedFraud(t *testing.T) {
	dir := t.TempDir()
	m := NewMain()
	m.Getenv = env(filepath.Join(dir, "unused"))
	var out bytes.Buffer
	m.Stdout, m.Stderr, m.Stdin = &out, io.Discard, strings.NewReader("")
	defer m.Close()
	flags := genFlags{employees: *e2eEmployees, applicants: *e2eApplicants, days: *e2eDays, seed: *e2eSeed, start: "recent"}
	man, p, err := m.prepareDemo(t.Context(), filepath.Join(dir, "demo"), flags)
	if err != nil {
		t.Fatalf("prepare demo: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "rejected") && !strings.Contains(out.String(), " 0 rejected") {
		t.Errorf("the generated files must ingest without rejects:\n%s", out.String())
	}
	ranking := employeeRanking(t, m, p, man)
	k := len(man.Fraud)
	if k < 4 {
		t.Fatalf("only %d planted workers; the test needs every scenario", k)
	}
	var hits int
	var lines []string
	for i, r := range ranking[:2*k] {
		tag := "benign"
		if r.planted != nil {
			tag = "PLANTED " + r.planted.Scenario
			if i < k {
				hits++
			}
		}
		lines = append(lines, fmt.Sprintf("%2d. %5.1f %-8s %s %-22s %v", i+1, r.score.Score, r.score.Band, r.person.ExternalID, tag, reasonIDs(r.score)))
	}
	recallAt2k := 0
	for _, r := range ranking[:2*k] {
		if r.planted != nil {
			recallAt2k++
		}
	}
	precision := float64(hits) / float64(k)
	t.Logf("precision@%d = %.2f, recall@%d = %.2f (%d employees)\n%s", k, precision, 2*k, float64(recallAt2k)/float64(k), len(ranking), strings.Join(lines, "\n"))
	if precision < 0.6 {
		t.Errorf("precision@%d = %.2f; want at least 0.6", k, precision)
	}
	for _, r := range ranking[:k] {
		if r.planted != nil && !namesPlanted(r.score, r.planted.Indicators) {
			t.Errorf("%s (%s) ranks in the top %d without a reason naming a planted indicator %v: %+v",
				r.person.ExternalID, r.planted.Scenario, k, r.planted.Indicators, reasonIDs(r.score))
		}
	}
	checkClustersLinked(t, m, man)
}

// employeeRanking returns every employee and contractor, highest risk first.
func employeeRanking(t *testing.T, m *Main, p *processor, man *gen.Manifest) []rankedPerson {
	t.Helper()
	planted := map[string]*gen.Planted{}
	for i := range man.Fraud {
		planted[man.Fraud[i].EmployeeID] = &man.Fraud[i]
	}
	people, _, err := m.db.FindPeople(adminContext(t.Context()), unmask.PersonFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	var out []rankedPerson
	for _, person := range people {
		if person.Kind == unmask.PersonApplicant {
			continue
		}
		score, _ := p.risk.Score(person.ID)
		out = append(out, rankedPerson{person: person, score: score, planted: planted[person.ExternalID]})
	}
	for id := range planted {
		if !slices.ContainsFunc(out, func(r rankedPerson) bool { return r.person.ExternalID == id }) {
			t.Errorf("planted worker %s was not ingested as a person", id)
		}
	}
	slices.SortStableFunc(out, func(a, b rankedPerson) int {
		if c := cmp.Compare(b.score.Score, a.score.Score); c != 0 {
			return c
		}
		return strings.Compare(a.person.ExternalID, b.person.ExternalID)
	})
	return out
}

// namesPlanted reports whether one of a score's reasons is a planted indicator.
func namesPlanted(s unmask.RiskScore, indicators []string) bool {
	return slices.ContainsFunc(s.Reasons, func(r unmask.RiskReason) bool { return slices.Contains(indicators, r.Indicator) })
}

func reasonIDs(s unmask.RiskScore) []string {
	var ids []string
	for _, r := range s.Reasons {
		ids = append(ids, r.Indicator)
	}
	return ids
}

// checkClustersLinked checks that every member of a planted applicant cluster has an
// H-02 signal (an identifier shared with people under other names), and reports the
// precision: how many of the applicants with H-02 were planted.
func checkClustersLinked(t *testing.T, m *Main, man *gen.Manifest) {
	t.Helper()
	ctx := adminContext(t.Context())
	members := map[string]bool{}
	for _, c := range man.Clusters {
		for _, id := range c.CandidateIDs {
			members[id] = true
		}
	}
	ind := "H-02"
	sigs, _, err := m.db.FindSignals(ctx, unmask.SignalFilter{Indicator: &ind, Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[string]bool{} // applicants' external ids with H-02
	for _, s := range sigs {
		p, err := m.db.FindPersonByID(ctx, s.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind == unmask.PersonApplicant {
			flagged[p.ExternalID] = true
		}
	}
	var linked int
	for id := range members {
		if flagged[id] {
			linked++
		} else {
			t.Errorf("cluster member %s has no H-02 signal", id)
		}
	}
	precision := float64(linked) / float64(max(len(flagged), 1))
	t.Logf("applicant clusters: recall %d/%d members linked by a shared identifier (H-02); precision %.2f (%d applicants flagged)",
		linked, len(members), precision, len(flagged))
	if precision < 0.8 {
		t.Errorf("cluster precision %.2f: %d applicants flagged H-02, %d of them planted", precision, len(flagged), linked)
	}
}
