package alerting

import (
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Suppression silences matching signals until it expires. Every matcher that is set must
// match; at least one must be set. Suppressions always carry a reason, an owner and an
// expiry, so that none outlives the reason it was made for.
type Suppression struct {
	ID string `json:"id" yaml:"id"`
	// PersonID matches the signal's person.
	PersonID string `json:"person_id,omitempty" yaml:"person_id,omitempty"`
	// Indicator matches the signal's indicator ID ("N-02") or its family ("network").
	Indicator string `json:"indicator,omitempty" yaml:"indicator,omitempty"`
	// Detector matches the signal's detector exactly ("analytics:impossible_travel").
	Detector string `json:"detector,omitempty" yaml:"detector,omitempty"`
	// Rule matches a Sigma rule ID: signals whose detector is "sigma:<Rule>".
	Rule string `json:"rule,omitempty" yaml:"rule,omitempty"`
	// Reason says why, e.g. "approved TeamViewer use by IT support, ticket IT-1234".
	Reason string `json:"reason" yaml:"reason"`
	// Owner is the user accountable for the suppression.
	Owner     string    `json:"owner" yaml:"owner"`
	CreatedAt time.Time `json:"created_at" yaml:"created_at"`
	ExpiresAt time.Time `json:"expires_at" yaml:"expires_at"`
	// Suppressed counts the signals it silenced; LastMatched is when it last did. A
	// suppression that never matches is a candidate for removal.
	Suppressed  int       `json:"suppressed" yaml:"suppressed"`
	LastMatched time.Time `json:"last_matched,omitzero" yaml:"last_matched,omitempty"`
}

// MaxSuppression is the longest a suppression may last.
const MaxSuppression = 366 * 24 * time.Hour

// Validate reports whether s is complete and may be added at now.
func (s *Suppression) Validate(now time.Time) error {
	switch {
	case s.ID == "":
		return unmask.Errorf(unmask.EINVALID, "Suppression ID required.")
	case s.PersonID == "" && s.Indicator == "" && s.Detector == "" && s.Rule == "":
		return unmask.Errorf(unmask.EINVALID, "Suppression %s needs a person, indicator, detector or rule to match.", s.ID)
	case strings.TrimSpace(s.Reason) == "":
		return unmask.Errorf(unmask.EINVALID, "Suppression %s needs a reason.", s.ID)
	case strings.TrimSpace(s.Owner) == "":
		return unmask.Errorf(unmask.EINVALID, "Suppression %s needs an owner.", s.ID)
	case !s.ExpiresAt.After(now):
		return unmask.Errorf(unmask.EINVALID, "Suppression %s must expire in the future.", s.ID)
	case s.ExpiresAt.Sub(now) > MaxSuppression:
		return unmask.Errorf(unmask.EINVALID, "Suppression %s may last at most 366 days.", s.ID)
	}
	return nil
}

// Active reports whether s applies at now.
func (s *Suppression) Active(now time.Time) bool { return now.Before(s.ExpiresAt) }

// Matches reports whether s silences sig at now.
func (s *Suppression) Matches(sig *unmask.Signal, now time.Time) bool {
	switch {
	case !s.Active(now):
		return false
	case s.PersonID != "" && s.PersonID != sig.PersonID:
		return false
	case s.Indicator != "" && s.Indicator != sig.Indicator && s.Indicator != unmask.IndicatorFamily(sig.Indicator):
		return false
	case s.Detector != "" && s.Detector != sig.Detector:
		return false
	case s.Rule != "" && sig.Detector != "sigma:"+s.Rule:
		return false
	}
	return true
}
