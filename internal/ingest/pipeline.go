package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/unmask/unmask"
)

// DefaultBatchSize is the number of events written per CreateEvents call.
const DefaultBatchSize = 1000

// EventWriter stores events; unmask.EventService implements it. CreateEvents returns how
// many events were new: the others were already stored (duplicates).
type EventWriter interface {
	CreateEvents(ctx context.Context, events []*unmask.Event) (int, error)
}

// DeadLetterWriter stores rejected records; unmask.DeadLetterService implements it.
type DeadLetterWriter interface {
	CreateDeadLetters(ctx context.Context, dls []*unmask.DeadLetter) error
}

// ResolveFunc fills e.PersonID before e is stored. It returns nil, leaving PersonID empty,
// when the actor maps to no person; an error stops the run.
type ResolveFunc func(ctx context.Context, e *unmask.Event) error

// Stats counts one run. Accepted counts new events, Duplicates events already stored.
type Stats struct {
	Accepted   int   `json:"accepted"`
	Duplicates int   `json:"duplicates"`
	Rejected   int   `json:"rejected"`
	Bytes      int64 `json:"bytes"` // bytes read from the input, before decompression
}

// Options configures a Pipeline. Events and DeadLetters are required.
type Options struct {
	Events      EventWriter
	DeadLetters DeadLetterWriter
	// BatchSize is the number of events (and dead letters) per write; 0 means
	// DefaultBatchSize.
	BatchSize int
	// Resolve, if set, fills PersonID before each event is stored.
	Resolve ResolveFunc
	// Progress, if set, is called after each batch write and at the end of a run, from the
	// run's goroutine (a CLI draws its progress bar from it).
	Progress func(Stats)
	Logger   *slog.Logger     // nil discards
	Now      func() time.Time // nil means time.Now
}

// Pipeline reads a Format from a stream into storage. A Pipeline may run several inputs
// concurrently: each Run keeps its own state.
type Pipeline struct {
	opts Options
}

// NewPipeline returns a Pipeline with opts, filling defaults.
func NewPipeline(opts Options) *Pipeline {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Pipeline{opts: opts}
}

// Run decodes r with f and stores the results; file names the input in dead letters ("-"
// for standard input, "http" for a request). It returns the counts so far with any error:
// events written before an error stay written.
func (p *Pipeline) Run(ctx context.Context, f Format, file string, r io.Reader) (Stats, error) {
	cr := &countingReader{r: r}
	b := &batcher{p: p, source: f.Source(), file: file, cr: cr}
	err := f.Decode(ctx, cr, b)
	if ferr := b.flush(ctx); err == nil {
		err = ferr
	}
	b.stats.Bytes = cr.n
	if p.opts.Progress != nil {
		p.opts.Progress(b.stats)
	}
	p.opts.Logger.Info("ingest done", "source", b.source, "file", file, "accepted", b.stats.Accepted,
		"duplicates", b.stats.Duplicates, "rejected", b.stats.Rejected, "bytes", b.stats.Bytes)
	if err != nil {
		return b.stats, fmt.Errorf("ingest %s from %s: %w", b.source, file, err)
	}
	return b.stats, nil
}

// batcher is the Sink of one Run.
type batcher struct {
	p      *Pipeline
	source string
	file   string
	cr     *countingReader
	events []*unmask.Event
	dls    []*unmask.DeadLetter
	stats  Stats
}

// Accept resolves e, stamps it and adds it to the batch.
func (b *batcher) Accept(ctx context.Context, e *unmask.Event) error {
	if b.p.opts.Resolve != nil && e.PersonID == "" {
		if err := b.p.opts.Resolve(ctx, e); err != nil {
			return fmt.Errorf("resolve actor of event %s: %w", e.ID, err)
		}
	}
	e.IngestedAt = b.p.opts.Now()
	b.events = append(b.events, e)
	if len(b.events) >= b.p.opts.BatchSize {
		return b.flush(ctx)
	}
	return nil
}

// Reject adds r to the dead-letter batch.
func (b *batcher) Reject(ctx context.Context, r *Reject) error {
	raw := bytes.Clone(r.Raw)
	// The store assigns the id: a file ingested twice keeps both attempts' dead letters.
	b.dls = append(b.dls, &unmask.DeadLetter{
		Source: b.source, File: b.file, Line: r.Line, Offset: r.Offset, Reason: r.Reason,
		Raw: raw, Truncated: r.Truncated, CreatedAt: b.p.opts.Now(),
	})
	b.p.opts.Logger.Debug("record rejected", "source", b.source, "file", b.file, "line", r.Line,
		"offset", r.Offset, "reason", r.Reason)
	if len(b.dls) >= b.p.opts.BatchSize {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the pending events and dead letters.
func (b *batcher) flush(ctx context.Context) error {
	if len(b.events) > 0 {
		n, err := b.p.opts.Events.CreateEvents(ctx, b.events)
		if err != nil {
			return fmt.Errorf("store %d events: %w", len(b.events), err)
		}
		b.stats.Accepted += n
		b.stats.Duplicates += len(b.events) - n
		clear(b.events)
		b.events = b.events[:0]
	}
	if len(b.dls) > 0 {
		if err := b.p.opts.DeadLetters.CreateDeadLetters(ctx, b.dls); err != nil {
			return fmt.Errorf("store %d dead letters: %w", len(b.dls), err)
		}
		b.stats.Rejected += len(b.dls)
		clear(b.dls)
		b.dls = b.dls[:0]
	}
	b.stats.Bytes = b.cr.n
	if b.p.opts.Progress != nil {
		b.p.opts.Progress(b.stats)
	}
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

// Read reads from the underlying reader, counting.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
