package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// memStore is an in-memory EventWriter and DeadLetterWriter that skips known ids.
type memStore struct {
	ids     map[string]bool
	batches []int
	dls     []*unmask.DeadLetter
	fail    error
}

func (m *memStore) CreateEvents(_ context.Context, evs []*unmask.Event) (int, error) {
	if m.fail != nil {
		return 0, m.fail
	}
	m.batches = append(m.batches, len(evs))
	n := 0
	for _, e := range evs {
		if !m.ids[e.ID] {
			m.ids[e.ID], n = true, n+1
		}
	}
	return n, nil
}

func (m *memStore) CreateDeadLetters(_ context.Context, dls []*unmask.DeadLetter) error {
	m.dls = append(m.dls, dls...)
	return nil
}

// testFormat decodes the test records of json_test.go.
type testFormat struct{}

func (testFormat) Source() string { return "test" }

func (testFormat) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, "test", ingest.JSONOptions{}, sink, decodeTest)
}

const pipelineInput = `{"t":"2026-01-02T03:04:05Z","a":"alice"}
{"t":"2026-01-02T03:04:06Z","a":"bob"}
{"t": broken}
{"t":"2026-01-02T03:04:07Z","a":"alice"}
`

func TestPipelineRun(t *testing.T) {
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	store := &memStore{ids: map[string]bool{}}
	var progress []ingest.Stats
	p := ingest.NewPipeline(ingest.Options{
		Events: store, DeadLetters: store, BatchSize: 2,
		Resolve: func(_ context.Context, e *unmask.Event) error {
			if e.Action == "alice" {
				e.PersonID = "p1"
			}
			return nil
		},
		Progress: func(s ingest.Stats) { progress = append(progress, s) },
		Now:      func() time.Time { return now },
	})
	tests := []struct {
		name string
		want ingest.Stats
	}{
		{name: "first-run", want: ingest.Stats{Accepted: 3, Rejected: 1, Bytes: int64(len(pipelineInput))}},
		{name: "rerun-adds-nothing", want: ingest.Stats{Duplicates: 3, Rejected: 1, Bytes: int64(len(pipelineInput))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Run(t.Context(), testFormat{}, "in.json", strings.NewReader(pipelineInput))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("stats mismatch (-want +got):\n%s", diff)
			}
			if last := progress[len(progress)-1]; last != got {
				t.Errorf("last progress = %+v, want %+v", last, got)
			}
		})
	}
	if diff := cmp.Diff([]int{2, 1, 2, 1}, store.batches); diff != "" {
		t.Errorf("batch sizes mismatch (-want +got):\n%s", diff)
	}
	dl := store.dls[0]
	if dl.Source != "test" || dl.File != "in.json" || dl.Line != 3 || dl.Offset != 80 || string(dl.Raw) != `{"t": broken}` ||
		!dl.CreatedAt.Equal(now) || dl.Reason == "" || len(store.dls) != 2 {
		t.Errorf("dead letter = %+v, want line 3 offset 80 of in.json, once per run", dl)
	}
}

func TestPipelineRunResolvesAndStamps(t *testing.T) {
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	var got []*unmask.Event
	w := writerFunc(func(evs []*unmask.Event) { got = append(got, evs...) })
	p := ingest.NewPipeline(ingest.Options{Events: w, DeadLetters: &memStore{},
		Resolve: func(_ context.Context, e *unmask.Event) error {
			if e.Action == "alice" {
				e.PersonID = "p1"
			}
			return nil
		},
		Now: func() time.Time { return now }})
	if _, err := p.Run(t.Context(), testFormat{}, "-", strings.NewReader(pipelineInput)); err != nil {
		t.Fatal(err)
	}
	var persons []string
	for _, e := range got {
		persons = append(persons, e.Action+"="+e.PersonID)
		if !e.IngestedAt.Equal(now) {
			t.Errorf("IngestedAt = %v, want %v", e.IngestedAt, now)
		}
	}
	if diff := cmp.Diff([]string{"alice=p1", "bob=", "alice=p1"}, persons); diff != "" {
		t.Errorf("resolution mismatch (-want +got):\n%s", diff)
	}
	if got[0].ID == got[2].ID {
		t.Errorf("records with different bytes share id %s", got[0].ID)
	}
}

type writerFunc func([]*unmask.Event)

func (f writerFunc) CreateEvents(_ context.Context, evs []*unmask.Event) (int, error) {
	f(evs)
	return len(evs), nil
}

func TestPipelineRunErrors(t *testing.T) {
	errStore := errors.New("store down")
	errResolve := errors.New("resolver down")
	tests := []struct {
		name    string
		store   *memStore
		resolve ingest.ResolveFunc
		want    error
	}{
		{name: "store-fails", store: &memStore{ids: map[string]bool{}, fail: errStore}, want: errStore},
		{name: "resolver-fails", store: &memStore{ids: map[string]bool{}}, want: errResolve,
			resolve: func(context.Context, *unmask.Event) error { return errResolve }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ingest.NewPipeline(ingest.Options{Events: tt.store, DeadLetters: tt.store, Resolve: tt.resolve})
			_, err := p.Run(t.Context(), testFormat{}, "-", strings.NewReader(pipelineInput))
			if !errors.Is(err, tt.want) {
				t.Errorf("Run error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPipelineRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	store := &memStore{ids: map[string]bool{}}
	p := ingest.NewPipeline(ingest.Options{Events: store, DeadLetters: store})
	got, err := p.Run(ctx, testFormat{}, "-", strings.NewReader(pipelineInput))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run error = %v, want context.Canceled", err)
	}
	if got.Accepted != 0 || len(store.batches) != 0 {
		t.Errorf("canceled run stored %+v in %d batches, want nothing", got, len(store.batches))
	}
}

func BenchmarkPipelineRun(b *testing.B) {
	var in []byte
	const n = 5000
	for i := range n {
		in = fmt.Appendf(in, `{"t":"2026-01-02T03:04:05Z","a":"action-%d"}`+"\n", i)
	}
	w := writerFunc(func([]*unmask.Event) {})
	p := ingest.NewPipeline(ingest.Options{Events: w, DeadLetters: &memStore{}})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Run(b.Context(), testFormat{}, "-", bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}
