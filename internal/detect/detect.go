// Package detect runs Unmask's detectors over the event stream and records what they find:
// each event from the bus goes through every detector (Sigma rules, behavioural analytics),
// and every signal raised — by them or by identity analytics and spot checks — is stored
// (deduplicated by its key), fed to the risk engine, whose new score is saved, and grouped
// into alerts.
package detect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/alerting"
	"github.com/unmask/unmask/internal/risk"
)

// Detector examines one event and returns the signals it raises. Implementations keep
// their own bounded state; Detect is called from one goroutine per partition, so a
// detector shared across partitions must be safe for concurrent use.
type Detector interface {
	Name() string
	Detect(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error)
}

// DetectorFunc adapts a function to Detector.
type DetectorFunc struct {
	ID string
	Fn func(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error)
}

// Name returns the detector's name.
func (f DetectorFunc) Name() string { return f.ID }

// Detect calls the function.
func (f DetectorFunc) Detect(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	return f.Fn(ctx, e)
}

// Store is what the engine needs from the store.
type Store interface {
	FindSignals(ctx context.Context, f unmask.SignalFilter) ([]*unmask.Signal, int, error)
	CreateSignal(ctx context.Context, s *unmask.Signal) error
	UpdateSignal(ctx context.Context, id string, upd unmask.SignalUpdate) (*unmask.Signal, error)
	SaveRiskScore(ctx context.Context, s *unmask.RiskScore) error
}

// MaxEventIDs caps the event ids one signal keeps as evidence: the first half and the most
// recent half.
const MaxEventIDs = 50

// Options configures an Engine.
type Options struct {
	Detectors []Detector
	Store     Store
	Risk      *risk.Engine
	Alerts    *alerting.Manager
	// OnAlerts, if set, is called with every alert change (to notify people); it must not
	// block for long, since detection waits for it.
	OnAlerts func(ctx context.Context, res alerting.Result)
	Logger   *slog.Logger
}

// Engine runs detectors and records signals.
type Engine struct {
	detectors []Detector
	store     Store
	risk      *risk.Engine
	alerts    *alerting.Manager
	onAlerts  func(ctx context.Context, res alerting.Result)
	log       *slog.Logger
}

// NewEngine returns an engine.
func NewEngine(opts Options) (*Engine, error) {
	if opts.Store == nil || opts.Risk == nil {
		return nil, errors.New("detect: a store and a risk engine are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Engine{detectors: opts.Detectors, store: opts.Store, risk: opts.Risk, alerts: opts.Alerts, onAlerts: opts.OnAlerts, log: opts.Logger}, nil
}

// HandleDelivery is the event-bus handler: it runs every detector on the event and records
// the signals. An error makes the bus redeliver the event.
func (en *Engine) HandleDelivery(ctx context.Context, d unmask.Delivery) error {
	var found []unmask.Signal
	for _, det := range en.detectors {
		sigs, err := det.Detect(ctx, d.Event)
		if err != nil {
			en.log.Warn("detector failed", "detector", det.Name(), "event", d.Event.ID, "err", err)
			continue // one broken detector must not stall the stream
		}
		found = append(found, sigs...)
	}
	return en.Record(ctx, found...)
}

// Record stores signals, rescores their people and updates alerts. Signals without a person
// (unresolved actors) are skipped: they have no one to score.
func (en *Engine) Record(ctx context.Context, signals ...unmask.Signal) error {
	var stored []unmask.Signal
	for _, s := range signals {
		if s.PersonID == "" {
			continue
		}
		sig, err := en.persist(ctx, s)
		if err != nil {
			return fmt.Errorf("record signal %s for %s: %w", s.Indicator, s.PersonID, err)
		}
		stored = append(stored, *sig)
	}
	if len(stored) == 0 {
		return nil
	}
	if err := en.Rescore(ctx, stored...); err != nil {
		return err
	}
	if en.alerts != nil {
		res, err := en.alerts.Process(ctx, stored...)
		if err != nil {
			return fmt.Errorf("update alerts: %w", err)
		}
		if en.onAlerts != nil && len(res.Created)+len(res.Updated) > 0 {
			en.onAlerts(ctx, res)
		}
	}
	return nil
}

// Rescore gives the risk engine stored signals that changed outside detection (a case
// cleared or restored them) and saves their people's new scores. It raises no alerts.
func (en *Engine) Rescore(ctx context.Context, signals ...unmask.Signal) error {
	if len(signals) == 0 {
		return nil
	}
	scores, err := en.risk.Upsert(signals...)
	if err != nil {
		return err
	}
	for i := range scores {
		if err := en.store.SaveRiskScore(ctx, &scores[i]); err != nil {
			return fmt.Errorf("save risk score: %w", err)
		}
	}
	return nil
}

// persist creates s, or merges it into the stored signal with the same detector and key.
func (en *Engine) persist(ctx context.Context, s unmask.Signal) (*unmask.Signal, error) {
	if s.Key == "" {
		err := en.store.CreateSignal(ctx, &s)
		return &s, err
	}
	for range 3 { // a concurrent writer may create the same key between find and create
		existing, _, err := en.store.FindSignals(ctx, unmask.SignalFilter{PersonID: &s.PersonID, Detector: &s.Detector, Key: &s.Key, Page: unmask.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if len(existing) == 1 {
			return en.store.UpdateSignal(ctx, existing[0].ID, merge(existing[0], &s))
		}
		err = en.store.CreateSignal(ctx, &s)
		if unmask.ErrorCode(err) != unmask.ECONFLICT {
			return &s, err
		}
	}
	return nil, unmask.Errorf(unmask.ECONFLICT, "Signal %s/%s keeps conflicting.", s.Detector, s.Key)
}

// merge returns the update that folds a new sighting into a stored signal: the count grows,
// the evidence and last-seen time extend, and strength and severity keep their maximum.
func merge(old, s *unmask.Signal) unmask.SignalUpdate {
	count := old.Count + max(s.Count, 1)
	last := latest(old.LastSeen, s.LastSeen, s.Time)
	weight := max(old.Weight, s.Weight)
	sev := old.Severity
	if s.Severity.Rank() > sev.Rank() {
		sev = s.Severity
	}
	upd := unmask.SignalUpdate{Count: &count, LastSeen: &last, Weight: &weight, Severity: &sev, EventIDs: mergeIDs(old.EventIDs, s.EventIDs)}
	if s.Explanation != "" {
		upd.Explanation = &s.Explanation
	}
	if old.Cleared() && !slices.ContainsFunc(s.EventIDs, func(id string) bool { return !slices.Contains(old.EventIDs, id) }) {
		// The same evidence a legitimate case reviewed, raised again (a sweep re-checking
		// a profile): the review still covers it. New evidence lifts the clearing.
		at := latest(old.ClearedAt, last)
		upd.ClearedAt = &at
	}
	return upd
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// mergeIDs appends new ids to old without duplicates, keeping the first and the most recent
// MaxEventIDs/2 when there are too many.
func mergeIDs(old, add []string) []string {
	out := slices.Clone(old)
	for _, id := range add {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > MaxEventIDs {
		half := MaxEventIDs / 2
		out = append(out[:half:half], out[len(out)-half:]...)
	}
	return out
}
