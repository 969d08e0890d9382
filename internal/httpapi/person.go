package httpapi

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/unmask/unmask"
)

// rankedPerson is one row of the people ranked by risk.
type rankedPerson struct {
	Person   *unmask.Person  `json:"person"`
	Score    float64         `json:"score"`
	Band     unmask.RiskBand `json:"band,omitempty"`
	Families []string        `json:"families,omitempty"`
	// TopReason explains the largest contribution to the score.
	TopReason string `json:"top_reason,omitempty"`
}

// peopleQuery selects and orders the ranked people.
type peopleQuery struct {
	Kind       *unmask.PersonKind
	Status     *unmask.PersonStatus
	Department *string
	Band       *unmask.RiskBand
	Family     string
	Sort       string // risk (default), -risk, name, -name
	Page       unmask.Page
}

func validBand(b unmask.RiskBand) bool {
	return b == unmask.BandLow || b == unmask.BandMedium || b == unmask.BandHigh || b == unmask.BandCritical
}

func validFamily(f string) bool {
	return f == unmask.FamilyHiring || f == unmask.FamilyOnboarding || f == unmask.FamilyNetwork || f == unmask.FamilyEndpoint
}

// peopleQueryOf reads the filters of the people list from the query string.
func peopleQueryOf(r *http.Request) (peopleQuery, error) {
	var q peopleQuery
	var err error
	if q.Kind, err = queryEnum(r, "kind", unmask.PersonKind.Valid); err != nil {
		return q, err
	}
	if q.Status, err = queryEnum(r, "stage", unmask.PersonStatus.Valid); err != nil {
		return q, err
	}
	if q.Band, err = queryEnum(r, "band", validBand); err != nil {
		return q, err
	}
	q.Department = query(r, "department")
	q.Family = r.URL.Query().Get("family")
	if q.Family != "" && !validFamily(q.Family) {
		return q, unmask.Errorf(unmask.EINVALID, "family %q is not hiring, onboarding, network or endpoint.", q.Family)
	}
	q.Sort = cmp.Or(r.URL.Query().Get("sort"), "risk")
	if !slices.Contains([]string{"risk", "-risk", "name", "-name"}, q.Sort) {
		return q, unmask.Errorf(unmask.EINVALID, "sort %q is not risk, -risk, name or -name.", q.Sort)
	}
	q.Page, err = pageOf(r)
	return q, err
}

// rankPeople returns one page of the people matching q, ranked by risk, and the total.
func (s *Server) rankPeople(ctx context.Context, q peopleQuery) ([]*rankedPerson, int, error) {
	people, _, err := s.svc.FindPeople(ctx, unmask.PersonFilter{Kind: q.Kind, Status: q.Status, Department: q.Department,
		Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return nil, 0, err
	}
	scores, _, err := s.svc.FindRiskScores(ctx, unmask.RiskFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return nil, 0, err
	}
	byPerson := make(map[string]*unmask.RiskScore, len(scores))
	for _, sc := range scores {
		byPerson[sc.PersonID] = sc
	}
	rows := make([]*rankedPerson, 0, len(people))
	for _, p := range people {
		row := &rankedPerson{Person: p, Band: unmask.BandLow}
		if sc := byPerson[p.ID]; sc != nil {
			row.Score, row.Band = sc.Score, sc.Band
			for _, reason := range sc.Reasons {
				if !slices.Contains(row.Families, reason.Family) && reason.Family != "" {
					row.Families = append(row.Families, reason.Family)
				}
			}
			if len(sc.Reasons) > 0 {
				row.TopReason = sc.Reasons[0].Explanation
			}
		}
		if (q.Band == nil || row.Band == *q.Band) && (q.Family == "" || slices.Contains(row.Families, q.Family)) {
			rows = append(rows, row)
		}
	}
	sortRanked(rows, q.Sort)
	off, limit := q.Page.Window()
	total := len(rows)
	return rows[min(off, total):min(off+limit, total)], total, nil
}

func sortRanked(rows []*rankedPerson, by string) {
	byName := func(a, b *rankedPerson) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Person.DisplayName), strings.ToLower(b.Person.DisplayName)), strings.Compare(a.Person.ID, b.Person.ID))
	}
	byRisk := func(a, b *rankedPerson) int { return cmp.Or(cmp.Compare(b.Score, a.Score), byName(a, b)) }
	switch by {
	case "name":
		slices.SortFunc(rows, byName)
	case "-name":
		slices.SortFunc(rows, func(a, b *rankedPerson) int { return byName(b, a) })
	case "-risk":
		slices.SortFunc(rows, func(a, b *rankedPerson) int { return byRisk(b, a) })
	default:
		slices.SortFunc(rows, byRisk)
	}
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) error {
	q, err := peopleQueryOf(r)
	if err != nil {
		return err
	}
	rows, total, err := s.rankPeople(r.Context(), q)
	if err != nil {
		return err
	}
	return writeList(w, rows, total, q.Page)
}

// personDetail is everything the person page and GET /api/v1/people/{id} show.
type personDetail struct {
	Person      *unmask.Person       `json:"person"`
	Risk        *unmask.RiskScore    `json:"risk,omitempty"`
	Signals     []*unmask.Signal     `json:"signals"`
	Events      []*unmask.Event      `json:"recent_events"`
	Identifiers []*unmask.Identifier `json:"identifiers"`
	// Linked lists the other people who share one of the person's identifiers.
	Linked     []*linkedIdentity   `json:"linked_identities"`
	Devices    []*unmask.Device    `json:"devices"`
	Alerts     []*unmask.Alert     `json:"alerts"`
	Cases      []*unmask.Case      `json:"cases"`
	SpotChecks []*unmask.SpotCheck `json:"spot_checks"`
}

// linkedIdentity is one identifier the person shares with other people.
type linkedIdentity struct {
	Kind    unmask.IdentifierKind `json:"kind"`
	Display string                `json:"display"`
	People  []*unmask.Person      `json:"people"`
}

// recentEvents is how many events the person page loads (timeline and heatmap).
const recentEvents = 500

// loadPerson gathers a person's detail through the authorised services.
func (s *Server) loadPerson(ctx context.Context, id string) (*personDetail, error) {
	p, err := s.svc.FindPersonByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &personDetail{Person: p}
	all := unmask.Page{Limit: unmask.MaxLimit}
	if d.Risk, err = s.svc.FindRiskScore(ctx, id); err != nil && unmask.ErrorCode(err) != unmask.ENOTFOUND {
		return nil, err
	}
	steps := []func() error{
		func() (err error) {
			d.Signals, _, err = s.svc.FindSignals(ctx, unmask.SignalFilter{PersonID: &id, Page: all})
			return err
		},
		func() (err error) {
			d.Events, _, err = s.svc.FindEvents(ctx, unmask.EventFilter{PersonID: &id, Page: unmask.Page{Limit: recentEvents}})
			return err
		},
		func() (err error) {
			d.Identifiers, _, err = s.svc.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &id, Page: all})
			return err
		},
		func() (err error) {
			d.Devices, _, err = s.svc.FindDevices(ctx, unmask.DeviceFilter{PersonID: &id, Page: all})
			return err
		},
		func() (err error) {
			d.Alerts, _, err = s.svc.FindAlerts(ctx, unmask.AlertFilter{PersonID: &id, Page: all})
			return err
		},
		func() (err error) {
			d.Cases, _, err = s.svc.FindCases(ctx, unmask.CaseFilter{PersonID: &id, Page: all})
			return err
		},
		func() (err error) {
			d.SpotChecks, _, err = s.svc.FindSpotChecks(ctx, unmask.SpotCheckFilter{PersonID: &id, Page: all})
			return err
		},
		func() (err error) { d.Linked, err = s.linkedIdentities(ctx, id, d.Identifiers); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// linkedIdentities finds the other people holding each of ids.
func (s *Server) linkedIdentities(ctx context.Context, personID string, ids []*unmask.Identifier) ([]*linkedIdentity, error) {
	var out []*linkedIdentity
	for _, i := range ids {
		same, _, err := s.svc.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &i.Kind, Hash: &i.Hash, Page: unmask.Page{Limit: 50}})
		if err != nil {
			return nil, err
		}
		link := &linkedIdentity{Kind: i.Kind, Display: i.Display}
		for _, o := range same {
			if o.PersonID == personID {
				continue
			}
			people, _, err := s.svc.FindPeople(ctx, unmask.PersonFilter{ID: &o.PersonID})
			if err != nil {
				return nil, err
			}
			link.People = append(link.People, people...)
		}
		if len(link.People) > 0 {
			out = append(out, link)
		}
	}
	return out, nil
}

func (s *Server) handlePerson(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleSignals(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	since, err := queryTime(r, "since")
	if err != nil {
		return err
	}
	f := unmask.SignalFilter{PersonID: query(r, "person"), Indicator: query(r, "indicator"), Detector: query(r, "detector"), Since: since, Page: p}
	list, total, err := s.svc.FindSignals(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}
