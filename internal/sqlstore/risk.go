package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const riskCols = "person_id, score, band, reasons, computed_at"

func scanRisk(r scanner) (*unmask.RiskScore, error) {
	var rs unmask.RiskScore
	var reasons string
	var computed int64
	if err := r.Scan(&rs.PersonID, &rs.Score, &rs.Band, &reasons, &computed); err != nil {
		return nil, err
	}
	rs.ComputedAt = fromTS(computed)
	return &rs, fromJSON(reasons, &rs.Reasons)
}

// FindRiskScore returns a person's score.
func (s *Store) FindRiskScore(ctx context.Context, personID string) (*unmask.RiskScore, error) {
	return one(ctx, s, "FindRiskScore", "Risk score", "SELECT "+riskCols+" FROM risk_scores WHERE person_id = ?", scanRisk, personID)
}

// FindRiskScores returns matching scores, highest first.
func (s *Store) FindRiskScores(ctx context.Context, f unmask.RiskFilter) ([]*unmask.RiskScore, int, error) {
	var w where
	in(&w, "person_id", f.PersonIDs)
	eq(&w, "band", f.Band)
	if f.MinScore != nil {
		w.add("score >= ?", *f.MinScore)
	}
	return list(ctx, s, "FindRiskScores", riskCols, "risk_scores", w, "score DESC, person_id", f.Page, scanRisk)
}

// SaveRiskScore creates or replaces a person's score.
func (s *Store) SaveRiskScore(ctx context.Context, rs *unmask.RiskScore) error {
	if rs.PersonID == "" {
		return unmask.Errorf(unmask.EINVALID, "Risk score person required.")
	}
	if rs.Score < 0 || rs.Score > 100 {
		return unmask.Errorf(unmask.EINVALID, "Risk score %v is outside 0..100.", rs.Score)
	}
	if rs.ComputedAt.IsZero() {
		rs.ComputedAt = s.now()
	}
	_, err := s.exec(ctx, "INSERT INTO risk_scores ("+riskCols+") VALUES (?,?,?,?,?) "+
		"ON CONFLICT (person_id) DO UPDATE SET score = excluded.score, band = excluded.band, "+
		"reasons = excluded.reasons, computed_at = excluded.computed_at",
		rs.PersonID, rs.Score, rs.Band, jsonText(orEmpty(rs.Reasons)), ts(rs.ComputedAt))
	return s.classify("SaveRiskScore", err)
}

// DeleteRiskScore removes a person's score.
func (s *Store) DeleteRiskScore(ctx context.Context, personID string) error {
	res, err := s.exec(ctx, "DELETE FROM risk_scores WHERE person_id = ?", personID)
	if err != nil {
		return s.classify("DeleteRiskScore", err)
	}
	return s.classify("DeleteRiskScore", checkAffected("DeleteRiskScore", "Risk score", res))
}
