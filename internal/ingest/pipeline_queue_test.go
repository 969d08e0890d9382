package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// lines returns n distinct test records.
func lines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"t":"2026-01-02T03:04:05Z","a":"action-%d"}`+"\n", i)
	}
	return b.String()
}

// gatedStore is an EventWriter whose writes wait for the gate to open, recording each
// write's events.
type gatedStore struct {
	gate    chan struct{}
	mu      sync.Mutex
	batches [][]string // the actions of each write
}

func (g *gatedStore) CreateEvents(ctx context.Context, evs []*unmask.Event) (int, error) {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	g.mu.Lock()
	g.batches = append(g.batches, actions)
	g.mu.Unlock()
	return len(evs), nil
}

func (g *gatedStore) CreateDeadLetters(context.Context, []*unmask.DeadLetter) error { return nil }

func TestPipelineCombinesQueuedBatches(t *testing.T) {
	const n = 40
	store := &gatedStore{gate: make(chan struct{})}
	var decoded atomic.Int64
	p := ingest.NewPipeline(ingest.Options{
		Events: store, DeadLetters: store, BatchSize: 2, MaxWriteBatch: 8,
		Resolve: func(context.Context, *unmask.Event) error { decoded.Add(1); return nil },
	})
	type result struct {
		st  ingest.Stats
		err error
	}
	done := make(chan result, 1)
	go func() {
		st, err := p.Run(t.Context(), testFormat{}, "-", strings.NewReader(lines(n)))
		done <- result{st, err}
	}()
	// The first write waits; the decoder fills the queue and then waits too.
	waitFor(t, func() bool { return decoded.Load() >= 8 })
	time.Sleep(20 * time.Millisecond)
	close(store.gate)
	res := <-done
	if res.err != nil || res.st.Accepted != n {
		t.Fatalf("Run = %+v, %v; want %d accepted", res.st, res.err, n)
	}
	var all []string
	combined := false
	for _, b := range store.batches {
		if len(b) > 8 {
			t.Errorf("a write of %d events, want at most MaxWriteBatch 8", len(b))
		}
		combined = combined || len(b) > 2
		all = append(all, b...)
	}
	if !combined {
		t.Errorf("writes %v: none combined the batches queued behind the blocked write", store.batches)
	}
	for i, a := range all {
		if want := fmt.Sprintf("action-%d", i); a != want {
			t.Fatalf("event %d written is %s, want %s: writes keep the input order", i, a, want)
		}
	}
}

func TestPipelineBoundsDecodingAhead(t *testing.T) {
	store := &gatedStore{gate: make(chan struct{})}
	var decoded atomic.Int64
	p := ingest.NewPipeline(ingest.Options{
		Events: store, DeadLetters: store, BatchSize: 10,
		Resolve: func(context.Context, *unmask.Event) error { decoded.Add(1); return nil },
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := p.Run(ctx, testFormat{}, "-", strings.NewReader(lines(10_000)))
		done <- err
	}()
	waitFor(t, func() bool { return decoded.Load() >= 10 })
	time.Sleep(100 * time.Millisecond) // let the decoder run as far ahead as it may
	// One batch being written, a few queued, one being filled: never the whole input.
	if n := decoded.Load(); n > 200 {
		t.Errorf("decoded %d events while the store was blocked, want the queue to stop it", n)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel = %v, want context.Canceled", err)
	}
}

func TestPipelineWriteErrorStopsDecoding(t *testing.T) {
	errStore := errors.New("store down")
	var decoded atomic.Int64
	store := &memStore{ids: map[string]bool{}, fail: errStore}
	p := ingest.NewPipeline(ingest.Options{
		Events: store, DeadLetters: store, BatchSize: 10,
		Resolve: func(context.Context, *unmask.Event) error { decoded.Add(1); return nil },
	})
	_, err := p.Run(t.Context(), testFormat{}, "-", strings.NewReader(lines(100_000)))
	if !errors.Is(err, errStore) {
		t.Errorf("Run = %v, want %v", err, errStore)
	}
	if n := decoded.Load(); n > 1000 {
		t.Errorf("decoded %d events after the first write failed", n)
	}
}

// panicFormat panics while decoding.
type panicFormat struct{}

func (panicFormat) Source() string { return "test" }

func (panicFormat) Decode(context.Context, io.Reader, ingest.Sink) error { panic("decoder bug") }

func TestPipelineDecoderPanicReachesCaller(t *testing.T) {
	store := &memStore{ids: map[string]bool{}}
	p := ingest.NewPipeline(ingest.Options{Events: store, DeadLetters: store})
	defer func() {
		v := recover()
		if s, _ := v.(string); !strings.Contains(s, "decoder bug") {
			t.Errorf("recovered %v, want the decoder's panic", v)
		}
	}()
	p.Run(t.Context(), panicFormat{}, "-", strings.NewReader("{}"))
	t.Error("Run returned after the decoder panicked")
}

// waitFor waits up to 10 seconds for cond.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
	}
}
