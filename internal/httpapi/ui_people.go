package httpapi

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // people's claimed zones must resolve on hosts without zoneinfo

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ui"
)

// uiPages registers the signed-in pages.
func (s *Server) uiPages() {
	s.page("GET /{$}", s.pageDashboard)
	s.page("GET /people", s.pagePeople)
	s.page("GET /people/{id}", s.pagePerson)
	s.page("GET /clusters", s.pageClusters)
	s.page("GET /alerts", s.pageAlerts)
	s.page("POST /alerts/{id}/acknowledge", s.postAlertStatus(unmask.AlertAcknowledged))
	s.page("POST /alerts/{id}/close", s.postAlertStatus(unmask.AlertClosed))
	s.page("GET /cases", s.pageCases)
	s.page("POST /cases", s.postCase)
	s.page("GET /cases/{id}", s.pageCase)
	s.page("POST /cases/{id}/status", s.postCaseStatus)
	s.page("POST /cases/{id}/assignee", s.postCaseAssignee)
	s.page("POST /cases/{id}/notes", s.postCaseNote)
	s.page("GET /spotchecks", s.pageSpotChecks)
	s.page("POST /spotchecks", s.postSpotCheck)
	s.page("POST /spotchecks/{id}/result", s.postSpotCheckResult)
	s.page("GET /rules", s.pageRules)
	s.page("POST /rules/{id}/toggle", s.postRuleToggle)
	s.page("POST /rules/test", s.postRuleTest)
	s.page("GET /indicators", s.pageIndicators)
	s.page("POST /indicators", s.postIndicator)
	s.page("POST /indicators/{id}/delete", s.postIndicatorDelete)
	s.page("GET /deadletters", s.pageDeadLetters)
	s.page("GET /settings", s.pageSettings)
	s.page("POST /settings/users", s.postUser)
	s.page("POST /settings/tokens", s.postToken)
	s.page("POST /settings/tokens/{id}/revoke", s.postTokenRevoke)
	s.page("POST /settings/preview", s.postPreview)
	s.page("GET /audit", s.pageAudit)
}

// names returns the display names (shaped to the role) of people by id.
func (s *Server) names(ctx context.Context, ids ...string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == "" {
			continue
		}
		people, _, err := s.svc.FindPeople(ctx, unmask.PersonFilter{ID: &id})
		if err != nil {
			return nil, err
		}
		out[id] = "unknown person"
		if len(people) == 1 {
			out[id] = people[0].DisplayName
		}
	}
	return out, nil
}

// pager is the paging footer of a list page.
type pager struct {
	From, To, Total int
	Prev, Next      string
}

// newPager returns the footer of the page p of a list of total items with n shown.
func newPager(r *http.Request, p unmask.Page, n, total int) pager {
	pg := pager{From: p.Offset + 1, To: p.Offset + n, Total: total}
	link := func(off int) string {
		q := r.URL.Query()
		q.Set("cursor", encodeCursor(off))
		return r.URL.Path + "?" + q.Encode()
	}
	if p.Offset > 0 {
		_, limit := p.Window()
		pg.Prev = link(max(p.Offset-limit, 0))
	}
	if p.Offset+n < total {
		pg.Next = link(p.Offset + n)
	}
	if n == 0 {
		pg.From = 0
	}
	return pg
}

// bandBar is one bar of the risk distribution.
type bandBar struct {
	Band  unmask.RiskBand
	Count int
	Width int
}

func (s *Server) pageDashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	rows, _, err := s.rankPeople(ctx, peopleQuery{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return err
	}
	counts := map[unmask.RiskBand]int{}
	for _, row := range rows {
		counts[row.Band]++
	}
	bands := []unmask.RiskBand{unmask.BandCritical, unmask.BandHigh, unmask.BandMedium, unmask.BandLow}
	most := 1
	for _, b := range bands {
		most = max(most, counts[b])
	}
	var bars []bandBar
	for _, b := range bands {
		bars = append(bars, bandBar{Band: b, Count: counts[b], Width: 200 * counts[b] / most})
	}
	d := map[string]any{"Bands": bars}
	if err := s.dashboardLists(ctx, d); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "dashboard", "dashboard", pageData{D: d})
}

// dashboardLists adds the newest signals, open cases, spot checks due and ingest health.
func (s *Server) dashboardLists(ctx context.Context, d map[string]any) error {
	sigs, _, err := s.svc.FindSignals(ctx, unmask.SignalFilter{Page: unmask.Page{Limit: 8}})
	if err != nil {
		return err
	}
	cases, _, err := s.svc.FindCases(ctx, unmask.CaseFilter{Page: unmask.Page{Limit: 100}})
	if err != nil {
		return err
	}
	cases = slices.DeleteFunc(cases, func(c *unmask.Case) bool { return c.Status == unmask.CaseClosed })
	cases = cases[:min(len(cases), 8)]
	week := s.now().Add(7 * 24 * time.Hour)
	checks, _, err := s.svc.FindSpotChecks(ctx, unmask.SpotCheckFilter{Status: new(unmask.SpotCheckScheduled), DueBefore: &week, Page: unmask.Page{Limit: 8}})
	if err != nil {
		return err
	}
	counts, err := s.svc.CountDeadLetters(ctx)
	if err != nil {
		return err
	}
	var ids []string
	for _, x := range sigs {
		ids = append(ids, x.PersonID)
	}
	for _, c := range cases {
		ids = append(ids, c.PersonID)
	}
	for _, c := range checks {
		ids = append(ids, c.PersonID)
	}
	names, err := s.names(ctx, ids...)
	if err != nil {
		return err
	}
	type sig struct {
		Signal *unmask.Signal
		Name   string
	}
	type kase struct {
		Case *unmask.Case
		Name string
	}
	type check struct {
		Check *unmask.SpotCheck
		Name  string
	}
	var sl []sig
	for _, x := range sigs {
		sl = append(sl, sig{x, names[x.PersonID]})
	}
	var cl []kase
	for _, c := range cases {
		cl = append(cl, kase{c, names[c.PersonID]})
	}
	var kl []check
	for _, c := range checks {
		kl = append(kl, check{c, names[c.PersonID]})
	}
	d["Signals"], d["Cases"], d["SpotChecks"], d["DeadLetters"] = sl, cl, kl, sortedCounts(counts)
	d["Sources"] = s.sourceRows(counts)
	return nil
}

// sourceCount is a dead-letter count of one source.
type sourceCount struct {
	Source string
	Count  int
}

// sourceRow is one source on the dashboard: its input since start and its stored dead
// letters.
type sourceRow struct {
	SourceHealth
	DeadLetters int
}

// sourceRows joins the ingest health with the dead-letter counts, by source name.
func (s *Server) sourceRows(deadLetters map[string]int) []sourceRow {
	var rows []sourceRow
	seen := map[string]bool{}
	if s.opts.IngestHealth != nil {
		for _, h := range s.opts.IngestHealth() {
			rows = append(rows, sourceRow{SourceHealth: h, DeadLetters: deadLetters[h.Source]})
			seen[h.Source] = true
		}
	}
	for src, n := range deadLetters {
		if !seen[src] {
			rows = append(rows, sourceRow{SourceHealth: SourceHealth{Source: src}, DeadLetters: n})
		}
	}
	slices.SortFunc(rows, func(a, b sourceRow) int { return strings.Compare(a.Source, b.Source) })
	return rows
}

func sortedCounts(m map[string]int) []sourceCount {
	out := make([]sourceCount, 0, len(m))
	for k, v := range m {
		out = append(out, sourceCount{k, v})
	}
	slices.SortFunc(out, func(a, b sourceCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Source, b.Source))
	})
	return out
}

func (s *Server) pagePeople(w http.ResponseWriter, r *http.Request) error {
	q, err := peopleQueryOf(r)
	if err != nil {
		return err
	}
	rows, total, err := s.rankPeople(r.Context(), q)
	if err != nil {
		return err
	}
	vals := map[string]string{}
	for _, k := range []string{"kind", "stage", "department", "band", "family", "sort"} {
		vals[k] = r.URL.Query().Get(k)
	}
	d := map[string]any{"Rows": rows, "Q": vals, "Pager": newPager(r, q.Page, len(rows), total),
		"Kinds":    []unmask.PersonKind{unmask.PersonApplicant, unmask.PersonEmployee, unmask.PersonContractor},
		"Stages":   []unmask.PersonStatus{unmask.StatusApplied, unmask.StatusRejected, unmask.StatusHired, unmask.StatusActive, unmask.StatusOnLeave, unmask.StatusTerminated},
		"Bands":    []unmask.RiskBand{unmask.BandCritical, unmask.BandHigh, unmask.BandMedium, unmask.BandLow},
		"Families": []string{unmask.FamilyHiring, unmask.FamilyOnboarding, unmask.FamilyNetwork, unmask.FamilyEndpoint},
		"Sorts":    [][2]string{{"risk", "highest risk first"}, {"-risk", "lowest risk first"}, {"name", "name A–Z"}, {"-name", "name Z–A"}}}
	return s.render(w, r, http.StatusOK, "people", "people", pageData{D: d})
}

// clearedRow counts the signals one legitimate case cleared.
type clearedRow struct {
	CaseID string
	Count  int
}

// clearedByCase counts the signals that cases closed as legitimate still clear, by case.
func clearedByCase(sigs []*unmask.Signal) []clearedRow {
	var out []clearedRow
	for _, sg := range sigs {
		if !sg.Cleared() {
			continue
		}
		i := slices.IndexFunc(out, func(r clearedRow) bool { return r.CaseID == sg.ClearedBy })
		if i < 0 {
			i = len(out)
			out = append(out, clearedRow{CaseID: sg.ClearedBy})
		}
		out[i].Count++
	}
	return out
}

// timelineRows is how many recent events the person page lists.
const timelineRows = 25

// geoRow counts sign-ins from one place and network.
type geoRow struct {
	Country, City, Network string
	Count                  int
}

// deviceRow is a device and whether its serial is one HR assigned.
type deviceRow struct {
	Device  *unmask.Device
	Matches bool
}

func (s *Server) pagePerson(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	view := map[string]any{"P": d, "Heatmaps": heatmaps(d), "Geo": geography(d.Events)}
	var hr, timeline []*unmask.Event
	var assigned []string
	for _, e := range d.Events {
		if e.Kind == unmask.KindHRChange || e.Kind == unmask.KindApplication {
			hr = append(hr, e)
			if sn := e.Fields["serial"]; sn != "" && !slices.Contains(assigned, sn) {
				assigned = append(assigned, sn)
			}
		}
		if len(timeline) < timelineRows {
			timeline = append(timeline, e)
		}
	}
	var devices []deviceRow
	for _, dev := range d.Devices {
		devices = append(devices, deviceRow{dev, slices.Contains(assigned, dev.Serial)})
	}
	view["HR"], view["Timeline"], view["Assigned"], view["Devices"] = hr, timeline, assigned, devices
	view["Cleared"] = clearedByCase(d.Signals)
	view["MoreEvents"] = len(d.Events) - len(timeline)
	if len(d.Linked) > 0 {
		var links []ui.Link
		for _, l := range d.Linked {
			link := ui.Link{Label: string(l.Kind) + " " + l.Display}
			for _, o := range l.People {
				link.Others = append(link.Others, ui.Node{Label: o.DisplayName, Href: "/people/" + url.PathEscape(o.ID)})
			}
			links = append(links, link)
		}
		view["Graph"] = ui.NewGraph(ui.Node{Label: d.Person.DisplayName}, links)
	}
	return s.render(w, r, http.StatusOK, "person", "people", pageData{D: view})
}

// heatmaps returns the activity heatmap in the claimed zone and in the inferred one.
func heatmaps(d *personDetail) []*ui.Heatmap {
	var times []time.Time
	for _, e := range d.Events {
		if e.Kind != unmask.KindHRChange && e.Kind != unmask.KindApplication {
			times = append(times, e.Time)
		}
	}
	claimed, err := time.LoadLocation(d.Person.TimeZone)
	label := "Claimed zone " + d.Person.TimeZone
	if err != nil || d.Person.TimeZone == "" {
		claimed, label = time.UTC, "UTC (no claimed zone)"
	}
	inferred, _ := ui.InferZone(times)
	return []*ui.Heatmap{ui.NewHeatmap(times, claimed, label), ui.NewHeatmap(times, inferred, "Inferred zone "+inferred.String())}
}

// geography counts sign-ins by country, city and network.
func geography(events []*unmask.Event) []geoRow {
	idx := map[string]*geoRow{}
	var rows []*geoRow
	for _, e := range events {
		if e.Geo == nil || e.Kind != unmask.KindSignIn {
			continue
		}
		network := e.Geo.ASOrg
		if e.Geo.ASN != 0 {
			network = fmt.Sprintf("%s (AS%d)", e.Geo.ASOrg, e.Geo.ASN)
		}
		key := e.Geo.Country + "|" + e.Geo.City + "|" + network
		if idx[key] == nil {
			idx[key] = &geoRow{Country: e.Geo.Country, City: e.Geo.City, Network: network}
			rows = append(rows, idx[key])
		}
		idx[key].Count++
	}
	slices.SortFunc(rows, func(a, b *geoRow) int { return cmp.Compare(b.Count, a.Count) })
	out := make([]geoRow, len(rows))
	for i, r := range rows {
		out[i] = *r
	}
	return out
}

// cluster is a set of people sharing one identifier.
type cluster struct {
	Kind    unmask.IdentifierKind
	Display string
	People  []*unmask.Person
}

func (s *Server) pageClusters(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ids, _, err := s.svc.FindIdentifiers(ctx, unmask.IdentifierFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return err
	}
	groups := map[string][]*unmask.Identifier{}
	var keys []string
	for _, i := range ids {
		k := string(i.Kind) + "|" + i.Hash
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	var out []cluster
	for _, k := range keys {
		c, err := s.clusterOf(ctx, groups[k])
		if err != nil {
			return err
		}
		if c != nil {
			out = append(out, *c)
		}
	}
	slices.SortFunc(out, func(a, b cluster) int { return cmp.Compare(len(b.People), len(a.People)) })
	return s.render(w, r, http.StatusOK, "clusters", "clusters", pageData{D: out})
}

// clusterOf returns the cluster of people holding ids when at least two distinct people,
// one of them an applicant, do; else nil.
func (s *Server) clusterOf(ctx context.Context, ids []*unmask.Identifier) (*cluster, error) {
	c := &cluster{Kind: ids[0].Kind, Display: ids[0].Display}
	seen := map[string]bool{}
	applicant := false
	for _, i := range ids {
		if seen[i.PersonID] {
			continue
		}
		seen[i.PersonID] = true
		people, _, err := s.svc.FindPeople(ctx, unmask.PersonFilter{ID: &i.PersonID})
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			applicant = applicant || p.Kind == unmask.PersonApplicant
			c.People = append(c.People, p)
		}
	}
	if len(c.People) < 2 || !applicant {
		return nil, nil
	}
	return c, nil
}
