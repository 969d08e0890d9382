package identity

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/fullname"
)

// Payout methods.
const (
	PayoutBank     = "bank"
	PayoutCheck    = "check"
	PayoutCrypto   = "crypto"
	PayoutPayoneer = "payoneer"
	PayoutWise     = "wise"
	PayoutPayPal   = "paypal"
	PayoutOther    = "other_platform"
)

// thirdParty are payout methods H-16 names.
var thirdParty = map[string]bool{PayoutPayoneer: true, PayoutWise: true, PayoutPayPal: true, PayoutOther: true}

// Payout is a person's payout setup and its change history.
type Payout struct {
	PersonID string
	EventID  string
	Time     time.Time
	// Worker is true for employees and contractors (O-03), false for applicants (H-16).
	Worker           bool
	Method           string
	PayeeName        string
	LegalName        string
	AccountDisplay   string // masked account, e.g. "****1234"
	BankCountry      string
	ResidenceCountry string
	// Changes are the times of payout-method or account changes.
	Changes []time.Time
}

// PayoutSignals checks payout details: crypto or third-party platforms (H-16), a payee
// whose name does not match the legal name, many changes within 90 days, and a bank
// outside the country of residence (O-03 for workers, H-16 for applicants).
func (c Checker) PayoutSignals(p Payout) []unmask.Signal {
	ind := "H-16"
	if p.Worker {
		ind = "O-03"
	}
	acct := p.AccountDisplay
	if acct == "" {
		acct = "on file"
	}
	var out []unmask.Signal
	switch m := strings.ToLower(p.Method); {
	case m == PayoutCrypto:
		out = append(out, c.signal(p.PersonID, "H-16", DetectorPayout, unmask.SeverityHigh, 0.6, p.Time, p.EventID,
			"payout:method", "Payout is requested in cryptocurrency."))
	case thirdParty[m]:
		out = append(out, c.signal(p.PersonID, "H-16", DetectorPayout, unmask.SeverityMedium, 0.3, p.Time, p.EventID,
			"payout:method", fmt.Sprintf("Payout goes through a third-party platform (%s).", m)))
	}
	if p.PayeeName != "" && p.LegalName != "" && fullname.Compare(p.PayeeName, p.LegalName) == fullname.None {
		out = append(out, c.signal(p.PersonID, ind, DetectorPayout, unmask.SeverityHigh, 0.7, p.Time, p.EventID,
			"payout:payee", fmt.Sprintf("Account %s is held in a name that does not match the legal name.", acct)))
	}
	if n := maxIn(p.Changes, 90*24*time.Hour); n > 3 {
		out = append(out, c.signal(p.PersonID, ind, DetectorPayout, unmask.SeverityMedium, 0.4, p.Time, p.EventID,
			"payout:changes", fmt.Sprintf("Payout details changed %d times within 90 days.", n)))
	}
	bc, rc := strings.ToUpper(p.BankCountry), strings.ToUpper(p.ResidenceCountry)
	if bc != "" && rc != "" && bc != rc {
		out = append(out, c.signal(p.PersonID, ind, DetectorPayout, unmask.SeverityLow, 0.3, p.Time, p.EventID,
			"payout:country", fmt.Sprintf("Account %s is in %s but the residence is in %s.", acct, bc, rc)))
	}
	return out
}

// maxIn returns the most times falling within any window.
func maxIn(ts []time.Time, window time.Duration) int {
	s := slices.Clone(ts)
	slices.SortFunc(s, func(a, b time.Time) int { return a.Compare(b) })
	best, lo := 0, 0
	for hi := range s {
		for s[hi].Sub(s[lo]) > window {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}
