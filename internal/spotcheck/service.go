package spotcheck

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/unmask/unmask"
)

// PersonStore is the part of unmask.PersonService the service uses.
type PersonStore interface {
	FindPersonByID(ctx context.Context, id string) (*unmask.Person, error)
	FindPeople(ctx context.Context, filter unmask.PersonFilter) ([]*unmask.Person, int, error)
}

// RiskStore is the part of unmask.RiskService the service uses.
type RiskStore interface {
	FindRiskScores(ctx context.Context, filter unmask.RiskFilter) ([]*unmask.RiskScore, int, error)
}

// CheckStore is the part of unmask.SpotCheckService the service uses.
type CheckStore interface {
	FindSpotCheckByID(ctx context.Context, id string) (*unmask.SpotCheck, error)
	FindSpotChecks(ctx context.Context, filter unmask.SpotCheckFilter) ([]*unmask.SpotCheck, int, error)
	CreateSpotCheck(ctx context.Context, s *unmask.SpotCheck) error
	UpdateSpotCheck(ctx context.Context, id string, upd unmask.SpotCheckUpdate) (*unmask.SpotCheck, error)
}

// SignalStore is the part of unmask.SignalService the service uses. CreateSignal must
// return ECONFLICT for a person's second signal with the same detector and key.
type SignalStore interface {
	CreateSignal(ctx context.Context, s *unmask.Signal) error
}

// AuditStore is the part of unmask.AuditService the service uses.
type AuditStore interface {
	CreateAuditEntry(ctx context.Context, a *unmask.AuditEntry) error
}

// Options configures a Service. Every store is required; one SQL store provides them all.
type Options struct {
	People  PersonStore
	Risk    RiskStore
	Checks  CheckStore
	Signals SignalStore
	Audit   AuditStore
	Policy  Policy
	// Seed seeds random sampling. Keep it fixed, so that a restart plans the same checks,
	// and secret (derive it from the installation's hash key, say): with a known seed,
	// anyone who has the code and a person id can predict that person's random checks.
	Seed uint64
	// Interval is how often Run plans; 0 means one hour.
	Interval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger logs what each pass did, by id; nil discards.
	Logger *slog.Logger
}

// Service schedules spot checks and records their results. It is safe for concurrent use.
type Service struct {
	people   PersonStore
	risk     RiskStore
	checks   CheckStore
	signals  SignalStore
	audit    AuditStore
	policy   Policy
	seed     uint64
	interval time.Duration
	now      func() time.Time
	log      *slog.Logger

	// mu serialises the read-modify-write of checks (passes, results, cancellations) in
	// this process.
	mu sync.Mutex
}

// NewService returns a service, or EINVALID when a store is missing or the policy is not
// valid.
func NewService(opts Options) (*Service, error) {
	if opts.People == nil || opts.Risk == nil || opts.Checks == nil || opts.Signals == nil || opts.Audit == nil {
		return nil, unmask.Errorf(unmask.EINVALID, "Spot checks need person, risk, spot-check, signal and audit stores.")
	}
	if err := opts.Policy.Validate(); err != nil {
		return nil, err
	}
	s := &Service{
		people: opts.People, risk: opts.Risk, checks: opts.Checks, signals: opts.Signals,
		audit: opts.Audit, policy: opts.Policy, seed: opts.Seed, interval: opts.Interval,
		now: opts.Now, log: opts.Logger,
	}
	if s.interval <= 0 {
		s.interval = time.Hour
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "spotcheck")
	if s.seed == 0 {
		s.log.Warn("spot-check seed is zero: random checks are predictable")
	}
	return s, nil
}

// responder returns the acting user if their role may change spot checks.
func responder(ctx context.Context) (*unmask.User, error) {
	u := unmask.UserFromContext(ctx)
	switch {
	case u == nil:
		return nil, unmask.Errorf(unmask.EUNAUTHORIZED, "Sign in to work on spot checks.")
	case u.Disabled:
		return nil, unmask.Errorf(unmask.EFORBIDDEN, "This account is disabled.")
	case !u.Role.CanRespond():
		return nil, unmask.Errorf(unmask.EFORBIDDEN, "The %s role may not change spot checks.", u.Role)
	}
	return u, nil
}

// record writes the audit entry of one change.
func (s *Service) record(ctx context.Context, action, objectID, detail string) error {
	a := unmask.NewAuditEntry(ctx, action, "spot_check", objectID, detail)
	a.Time = s.now().UTC()
	if err := s.audit.CreateAuditEntry(ctx, a); err != nil {
		return fmt.Errorf("audit %s of spot check %s: %w", action, objectID, err)
	}
	return nil
}

// raise stores a check's signals; ones already stored (same key) are skipped. It returns
// the indicators raised.
func (s *Service) raise(ctx context.Context, c *unmask.SpotCheck) ([]string, error) {
	var raised []string
	for _, sg := range Signals(c, s.now()) {
		err := s.signals.CreateSignal(ctx, &sg)
		if err != nil && unmask.ErrorCode(err) != unmask.ECONFLICT {
			return raised, fmt.Errorf("raise %s for spot check %s: %w", sg.Indicator, c.ID, err)
		}
		raised = append(raised, sg.Indicator)
	}
	return raised, nil
}

// listAll collects every page of a Find* call.
func listAll[T any](find func(p unmask.Page) ([]T, int, error)) ([]T, error) {
	var out []T
	for off := 0; ; {
		items, total, err := find(unmask.Page{Offset: off, Limit: unmask.MaxLimit})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		off += len(items)
		if len(items) == 0 || off >= total {
			return out, nil
		}
	}
}
