package zeek_test

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

// golden is the normalised form of one fixture, compared with its .golden.json file.
type golden struct {
	Events  []*unmask.Event  `json:"events"`
	Rejects []*ingest.Reject `json:"rejects,omitempty"`
}

// counts is what a sample file must give.
type counts struct {
	Records, Events, Rejects int
}

// badInput is a malformed input and the rejects it must give ("line:offset:reason",
// the reason up to its first colon), with good records around it kept.
type badInput struct {
	name       string
	in         string
	wantEvents int
	want       []string
	wantErr    string // a substring of Decode's error; "" for none
}

func mustDecode(tb testing.TB, in []byte) *ingest.Collector {
	tb.Helper()
	var c ingest.Collector
	if err := newFormat().Decode(tb.Context(), bytes.NewReader(in), &c); err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	return &c
}

func mustReadFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// subtestName turns a file name into a subtest name without regexp metacharacters.
func subtestName(path string) string {
	return strings.NewReplacer(".", "_", "[", "_", "]", "_", "(", "_", ")", "_", "+", "_", " ", "_").Replace(filepath.Base(path))
}

// fixtures returns the decodable files in testdata.
func fixtures(tb testing.TB) []string {
	tb.Helper()
	all, err := filepath.Glob("testdata/*")
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".golden.json") {
			out = append(out, p)
		}
	}
	if len(out) < 3 {
		tb.Fatalf("found %d fixtures in testdata, want at least 3", len(out))
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, p := range fixtures(t) {
		t.Run(subtestName(p), func(t *testing.T) {
			c := mustDecode(t, mustReadFile(t, p))
			if len(c.Events) == 0 {
				t.Errorf("%s gave no events", p)
			}
			unmasktest.GoldenJSON(t, p+".golden.json", golden{Events: c.Events, Rejects: c.Rejects})
		})
	}
}

func TestSamples(t *testing.T) {
	dir := unmasktest.SharedDir(t, "../../..", sampleDir)
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, de := range files {
		name := de.Name()
		seen = append(seen, name)
		want, ok := sampleCounts[name]
		if !ok {
			t.Errorf("sample %s has no expected counts in sampleCounts", name)
			continue
		}
		t.Run(subtestName(name), func(t *testing.T) {
			c := mustDecode(t, mustReadFile(t, filepath.Join(dir, name)))
			records := map[string]bool{}
			for _, e := range c.Events {
				records[fmt.Sprintf("%p", e.Raw)] = true
			}
			got := counts{Records: len(records), Events: len(c.Events), Rejects: len(c.Rejects)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("counts mismatch (-want +got):\n%s", diff)
				for _, r := range c.Rejects {
					t.Logf("reject line %d offset %d: %s", r.Line, r.Offset, r.Reason)
				}
			}
		})
	}
	for name := range sampleCounts {
		if !slices.Contains(seen, name) {
			t.Errorf("expected sample %s is missing from %s", name, dir)
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, tt := range badInputs {
		t.Run(tt.name, func(t *testing.T) {
			var c ingest.Collector
			err := newFormat().Decode(t.Context(), strings.NewReader(tt.in), &c)
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Decode error = %v, want %q", err, tt.wantErr)
			}
			var got []string
			for _, r := range c.Rejects {
				reason, _, _ := strings.Cut(r.Reason, ":")
				got = append(got, fmt.Sprintf("%d:%d:%s", r.Line, r.Offset, reason))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("rejects mismatch (-want +got):\n%s", diff)
			}
			if len(c.Events) != tt.wantEvents {
				t.Errorf("got %d events, want %d", len(c.Events), tt.wantEvents)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range fixtures(f) {
		f.Add(mustReadFile(f, p))
	}
	for _, tt := range badInputs {
		f.Add([]byte(tt.in))
	}
	format := newFormat()
	f.Fuzz(func(t *testing.T, in []byte) {
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
	})
}

func BenchmarkDecode(b *testing.B) {
	in := benchInput(b)
	n := len(mustDecode(b, in).Events)
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

// repeat returns the file at path n times over, as one input.
func repeat(tb testing.TB, path string, n int) []byte {
	tb.Helper()
	b := mustReadFile(tb, path)
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return bytes.Repeat(b, n)
}
