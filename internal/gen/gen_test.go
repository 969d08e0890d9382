package gen_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/gen"
)

// MustTree returns every file under dir by its slash path.
func MustTree(tb testing.TB, dir string) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestDeterministic: one seed gives byte-identical files; another seed different ones.
func TestDeterministic(t *testing.T) {
	opts := gen.Options{Employees: 110, Applicants: 12, Days: 2, Seed: 42}
	tests := []struct {
		name       string
		seed       int64
		gomaxprocs int // 0: unchanged; 1: one worker instead of several
		wantEqual  bool
	}{
		{name: "same-seed", seed: 42, wantEqual: true},
		{name: "same-seed-one-worker", seed: 42, gomaxprocs: 1, wantEqual: true},
		{name: "other-seed", seed: 43, wantEqual: false},
	}
	a := t.TempDir()
	if _, err := gen.Generate(a, opts); err != nil {
		t.Fatal(err)
	}
	want := MustTree(t, a)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := t.TempDir()
			o := opts
			o.Seed = tt.seed
			if tt.gomaxprocs > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tt.gomaxprocs))
			}
			if _, err := gen.Generate(b, o); err != nil {
				t.Fatal(err)
			}
			got := MustTree(t, b)
			if tt.wantEqual && len(got) != len(want) {
				t.Fatalf("%d files, want %d", len(got), len(want))
			}
			same := 0
			for p, w := range want {
				if bytes.Equal(got[p], w) {
					same++
				} else if tt.wantEqual {
					t.Errorf("%s differs between two runs with seed %d", p, tt.seed)
				}
			}
			if !tt.wantEqual && same > len(want)/2 {
				t.Errorf("%d of %d files are identical with another seed", same, len(want))
			}
		})
	}
}

// TestDefaults: zero Options take the documented defaults.
func TestDefaults(t *testing.T) {
	m, err := gen.Generate(t.TempDir(), gen.Options{Employees: 30, Applicants: 12, Days: 2, Fraud: -1, Clusters: -1})
	if err != nil {
		t.Fatal(err)
	}
	got := struct {
		Seed          int64
		Start         time.Time
		Fraud, Groups int
	}{m.Seed, m.Start, len(m.Fraud), len(m.Clusters)}
	want := struct {
		Seed          int64
		Start         time.Time
		Fraud, Groups int
	}{gen.DefaultSeed, gen.DefaultStart, 0, 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
}

// TestOptionsInvalid: sizes that cannot hold the scenarios are refused.
func TestOptionsInvalid(t *testing.T) {
	tests := []struct {
		name string
		opts gen.Options
	}{
		{name: "too-few-employees", opts: gen.Options{Employees: 5}},
		{name: "too-many-employees", opts: gen.Options{Employees: 20000}},
		{name: "too-many-scenarios", opts: gen.Options{Employees: 30, Fraud: 8}},
		{name: "too-few-applicants", opts: gen.Options{Applicants: 3, Clusters: 3}},
		{name: "too-many-days", opts: gen.Options{Days: 400}},
		{name: "negative-days", opts: gen.Options{Days: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gen.Generate(t.TempDir(), tt.opts)
			if code := unmask.ErrorCode(err); code != unmask.EINVALID {
				t.Errorf("Generate error code %q (%v), want %q", code, err, unmask.EINVALID)
			}
		})
	}
}

// BenchmarkGenerate10k writes 10,000 employees × 30 days, the analytics benchmark's data
// set, and reports events written per second.
func BenchmarkGenerate10k(b *testing.B) {
	dir := b.TempDir()
	events := 0
	for b.Loop() {
		m, err := gen.Generate(dir, gen.Options{Employees: 10000, Applicants: 3000, Days: 30})
		if err != nil {
			b.Fatal(err)
		}
		events = 0
		for _, f := range m.Files {
			events += f.Events
		}
	}
	b.ReportMetric(float64(events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(events), "events")
}

// BenchmarkGenerateDefault writes the default demo company.
func BenchmarkGenerateDefault(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := gen.Generate(dir, gen.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
