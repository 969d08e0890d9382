package alerting

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

func TestSuppressionMatches(t *testing.T) {
	s := sig("s", "p1", "§3.1", unmask.SeverityMedium, 0)
	s.Detector = "sigma:anydesk-exec"
	exp := t0.Add(time.Hour)
	tests := []struct {
		name string
		sup  Suppression
		want bool
	}{
		{"person", Suppression{PersonID: "p1", ExpiresAt: exp}, true},
		{"other-person", Suppression{PersonID: "p2", ExpiresAt: exp}, false},
		{"indicator", Suppression{Indicator: "§3.1", ExpiresAt: exp}, true},
		{"family", Suppression{Indicator: "endpoint", ExpiresAt: exp}, true},
		{"other-family", Suppression{Indicator: "network", ExpiresAt: exp}, false},
		{"detector", Suppression{Detector: "sigma:anydesk-exec", ExpiresAt: exp}, true},
		{"rule", Suppression{Rule: "anydesk-exec", ExpiresAt: exp}, true},
		{"rule-is-not-a-prefix", Suppression{Rule: "anydesk", ExpiresAt: exp}, false},
		{"all-match", Suppression{PersonID: "p1", Indicator: "§3.1", Rule: "anydesk-exec", ExpiresAt: exp}, true},
		{"one-of-several-differs", Suppression{PersonID: "p1", Indicator: "N-01", ExpiresAt: exp}, false},
		{"expired", Suppression{PersonID: "p1", ExpiresAt: t0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sup.Matches(&s, t0); got != tt.want {
				t.Fatalf("Matches() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSuppressionValidate(t *testing.T) {
	ok := Suppression{ID: "sup-1", Rule: "anydesk-exec", Reason: "IT support uses AnyDesk (IT-1234)", Owner: "u-7", ExpiresAt: t0.Add(24 * time.Hour)}
	tests := []struct {
		name    string
		edit    func(s *Suppression)
		wantErr bool
	}{
		{"complete", func(*Suppression) {}, false},
		{"no-id", func(s *Suppression) { s.ID = "" }, true},
		{"no-matcher", func(s *Suppression) { s.Rule = "" }, true},
		{"no-reason", func(s *Suppression) { s.Reason = "  " }, true},
		{"no-owner", func(s *Suppression) { s.Owner = "" }, true},
		{"no-expiry", func(s *Suppression) { s.ExpiresAt = time.Time{} }, true},
		{"already-expired", func(s *Suppression) { s.ExpiresAt = t0 }, true},
		{"too-long", func(s *Suppression) { s.ExpiresAt = t0.Add(MaxSuppression + time.Hour) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok
			tt.edit(&s)
			if err := s.Validate(t0); (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestManagerSuppressions(t *testing.T) {
	now := t0
	m, st := MustManager(t, Options{
		Now: func() time.Time { return now },
		Suppressions: []Suppression{{
			ID: "sup-anydesk", Rule: "rmm-§3.1", Reason: "approved AnyDesk for IT support (IT-1234)",
			Owner: "u-7", ExpiresAt: t0.Add(48 * time.Hour),
		}},
	})
	if err := m.AddSuppression(Suppression{ID: "sup-p9", PersonID: "p9", Reason: "test account", Owner: "u-1", ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := m.AddSuppression(Suppression{ID: "sup-p9", PersonID: "p8", Reason: "dup", Owner: "u-1", ExpiresAt: t0.Add(time.Hour)}); unmask.ErrorCode(err) != unmask.ECONFLICT {
		t.Fatalf("adding a duplicate ID = %v, want ECONFLICT", err)
	}
	res, err := m.Process(t.Context(),
		sig("a", "p1", "§3.1", unmask.SeverityHigh, 0), sig("b", "p2", "§3.1", unmask.SeverityHigh, 0),
		sig("c", "p1", "N-01", unmask.SeverityHigh, 0))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(counts{Created: 1, Suppressed: 2}, countsOf(res)); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if n := len(st.All()); n != 1 {
		t.Errorf("%d alerts, want only the unsuppressed N-01", n)
	}
	type row struct {
		ID          string
		Suppressed  int
		LastMatched time.Time
	}
	var got []row
	for _, s := range m.Suppressions() {
		got = append(got, row{s.ID, s.Suppressed, s.LastMatched})
	}
	want := []row{{"sup-anydesk", 2, t0}, {"sup-p9", 0, time.Time{}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppression counts (-want +got):\n%s", diff)
	}
	// After expiry the signal raises an alert again, and pruning reports what expired.
	now = t0.Add(49 * time.Hour)
	if res, err = m.Process(t.Context(), sig("d", "p1", "§3.1", unmask.SeverityHigh, 49*time.Hour)); err != nil || len(res.Created) != 1 {
		t.Fatalf("after expiry Process() = %+v, %v; want one created alert", res, err)
	}
	var pruned []string
	for _, s := range m.PruneExpired() {
		pruned = append(pruned, s.ID)
	}
	if diff := cmp.Diff([]string{"sup-anydesk", "sup-p9"}, pruned); diff != "" {
		t.Errorf("pruned (-want +got):\n%s", diff)
	}
	if _, err := m.RemoveSuppression("sup-p9"); unmask.ErrorCode(err) != unmask.ENOTFOUND {
		t.Errorf("removing a pruned suppression = %v, want ENOTFOUND", err)
	}
}
