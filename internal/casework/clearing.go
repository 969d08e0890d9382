package casework

import (
	"context"
	"fmt"
	"time"

	"github.com/unmask/unmask"
)

// clearSignals marks the signals of c's person that no review covers yet as cleared by c,
// a case closed as legitimate: they stop counting toward the person's risk until they are
// seen again with new evidence (unmask.Signal.Cleared). It returns how many it cleared.
func (s *Service) clearSignals(ctx context.Context, c *unmask.Case) (int, error) {
	at := s.now()
	return s.changeSignals(ctx, c, func(sg *unmask.Signal) (unmask.SignalUpdate, bool) {
		if sg.Cleared() {
			return unmask.SignalUpdate{}, false // an earlier review still covers it
		}
		return unmask.SignalUpdate{ClearedAt: &at, ClearedBy: &c.ID}, true
	})
}

// restoreSignals lifts the clearing of the signals c cleared, when c is reopened, and
// returns how many it restored.
func (s *Service) restoreSignals(ctx context.Context, c *unmask.Case) (int, error) {
	var none time.Time
	var nobody string
	return s.changeSignals(ctx, c, func(sg *unmask.Signal) (unmask.SignalUpdate, bool) {
		return unmask.SignalUpdate{ClearedAt: &none, ClearedBy: &nobody}, sg.ClearedBy == c.ID
	})
}

// changeSignals applies change to each signal of c's person that it selects, then gives
// the changed signals to the live risk engine (Options.Rescore).
func (s *Service) changeSignals(ctx context.Context, c *unmask.Case, change func(*unmask.Signal) (unmask.SignalUpdate, bool)) (int, error) {
	sigs, err := listAll(func(p unmask.Page) ([]*unmask.Signal, int, error) {
		return s.signals.FindSignals(ctx, unmask.SignalFilter{PersonID: &c.PersonID, Page: p})
	})
	if err != nil {
		return 0, fmt.Errorf("find signals of case %s: %w", c.ID, err)
	}
	var changed []unmask.Signal
	for _, sg := range sigs {
		upd, ok := change(sg)
		if !ok {
			continue
		}
		next, err := s.signals.UpdateSignal(ctx, sg.ID, upd)
		if err != nil {
			return len(changed), fmt.Errorf("update signal %s of case %s: %w", sg.ID, c.ID, err)
		}
		changed = append(changed, *next)
	}
	if s.rescore != nil {
		if err := s.rescore(ctx, changed...); err != nil {
			return len(changed), fmt.Errorf("rescore after case %s: %w", c.ID, err)
		}
	}
	return len(changed), nil
}
