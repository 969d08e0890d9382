// Package authz is Unmask's service-layer authorization. Service wraps the domain services
// of a store and, for every call, takes the acting user from the context
// (unmask.UserFromContext), refuses what the user's role may not do with EFORBIDDEN (no
// user at all is EUNAUTHORIZED), shapes what it returns to the role (pseudonymised names for
// viewers, masked identifiers and HR fields for roles without HR access, no endpoint or
// network details for roles without endpoint access) and writes an audit entry for every
// view of a person's sensitive data and every change. The API, the web UI and the CLI all
// go through it, so they obey the same rules.
//
// Pipeline writes (events, signals, risk scores, dead letters, checkpoints) are allowed to
// administrators and the system user only and are not audited one by one: they are bulk
// machine output, and the ingest and detection stages use the store directly.
package authz

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// Store is every domain service Service wraps.
type Store interface {
	unmask.PersonService
	unmask.IdentifierService
	unmask.DeviceService
	unmask.EventService
	unmask.SignalService
	unmask.RiskService
	unmask.AlertService
	unmask.CaseService
	unmask.SpotCheckService
	unmask.IndicatorService
	unmask.RuleService
	unmask.UserService
	unmask.TokenService
	unmask.AuditService
	unmask.DeadLetterService
}

// Options configures a Service.
type Options struct {
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Service is the authorizing decorator of a Store. It is safe for concurrent use when the
// store is.
type Service struct {
	s   Store
	now func() time.Time
}

// Compile-time checks that Service implements every service it wraps.
var _ Store = (*Service)(nil)

// New returns a Service over s.
func New(s Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{s: s, now: opts.Now}
}

// Permission predicates, on top of the domain's Role methods.
func anyone(r unmask.Role) bool      { return r.Valid() }
func responder(r unmask.Role) bool   { return r.CanRespond() }
func hrAccess(r unmask.Role) bool    { return r.CanSeeHR() }
func tuner(r unmask.Role) bool       { return r == unmask.RoleAdmin || r == unmask.RoleAnalyst }
func administers(r unmask.Role) bool { return r.CanAdminister() }

// CanTune reports whether r may change detection content: rules and indicators.
func CanTune(r unmask.Role) bool { return tuner(r) }

// require returns the acting user when its role passes allowed.
func require(ctx context.Context, what string, allowed func(unmask.Role) bool) (*unmask.User, error) {
	u := unmask.UserFromContext(ctx)
	if u == nil {
		return nil, unmask.Errorf(unmask.EUNAUTHORIZED, "Sign in first.")
	}
	if u.Disabled || !allowed(u.Role) {
		return nil, unmask.Errorf(unmask.EFORBIDDEN, "A %s may not %s.", roleName(u.Role), what)
	}
	return u, nil
}

func roleName(r unmask.Role) string {
	if r == "" {
		return "user without a role"
	}
	return string(r)
}

// audit appends an entry for the acting user in ctx.
func (s *Service) audit(ctx context.Context, action, objectType, objectID, detail string) error {
	e := unmask.NewAuditEntry(ctx, action, objectType, objectID, detail)
	e.Time = s.now()
	if err := s.s.CreateAuditEntry(ctx, e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Pseudonym returns the stable pseudonym a person is shown under to roles that may not see
// names.
func Pseudonym(personID string) string {
	sum := sha256.Sum256([]byte("unmask-person\x00" + personID))
	return "Person " + strings.ToUpper(hex.EncodeToString(sum[:3]))
}

// hide keeps the first character of v and hides the rest.
func hide(v string) string {
	if v == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(v)
	return string(r) + "***"
}

// changes names the fields an update sets, for an audit detail; values are never copied,
// so no HR value reaches the audit trail.
func changes(set map[string]bool) string {
	var names []string
	for name, ok := range set {
		if ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}
