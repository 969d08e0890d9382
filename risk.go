package unmask

import (
	"context"
	"strings"
	"time"
)

// Indicator families: independent kinds of evidence. Corroboration across families counts
// for more than many hits within one.
const (
	FamilyHiring     = "hiring"     // H-xx: résumé, profile, identity, interview
	FamilyOnboarding = "onboarding" // O-xx: HR, payroll, shipping, MFA
	FamilyNetwork    = "network"    // N-xx: sign-ins, network and SaaS logs
	FamilyEndpoint   = "endpoint"   // §3: tools and hardware seen on the host
)

// IndicatorFamily returns the family of a THREAT.md indicator ID ("H-02" → hiring,
// "§3.1" → endpoint), or "" if the ID has no known prefix.
func IndicatorFamily(id string) string {
	switch {
	case strings.HasPrefix(id, "H-"):
		return FamilyHiring
	case strings.HasPrefix(id, "O-"):
		return FamilyOnboarding
	case strings.HasPrefix(id, "N-"):
		return FamilyNetwork
	case strings.HasPrefix(id, "§3"):
		return FamilyEndpoint
	}
	return ""
}

// RiskBand is a coarse grade of a risk score.
type RiskBand string

// Risk bands, lowest first.
const (
	BandLow      RiskBand = "low"
	BandMedium   RiskBand = "medium"
	BandHigh     RiskBand = "high"
	BandCritical RiskBand = "critical"
)

// RiskScore is a person's explained risk: a 0–100 score and the reasons behind it.
type RiskScore struct {
	PersonID string   `json:"person_id"`
	Score    float64  `json:"score"`
	Band     RiskBand `json:"band"`
	// Reasons are ordered by contribution, largest first.
	Reasons    []RiskReason `json:"reasons"`
	ComputedAt time.Time    `json:"computed_at"`
}

// RiskReason is one contribution to a score, linked to its evidence.
type RiskReason struct {
	Indicator   string   `json:"indicator"`
	Family      string   `json:"family"`
	Points      float64  `json:"points"`
	SignalIDs   []string `json:"signal_ids"`
	EventIDs    []string `json:"event_ids,omitempty"`
	Explanation string   `json:"explanation"`
}

// RiskFilter selects risk scores. Nil fields do not filter.
type RiskFilter struct {
	PersonIDs []string
	Band      *RiskBand
	MinScore  *float64
	Page
}

// RiskService stores the latest risk score of each person.
type RiskService interface {
	// FindRiskScore returns ENOTFOUND if no score was computed for the person.
	FindRiskScore(ctx context.Context, personID string) (*RiskScore, error)
	// FindRiskScores returns matching scores, highest first, and the total count.
	FindRiskScores(ctx context.Context, filter RiskFilter) ([]*RiskScore, int, error)
	// SaveRiskScore creates or replaces the person's score.
	SaveRiskScore(ctx context.Context, s *RiskScore) error
	DeleteRiskScore(ctx context.Context, personID string) error
}
