package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/unmask/unmask"
)

// Destination is one configured place to send notifications.
type Destination struct {
	// Name identifies the destination in logs and dead letters; unique per dispatcher.
	Name     string
	Notifier Notifier
	// Rate is the sustained messages per second; 0 means unlimited. Burst is how many may
	// go at once; 0 means 1.
	Rate  rate.Limit
	Burst int
	// MinSeverity drops messages below it; empty sends everything.
	MinSeverity unmask.Severity
}

// Undelivered is a message a destination did not accept after every attempt.
type Undelivered struct {
	Destination string
	Message     Message
	Attempts    int
	Err         error
}

// DispatcherOptions configures a Dispatcher.
type DispatcherOptions struct {
	Destinations []Destination
	// MaxAttempts is the tries per message and destination; 0 means 5.
	MaxAttempts int
	// BaseDelay is the wait after the first failure, doubled after each further one up to
	// MaxDelay; 0 means 1 s and 5 min. A server's Retry-After can lengthen a wait.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// Sleep waits d or until ctx is done; nil means a timer. Tests pass a recorder.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock of the rate limiters; nil means time.Now.
	Now func() time.Time
	// DeadLetter receives every undeliverable message; nil drops them after logging.
	DeadLetter func(ctx context.Context, u Undelivered)
	// Logger logs retries and failures; nil discards.
	Logger *slog.Logger
}

// Dispatcher fans messages out to destinations with rate limits, retries and dead
// letters. It is safe for concurrent use.
type Dispatcher struct {
	opts  DispatcherOptions
	dests []*destination
}

type destination struct {
	Destination
	limiter *rate.Limiter // nil when unlimited
	sent    atomic.Int64
	retries atomic.Int64
	failed  atomic.Int64
	skipped atomic.Int64
}

// DestinationStats counts what a destination did since the dispatcher started.
type DestinationStats struct {
	Name string
	// Sent messages were accepted; Failed ones went to the dead letter; Retries counts
	// the extra attempts; Skipped were below MinSeverity.
	Sent, Failed, Retries, Skipped int64
}

// Stats returns the counters of every destination, in configuration order.
func (d *Dispatcher) Stats() []DestinationStats {
	out := make([]DestinationStats, len(d.dests))
	for i, dst := range d.dests {
		out[i] = DestinationStats{
			Name: dst.Name, Sent: dst.sent.Load(), Failed: dst.failed.Load(),
			Retries: dst.retries.Load(), Skipped: dst.skipped.Load(),
		}
	}
	return out
}

// NewDispatcher returns a dispatcher, or EINVALID if a destination is incomplete.
func NewDispatcher(opts DispatcherOptions) (*Dispatcher, error) {
	d := &Dispatcher{opts: opts}
	seen := make(map[string]bool)
	for _, dst := range opts.Destinations {
		switch {
		case dst.Name == "" || dst.Notifier == nil:
			return nil, unmask.Errorf(unmask.EINVALID, "Notification destination needs a name and a notifier.")
		case seen[dst.Name]:
			return nil, unmask.Errorf(unmask.EINVALID, "Notification destination %q is configured twice.", dst.Name)
		case dst.MinSeverity != "" && !dst.MinSeverity.Valid():
			return nil, unmask.Errorf(unmask.EINVALID, "Notification destination %q has unknown severity %q.", dst.Name, dst.MinSeverity)
		case dst.Rate < 0 || dst.Burst < 0:
			return nil, unmask.Errorf(unmask.EINVALID, "Notification destination %q has a negative rate limit.", dst.Name)
		}
		seen[dst.Name] = true
		nd := &destination{Destination: dst}
		if dst.Rate > 0 {
			nd.limiter = rate.NewLimiter(dst.Rate, max(dst.Burst, 1))
		}
		d.dests = append(d.dests, nd)
	}
	d.opts.MaxAttempts = cmp.Or(opts.MaxAttempts, 5)
	d.opts.BaseDelay = cmp.Or(opts.BaseDelay, time.Second)
	d.opts.MaxDelay = cmp.Or(opts.MaxDelay, 5*time.Minute)
	if d.opts.Sleep == nil {
		d.opts.Sleep = sleep
	}
	if d.opts.Now == nil {
		d.opts.Now = time.Now
	}
	if d.opts.Logger == nil {
		d.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return d, nil
}

// Dispatch sends m to every destination whose MinSeverity it meets, concurrently, and
// returns when each has accepted it or given up. The error joins one error per
// destination that gave up; those messages also went to DeadLetter.
func (d *Dispatcher) Dispatch(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	errs := make([]error, len(d.dests))
	var wg sync.WaitGroup
	for i, dst := range d.dests {
		if dst.MinSeverity != "" && m.Severity.Rank() < dst.MinSeverity.Rank() {
			dst.skipped.Add(1)
			continue
		}
		wg.Go(func() { errs[i] = d.deliver(ctx, dst, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// deliver tries one destination until it accepts m, the error is permanent, the attempts
// run out or ctx is done.
func (d *Dispatcher) deliver(ctx context.Context, dst *destination, m Message) error {
	log := d.opts.Logger.With("destination", dst.Name, "message_id", m.ID)
	var err error
	attempt := 0
	for attempt < d.opts.MaxAttempts {
		if err = d.wait(ctx, dst); err != nil {
			break
		}
		attempt++
		if attempt > 1 {
			dst.retries.Add(1)
		}
		if err = dst.Notifier.Notify(ctx, m); err == nil {
			dst.sent.Add(1)
			return nil
		}
		if IsPermanent(err) || ctx.Err() != nil || attempt == d.opts.MaxAttempts {
			break
		}
		delay := d.backoff(attempt, err)
		log.Debug("notification failed, retrying", "attempt", attempt, "delay", delay, "err", err)
		if serr := d.opts.Sleep(ctx, delay); serr != nil {
			err = errors.Join(err, serr)
			break
		}
	}
	dst.failed.Add(1)
	log.Warn("notification undeliverable", "attempts", attempt, "err", err)
	if d.opts.DeadLetter != nil {
		d.opts.DeadLetter(ctx, Undelivered{Destination: dst.Name, Message: m, Attempts: attempt, Err: err})
	}
	return fmt.Errorf("notify %s: %w", dst.Name, err)
}

// wait blocks until the destination's rate limit lets one message through.
func (d *Dispatcher) wait(ctx context.Context, dst *destination) error {
	if dst.limiter == nil {
		return nil
	}
	now := d.opts.Now()
	r := dst.limiter.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if delay <= 0 {
		return nil
	}
	if err := d.opts.Sleep(ctx, delay); err != nil {
		r.CancelAt(d.opts.Now())
		return err
	}
	return nil
}

// backoff returns the wait after the attempt-th failure: BaseDelay × 2^(attempt−1), at
// most MaxDelay, but at least what the server asked for with Retry-After.
func (d *Dispatcher) backoff(attempt int, err error) time.Duration {
	delay := d.opts.BaseDelay
	for i := 1; i < attempt && delay < d.opts.MaxDelay; i++ {
		delay *= 2
	}
	delay = min(delay, d.opts.MaxDelay)
	if ra, ok := retryAfter(err); ok && ra > delay {
		delay = min(ra, 10*d.opts.MaxDelay)
	}
	return delay
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
