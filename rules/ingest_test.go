package rules_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/osquery"
	"github.com/unmask/unmask/internal/ingest/sysmon"
	"github.com/unmask/unmask/internal/ingest/zeek"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/internal/unmasktest"
)

// ingestGolden holds the ingest parsers' golden outputs: real unmask.Event values.
var ingestGolden = filepath.Join("..", "internal", "ingest", "*", "testdata", "*.golden.json")

// eventMap returns the field map rules see for a domain event: its Fields plus the
// pseudo-fields the detection stage exposes.
func eventMap(e *unmask.Event) sigma.Map {
	m := sigma.Map{}
	maps.Copy(m, e.Fields)
	for k, v := range map[string]string{"event.source": e.Source, "event.kind": string(e.Kind),
		"event.action": e.Action, "user.name": e.Actor, "person.id": e.PersonID, "host.name": e.Host,
		"source.ip": e.SourceIP, "device.serial": e.Serial} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// packHit is one event of a file and the rules of the pack it fired.
type packHit struct {
	File   string   `json:"file"`
	Event  string   `json:"event"` // the event id
	Kind   string   `json:"kind"`
	Target string   `json:"target,omitempty"`
	Rules  []string `json:"rules"`
}

// packRun is the golden record of a run: how many events were matched, and the hits.
type packRun struct {
	Events int       `json:"events"`
	Hits   []packHit `json:"hits"`
}

// add matches events, in order, through one Matcher of e and records those that fired.
func (pr *packRun) add(e *sigma.Engine, file string, evs []*unmask.Event) {
	pr.Events += len(evs)
	pr.Hits = append(pr.Hits, matchEvents(e, file, evs)...)
}

// matchEvents runs events, in order, through one Matcher of e and returns those that fired.
func matchEvents(e *sigma.Engine, file string, evs []*unmask.Event) []packHit {
	var out []packHit
	m := e.NewMatcher()
	for _, ev := range evs {
		var names []string
		m.MatchFields(eventMap(ev), ev.Time, func(h sigma.Hit) { names = append(names, h.Rule.Name) })
		if len(names) > 0 {
			slices.Sort(names)
			out = append(out, packHit{File: file, Event: ev.ID, Kind: string(ev.Kind), Target: ev.Target, Rules: names})
		}
	}
	return out
}

// TestIngestGoldenEvents runs the golden events of the ingest parsers through the whole
// pack: the field names the parsers produce must be the ones the rules read, and their
// benign events must stay silent. Refresh with UNMASK_UPDATE_GOLDEN=1 after reviewing.
func TestIngestGoldenEvents(t *testing.T) {
	files, err := filepath.Glob(ingestGolden)
	if err != nil || len(files) == 0 {
		t.Skipf("no ingest golden files at %s: %v", ingestGolden, err)
	}
	e := MustEngine(t, MustLoadPack(t))
	run := &packRun{Hits: []packHit{}}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Events []*unmask.Event `json:"events"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("decode %s: %v", f, err)
		}
		rel, _ := filepath.Rel(filepath.Join("..", "internal", "ingest"), f)
		run.add(e, filepath.ToSlash(rel), doc.Events)
	}
	unmasktest.GoldenJSON(t, filepath.Join("testdata", "ingest_golden_hits.json"), run)
}

// collect is an ingest.Sink that keeps accepted events.
type collect struct{ events []*unmask.Event }

func (c *collect) Accept(_ context.Context, e *unmask.Event) error {
	c.events = append(c.events, e)
	return nil
}

func (c *collect) Reject(context.Context, *ingest.Reject) error { return nil }

// TestSharedSamples decodes the third-party endpoint and network samples under
// ../shared/samples with the ingest parsers and runs them through the whole pack.
func TestSharedSamples(t *testing.T) {
	root := unmasktest.SharedDir(t, "..", "samples")
	formats := []struct {
		dir    string
		format ingest.Format
	}{
		{dir: "sysmon", format: sysmon.New(0)},
		{dir: "zeek", format: zeek.New(0)},
		{dir: "osquery", format: osquery.New(0)},
	}
	e := MustEngine(t, MustLoadPack(t))
	run := &packRun{Hits: []packHit{}}
	for _, ft := range formats {
		files, err := filepath.Glob(filepath.Join(root, ft.dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			run.add(e, ft.dir+"/"+filepath.Base(f), mustDecode(t, ft.format, f))
		}
	}
	unmasktest.GoldenJSON(t, filepath.Join("testdata", "shared_samples_hits.json"), run)
}

// TestSigmaRegressionEvents runs the SigmaHQ regression events (Windows events that fire
// SigmaHQ rules, mostly unrelated to this pack) through the pack: a broad false-positive
// check on real event shapes, and a true-positive check where the themes overlap.
func TestSigmaRegressionEvents(t *testing.T) {
	root := unmasktest.SharedDir(t, "..", filepath.Join("data", "sigma", "regression_data"))
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".json" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	e := MustEngine(t, MustLoadPack(t))
	run := &packRun{Hits: []packHit{}}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		run.add(e, filepath.ToSlash(rel), mustDecode(t, sysmon.New(0), f))
	}
	unmasktest.GoldenJSON(t, filepath.Join("testdata", "sigma_regression_hits.json"), run)
}

// mustDecode decodes one file with an ingest format; rejected records are skipped.
func mustDecode(tb testing.TB, f ingest.Format, path string) []*unmask.Event {
	tb.Helper()
	r, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var c collect
	if err := f.Decode(tb.Context(), r, &c); err != nil {
		tb.Fatalf("decode %s: %v", path, err)
	}
	return c.events
}
