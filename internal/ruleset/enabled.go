package ruleset

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/unmask/unmask"
)

// Enabled reports whether a rule raises signals: it is not in Options.Disabled and the
// store has not disabled it.
func (s *Set) Enabled(id string) bool {
	return !s.alwaysOff[id] && !(*s.off.Load())[id]
}

// SetEnabled enables or disables one rule by id, as a stored RuleUpdate does; it takes
// effect from the next event. Options.Disabled rules stay disabled.
func (s *Set) SetEnabled(id string, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	off := maps.Clone(*s.off.Load())
	if enabled {
		delete(off, id)
	} else {
		off[id] = true
	}
	s.off.Store(&off)
}

// setStored replaces the enablement with the stored rules': those stored disabled are off.
func (s *Set) setStored(stored map[string]*unmask.Rule) {
	off := map[string]bool{}
	for id, r := range stored {
		if !r.Enabled {
			off[id] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.off.Store(&off)
}

// Refresh reads the enablement of every stored rule and applies it; rules the store does
// not hold are enabled. Call it after another process changed rules.
func (s *Set) Refresh(ctx context.Context, svc unmask.RuleService) error {
	stored, err := storedRules(ctx, svc)
	if err != nil {
		return err
	}
	s.setStored(stored)
	return nil
}

// SyncResult says what Sync changed in the store.
type SyncResult struct {
	Created int // rules stored for the first time
	Updated int // stored rules whose metadata changed, stored again with their Enabled
	// Stale are the ids of stored rules the set does not have (a removed user rule); Sync
	// leaves them, and they raise nothing.
	Stale []string
}

// Sync stores the metadata of every rule: a rule the store lacks is created, enabled
// unless Options.Disabled names it; a stored rule keeps its Enabled, and is stored again
// when its metadata changed (a new pack version). It then applies the stored
// enablement, as Refresh does. ctx must carry a user allowed to create and delete rules
// (unmask.SystemUser).
func (s *Set) Sync(ctx context.Context, svc unmask.RuleService) (SyncResult, error) {
	var res SyncResult
	stored, err := storedRules(ctx, svc)
	if err != nil {
		return res, err
	}
	have := map[string]bool{}
	for _, want := range s.Metadata() {
		have[want.ID] = true
		old := stored[want.ID]
		switch {
		case old == nil:
			want.Enabled = !s.alwaysOff[want.ID]
			if err := svc.CreateRule(ctx, &want); err != nil {
				return res, fmt.Errorf("store rule %s: %w", want.ID, err)
			}
			res.Created++
		case !sameMeta(old, &want):
			want.Enabled = old.Enabled
			if err := svc.DeleteRule(ctx, want.ID); err != nil {
				return res, fmt.Errorf("replace rule %s: %w", want.ID, err)
			}
			if err := svc.CreateRule(ctx, &want); err != nil {
				return res, fmt.Errorf("replace rule %s: %w", want.ID, err)
			}
			res.Updated++
		default:
			continue
		}
		stored[want.ID] = &want
	}
	for _, id := range slices.Sorted(maps.Keys(stored)) {
		if !have[id] {
			res.Stale = append(res.Stale, id)
		}
	}
	s.setStored(stored)
	return res, nil
}

// storedRules returns every stored rule by id.
func storedRules(ctx context.Context, svc unmask.RuleService) (map[string]*unmask.Rule, error) {
	out := map[string]*unmask.Rule{}
	for off := 0; ; off += unmask.MaxLimit {
		page, _, err := svc.FindRules(ctx, unmask.RuleFilter{Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, fmt.Errorf("list stored rules: %w", err)
		}
		for _, r := range page {
			out[r.ID] = r
		}
		if len(page) < unmask.MaxLimit {
			return out, nil
		}
	}
}

// sameMeta reports whether two rules have the same metadata, Enabled aside.
func sameMeta(a, b *unmask.Rule) bool {
	return a.Title == b.Title && a.Description == b.Description && a.Level == b.Level &&
		a.Status == b.Status && a.Origin == b.Origin && a.Path == b.Path &&
		slices.Equal(a.Indicators, b.Indicators) && slices.Equal(a.Tags, b.Tags)
}

// Service is a RuleService that applies each rule it enables or disables to Set at once,
// so that the change needs no Refresh in this process.
type Service struct {
	unmask.RuleService
	Set *Set
}

var _ unmask.RuleService = (*Service)(nil)

// UpdateRule updates the stored rule and applies its Enabled to the set.
func (s *Service) UpdateRule(ctx context.Context, id string, upd unmask.RuleUpdate) (*unmask.Rule, error) {
	r, err := s.RuleService.UpdateRule(ctx, id, upd)
	if err == nil && r != nil {
		s.Set.SetEnabled(r.ID, r.Enabled)
	}
	return r, err
}
