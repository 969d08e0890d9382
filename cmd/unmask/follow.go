package main

import (
	"context"
	"fmt"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/risk"
)

// followInterval is how often a server picks up the signals another process stored.
const followInterval = time.Minute

// follower returns a pass of following the signals another process stores in the same
// database (`unmask ingest` beside `unmask serve`), for every followInterval: each pass
// reads the signals stored or changed since the last one that succeeded (with a margin
// for clocks and commits in flight) and rescores their people. Signals the server stored
// itself come back too, which changes nothing.
func (p *processor) follower() func(context.Context) error {
	since := time.Now().Add(-followInterval) // also covers what was stored while the server loaded
	return func(ctx context.Context) error {
		next := time.Now()
		n, err := p.reloadSignals(ctx, since.Add(-followMargin))
		if err != nil {
			return err
		}
		since = next
		if n > 0 {
			p.m.Logger.Debug("followed stored signals", "signals", n)
		}
		return nil
	}
}

// followMargin is how far before the last pass the next one starts reading.
const followMargin = 5 * time.Second

// reloadSignals gives the risk engine every signal stored or changed at or after since,
// with its person's current hire date, saves the new scores and returns how many signals
// it read.
func (p *processor) reloadSignals(ctx context.Context, since time.Time) (int, error) {
	n := 0
	people := map[string]bool{}
	for off := 0; ; off += unmask.MaxLimit {
		sigs, _, err := p.m.db.FindSignals(ctx, unmask.SignalFilter{UpdatedSince: &since, Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
		if err != nil {
			return n, err
		}
		batch := make([]unmask.Signal, len(sigs))
		for i, s := range sigs {
			batch[i] = *s
			if !people[s.PersonID] {
				people[s.PersonID] = true
				person, err := p.m.db.FindPersonByID(ctx, s.PersonID)
				if err != nil {
					return n, fmt.Errorf("person of signal %s: %w", s.ID, err)
				}
				p.risk.SetSubject(risk.SubjectOf(person))
			}
		}
		if err := p.detect.Rescore(ctx, batch...); err != nil {
			return n, err
		}
		n += len(sigs)
		if len(sigs) < unmask.MaxLimit {
			return n, nil
		}
	}
}
