package alerting

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/unmask/unmask"
)

// memStore is an in-memory Store with the semantics of unmask.AlertService.
type memStore struct {
	mu     sync.Mutex // guards following
	alerts map[string]*unmask.Alert
	next   int
	// beforeCreate, if set, runs (unlocked) before each CreateAlert, to simulate a
	// concurrent writer.
	beforeCreate func()
	// err, if set, is returned by every call.
	err error
}

var _ Store = (*memStore)(nil)

func newMemStore() *memStore { return &memStore{alerts: make(map[string]*unmask.Alert)} }

func clone(a *unmask.Alert) *unmask.Alert {
	c := *a
	c.SignalIDs = slices.Clone(a.SignalIDs)
	return &c
}

func (s *memStore) FindAlerts(_ context.Context, f unmask.AlertFilter) ([]*unmask.Alert, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, 0, s.err
	}
	var out []*unmask.Alert
	for _, a := range s.alerts {
		switch {
		case f.PersonID != nil && *f.PersonID != a.PersonID,
			f.Concern != nil && *f.Concern != a.Concern,
			f.Status != nil && *f.Status != a.Status,
			f.CaseID != nil && *f.CaseID != a.CaseID,
			f.Open && a.Status == unmask.AlertClosed:
			continue
		}
		out = append(out, clone(a))
	}
	slices.SortFunc(out, func(a, b *unmask.Alert) int {
		return cmp.Or(b.LastSeen.Compare(a.LastSeen), cmp.Compare(a.ID, b.ID))
	})
	off, lim := f.Window()
	total := len(out)
	out = out[min(off, total):min(off+lim, total)]
	return out, total, nil
}

func (s *memStore) CreateAlert(_ context.Context, a *unmask.Alert) error {
	if s.beforeCreate != nil {
		s.beforeCreate()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	for _, o := range s.alerts {
		if o.PersonID == a.PersonID && o.Concern == a.Concern && o.Status != unmask.AlertClosed {
			return unmask.Errorf(unmask.ECONFLICT, "Open alert exists.")
		}
	}
	if a.ID == "" {
		s.next++
		a.ID = fmt.Sprintf("alert-%d", s.next)
	}
	s.alerts[a.ID] = clone(a)
	return nil
}

func (s *memStore) UpdateAlert(_ context.Context, id string, upd unmask.AlertUpdate) (*unmask.Alert, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	a, ok := s.alerts[id]
	if !ok {
		return nil, unmask.Errorf(unmask.ENOTFOUND, "Alert not found.")
	}
	if upd.Title != nil {
		a.Title = *upd.Title
	}
	if upd.Severity != nil {
		a.Severity = *upd.Severity
	}
	if upd.Status != nil {
		a.Status = *upd.Status
	}
	if upd.SignalIDs != nil {
		a.SignalIDs = slices.Clone(upd.SignalIDs)
	}
	if upd.Count != nil {
		a.Count = *upd.Count
	}
	if upd.LastSeen != nil {
		a.LastSeen = *upd.LastSeen
	}
	if upd.CaseID != nil {
		a.CaseID = *upd.CaseID
	}
	return clone(a), nil
}

// All returns every stored alert ordered by person, concern and creation.
func (s *memStore) All() []*unmask.Alert {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*unmask.Alert
	for _, a := range s.alerts {
		out = append(out, clone(a))
	}
	slices.SortFunc(out, func(a, b *unmask.Alert) int {
		return cmp.Or(cmp.Compare(a.PersonID, b.PersonID), cmp.Compare(a.Concern, b.Concern), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// setStatus changes an alert's status, as an analyst would.
func (s *memStore) setStatus(id string, st unmask.AlertStatus) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alerts[id].Status = st
}
