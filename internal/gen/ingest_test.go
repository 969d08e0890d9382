package gen_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/gen"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/entra"
	"github.com/unmask/unmask/internal/ingest/github"
	"github.com/unmask/unmask/internal/ingest/google"
	"github.com/unmask/unmask/internal/ingest/greenhouse"
	"github.com/unmask/unmask/internal/ingest/hrcsv"
	"github.com/unmask/unmask/internal/ingest/mdm"
	"github.com/unmask/unmask/internal/ingest/okta"
	"github.com/unmask/unmask/internal/ingest/osquery"
	"github.com/unmask/unmask/internal/ingest/sysmon"
	"github.com/unmask/unmask/internal/ingest/zeek"
)

// testOptions is a company big enough for every scenario and quick to ingest.
var testOptions = gen.Options{Employees: 80, Applicants: 60, Days: 14, Seed: 7}

// company is one generated and ingested data set, shared by the tests in this file.
type company struct {
	dir      string
	man      *gen.Manifest
	events   map[string][]*unmask.Event // by file path
	rejects  map[string][]*ingest.Reject
	bySource map[string][]*unmask.Event
}

var (
	companyOnce sync.Once
	shared      *company
	sharedErr   error
)

// MustCompany generates testOptions once into a temporary directory and ingests every
// file with its parser.
func MustCompany(tb testing.TB) *company {
	tb.Helper()
	companyOnce.Do(func() {
		dir, err := os.MkdirTemp("", "unmask-gen-*")
		if err != nil {
			sharedErr = err
			return
		}
		shared = &company{dir: dir, events: map[string][]*unmask.Event{}, rejects: map[string][]*ingest.Reject{},
			bySource: map[string][]*unmask.Event{}}
		shared.man, sharedErr = gen.Generate(dir, testOptions)
		if sharedErr != nil {
			return
		}
		for _, f := range shared.man.Files {
			var c ingest.Collector
			if sharedErr = decodeFile(dir, f, &c); sharedErr != nil {
				return
			}
			shared.events[f.Path], shared.rejects[f.Path] = c.Events, c.Rejects
			shared.bySource[f.Source] = append(shared.bySource[f.Source], c.Events...)
		}
	})
	if sharedErr != nil {
		tb.Fatalf("generate and ingest: %v", sharedErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// formatFor returns the ingest format that reads f.
func formatFor(f gen.File) (ingest.Format, error) {
	observed := func() time.Time { return time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) }
	switch f.Source {
	case "okta":
		return okta.New(0), nil
	case "entra":
		return entra.New(0), nil
	case "google":
		return google.New(0), nil
	case "github":
		return github.New(0), nil
	case "osquery":
		return osquery.New(0), nil
	case "sysmon":
		return sysmon.New(0), nil
	case "zeek":
		return zeek.New(0), nil
	case "mdm":
		return mdm.New(mdm.Options{Now: observed}), nil
	case "greenhouse":
		return greenhouse.New(greenhouse.Options{Now: observed}), nil
	case "hris":
		return hrcsv.New(hrcsv.Options{Kind: f.Kind})
	}
	return nil, os.ErrNotExist
}

func decodeFile(dir string, f gen.File, c *ingest.Collector) error {
	format, err := formatFor(f)
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(dir, f.Path))
	if err != nil {
		return err
	}
	return format.Decode(context.Background(), bytes.NewReader(b), c)
}

// TestIngestEveryFile parses every generated file with its ingest package: no record is
// rejected and each file gives the events the manifest counts.
func TestIngestEveryFile(t *testing.T) {
	c := MustCompany(t)
	if len(c.man.Files) != 20 {
		t.Errorf("manifest lists %d files, want 20", len(c.man.Files))
	}
	for _, f := range c.man.Files {
		t.Run(subtestName(f.Path), func(t *testing.T) {
			for _, r := range c.rejects[f.Path] {
				t.Errorf("line %d: rejected: %s", r.Line, r.Reason)
			}
			if got := len(c.events[f.Path]); got != f.Events {
				t.Errorf("%d events, manifest says %d", got, f.Events)
			}
			if f.Events == 0 && f.Path != "hris/address_change.csv" {
				t.Errorf("no events in %s", f.Path)
			}
		})
	}
}

func subtestName(p string) string {
	b := []byte(p)
	for i, c := range b {
		if c == '/' || c == '.' {
			b[i] = '_'
		}
	}
	return string(b)
}
