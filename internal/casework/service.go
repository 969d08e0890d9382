package casework

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/unmask/unmask"
)

// CaseStore is the part of unmask.CaseService the service uses.
type CaseStore interface {
	FindCaseByID(ctx context.Context, id string) (*unmask.Case, error)
	FindCases(ctx context.Context, filter unmask.CaseFilter) ([]*unmask.Case, int, error)
	CreateCase(ctx context.Context, c *unmask.Case) error
	UpdateCase(ctx context.Context, id string, upd unmask.CaseUpdate) (*unmask.Case, error)
	CreateCaseNote(ctx context.Context, n *unmask.CaseNote) error
}

// AlertStore is the part of unmask.AlertService the service uses.
type AlertStore interface {
	FindAlertByID(ctx context.Context, id string) (*unmask.Alert, error)
	FindAlerts(ctx context.Context, filter unmask.AlertFilter) ([]*unmask.Alert, int, error)
	UpdateAlert(ctx context.Context, id string, upd unmask.AlertUpdate) (*unmask.Alert, error)
}

// SignalStore is the part of unmask.SignalService the service uses.
type SignalStore interface {
	FindSignalByID(ctx context.Context, id string) (*unmask.Signal, error)
	FindSignals(ctx context.Context, filter unmask.SignalFilter) ([]*unmask.Signal, int, error)
	UpdateSignal(ctx context.Context, id string, upd unmask.SignalUpdate) (*unmask.Signal, error)
}

// EventStore is the part of unmask.EventService the service uses.
type EventStore interface {
	FindEventByID(ctx context.Context, id string) (*unmask.Event, error)
}

// IdentifierStore is the part of unmask.IdentifierService the service uses.
type IdentifierStore interface {
	FindIdentifiers(ctx context.Context, filter unmask.IdentifierFilter) ([]*unmask.Identifier, int, error)
}

// IndicatorStore is the part of unmask.IndicatorService the service uses. CreateIndicator
// must return ECONFLICT when (Type, Value, Source) exists.
type IndicatorStore interface {
	FindIndicators(ctx context.Context, filter unmask.IndicatorFilter) ([]*unmask.Indicator, int, error)
	CreateIndicator(ctx context.Context, i *unmask.Indicator) error
	UpdateIndicator(ctx context.Context, id string, upd unmask.IndicatorUpdate) (*unmask.Indicator, error)
}

// AuditStore is the part of unmask.AuditService the service uses.
type AuditStore interface {
	CreateAuditEntry(ctx context.Context, a *unmask.AuditEntry) error
}

// PersonStore is the part of unmask.PersonService the service uses.
type PersonStore interface {
	FindPersonByID(ctx context.Context, id string) (*unmask.Person, error)
}

// RiskStore is the part of unmask.RiskService that Recommend uses.
type RiskStore interface {
	FindRiskScore(ctx context.Context, personID string) (*unmask.RiskScore, error)
}

// SpotCheckStore is the part of unmask.SpotCheckService that Recommend uses.
type SpotCheckStore interface {
	FindSpotChecks(ctx context.Context, filter unmask.SpotCheckFilter) ([]*unmask.SpotCheck, int, error)
}

// UserStore is the part of unmask.UserService used to check assignees.
type UserStore interface {
	FindUserByID(ctx context.Context, id string) (*unmask.User, error)
}

// Options configures a Service. Every store but Risk, SpotChecks and Users is required;
// one SQL store provides them all.
type Options struct {
	Cases       CaseStore
	Alerts      AlertStore
	Signals     SignalStore
	Events      EventStore
	Identifiers IdentifierStore
	Indicators  IndicatorStore
	Audit       AuditStore
	People      PersonStore
	// Risk and SpotChecks feed Recommend; without them it judges from alerts and cases.
	Risk       RiskStore
	SpotChecks SpotCheckStore
	// Users, if set, is used to check that an assignee exists and may respond.
	Users UserStore
	// Rescore gives the live risk engine the signals a case cleared or restored, and saves
	// the new scores; nil leaves the scores until the engine next loads the signals.
	Rescore func(ctx context.Context, signals ...unmask.Signal) error
	// Recommend tunes Recommend; the zero value means DefaultRecommendPolicy.
	Recommend RecommendPolicy
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger logs case changes by id; nil discards.
	Logger *slog.Logger
}

// Service runs the case workflow. It is safe for concurrent use.
type Service struct {
	cases       CaseStore
	alerts      AlertStore
	signals     SignalStore
	events      EventStore
	identifiers IdentifierStore
	indicators  IndicatorStore
	audit       AuditStore
	people      PersonStore
	risk        RiskStore
	spotChecks  SpotCheckStore
	users       UserStore
	rescore     func(context.Context, ...unmask.Signal) error
	policy      RecommendPolicy
	now         func() time.Time
	log         *slog.Logger

	// openMu serialises opening cases from alerts, so that two responders cannot open two
	// cases for one alert in this process.
	openMu sync.Mutex
}

// NewService returns a service, or EINVALID when a required store is missing.
func NewService(opts Options) (*Service, error) {
	if opts.Cases == nil || opts.Alerts == nil || opts.Signals == nil || opts.Events == nil ||
		opts.Identifiers == nil || opts.Indicators == nil || opts.Audit == nil || opts.People == nil {
		return nil, unmask.Errorf(unmask.EINVALID, "Case work needs case, alert, signal, event, identifier, indicator, audit and person stores.")
	}
	s := &Service{
		cases: opts.Cases, alerts: opts.Alerts, signals: opts.Signals, events: opts.Events,
		identifiers: opts.Identifiers, indicators: opts.Indicators, audit: opts.Audit,
		people: opts.People, risk: opts.Risk, spotChecks: opts.SpotChecks, users: opts.Users, rescore: opts.Rescore,
		policy: opts.Recommend, now: opts.Now, log: opts.Logger,
	}
	if s.policy == (RecommendPolicy{}) {
		s.policy = DefaultRecommendPolicy()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "casework")
	return s, nil
}

// responder returns the acting user if their role may change cases.
func responder(ctx context.Context) (*unmask.User, error) {
	u := unmask.UserFromContext(ctx)
	switch {
	case u == nil:
		return nil, unmask.Errorf(unmask.EUNAUTHORIZED, "Sign in to work on cases.")
	case u.Disabled:
		return nil, unmask.Errorf(unmask.EFORBIDDEN, "This account is disabled.")
	case !u.Role.CanRespond():
		return nil, unmask.Errorf(unmask.EFORBIDDEN, "The %s role may not change cases.", u.Role)
	}
	return u, nil
}

// record writes the audit entry of one action on a case.
func (s *Service) record(ctx context.Context, action, caseID, detail string) error {
	a := unmask.NewAuditEntry(ctx, action, "case", caseID, detail)
	a.Time = s.now().UTC()
	if err := s.audit.CreateAuditEntry(ctx, a); err != nil {
		return fmt.Errorf("audit %s of case %s: %w", action, caseID, err)
	}
	s.log.InfoContext(ctx, "case changed", "action", action, "case_id", caseID, "actor_id", a.ActorID)
	return nil
}

// finish writes the audit entry of an action whose main change is stored, even when a
// later step (err) failed, so that no stored change goes unaudited.
func (s *Service) finish(ctx context.Context, action, caseID, detail string, err error) error {
	if err != nil {
		detail += "; not completed: " + unmask.ErrorMessage(err)
	}
	return errors.Join(err, s.record(ctx, action, caseID, detail))
}

// checkAssignee returns EINVALID if id names no user who may respond. Without a user
// store any id is accepted; "" (unassigned) always is.
func (s *Service) checkAssignee(ctx context.Context, id string) error {
	if id == "" || s.users == nil {
		return nil
	}
	u, err := s.users.FindUserByID(ctx, id)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		return unmask.Errorf(unmask.EINVALID, "Assignee %s is not a user.", id)
	}
	if err != nil {
		return fmt.Errorf("find assignee %s: %w", id, err)
	}
	if u.Disabled || !u.Role.CanRespond() {
		return unmask.Errorf(unmask.EINVALID, "Assignee %s may not work on cases.", id)
	}
	return nil
}

// addNote stores a note by the acting user.
func (s *Service) addNote(ctx context.Context, caseID, author, body string) (*unmask.CaseNote, error) {
	n := &unmask.CaseNote{CaseID: caseID, Author: author, Body: body}
	if err := s.cases.CreateCaseNote(ctx, n); err != nil {
		return nil, fmt.Errorf("add note to case %s: %w", caseID, err)
	}
	return n, nil
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
