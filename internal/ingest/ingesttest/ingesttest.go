// Package ingesttest provides the test scaffolding shared by the ingest sources'
// format tests (internal/ingest/<source>/format_test.go): golden fixtures, counts for the
// third-party samples in ../shared, tables of malformed inputs, fuzz seeds and target, and
// the decode benchmark. It is imported only by tests.
//
// Each helper takes the format under test as a constructor, newFormat, and calls it where
// a test needs a fresh format, so that one decode cannot leak state into the next. Paths
// are relative to the calling test's package directory, which is the working directory of
// go test.
package ingesttest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/unmasktest"
)

// repoRoot is the path from a source package (internal/ingest/<source>) to the repository
// root; the shared folder lies beside the root.
const repoRoot = "../../.."

// minFixtures is how many fixtures Fixtures requires in a testdata folder.
const minFixtures = 3

// Golden is the normalised form of one fixture, compared with its .golden.json file.
type Golden struct {
	Events  []*unmask.Event  `json:"events"`
	Rejects []*ingest.Reject `json:"rejects,omitempty"`
}

// Counts is what a sample file must give: distinct records (events sharing one Raw count
// once), events and rejects.
type Counts struct {
	Records, Events, Rejects int
}

// BadInput is a malformed input and the rejects it must give ("line:offset:reason", the
// reason up to its first colon), with good records around it kept.
type BadInput struct {
	Name       string   // subtest name
	In         string   // the input
	WantEvents int      // events the good records around the bad one give
	Want       []string // rejects as "line:offset:reason"; nil for none
	WantErr    string   // a substring of Decode's error; "" for none
}

// MustDecode decodes in with f into a Collector, failing tb if Decode returns an error.
func MustDecode(tb testing.TB, f ingest.Format, in []byte) *ingest.Collector {
	tb.Helper()
	var c ingest.Collector
	if err := f.Decode(tb.Context(), bytes.NewReader(in), &c); err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	return &c
}

// MustReadFile returns the contents of the file at path, failing tb if it cannot be read.
func MustReadFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// SubtestName turns a file name (or any string) into a subtest name without regexp
// metacharacters, so that -run can select it.
func SubtestName(path string) string {
	return strings.NewReplacer(".", "_", "[", "_", "]", "_", "(", "_", ")", "_", "+", "_", " ", "_").Replace(filepath.Base(path))
}

// Fixtures returns the decodable files in dir: every entry but the .golden.json files. It
// fails tb when there are fewer than three.
func Fixtures(tb testing.TB, dir string) []string {
	tb.Helper()
	all, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".golden.json") {
			out = append(out, p)
		}
	}
	if len(out) < minFixtures {
		tb.Fatalf("found %d fixtures in %s, want at least %d", len(out), dir, minFixtures)
	}
	return out
}

// RunGolden decodes each fixture in dir (see Fixtures) in a subtest, requires at least one
// event from each, and compares the events and rejects, as a Golden, with the fixture's
// .golden.json file (unmasktest.GoldenJSON: UNMASK_UPDATE_GOLDEN=1 rewrites it).
func RunGolden(t *testing.T, newFormat func() ingest.Format, dir string) {
	t.Helper()
	for _, p := range Fixtures(t, dir) {
		t.Run(SubtestName(p), func(t *testing.T) {
			c := MustDecode(t, newFormat(), MustReadFile(t, p))
			if len(c.Events) == 0 {
				t.Errorf("%s gave no events", p)
			}
			unmasktest.GoldenJSON(t, p+".golden.json", Golden{Events: c.Events, Rejects: c.Rejects})
		})
	}
}

// RunSamples decodes each file of the third-party sample folder sampleDir (e.g.
// "samples/okta", inside ../shared beside the repository) in a subtest and compares what
// it gives with samples, the counts keyed by file name. A file without counts in samples,
// and a file of samples missing from the folder, fail t. When the shared folder is absent
// the test is skipped (unmasktest.SharedDir). The caller must be a package at
// internal/ingest/<source>.
func RunSamples(t *testing.T, newFormat func() ingest.Format, sampleDir string, samples map[string]Counts) {
	t.Helper()
	dir := unmasktest.SharedDir(t, repoRoot, sampleDir)
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, de := range files {
		name := de.Name()
		seen = append(seen, name)
		want, ok := samples[name]
		if !ok {
			t.Errorf("sample %s has no expected counts in sampleCounts", name)
			continue
		}
		t.Run(SubtestName(name), func(t *testing.T) {
			c := MustDecode(t, newFormat(), MustReadFile(t, filepath.Join(dir, name)))
			records := map[string]bool{}
			for _, e := range c.Events {
				records[fmt.Sprintf("%p", e.Raw)] = true
			}
			got := Counts{Records: len(records), Events: len(c.Events), Rejects: len(c.Rejects)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("counts mismatch (-want +got):\n%s", diff)
				for _, r := range c.Rejects {
					t.Logf("reject line %d offset %d: %s", r.Line, r.Offset, r.Reason)
				}
			}
		})
	}
	for name := range samples {
		if !slices.Contains(seen, name) {
			t.Errorf("expected sample %s is missing from %s", name, dir)
		}
	}
}

// RunBadInputs decodes each of tests with a fresh format in a subtest named after it and
// checks Decode's error, the rejects and the number of events.
func RunBadInputs(t *testing.T, newFormat func() ingest.Format, tests []BadInput) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			var c ingest.Collector
			err := newFormat().Decode(t.Context(), strings.NewReader(tt.In), &c)
			if (err == nil) != (tt.WantErr == "") || err != nil && !strings.Contains(err.Error(), tt.WantErr) {
				t.Errorf("Decode error = %v, want %q", err, tt.WantErr)
			}
			var got []string
			for _, r := range c.Rejects {
				reason, _, _ := strings.Cut(r.Reason, ":")
				got = append(got, fmt.Sprintf("%d:%d:%s", r.Line, r.Offset, reason))
			}
			if diff := cmp.Diff(tt.Want, got); diff != "" {
				t.Errorf("rejects mismatch (-want +got):\n%s", diff)
			}
			if len(c.Events) != tt.WantEvents {
				t.Errorf("got %d events, want %d", len(c.Events), tt.WantEvents)
			}
		})
	}
}

// AddFuzzSeeds adds the fixtures in dir (see Fixtures) and the inputs of bad to f's seed
// corpus.
func AddFuzzSeeds(f *testing.F, dir string, bad []BadInput) {
	f.Helper()
	for _, p := range Fixtures(f, dir) {
		f.Add(MustReadFile(f, p))
	}
	for _, tt := range bad {
		f.Add([]byte(tt.In))
	}
}

// FuzzTarget returns the fuzz function for format, to pass to f.Fuzz: decoding an
// in-memory stream must not fail unless it starts like gzip, every event must be valid and
// carry format's source, and every reject must have a reason and a position.
func FuzzTarget(format ingest.Format) func(t *testing.T, in []byte) {
	return func(t *testing.T, in []byte) {
		var c ingest.Collector
		err := format.Decode(t.Context(), bytes.NewReader(in), &c)
		if err != nil && !bytes.HasPrefix(in, []byte{0x1f, 0x8b}) {
			t.Fatalf("Decode of an in-memory, uncompressed stream: %v", err)
		}
		for _, e := range c.Events {
			if err := e.Validate(); err != nil || e.Source != format.Source() {
				t.Errorf("accepted an invalid event (%v): %+v", err, e)
			}
		}
		for _, r := range c.Rejects {
			if r.Reason == "" || r.Line < 1 || r.Offset < 0 {
				t.Errorf("reject without reason or position: %+v", r)
			}
		}
	}
}

// BenchDecode benchmarks decoding in, reporting bytes, allocations, events/s and
// events/op. in must decode without error.
func BenchDecode(b *testing.B, newFormat func() ingest.Format, in []byte) {
	b.Helper()
	n := len(MustDecode(b, newFormat(), in).Events)
	format := newFormat()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var c ingest.Collector
		if err := format.Decode(b.Context(), bytes.NewReader(in), &c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(n), "events/op")
}

// Repeat returns the file at path n times over, as one input, ending each copy with a
// newline.
func Repeat(tb testing.TB, path string, n int) []byte {
	tb.Helper()
	b := MustReadFile(tb, path)
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return bytes.Repeat(b, n)
}
