package ingest

import (
	"bytes"
	"context"

	"github.com/unmask/unmask"
)

// Collector is a Sink that keeps everything in memory: for dry runs (`unmask ingest
// -dry-run`), previews of an upload and tests. It is not safe for concurrent use.
type Collector struct {
	Events  []*unmask.Event
	Rejects []*Reject
}

var _ Sink = (*Collector)(nil)

// Accept appends e.
func (c *Collector) Accept(_ context.Context, e *unmask.Event) error {
	c.Events = append(c.Events, e)
	return nil
}

// Reject appends a copy of r.
func (c *Collector) Reject(_ context.Context, r *Reject) error {
	cp := *r
	cp.Raw = bytes.Clone(r.Raw)
	c.Rejects = append(c.Rejects, &cp)
	return nil
}
