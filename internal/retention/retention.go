// Package retention deletes events older than the configured retention, except the
// evidence of cases still open: the events a case cites, and those of every signal of
// the case's person, stay until the case is closed.
package retention

import (
	"context"
	"log/slog"
	"time"

	"github.com/unmask/unmask"
)

// Store is what retention reads and deletes.
type Store interface {
	unmask.EventService
	unmask.CaseService
	unmask.SignalService
}

// Options configure an Enforcer.
type Options struct {
	Store Store
	// Keep is how long events are kept; 0 keeps them forever.
	Keep time.Duration
	// Every is how often Run applies retention (default hourly).
	Every  time.Duration
	Logger *slog.Logger
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// Enforcer applies event retention.
type Enforcer struct{ o Options }

// New returns an Enforcer.
func New(o Options) *Enforcer {
	if o.Every <= 0 {
		o.Every = time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Enforcer{o: o}
}

// Run applies retention at once and then every Every until ctx ends; a failed pass is
// logged and tried again at the next.
func (e *Enforcer) Run(ctx context.Context) error {
	if e.o.Keep <= 0 {
		return nil
	}
	t := time.NewTicker(e.o.Every)
	defer t.Stop()
	for {
		if n, err := e.Apply(ctx); err != nil {
			e.o.Logger.Warn("event retention failed", "err", err)
		} else if n > 0 {
			e.o.Logger.Info("event retention", "deleted", n, "older_than", e.o.Keep.String())
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Apply deletes the events older than Keep that no open case holds and returns how many.
func (e *Enforcer) Apply(ctx context.Context) (int, error) {
	if e.o.Keep <= 0 {
		return 0, nil
	}
	hold, err := e.held(ctx)
	if err != nil {
		return 0, err
	}
	return e.o.Store.DeleteEventsBefore(ctx, e.o.Now().Add(-e.o.Keep), hold)
}

// held returns the ids of the events open cases hold: the ids in their evidence (signal
// ids among them are harmless) and the event ids of every signal of their people.
func (e *Enforcer) held(ctx context.Context) ([]string, error) {
	var hold []string
	people := map[string]bool{}
	for _, st := range []unmask.CaseStatus{unmask.CaseOpen, unmask.CaseInvestigating, unmask.CaseEscalated} {
		err := pages(func(p unmask.Page) (int, error) {
			cases, _, err := e.o.Store.FindCases(ctx, unmask.CaseFilter{Status: &st, Page: p})
			for _, c := range cases {
				hold = append(hold, c.Evidence...)
				people[c.PersonID] = true
			}
			return len(cases), err
		})
		if err != nil {
			return nil, err
		}
	}
	for id := range people {
		err := pages(func(p unmask.Page) (int, error) {
			sigs, _, err := e.o.Store.FindSignals(ctx, unmask.SignalFilter{PersonID: &id, Page: p})
			for _, s := range sigs {
				hold = append(hold, s.EventIDs...)
			}
			return len(sigs), err
		})
		if err != nil {
			return nil, err
		}
	}
	return hold, nil
}

// pages calls list with successive pages of unmask.MaxLimit until one comes back short.
func pages(list func(unmask.Page) (int, error)) error {
	for off := 0; ; off += unmask.MaxLimit {
		n, err := list(unmask.Page{Offset: off, Limit: unmask.MaxLimit})
		if err != nil || n < unmask.MaxLimit {
			return err
		}
	}
}
