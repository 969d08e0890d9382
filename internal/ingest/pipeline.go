package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
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
	// MaxWriteBatch, if above BatchSize, lets a write that finds further batches already
	// decoded and waiting take them too, up to MaxWriteBatch events in one CreateEvents
	// call: a store that falls behind then commits fewer, larger transactions. 0 writes
	// each batch on its own.
	MaxWriteBatch int
	// Resolve, if set, fills PersonID before each event is stored. It is called from the
	// decoding goroutine, which runs beside the writes.
	Resolve ResolveFunc
	// Progress, if set, is called after each write and at the end of a run, from the
	// run's goroutine (a CLI draws its progress bar from it).
	Progress func(Stats)
	Logger   *slog.Logger     // nil discards
	Now      func() time.Time // nil means time.Now
}

// queuedBatches is how many decoded batches may wait for the writer: decoding runs ahead
// of the store by at most this much, which bounds a run's memory.
const queuedBatches = 4

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
// events written before an error stay written. When Run returns, every event it counts as
// accepted or duplicate has been written by Events.CreateEvents.
//
// Decoding (with Resolve) runs in a goroutine of its own and hands batches to the writes,
// which run in the caller's goroutine, through a short queue: the two proceed side by
// side, on two cores where there are two.
func (p *Pipeline) Run(ctx context.Context, f Format, file string, r io.Reader) (Stats, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	cr := &countingReader{r: r}
	queue := make(chan *batch, queuedBatches)
	b := &batcher{p: p, source: f.Source(), file: file, cr: cr, queue: queue,
		free: make(chan *batch, queuedBatches+2)}
	var decodeErr error
	var decodePanic any
	go func() {
		defer func() {
			if v := recover(); v != nil {
				decodePanic = fmt.Sprintf("%v\n\ndecoder goroutine:\n%s", v, debug.Stack())
			}
			close(queue)
		}()
		decodeErr = f.Decode(ctx, cr, b)
		// What was decoded before an error is still written, as the batch-by-batch
		// writes before it were.
		if err := b.send(ctx); decodeErr == nil {
			decodeErr = err
		}
	}()
	w := &writer{p: p, free: b.free}
	writeErr := w.run(ctx, queue)
	if writeErr != nil {
		cancel(writeErr)
		for range queue { // let the decoder see the cancellation and stop
		}
	}
	// The queue is closed: the decoder is done, and its counts are ours to read.
	if decodePanic != nil {
		panic(decodePanic) // where the caller would have seen it before decoding had a goroutine
	}
	err := writeErr
	if err == nil {
		err = decodeErr
	}
	w.stats.Bytes = cr.n
	if p.opts.Progress != nil {
		p.opts.Progress(w.stats)
	}
	p.opts.Logger.Info("ingest done", "source", b.source, "file", file, "accepted", w.stats.Accepted,
		"duplicates", w.stats.Duplicates, "rejected", w.stats.Rejected, "bytes", w.stats.Bytes)
	if err != nil {
		return w.stats, fmt.Errorf("ingest %s from %s: %w", b.source, file, err)
	}
	return w.stats, nil
}

// batch is a unit of work from the decoder to the writer.
type batch struct {
	events []*unmask.Event
	dls    []*unmask.DeadLetter
	bytes  int64 // input bytes read when the batch was sent
}

// batcher is the Sink of one Run: it fills batches and queues them for the writer.
type batcher struct {
	p      *Pipeline
	source string
	file   string
	cr     *countingReader
	queue  chan<- *batch
	free   chan *batch // written batches, for reuse
	cur    *batch
}

// pending returns the batch being filled.
func (b *batcher) pending() *batch {
	if b.cur == nil {
		select {
		case b.cur = <-b.free:
		default:
			b.cur = &batch{events: make([]*unmask.Event, 0, b.p.opts.BatchSize)}
		}
	}
	return b.cur
}

// Accept resolves e, stamps it and adds it to the batch.
func (b *batcher) Accept(ctx context.Context, e *unmask.Event) error {
	if b.p.opts.Resolve != nil && e.PersonID == "" {
		if err := b.p.opts.Resolve(ctx, e); err != nil {
			return fmt.Errorf("resolve actor of event %s: %w", e.ID, err)
		}
	}
	e.IngestedAt = b.p.opts.Now()
	cur := b.pending()
	cur.events = append(cur.events, e)
	if len(cur.events) >= b.p.opts.BatchSize {
		return b.send(ctx)
	}
	return nil
}

// Reject adds r to the dead-letter batch.
func (b *batcher) Reject(ctx context.Context, r *Reject) error {
	raw := bytes.Clone(r.Raw)
	cur := b.pending()
	// The store assigns the id: a file ingested twice keeps both attempts' dead letters.
	cur.dls = append(cur.dls, &unmask.DeadLetter{
		Source: b.source, File: b.file, Line: r.Line, Offset: r.Offset, Reason: r.Reason,
		Raw: raw, Truncated: r.Truncated, CreatedAt: b.p.opts.Now(),
	})
	b.p.opts.Logger.Debug("record rejected", "source", b.source, "file", b.file, "line", r.Line,
		"offset", r.Offset, "reason", r.Reason)
	if len(cur.dls) >= b.p.opts.BatchSize {
		return b.send(ctx)
	}
	return nil
}

// send queues the pending batch for the writer, waiting while the queue is full.
func (b *batcher) send(ctx context.Context) error {
	cur := b.cur
	if cur == nil || len(cur.events) == 0 && len(cur.dls) == 0 {
		return nil
	}
	cur.bytes = b.cr.n
	select {
	case b.queue <- cur:
		b.cur = nil
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// writer stores the batches of one Run, in order, and counts them.
type writer struct {
	p      *Pipeline
	free   chan<- *batch
	stats  Stats
	events []*unmask.Event // a write combining several batches
}

// run writes batches from queue until it is closed or a write fails.
func (w *writer) run(ctx context.Context, queue <-chan *batch) error {
	for bt := range queue {
		events, dls := bt.events, bt.dls
		done := []*batch{bt}
		if max := w.p.opts.MaxWriteBatch; max > len(events) && len(dls) == 0 {
			w.events = append(w.events[:0], events...)
		more:
			for len(w.events) < max {
				select {
				case next, ok := <-queue:
					if !ok {
						break more
					}
					w.events = append(w.events, next.events...)
					done = append(done, next)
					if len(next.dls) > 0 { // dead letters end a combined write
						dls = next.dls
						break more
					}
				default:
					break more
				}
			}
			events = w.events
		}
		err := w.write(ctx, events, dls, done[len(done)-1].bytes)
		clear(w.events)
		w.events = w.events[:0]
		for _, d := range done {
			w.recycle(d)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// write stores events and dead letters, then reports progress.
func (w *writer) write(ctx context.Context, events []*unmask.Event, dls []*unmask.DeadLetter, read int64) error {
	if len(events) > 0 {
		n, err := w.p.opts.Events.CreateEvents(ctx, events)
		if err != nil {
			return fmt.Errorf("store %d events: %w", len(events), err)
		}
		w.stats.Accepted += n
		w.stats.Duplicates += len(events) - n
	}
	if len(dls) > 0 {
		if err := w.p.opts.DeadLetters.CreateDeadLetters(ctx, dls); err != nil {
			return fmt.Errorf("store %d dead letters: %w", len(dls), err)
		}
		w.stats.Rejected += len(dls)
	}
	w.stats.Bytes = read
	if w.p.opts.Progress != nil {
		w.p.opts.Progress(w.stats)
	}
	return nil
}

// recycle empties a written batch and offers it back to the decoder.
func (w *writer) recycle(bt *batch) {
	clear(bt.events)
	clear(bt.dls)
	bt.events, bt.dls = bt.events[:0], bt.dls[:0]
	select {
	case w.free <- bt:
	default:
	}
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
