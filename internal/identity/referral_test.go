package identity

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

type wsig struct {
	Person, Indicator string
	Weight            float64
}

func weights(sigs []unmask.Signal) []wsig {
	var out []wsig
	for _, s := range sigs {
		out = append(out, wsig{s.PersonID, s.Indicator, s.Weight})
	}
	return out
}

func TestReferralSignals(t *testing.T) {
	chain := []Referral{
		{ReferrerID: "s1", CandidateID: "a1", EventID: "r1", Time: t0},
		{ReferrerID: "a1", CandidateID: "a2", Time: t0},
		{ReferrerID: "a2", CandidateID: "a3", Time: t0},
		{ReferrerID: "x0", CandidateID: "s1", Time: t0},
	}
	tests := []struct {
		name     string
		refs     []Referral
		suspects map[string]string
		opts     ReferralOptions
		want     []wsig
	}{
		{name: "chain_depth_two_and_upstream", refs: chain, suspects: map[string]string{"s1": "case C-1"},
			want: []wsig{{"a1", "H-17", 0.5}, {"a2", "H-17", 0.25}, {"x0", "H-17", 0.5}}},
		{name: "depth_three", refs: chain, suspects: map[string]string{"s1": "case C-1"}, opts: ReferralOptions{MaxDepth: 3},
			want: []wsig{{"a1", "H-17", 0.5}, {"a2", "H-17", 0.25}, {"a3", "H-17", 0.125}, {"x0", "H-17", 0.5}}},
		{name: "no_suspects", refs: chain, suspects: nil},
		{name: "suspect_referring_suspect_gets_nothing", refs: chain, suspects: map[string]string{"s1": "c", "a1": "c"},
			want: []wsig{{"a2", "H-17", 0.5}, {"a3", "H-17", 0.25}, {"x0", "H-17", 0.5}}},
		{name: "cycle_terminates", refs: []Referral{{ReferrerID: "s1", CandidateID: "a1"}, {ReferrerID: "a1", CandidateID: "s1"}},
			suspects: map[string]string{"s1": "c"}, want: []wsig{{"a1", "H-17", 0.5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = fixedNow
			got := ReferralSignals(tt.refs, tt.suspects, tt.opts)
			if diff := cmp.Diff(tt.want, weights(got)); diff != "" {
				t.Errorf("ReferralSignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if err := s.Validate(); err != nil {
					t.Errorf("invalid signal: %v", err)
				}
			}
		})
	}
}

func TestReferralExplanation(t *testing.T) {
	got := ReferralSignals([]Referral{{ReferrerID: "s1", CandidateID: "a1", EventID: "r1"}}, map[string]string{"s1": "c"}, ReferralOptions{Now: fixedNow})
	want := []unmask.Signal{{PersonID: "a1", Indicator: "H-17", Detector: DetectorReferral, Severity: unmask.SeverityMedium, Weight: 0.5,
		EventIDs: []string{"r1"}, Explanation: "Person was referred directly by a person under suspicion (s1).",
		Key: "referral:s1", Time: fixedNow(), LastSeen: fixedNow(), Count: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func apps(person, key string, n int, every time.Duration) []Application {
	var out []Application
	for i := range n {
		out = append(out, Application{PersonID: person, RequisitionID: fmt.Sprintf("req-%d", i), Keys: []string{key},
			Display: []string{"j***@gmail.com"}, Time: t0.Add(time.Duration(i) * every), EventID: fmt.Sprintf("%s-%d", person, i)})
	}
	return out
}

func TestVelocitySignals(t *testing.T) {
	tests := []struct {
		name string
		apps []Application
		want []wsig
	}{
		{name: "burst_of_twelve_in_a_day", apps: apps("a1", "k1", 12, time.Hour), want: []wsig{{"a1", "H-18", 0.54}}},
		{name: "ten_is_normal", apps: apps("a1", "k1", 10, time.Hour)},
		{name: "twelve_spread_over_months", apps: apps("a1", "k1", 12, 10*24*time.Hour)},
		{name: "same_requisition_reapplied", apps: func() []Application {
			a := apps("a1", "k1", 15, time.Hour)
			for i := range a {
				a[i].RequisitionID = "req-1"
			}
			return a
		}()},
		{name: "one_email_many_candidate_records", apps: append(apps("a1", "k1", 6, time.Hour), func() []Application {
			b := apps("a2", "k1", 6, time.Hour)
			for i := range b {
				b[i].RequisitionID = fmt.Sprintf("other-%d", i)
			}
			return b
		}()...), want: []wsig{{"a1", "H-18", 0.54}, {"a2", "H-18", 0.54}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := VelocitySignals(tt.apps, VelocityOptions{})
			if diff := cmp.Diff(tt.want, weights(got), cmp.Comparer(func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 })); diff != "" {
				t.Errorf("VelocitySignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if err := s.Validate(); err != nil {
					t.Errorf("invalid signal: %v", err)
				}
			}
		})
	}
}
