package main

import (
	"bytes"
	"compress/gzip"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/sqlite"
)

func TestIngest(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	okta, err := os.ReadFile("testdata/okta.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(okta)
	zw.Close()
	gzPath := filepath.Join(dir, "okta.ndjson.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		want     string
	}{
		{"HRFirst", "", []string{"ingest", "--source", "hris", "testdata/employees.csv"}, 0, "hris: 2 accepted, 0 duplicate, 0 rejected"},
		{"SignIns", "", []string{"ingest", "--source", "okta", "testdata/okta.ndjson"}, 0, "okta: 3 accepted, 0 duplicate, 0 rejected"},
		{"SameFileAgainAddsNothing", "", []string{"ingest", "--source", "okta", "testdata/okta.ndjson"}, 0, "okta: 0 accepted, 3 duplicate"},
		{"GzipIsTheSameData", "", []string{"ingest", "--source", "okta", gzPath}, 0, "okta: 0 accepted, 3 duplicate"},
		{"StandardInput", string(okta), []string{"ingest", "--source", "okta", "-"}, 0, "0 accepted, 3 duplicate"},
		{"RejectsFail", "", []string{"ingest", "--source", "okta", "testdata/okta-bad.ndjson"}, 2, "1 records were rejected"},
		{"RejectsAllowed", "", []string{"ingest", "--source", "okta", "--allow-rejects", "testdata/okta-bad.ndjson"}, 0, "0 accepted, 1 duplicate, 1 rejected"},
		{"UnknownSource", "", []string{"ingest", "--source", "splunk", "x.json"}, 3, `Unknown source "splunk"`},
		{"MissingFile", "", []string{"ingest", "--source", "okta", "nope.json"}, 2, "Cannot open nope.json"},
		{"DeadLetters", "", []string{"deadletters", "--source", "okta"}, 0, "okta-bad.ndjson  2     202     malformed JSON"},
		{"Unresolved", "", []string{"unresolved"}, 0, "okta    nobody@contoso.example  1"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			code, out, errOut := run(t, e, st.stdin, st.args...)
			where := out
			if st.wantCode != 0 {
				where = errOut
			}
			if code != st.wantCode || !strings.Contains(where, st.want) {
				t.Errorf("unmask %s: exit %d\nstdout %s\nstderr %s\nwant exit %d with %q", strings.Join(st.args, " "), code, out, errOut, st.wantCode, st.want)
			}
		})
	}
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := t.Context()
	people, _, err := db.FindPeople(ctx, unmask.PersonFilter{Query: new("li wei")})
	if err != nil || len(people) != 1 {
		t.Fatalf("people = %v, %v", people, err)
	}
	events, _, err := db.FindEvents(ctx, unmask.EventFilter{PersonID: &people[0].ID, Source: new("okta")})
	if err != nil || len(events) != 1 || events[0].SourceIP != "203.0.113.50" {
		t.Errorf("Li Wei's sign-ins = %+v (%v)", events, err)
	}
	if counts, _ := db.CountDeadLetters(ctx); counts["okta"] != 2 {
		t.Errorf("dead letters = %v, want the truncated line once per run", counts)
	}
}

func TestIngestMetricsAccumulateHealth(t *testing.T) {
	m := newIngestMetrics(nil, &sourceHealth{bySource: map[string]*httpapi.SourceHealth{}})
	m.observe("okta", ingest.Stats{Accepted: 3, Duplicates: 1})
	m.observe("okta", ingest.Stats{Accepted: 2, Rejected: 1})
	m.observe("zeek", ingest.Stats{Accepted: 7})
	got := map[string]httpapi.SourceHealth{}
	for _, h := range m.health.sources() {
		if h.Last.IsZero() {
			t.Errorf("%s: no time of the last input", h.Source)
		}
		h.Last = time.Time{}
		got[h.Source] = h
	}
	want := map[string]httpapi.SourceHealth{"okta": {Source: "okta", Accepted: 5, Duplicates: 1, Rejected: 1}, "zeek": {Source: "zeek", Accepted: 7}}
	if !maps.Equal(got, want) {
		t.Errorf("health = %+v, want %+v", got, want)
	}
}

// TestIngestWarnsOfRetention: events older than retention.events are stored, with a
// warning that the server's retention will delete them; with retention off, no warning.
func TestIngestWarnsOfRetention(t *testing.T) {
	for _, tc := range []struct {
		retention, want string
	}{
		{"", "warning: 3 of the new events are older than retention.events (90d)"},
		{"0", ""},
	} {
		code, out, errOut := run(t, env(t.TempDir(), "UNMASK_RETENTION_EVENTS", tc.retention), "", "ingest", "--source", "okta", "testdata/okta.ndjson")
		if code != 0 || !strings.Contains(out, "3 accepted") {
			t.Fatalf("retention %q: exit %d, %s %s", tc.retention, code, out, errOut)
		}
		if got := strings.Contains(errOut, "older than retention.events"); got != (tc.want != "") || !strings.Contains(errOut, tc.want) {
			t.Errorf("retention %q: stderr %q, want %q", tc.retention, errOut, tc.want)
		}
	}
}
