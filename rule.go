package unmask

import (
	"context"
	"time"
)

// Rule origins.
const (
	RuleBundled = "bundled" // shipped in the binary's rule pack
	RuleUser    = "user"    // loaded from the user's directory or URL
)

// Rule is the metadata of a detection rule and whether it is enabled.
type Rule struct {
	ID          string   `json:"id"` // the Sigma rule id
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Level       Severity `json:"level"`
	Status      string   `json:"status,omitempty"` // stable, test, experimental, ...
	// Indicators are the THREAT.md IDs the rule detects.
	Indicators []string  `json:"indicators,omitempty"`
	Tags       []string  `json:"tags,omitempty"`
	Origin     string    `json:"origin"` // bundled or user
	Path       string    `json:"path,omitempty"`
	Enabled    bool      `json:"enabled"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate reports whether r is complete enough to store.
func (r *Rule) Validate() error {
	switch {
	case r.ID == "" || r.Title == "":
		return Errorf(EINVALID, "Rule id and title required.")
	case r.Origin != RuleBundled && r.Origin != RuleUser:
		return Errorf(EINVALID, "Rule origin %q is not bundled or user.", r.Origin)
	}
	return nil
}

// RuleFilter selects rules. Nil fields do not filter.
type RuleFilter struct {
	Origin    *string
	Enabled   *bool
	Indicator *string
	Page
}

// RuleUpdate changes the non-nil fields of a rule.
type RuleUpdate struct {
	Enabled *bool
}

// RuleService stores rule metadata and enablement.
type RuleService interface {
	FindRuleByID(ctx context.Context, id string) (*Rule, error)
	// FindRules returns matching rules ordered by title.
	FindRules(ctx context.Context, filter RuleFilter) ([]*Rule, int, error)
	// CreateRule returns ECONFLICT if the id exists.
	CreateRule(ctx context.Context, r *Rule) error
	UpdateRule(ctx context.Context, id string, upd RuleUpdate) (*Rule, error)
	DeleteRule(ctx context.Context, id string) error
}
