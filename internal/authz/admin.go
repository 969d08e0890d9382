package authz

import (
	"context"
	"time"

	"github.com/unmask/unmask"
)

// FindIndicatorByID returns an indicator; any role may read threat intelligence.
func (s *Service) FindIndicatorByID(ctx context.Context, id string) (*unmask.Indicator, error) {
	if _, err := require(ctx, "view indicators", anyone); err != nil {
		return nil, err
	}
	return s.s.FindIndicatorByID(ctx, id)
}

// FindIndicators lists indicators; any role may read threat intelligence.
func (s *Service) FindIndicators(ctx context.Context, f unmask.IndicatorFilter) ([]*unmask.Indicator, int, error) {
	if _, err := require(ctx, "view indicators", anyone); err != nil {
		return nil, 0, err
	}
	return s.s.FindIndicators(ctx, f)
}

// CreateIndicator adds an indicator; analysts and administrators.
func (s *Service) CreateIndicator(ctx context.Context, i *unmask.Indicator) error {
	if _, err := require(ctx, "add indicators", tuner); err != nil {
		return err
	}
	if err := s.s.CreateIndicator(ctx, i); err != nil {
		return err
	}
	return s.audit(ctx, "indicator.create", "indicator", i.ID, "type="+string(i.Type)+" source="+i.Source)
}

// UpdateIndicator changes an indicator; analysts and administrators.
func (s *Service) UpdateIndicator(ctx context.Context, id string, upd unmask.IndicatorUpdate) (*unmask.Indicator, error) {
	if _, err := require(ctx, "change indicators", tuner); err != nil {
		return nil, err
	}
	i, err := s.s.UpdateIndicator(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	return i, s.audit(ctx, "indicator.update", "indicator", id, changes(map[string]bool{
		"description": upd.Description != nil, "confidence": upd.Confidence != nil, "valid_until": upd.ValidUntil != nil}))
}

// DeleteIndicator removes an indicator; analysts and administrators.
func (s *Service) DeleteIndicator(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete indicators", tuner); err != nil {
		return err
	}
	if err := s.s.DeleteIndicator(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "indicator.delete", "indicator", id, "")
}

// FindRuleByID returns a rule; any role may read rules.
func (s *Service) FindRuleByID(ctx context.Context, id string) (*unmask.Rule, error) {
	if _, err := require(ctx, "view rules", anyone); err != nil {
		return nil, err
	}
	return s.s.FindRuleByID(ctx, id)
}

// FindRules lists rules; any role may read rules.
func (s *Service) FindRules(ctx context.Context, f unmask.RuleFilter) ([]*unmask.Rule, int, error) {
	if _, err := require(ctx, "view rules", anyone); err != nil {
		return nil, 0, err
	}
	return s.s.FindRules(ctx, f)
}

// CreateRule registers a rule; administrators only (rule loading runs as system).
func (s *Service) CreateRule(ctx context.Context, r *unmask.Rule) error {
	if _, err := require(ctx, "add rules", administers); err != nil {
		return err
	}
	if err := s.s.CreateRule(ctx, r); err != nil {
		return err
	}
	return s.audit(ctx, "rule.create", "rule", r.ID, r.Origin)
}

// UpdateRule enables or disables a rule; analysts and administrators.
func (s *Service) UpdateRule(ctx context.Context, id string, upd unmask.RuleUpdate) (*unmask.Rule, error) {
	if _, err := require(ctx, "enable or disable rules", tuner); err != nil {
		return nil, err
	}
	r, err := s.s.UpdateRule(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	detail := ""
	if upd.Enabled != nil {
		detail = "enabled=false"
		if *upd.Enabled {
			detail = "enabled=true"
		}
	}
	return r, s.audit(ctx, "rule.update", "rule", id, detail)
}

// DeleteRule removes a rule; administrators only.
func (s *Service) DeleteRule(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete rules", administers); err != nil {
		return err
	}
	if err := s.s.DeleteRule(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "rule.delete", "rule", id, "")
}

// FindDeadLetterByID returns a rejected record; analysts and administrators.
func (s *Service) FindDeadLetterByID(ctx context.Context, id string) (*unmask.DeadLetter, error) {
	if _, err := require(ctx, "view dead letters", tuner); err != nil {
		return nil, err
	}
	return s.s.FindDeadLetterByID(ctx, id)
}

// FindDeadLetters lists rejected records; analysts and administrators.
func (s *Service) FindDeadLetters(ctx context.Context, f unmask.DeadLetterFilter) ([]*unmask.DeadLetter, int, error) {
	if _, err := require(ctx, "view dead letters", tuner); err != nil {
		return nil, 0, err
	}
	return s.s.FindDeadLetters(ctx, f)
}

// CreateDeadLetters stores rejected records; administrators and the system user only.
func (s *Service) CreateDeadLetters(ctx context.Context, dls []*unmask.DeadLetter) error {
	if _, err := require(ctx, "store dead letters", administers); err != nil {
		return err
	}
	return s.s.CreateDeadLetters(ctx, dls)
}

// DeleteDeadLetter removes a rejected record; administrators only.
func (s *Service) DeleteDeadLetter(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete dead letters", administers); err != nil {
		return err
	}
	if err := s.s.DeleteDeadLetter(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "deadletter.delete", "dead_letter", id, "")
}

// CountDeadLetters counts rejected records per source; any role may see ingest health.
func (s *Service) CountDeadLetters(ctx context.Context) (map[string]int, error) {
	if _, err := require(ctx, "view ingest health", anyone); err != nil {
		return nil, err
	}
	return s.s.CountDeadLetters(ctx)
}

// CreateAuditEntry appends an entry in the acting user's name; any signed-in user.
func (s *Service) CreateAuditEntry(ctx context.Context, a *unmask.AuditEntry) error {
	u, err := require(ctx, "write the audit trail", anyone)
	if err != nil {
		return err
	}
	a.ActorID, a.Actor = u.ID, u.Username
	return s.s.CreateAuditEntry(ctx, a)
}

// FindAuditEntries reads the audit trail; administrators only.
func (s *Service) FindAuditEntries(ctx context.Context, f unmask.AuditFilter) ([]*unmask.AuditEntry, int, error) {
	if _, err := require(ctx, "read the audit trail", administers); err != nil {
		return nil, 0, err
	}
	return s.s.FindAuditEntries(ctx, f)
}

// AccountManager manages local users and API tokens (internal/auth implements it over the
// store and audits each change itself).
type AccountManager interface {
	CreateUser(ctx context.Context, u *unmask.User, password string) error
	SetPassword(ctx context.Context, userID, password string) error
	CreateToken(ctx context.Context, user *unmask.User, name string, role unmask.Role, ttl time.Duration) (*unmask.APIToken, string, error)
	RevokeToken(ctx context.Context, id string) error
}

// Accounts is the authorizing decorator of an AccountManager: administrators only.
type Accounts struct{ m AccountManager }

// NewAccounts returns an Accounts over m.
func NewAccounts(m AccountManager) *Accounts { return &Accounts{m: m} }

// CreateUser creates a local user with a password; administrators only.
func (a *Accounts) CreateUser(ctx context.Context, u *unmask.User, password string) error {
	if _, err := require(ctx, "create users", administers); err != nil {
		return err
	}
	return a.m.CreateUser(ctx, u, password)
}

// SetPassword replaces a user's password; administrators only.
func (a *Accounts) SetPassword(ctx context.Context, userID, password string) error {
	if _, err := require(ctx, "set passwords", administers); err != nil {
		return err
	}
	return a.m.SetPassword(ctx, userID, password)
}

// CreateToken issues an API token for user; administrators only.
func (a *Accounts) CreateToken(ctx context.Context, user *unmask.User, name string, role unmask.Role, ttl time.Duration) (*unmask.APIToken, string, error) {
	if _, err := require(ctx, "issue tokens", administers); err != nil {
		return nil, "", err
	}
	return a.m.CreateToken(ctx, user, name, role, ttl)
}

// RevokeToken revokes a token; administrators only.
func (a *Accounts) RevokeToken(ctx context.Context, id string) error {
	if _, err := require(ctx, "revoke tokens", administers); err != nil {
		return err
	}
	return a.m.RevokeToken(ctx, id)
}
