package unmask

import (
	"context"
	"hash/fnv"
)

// EventBus carries normalised events from ingest to detection. Events are routed to a
// partition by their partition key, so that all events of one person reach one consumer
// in publish order; adding consumers to a group spreads the partitions among them.
//
// The in-process bus (internal/inmem) serves a single node; the NATS JetStream bus serves a
// cluster. Both pass internal/bustest.
type EventBus interface {
	// Publish returns once every event is durably accepted by the bus (for a persistent
	// bus: stored; for the in-process bus: queued). It returns EUNAVAILABLE when the bus
	// is full or closed, so callers can apply back-pressure.
	Publish(ctx context.Context, events ...*Event) error
	// Consume delivers events to h until ctx is done, then returns nil. Each event is
	// delivered to every group at least once; within a partition, in publish order. When h
	// returns nil the delivery is acknowledged; when it returns an error the event is
	// redelivered to the group later.
	Consume(ctx context.Context, opts ConsumeOptions, h DeliveryHandler) error
	// Partitions returns the number of partitions.
	Partitions() int
}

// ConsumeOptions selects what a consumer receives.
type ConsumeOptions struct {
	// Group names the consumer group; each group receives every event.
	Group string
	// Partitions lists the partitions this consumer owns; nil means all.
	Partitions []int
}

// Delivery is one event delivered to a consumer.
type Delivery struct {
	Event     *Event
	Partition int
	// Attempt is 1 on first delivery and counts redeliveries.
	Attempt int
}

// DeliveryHandler handles one delivery; a nil error acknowledges it.
type DeliveryHandler func(ctx context.Context, d Delivery) error

// PartitionOf maps a partition key to one of n partitions.
func PartitionOf(key string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}
