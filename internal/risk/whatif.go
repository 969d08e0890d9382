package risk

import (
	"time"

	"github.com/unmask/unmask"
)

// Input is one person's evidence for a what-if preview.
type Input struct {
	Subject Subject
	Signals []unmask.Signal
}

// Change is how one person's rank and score move between two configurations. Ranks start
// at 1 for the highest score; ties are broken by person ID.
type Change struct {
	PersonID string          `json:"person_id"`
	OldRank  int             `json:"old_rank"`
	OldScore float64         `json:"old_score"`
	OldBand  unmask.RiskBand `json:"old_band"`
	NewRank  int             `json:"new_rank"`
	NewScore float64         `json:"new_score"`
	NewBand  unmask.RiskBand `json:"new_band"`
}

// Moved returns how many places the person rose (negative: fell).
func (c Change) Moved() int { return c.OldRank - c.NewRank }

// Preview scores people under base and alt at now and returns the re-ranking, ordered by
// the new rank. It returns EINVALID if either configuration is invalid.
func Preview(people []Input, base, alt Config, now time.Time) ([]Change, error) {
	if err := base.Validate(); err != nil {
		return nil, err
	}
	if err := alt.Validate(); err != nil {
		return nil, err
	}
	oldRank := make(map[string]int, len(people))
	old := rank(people, base, now)
	for i, s := range old {
		oldRank[s.PersonID] = i
	}
	changes := make([]Change, 0, len(people))
	for i, s := range rank(people, alt, now) {
		j := oldRank[s.PersonID]
		changes = append(changes, Change{
			PersonID: s.PersonID,
			OldRank:  j + 1,
			OldScore: old[j].Score,
			OldBand:  old[j].Band,
			NewRank:  i + 1,
			NewScore: s.Score,
			NewBand:  s.Band,
		})
	}
	return changes, nil
}

// rank scores people under cfg, highest first.
func rank(people []Input, cfg Config, now time.Time) []unmask.RiskScore {
	scores := make([]unmask.RiskScore, 0, len(people))
	for _, p := range people {
		scores = append(scores, Score(cfg, p.Subject, p.Signals, now))
	}
	sortRanking(scores)
	return scores
}
