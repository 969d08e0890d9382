package inmem_test

import (
	"context"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/bustest"
	"github.com/unmask/unmask/internal/inmem"
)

func TestConformance(t *testing.T) {
	bustest.Run(t, func(tb testing.TB, partitions int, groups []string) unmask.EventBus {
		b := inmem.New(inmem.Options{Partitions: partitions, Groups: groups, RetryDelay: 5 * time.Millisecond})
		tb.Cleanup(func() { b.Close() })
		return b
	})
}

func TestBackPressure(t *testing.T) {
	b := inmem.New(inmem.Options{Partitions: 1, Capacity: 3})
	defer b.Close()
	events := bustest.MustEvents(4, 1)
	if err := b.Publish(t.Context(), events[:3]...); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := b.Publish(ctx, events[3]); unmask.ErrorCode(err) != unmask.EUNAVAILABLE {
		t.Fatalf("publish to a full partition = %v, want EUNAVAILABLE", err)
	}
	got := make(chan string, 4)
	cctx, stop := context.WithCancel(t.Context())
	defer stop()
	go b.Consume(cctx, unmask.ConsumeOptions{Group: "g"}, func(_ context.Context, d unmask.Delivery) error {
		got <- d.Event.Action
		return nil
	})
	if err := b.Publish(t.Context(), events[3]); err != nil { // space frees as the consumer acks
		t.Fatalf("publish after consumer drained: %v", err)
	}
	for want := range 4 {
		if a := <-got; a != events[want].Action {
			t.Errorf("delivery %d = %s", want, a)
		}
	}
}

func TestClosed(t *testing.T) {
	b := inmem.New(inmem.Options{})
	b.Close()
	if err := b.Publish(t.Context(), bustest.MustEvents(1, 1)...); unmask.ErrorCode(err) != unmask.EUNAVAILABLE {
		t.Errorf("publish after close = %v", err)
	}
	done := make(chan error)
	go func() { done <- b.Consume(t.Context(), unmask.ConsumeOptions{Group: "g"}, nil) }()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Consume on a closed bus did not return")
	}
}

func TestSameGroupCannotShareAPartition(t *testing.T) {
	b := inmem.New(inmem.Options{Partitions: 2})
	defer b.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	started := make(chan struct{})
	go func() { // the long-lived owner of partition 0, retrying while the prober holds it
		for ctx.Err() == nil {
			b.Consume(ctx, unmask.ConsumeOptions{Group: "g", Partitions: []int{0}}, func(context.Context, unmask.Delivery) error { return nil })
		}
	}()
	go func() {
		for {
			// Until the first consumer has claimed partition 0, this one may win it for a moment.
			try, done := context.WithTimeout(t.Context(), 20*time.Millisecond)
			err := b.Consume(try, unmask.ConsumeOptions{Group: "g", Partitions: []int{1, 0}}, nil)
			done()
			if unmask.ErrorCode(err) == unmask.ECONFLICT {
				close(started)
				return
			}
		}
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("a second consumer claimed an owned partition")
	}
}
