package identity

import (
	"fmt"
	"slices"
	"time"

	"github.com/unmask/unmask"
)

// DetectorReferral names the detector of referral-chain signals.
const DetectorReferral = "identity:referral_chain"

// Referral records that Referrer referred Candidate (applications[].credited_to, HRIS
// referral records).
type Referral struct {
	ReferrerID  string
	CandidateID string
	EventID     string
	Time        time.Time
}

// ReferralOptions configures ReferralSignals.
type ReferralOptions struct {
	// MaxDepth is how many referral hops risk travels from a suspect; zero means 2.
	MaxDepth int
	// Now is the clock for referrals without a time; nil means time.Now.
	Now func() time.Time
}

// ReferralSignals propagates suspicion along referrals (H-17): people referred by a
// suspect, directly or within MaxDepth hops, and people who referred a suspect get a
// signal whose weight halves with each hop. suspects maps a person ID to a short reason
// ("confirmed fraud case C-12"); a suspect gets no signal for its own referrals.
func ReferralSignals(refs []Referral, suspects map[string]string, opts ReferralOptions) []unmask.Signal {
	if opts.MaxDepth == 0 {
		opts.MaxDepth = 2
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	down := make(map[string][]Referral)
	up := make(map[string][]Referral)
	for _, r := range refs {
		down[r.ReferrerID] = append(down[r.ReferrerID], r)
		up[r.CandidateID] = append(up[r.CandidateID], r)
	}
	ids := make([]string, 0, len(suspects))
	for id := range suspects {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	best := make(map[string]unmask.Signal)
	for _, s := range ids {
		walkReferrals(s, down, opts.MaxDepth, func(r Referral, depth int) {
			keep(best, suspects, referralSignal(r, r.CandidateID, s, depth, "was referred", opts.Now))
		})
		for _, r := range up[s] {
			keep(best, suspects, referralSignal(r, r.ReferrerID, s, 1, "referred", opts.Now))
		}
	}
	out := make([]unmask.Signal, 0, len(best))
	for _, sig := range best {
		out = append(out, sig)
	}
	slices.SortFunc(out, func(a, b unmask.Signal) int {
		if a.PersonID < b.PersonID {
			return -1
		}
		if a.PersonID > b.PersonID {
			return 1
		}
		return 0
	})
	return out
}

// walkReferrals visits referrals downstream of root breadth-first up to maxDepth hops,
// each person once.
func walkReferrals(root string, down map[string][]Referral, maxDepth int, visit func(Referral, int)) {
	seen := map[string]bool{root: true}
	frontier := []string{root}
	for depth := 1; depth <= maxDepth && len(frontier) > 0; depth++ {
		var next []string
		for _, p := range frontier {
			for _, r := range down[p] {
				if seen[r.CandidateID] {
					continue
				}
				seen[r.CandidateID] = true
				visit(r, depth)
				next = append(next, r.CandidateID)
			}
		}
		frontier = next
	}
}

// keep records sig unless its person is a suspect or already has a stronger signal.
func keep(best map[string]unmask.Signal, suspects map[string]string, sig unmask.Signal) {
	if _, suspect := suspects[sig.PersonID]; suspect {
		return
	}
	if old, ok := best[sig.PersonID]; ok && old.Weight >= sig.Weight {
		return
	}
	best[sig.PersonID] = sig
}

func referralSignal(r Referral, person, suspect string, depth int, verb string, now func() time.Time) unmask.Signal {
	t := r.Time
	if t.IsZero() {
		t = now()
	}
	weight := 0.5 / float64(int(1)<<(depth-1))
	sev := unmask.SeverityMedium
	if depth > 1 {
		sev = unmask.SeverityLow
	}
	var events []string
	if r.EventID != "" {
		events = []string{r.EventID}
	}
	hops := "directly"
	if depth > 1 {
		hops = fmt.Sprintf("through a chain of %d referrals", depth)
	}
	text := fmt.Sprintf("Person %s %s by a person under suspicion (%s).", verb, hops, suspect)
	if verb == "referred" {
		text = fmt.Sprintf("Person referred a person under suspicion (%s).", suspect)
	}
	return unmask.Signal{
		PersonID: person, Indicator: "H-17", Detector: DetectorReferral, Severity: sev, Weight: weight,
		EventIDs: events, Explanation: text, Key: "referral:" + suspect,
		Time: t, LastSeen: t, Count: 1,
	}
}
