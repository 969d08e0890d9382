// Package inmem is the in-process event bus of a single Unmask node: a bounded log per
// partition with a committed offset per consumer group. A full partition blocks publishers
// (back-pressure) instead of growing without bound; a failed delivery is retried in order.
// Nothing survives a restart: durability comes from the store, which ingest writes first.
package inmem

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/unmask/unmask"
)

// Options configures a Bus.
type Options struct {
	// Partitions is the number of partitions; 0 means 16.
	Partitions int
	// Capacity is the most events a partition holds before publishers wait; 0 means 10,000.
	Capacity int
	// RetryDelay is the pause before redelivering a failed event; 0 means 200 ms.
	RetryDelay time.Duration
	// Groups names the consumer groups that must see every event: events are kept until
	// each has acknowledged them, even before its consumer starts. A group not named here
	// starts at the oldest event still kept when it first consumes.
	Groups []string
}

// Bus is an in-process unmask.EventBus.
type Bus struct {
	parts      []*partition
	capacity   int
	retryDelay time.Duration

	mu     sync.Mutex // guards closed and done
	closed bool
	done   chan struct{}
}

var _ unmask.EventBus = (*Bus)(nil)

// New returns an open bus.
func New(opts Options) *Bus {
	if opts.Partitions <= 0 {
		opts.Partitions = 16
	}
	if opts.Capacity <= 0 {
		opts.Capacity = 10_000
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = 200 * time.Millisecond
	}
	b := &Bus{capacity: opts.Capacity, retryDelay: opts.RetryDelay, done: make(chan struct{})}
	for range opts.Partitions {
		p := newPartition()
		for _, g := range opts.Groups {
			p.offsets[g] = 0
		}
		b.parts = append(b.parts, p)
	}
	return b
}

// Partitions returns the number of partitions.
func (b *Bus) Partitions() int { return len(b.parts) }

// Close stops the bus: publishers get EUNAVAILABLE and consumers return.
func (b *Bus) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
	return nil
}

// Publish appends events to their partitions in order, waiting while a partition is full.
func (b *Bus) Publish(ctx context.Context, events ...*unmask.Event) error {
	for _, e := range events {
		p := b.parts[unmask.PartitionOf(e.PartitionKey(), len(b.parts))]
		if err := p.append(ctx, b.done, e, b.capacity); err != nil {
			return err
		}
	}
	return nil
}

// Consume delivers events of the owned partitions to h until ctx is done or the bus closes.
func (b *Bus) Consume(ctx context.Context, opts unmask.ConsumeOptions, h unmask.DeliveryHandler) error {
	if opts.Group == "" {
		return unmask.Errorf(unmask.EINVALID, "Consumer group required.")
	}
	owned := opts.Partitions
	if owned == nil {
		for i := range b.parts {
			owned = append(owned, i)
		}
	}
	for _, i := range owned {
		if i < 0 || i >= len(b.parts) {
			return unmask.Errorf(unmask.EINVALID, "Partition %d does not exist (the bus has %d).", i, len(b.parts))
		}
	}
	for n, i := range owned {
		if err := b.parts[i].claim(opts.Group); err != nil {
			for _, j := range owned[:n] {
				b.parts[j].release(opts.Group)
			}
			return err
		}
	}
	var wg sync.WaitGroup
	for _, i := range owned {
		wg.Go(func() {
			defer b.parts[i].release(opts.Group)
			b.consumePartition(ctx, i, opts.Group, h)
		})
	}
	wg.Wait()
	return nil
}

// consumePartition delivers one partition's events to h in order.
func (b *Bus) consumePartition(ctx context.Context, i int, group string, h unmask.DeliveryHandler) {
	p := b.parts[i]
	attempt := 1
	for {
		e, offset, ok := p.next(ctx, b.done, group)
		if !ok {
			return
		}
		if err := h(ctx, unmask.Delivery{Event: e, Partition: i, Attempt: attempt}); err != nil {
			attempt++
			select {
			case <-ctx.Done():
				return
			case <-b.done:
				return
			case <-time.After(b.retryDelay):
			}
			continue
		}
		attempt = 1
		p.ack(group, offset)
	}
}

// partition is one ordered log.
type partition struct {
	mu      sync.Mutex // guards the fields below
	base    int64      // offset of log[0]
	log     []*unmask.Event
	offsets map[string]int64 // next offset per known group
	claimed map[string]bool  // groups with a live consumer
	wake    chan struct{}    // closed and replaced when the log changes
}

func newPartition() *partition {
	return &partition{offsets: map[string]int64{}, claimed: map[string]bool{}, wake: make(chan struct{})}
}

// broadcast wakes every waiter; p.mu must be held.
func (p *partition) broadcast() {
	close(p.wake)
	p.wake = make(chan struct{})
}

func (p *partition) append(ctx context.Context, done <-chan struct{}, e *unmask.Event, capacity int) error {
	p.mu.Lock()
	for len(p.log) >= capacity {
		wake := p.wake
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return unmask.WrapError(unmask.EUNAVAILABLE, ctx.Err(), "Event bus is full; retry later.")
		case <-done:
			return unmask.Errorf(unmask.EUNAVAILABLE, "Event bus is closed.")
		case <-wake:
		}
		p.mu.Lock()
	}
	defer p.mu.Unlock()
	select {
	case <-done:
		return unmask.Errorf(unmask.EUNAVAILABLE, "Event bus is closed.")
	default:
	}
	p.log = append(p.log, e)
	p.broadcast()
	return nil
}

func (p *partition) claim(group string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.claimed[group] {
		return unmask.Errorf(unmask.ECONFLICT, "Another consumer of group %q owns this partition.", group)
	}
	p.claimed[group] = true
	if _, ok := p.offsets[group]; !ok {
		p.offsets[group] = p.base // a new group starts at the oldest retained event
	}
	return nil
}

func (p *partition) release(group string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.claimed, group)
}

// next waits for the group's next event.
func (p *partition) next(ctx context.Context, done <-chan struct{}, group string) (*unmask.Event, int64, bool) {
	p.mu.Lock()
	for {
		off := p.offsets[group]
		if idx := off - p.base; idx < int64(len(p.log)) {
			e := p.log[idx]
			p.mu.Unlock()
			return e, off, true
		}
		wake := p.wake
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, 0, false
		case <-done:
			return nil, 0, false
		case <-wake:
		}
		p.mu.Lock()
	}
}

// ack commits offset for group and drops events every known group has consumed.
func (p *partition) ack(group string, offset int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.offsets[group] = offset + 1
	low := slices.Min(slices.Collect(maps.Values(p.offsets)))
	if drop := low - p.base; drop > 0 {
		clear(p.log[:drop])
		p.log = p.log[drop:]
		p.base = low
		p.broadcast()
	}
}
