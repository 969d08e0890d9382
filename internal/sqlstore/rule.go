package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const ruleCols = "id, title, description, level, status, indicators, tags, origin, path, enabled, updated_at"

func scanRule(r scanner) (*unmask.Rule, error) {
	var rl unmask.Rule
	var indicators, tags string
	var updated int64
	err := r.Scan(&rl.ID, &rl.Title, &rl.Description, &rl.Level, &rl.Status, &indicators, &tags,
		&rl.Origin, &rl.Path, &rl.Enabled, &updated)
	if err != nil {
		return nil, err
	}
	rl.UpdatedAt = fromTS(updated)
	if err := fromJSON(indicators, &rl.Indicators); err != nil {
		return nil, err
	}
	return &rl, fromJSON(tags, &rl.Tags)
}

// FindRuleByID returns one rule.
func (s *Store) FindRuleByID(ctx context.Context, id string) (*unmask.Rule, error) {
	return one(ctx, s, "FindRuleByID", "Rule", "SELECT "+ruleCols+" FROM rules WHERE id = ?", scanRule, id)
}

// FindRules returns matching rules ordered by title.
func (s *Store) FindRules(ctx context.Context, f unmask.RuleFilter) ([]*unmask.Rule, int, error) {
	var w where
	eq(&w, "origin", f.Origin)
	eq(&w, "enabled", f.Enabled)
	if f.Indicator != nil {
		w.add(`indicators LIKE ? ESCAPE '\'`, `%"`+escapeLike(*f.Indicator)+`"%`)
	}
	return list(ctx, s, "FindRules", ruleCols, "rules", w, "title, id", f.Page, scanRule)
}

// CreateRule stores a new rule.
func (s *Store) CreateRule(ctx context.Context, r *unmask.Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	r.UpdatedAt = s.now()
	_, err := s.exec(ctx, "INSERT INTO rules ("+ruleCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		r.ID, r.Title, r.Description, r.Level, r.Status, jsonText(orEmpty(r.Indicators)),
		jsonText(orEmpty(r.Tags)), r.Origin, r.Path, r.Enabled, ts(r.UpdatedAt))
	return s.classify("CreateRule", err)
}

// UpdateRule changes a rule.
func (s *Store) UpdateRule(ctx context.Context, id string, upd unmask.RuleUpdate) (*unmask.Rule, error) {
	var u set
	setv(&u, "enabled", upd.Enabled)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateRule", "Rule", "rules", id, &u); err != nil {
		return nil, err
	}
	return s.FindRuleByID(ctx, id)
}

// DeleteRule removes a rule.
func (s *Store) DeleteRule(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteRule", "Rule", "rules", id)
}
