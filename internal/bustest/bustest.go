// Package bustest is the conformance suite every unmask.EventBus passes: delivery to every
// group, order within a partition, partitions split among a group's consumers, redelivery
// after a failed handler, and shutdown on cancellation. internal/inmem runs it.
package bustest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

// OpenFunc returns a new, empty bus with the given number of partitions that retains events
// until each of the named consumer groups has acknowledged them.
type OpenFunc func(tb testing.TB, partitions int, groups []string) unmask.EventBus

// Run runs the suite.
func Run(t *testing.T, open OpenFunc) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open OpenFunc)
	}{
		{"EveryGroupGetsEveryEvent", testEveryGroup},
		{"OrderWithinPartition", testOrder},
		{"PartitionsSplitAmongConsumers", testSplit},
		{"RedeliveryAfterFailure", testRedelivery},
		{"ConsumeReturnsOnCancel", testCancel},
		{"InvalidOptions", testInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open)
		})
	}
}

// MustEvents returns n events spread over actors, numbered in Action.
func MustEvents(n, actors int) []*unmask.Event {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*unmask.Event, n)
	for i := range out {
		raw := fmt.Sprintf(`{"i":%d}`, i)
		t := base.Add(time.Duration(i) * time.Second)
		out[i] = &unmask.Event{ID: unmask.EventID("test", t, []byte(raw)), Time: t,
			Source: "test", Kind: unmask.KindOther, Actor: fmt.Sprintf("actor-%d", i%actors), Action: fmt.Sprint(i), Raw: []byte(raw)}
	}
	return out
}

// collector records deliveries until it has want of them.
type collector struct {
	mu   sync.Mutex
	got  []unmask.Delivery
	want int
	full chan struct{}
}

func newCollector(want int) *collector { return &collector{want: want, full: make(chan struct{})} }

func (c *collector) handle(_ context.Context, d unmask.Delivery) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, d)
	if len(c.got) == c.want {
		close(c.full)
	}
	return nil
}

// wait waits for the collector to fill, failing the test after a generous timeout.
func (c *collector) wait(tb testing.TB) []unmask.Delivery {
	tb.Helper()
	select {
	case <-c.full:
	case <-time.After(30 * time.Second):
		c.mu.Lock()
		defer c.mu.Unlock()
		tb.Fatalf("received %d of %d deliveries", len(c.got), c.want)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.got)
}

// consume runs Consume in the background until the test ends.
func consume(tb testing.TB, bus unmask.EventBus, opts unmask.ConsumeOptions, h unmask.DeliveryHandler) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bus.Consume(ctx, opts, h) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Consume: %v", err)
		}
	})
}

func actions(ds []unmask.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Event.Action
	}
	return out
}

func testEveryGroup(t *testing.T, open OpenFunc) {
	bus := open(t, 4, []string{"detect", "archive"})
	events := MustEvents(200, 7)
	a, b := newCollector(len(events)), newCollector(len(events))
	consume(t, bus, unmask.ConsumeOptions{Group: "detect"}, a.handle)
	consume(t, bus, unmask.ConsumeOptions{Group: "archive"}, b.handle)
	if err := bus.Publish(t.Context(), events...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*collector{a, b} {
		got := actions(c.wait(t))
		slices.Sort(got)
		want := actions(deliveries(events))
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("a group missed or duplicated events: %d delivered", len(got))
		}
	}
}

func deliveries(events []*unmask.Event) []unmask.Delivery {
	out := make([]unmask.Delivery, len(events))
	for i, e := range events {
		out[i] = unmask.Delivery{Event: e}
	}
	return out
}

func testOrder(t *testing.T, open OpenFunc) {
	bus := open(t, 3, []string{"detect"})
	events := MustEvents(300, 5)
	c := newCollector(len(events))
	consume(t, bus, unmask.ConsumeOptions{Group: "detect"}, c.handle)
	for _, e := range events { // one at a time, as a stream would
		if err := bus.Publish(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	perActor := map[string][]string{}
	for _, d := range c.wait(t) {
		if want := unmask.PartitionOf(d.Event.PartitionKey(), bus.Partitions()); d.Partition != want {
			t.Errorf("event on partition %d, its key maps to %d", d.Partition, want)
		}
		perActor[d.Event.Actor] = append(perActor[d.Event.Actor], d.Event.Action)
	}
	for actor, got := range perActor {
		var want []string
		for _, e := range events {
			if e.Actor == actor {
				want = append(want, e.Action)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: order %v, want %v", actor, got, want)
		}
	}
}

func testSplit(t *testing.T, open OpenFunc) {
	bus := open(t, 4, []string{"detect"})
	events := MustEvents(400, 40)
	c := newCollector(len(events))
	var mu sync.Mutex
	seenBy := map[int]int{} // partition -> consumer
	for consumer, parts := range [][]int{{0, 1}, {2, 3}} {
		consume(t, bus, unmask.ConsumeOptions{Group: "detect", Partitions: parts}, func(ctx context.Context, d unmask.Delivery) error {
			mu.Lock()
			if !slices.Contains(parts, d.Partition) {
				t.Errorf("consumer %d got partition %d, owns %v", consumer, d.Partition, parts)
			}
			seenBy[d.Partition] = consumer
			mu.Unlock()
			return c.handle(ctx, d)
		})
	}
	if err := bus.Publish(t.Context(), events...); err != nil {
		t.Fatal(err)
	}
	if got := len(c.wait(t)); got != len(events) {
		t.Errorf("delivered %d", got)
	}
	if len(seenBy) < 2 {
		t.Errorf("events reached only partitions %v", seenBy)
	}
}

func testRedelivery(t *testing.T, open OpenFunc) {
	bus := open(t, 1, []string{"detect"})
	events := MustEvents(5, 1)
	c := newCollector(len(events))
	var mu sync.Mutex
	failed := false
	consume(t, bus, unmask.ConsumeOptions{Group: "detect"}, func(ctx context.Context, d unmask.Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		if d.Event.Action == "2" && !failed {
			failed = true
			return fmt.Errorf("store unavailable")
		}
		if d.Event.Action == "2" && d.Attempt != 2 {
			t.Errorf("redelivery attempt = %d, want 2", d.Attempt)
		}
		return c.handle(ctx, d)
	})
	if err := bus.Publish(t.Context(), events...); err != nil {
		t.Fatal(err)
	}
	if got := actions(c.wait(t)); !slices.Equal(got, []string{"0", "1", "2", "3", "4"}) {
		t.Errorf("after a failure, deliveries = %v; want every event once acknowledged, in order", got)
	}
}

func testCancel(t *testing.T, open OpenFunc) {
	bus := open(t, 2, []string{"g"})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- bus.Consume(ctx, unmask.ConsumeOptions{Group: "g"}, func(context.Context, unmask.Delivery) error { return nil })
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Consume after cancel = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Consume did not return after its context was cancelled")
	}
}

func testInvalid(t *testing.T, open OpenFunc) {
	bus := open(t, 2, []string{"g"})
	noop := func(context.Context, unmask.Delivery) error { return nil }
	for name, opts := range map[string]unmask.ConsumeOptions{
		"NoGroup":          {},
		"MissingPartition": {Group: "g", Partitions: []int{5}},
	} {
		t.Run(name, func(t *testing.T) {
			if err := bus.Consume(t.Context(), opts, noop); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Errorf("Consume(%+v) = %v, want EINVALID", opts, err)
			}
		})
	}
}
