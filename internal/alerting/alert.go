package alerting

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/unmask/unmask"
)

// Store is the part of unmask.AlertService the manager uses. CreateAlert must return
// ECONFLICT when the person already has an alert for the concern that is not closed; the
// manager then updates that alert instead. Implementations must be safe for concurrent use.
type Store interface {
	FindAlerts(ctx context.Context, filter unmask.AlertFilter) ([]*unmask.Alert, int, error)
	CreateAlert(ctx context.Context, a *unmask.Alert) error
	UpdateAlert(ctx context.Context, id string, upd unmask.AlertUpdate) (*unmask.Alert, error)
}

var _ Store = unmask.AlertService(nil)

// Grouping chooses the concern that groups signals into one alert.
type Grouping string

// Groupings.
const (
	// GroupByIndicator opens one alert per indicator ID ("N-01").
	GroupByIndicator Grouping = "indicator"
	// GroupByFamily opens one alert per family ("network"); unknown IDs keep their own.
	GroupByFamily Grouping = "family"
)

// Options configures a Manager.
type Options struct {
	Store Store
	// Grouping defaults to GroupByIndicator.
	Grouping Grouping
	// Concerns maps indicator IDs to a concern of their own, before Grouping applies:
	// {"N-01": "astrill", "§3.2": "astrill"} puts Astrill sign-ins and the Astrill client
	// in one alert.
	Concerns map[string]string
	// Suppressions are loaded at start; each is validated.
	Suppressions []Suppression
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger logs alert changes; nil discards.
	Logger *slog.Logger
	// NewID, if set, names new alerts; otherwise the store assigns IDs.
	NewID func() string
}

// Result says what one Process call did.
type Result struct {
	// Created and Updated are the alerts as stored after the change.
	Created []*unmask.Alert
	Updated []*unmask.Alert
	// Suppressed counts signals an active suppression silenced. Duplicates counts signals
	// that brought their alert nothing new: already listed, not seen later than the
	// alert's last sighting and not more severe. Each other signal adds one to the alert's
	// Count, so Count is the number of observations that moved the alert.
	Suppressed int
	Duplicates int
}

// Manager creates and updates alerts from signals. It is safe for concurrent use; calls
// to Process run one at a time.
type Manager struct {
	store    Store
	grouping Grouping
	concerns map[string]string
	now      func() time.Time
	log      *slog.Logger
	newID    func() string

	processMu sync.Mutex // serializes Process

	mu           sync.Mutex // guards following
	suppressions map[string]*Suppression
}

// NewManager returns a manager, or EINVALID if the options are unusable.
func NewManager(opts Options) (*Manager, error) {
	m := &Manager{
		store:        opts.Store,
		grouping:     cmp.Or(opts.Grouping, GroupByIndicator),
		concerns:     maps.Clone(opts.Concerns),
		now:          opts.Now,
		log:          opts.Logger,
		newID:        opts.NewID,
		suppressions: make(map[string]*Suppression),
	}
	switch {
	case m.store == nil:
		return nil, unmask.Errorf(unmask.EINVALID, "Alerting needs a store.")
	case m.grouping != GroupByIndicator && m.grouping != GroupByFamily:
		return nil, unmask.Errorf(unmask.EINVALID, "Alert grouping %q is not indicator or family.", m.grouping)
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	for _, s := range opts.Suppressions {
		if err := m.AddSuppression(s); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Concern returns the concern a signal is grouped under.
func (m *Manager) Concern(sig *unmask.Signal) string {
	if c, ok := m.concerns[sig.Indicator]; ok && c != "" {
		return c
	}
	if m.grouping == GroupByFamily {
		if f := unmask.IndicatorFamily(sig.Indicator); f != "" {
			return f
		}
	}
	return sig.Indicator
}

// groupKey is one person and concern.
type groupKey struct{ person, concern string }

// Process turns signals into alert changes. It returns EINVALID, changing nothing, if a
// signal is incomplete; on a store error it returns what it did so far and the error.
func (m *Manager) Process(ctx context.Context, signals ...unmask.Signal) (Result, error) {
	for i := range signals {
		if err := signals[i].Validate(); err != nil {
			return Result{}, err
		}
		if signals[i].ID == "" {
			return Result{}, unmask.Errorf(unmask.EINVALID, "Signal ID required.")
		}
	}
	m.processMu.Lock()
	defer m.processMu.Unlock()
	now := m.now()
	var res Result
	groups := make(map[groupKey][]*unmask.Signal)
	var order []groupKey
	for i := range signals {
		s := &signals[i]
		if m.suppress(s, now) {
			res.Suppressed++
			continue
		}
		k := groupKey{s.PersonID, m.Concern(s)}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], s)
	}
	for _, k := range order {
		if err := m.apply(ctx, k, groups[k], now, &res); err != nil {
			return res, fmt.Errorf("alert %s for %s: %w", k.concern, k.person, err)
		}
	}
	return res, nil
}

// apply creates or updates the open alert of one group.
func (m *Manager) apply(ctx context.Context, k groupKey, sigs []*unmask.Signal, now time.Time, res *Result) error {
	open, err := m.findOpen(ctx, k)
	if err != nil {
		return err
	}
	if open == nil {
		if sigs, err = m.dropClosed(ctx, k, sigs, res); err != nil || len(sigs) == 0 {
			return err
		}
		a, dupes := newAlert(k, sigs, now)
		if m.newID != nil {
			a.ID = m.newID()
		}
		err := m.store.CreateAlert(ctx, a)
		if err == nil {
			res.Duplicates += dupes
			m.log.Info("alert created", "alert_id", a.ID, "person_id", k.person, "concern", k.concern)
			res.Created = append(res.Created, a)
			return nil
		}
		if unmask.ErrorCode(err) != unmask.ECONFLICT {
			return err
		}
		// Another writer opened it first: merge into theirs.
		if open, err = m.findOpen(ctx, k); err != nil {
			return err
		}
		if open == nil {
			return unmask.Errorf(unmask.ECONFLICT, "Alert conflict without an open alert.")
		}
	}
	return m.merge(ctx, open, sigs, res)
}

func (m *Manager) findOpen(ctx context.Context, k groupKey) (*unmask.Alert, error) {
	found, _, err := m.store.FindAlerts(ctx, unmask.AlertFilter{
		PersonID: &k.person, Concern: &k.concern, Open: true, Page: unmask.Page{Limit: 1},
	})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// dropClosed removes signals that a closed alert already holds with no later sighting,
// so that replaying old signals does not reopen a concern an analyst closed.
func (m *Manager) dropClosed(ctx context.Context, k groupKey, sigs []*unmask.Signal, res *Result) ([]*unmask.Signal, error) {
	closed := unmask.AlertClosed
	found, _, err := m.store.FindAlerts(ctx, unmask.AlertFilter{
		PersonID: &k.person, Concern: &k.concern, Status: &closed, Page: unmask.Page{Limit: 50},
	})
	if err != nil {
		return nil, err
	}
	kept := sigs[:0:0]
	for _, s := range sigs {
		if slices.ContainsFunc(found, func(a *unmask.Alert) bool {
			return slices.Contains(a.SignalIDs, s.ID) && !lastSeen(s).After(a.LastSeen)
		}) {
			res.Duplicates++
			continue
		}
		kept = append(kept, s)
	}
	return kept, nil
}

// alertState is what signals change on an alert.
type alertState struct {
	ids   []string
	have  map[string]bool
	count int
	first time.Time
	last  time.Time
	sev   unmask.Severity
}

func stateOf(a *unmask.Alert) *alertState {
	st := &alertState{ids: slices.Clone(a.SignalIDs), have: make(map[string]bool, len(a.SignalIDs)),
		count: a.Count, first: a.FirstSeen, last: a.LastSeen, sev: a.Severity}
	for _, id := range a.SignalIDs {
		st.have[id] = true
	}
	return st
}

// add records one observation: a new signal ID, a later sighting or a higher severity.
// It reports false, changing nothing, for a duplicate.
func (st *alertState) add(s *unmask.Signal) bool {
	isNew, later := !st.have[s.ID], lastSeen(s).After(st.last)
	if !isNew && !later && s.Severity.Rank() <= st.sev.Rank() {
		return false
	}
	if isNew {
		st.have[s.ID] = true
		st.ids = append(st.ids, s.ID)
	}
	st.count++
	st.last = maxTime(st.last, lastSeen(s))
	st.sev = maxSeverity(st.sev, s.Severity)
	if st.first.IsZero() || s.Time.Before(st.first) {
		st.first = s.Time
	}
	return true
}

// newAlert returns the alert that a group's first signals open.
// It also returns how many of sigs were duplicates.
func newAlert(k groupKey, sigs []*unmask.Signal, now time.Time) (*unmask.Alert, int) {
	st := &alertState{have: make(map[string]bool), sev: unmask.SeverityInfo}
	dupes := 0
	for _, s := range sigs {
		if !st.add(s) {
			dupes++
		}
	}
	return &unmask.Alert{
		PersonID:  k.person,
		Concern:   k.concern,
		Title:     title(k.concern, sigs),
		Severity:  st.sev,
		Status:    unmask.AlertOpen,
		SignalIDs: st.ids,
		Count:     st.count,
		FirstSeen: st.first,
		LastSeen:  st.last,
		CreatedAt: now,
		UpdatedAt: now,
	}, dupes
}

// merge adds signals to an open alert: new signal IDs, later sightings and a higher
// severity update it; anything else is a duplicate.
func (m *Manager) merge(ctx context.Context, a *unmask.Alert, sigs []*unmask.Signal, res *Result) error {
	st := stateOf(a)
	for _, s := range sigs {
		if !st.add(s) {
			res.Duplicates++
		}
	}
	if st.count == a.Count {
		return nil
	}
	upd := unmask.AlertUpdate{Count: &st.count, LastSeen: &st.last, Severity: &st.sev}
	if len(st.ids) != len(a.SignalIDs) {
		upd.SignalIDs = st.ids
	}
	updated, err := m.store.UpdateAlert(ctx, a.ID, upd)
	if err != nil {
		return err
	}
	m.log.Info("alert updated", "alert_id", a.ID, "person_id", a.PersonID, "concern", a.Concern, "count", st.count)
	res.Updated = append(res.Updated, updated)
	return nil
}

// title names an alert by its concern and the strongest first signal's explanation.
func title(concern string, sigs []*unmask.Signal) string {
	best := slices.MaxFunc(sigs, func(a, b *unmask.Signal) int {
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(a.Weight, b.Weight))
	})
	if best.Explanation == "" {
		return concern
	}
	t := concern + ": " + best.Explanation
	if r := []rune(t); len(r) > 160 {
		t = string(r[:159]) + "…"
	}
	return t
}

func lastSeen(s *unmask.Signal) time.Time { return maxTime(s.Time, s.LastSeen) }

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func maxSeverity(a, b unmask.Severity) unmask.Severity {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

// suppress reports whether an active suppression silences s, counting the match on the
// first one by ID.
func (m *Manager) suppress(s *unmask.Signal, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(m.suppressions)) {
		sup := m.suppressions[id]
		if sup.Matches(s, now) {
			sup.Suppressed++
			sup.LastMatched = now
			return true
		}
	}
	return false
}
