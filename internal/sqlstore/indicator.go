package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const indicatorCols = "id, type, value, source, description, confidence, case_id, valid_until, created_at, updated_at"

func scanIndicator(r scanner) (*unmask.Indicator, error) {
	var i unmask.Indicator
	var valid, created, updated int64
	err := r.Scan(&i.ID, &i.Type, &i.Value, &i.Source, &i.Description, &i.Confidence, &i.CaseID,
		&valid, &created, &updated)
	if err != nil {
		return nil, err
	}
	i.ValidUntil, i.CreatedAt, i.UpdatedAt = fromTS(valid), fromTS(created), fromTS(updated)
	return &i, nil
}

// FindIndicatorByID returns one indicator.
func (s *Store) FindIndicatorByID(ctx context.Context, id string) (*unmask.Indicator, error) {
	return one(ctx, s, "FindIndicatorByID", "Indicator", "SELECT "+indicatorCols+" FROM indicators WHERE id = ?", scanIndicator, id)
}

// FindIndicators returns matching indicators ordered by type then value.
func (s *Store) FindIndicators(ctx context.Context, f unmask.IndicatorFilter) ([]*unmask.Indicator, int, error) {
	var w where
	eq(&w, "type", f.Type)
	eq(&w, "value", f.Value)
	eq(&w, "source", f.Source)
	eq(&w, "case_id", f.CaseID)
	return list(ctx, s, "FindIndicators", indicatorCols, "indicators", w, "type, value, id", f.Page, scanIndicator)
}

// CreateIndicator stores a new indicator.
func (s *Store) CreateIndicator(ctx context.Context, i *unmask.Indicator) error {
	if err := i.Validate(); err != nil {
		return err
	}
	if i.ID == "" {
		i.ID = newID()
	}
	now := s.now()
	i.CreatedAt, i.UpdatedAt = now, now
	_, err := s.exec(ctx, "INSERT INTO indicators ("+indicatorCols+") VALUES (?,?,?,?,?,?,?,?,?,?)",
		i.ID, i.Type, i.Value, i.Source, i.Description, i.Confidence, i.CaseID, ts(i.ValidUntil),
		ts(i.CreatedAt), ts(i.UpdatedAt))
	return s.classify("CreateIndicator", err)
}

// UpdateIndicator changes an indicator.
func (s *Store) UpdateIndicator(ctx context.Context, id string, upd unmask.IndicatorUpdate) (*unmask.Indicator, error) {
	if upd.Confidence != nil && (*upd.Confidence < 0 || *upd.Confidence > 100) {
		return nil, unmask.Errorf(unmask.EINVALID, "Indicator confidence %d is outside 0..100.", *upd.Confidence)
	}
	var u set
	setv(&u, "description", upd.Description)
	setv(&u, "confidence", upd.Confidence)
	sett(&u, "valid_until", upd.ValidUntil)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateIndicator", "Indicator", "indicators", id, &u); err != nil {
		return nil, err
	}
	return s.FindIndicatorByID(ctx, id)
}

// DeleteIndicator removes an indicator.
func (s *Store) DeleteIndicator(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteIndicator", "Indicator", "indicators", id)
}
