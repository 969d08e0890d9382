package alerting

import (
	"cmp"
	"maps"
	"slices"

	"github.com/unmask/unmask"
)

// AddSuppression adds s, or returns EINVALID if it is incomplete and ECONFLICT if its ID
// is taken. A zero CreatedAt is set to now.
func (m *Manager) AddSuppression(s Suppression) error {
	now := m.now()
	if err := s.Validate(now); err != nil {
		return err
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = now
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.suppressions[s.ID]; ok {
		return unmask.Errorf(unmask.ECONFLICT, "Suppression %s exists.", s.ID)
	}
	m.suppressions[s.ID] = &s
	m.log.Info("suppression added", "suppression_id", s.ID, "owner", s.Owner, "expires_at", s.ExpiresAt)
	return nil
}

// RemoveSuppression removes a suppression and returns it, or ENOTFOUND.
func (m *Manager) RemoveSuppression(id string) (Suppression, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.suppressions[id]
	if !ok {
		return Suppression{}, unmask.Errorf(unmask.ENOTFOUND, "Suppression %s not found.", id)
	}
	delete(m.suppressions, id)
	return *s, nil
}

// Suppressions returns copies of all suppressions with their counts, ordered by ID.
func (m *Manager) Suppressions() []Suppression {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Suppression, 0, len(m.suppressions))
	for _, id := range slices.Sorted(maps.Keys(m.suppressions)) {
		out = append(out, *m.suppressions[id])
	}
	return out
}

// PruneExpired removes the suppressions that have expired and returns them, ordered by
// ID, so that the caller can report what each one silenced.
func (m *Manager) PruneExpired() []Suppression {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Suppression
	for id, s := range m.suppressions {
		if !s.Active(now) {
			out = append(out, *s)
			delete(m.suppressions, id)
		}
	}
	slices.SortFunc(out, func(a, b Suppression) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
