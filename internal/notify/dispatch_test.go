package notify

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"

	"github.com/unmask/unmask"
)

// fakeNotifier fails with errs in turn, then succeeds, recording every message it is given.
type fakeNotifier struct {
	mu   sync.Mutex // guards following
	errs []error
	got  []string // message IDs, one per call
}

func (f *fakeNotifier) Notify(_ context.Context, m Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, m.ID)
	if len(f.errs) == 0 {
		return nil
	}
	err := f.errs[0]
	if len(f.errs) > 1 {
		f.errs = f.errs[1:]
	}
	return err
}

func (f *fakeNotifier) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

var errDown = errors.New("collector down")

// alwaysFails is an error list that never runs out.
func alwaysFails(err error) []error { return []error{err} }

func TestDispatchRetries(t *testing.T) {
	tests := []struct {
		name       string
		errs       []error
		attempts   int
		wantSleeps []time.Duration
		wantCalls  int
		wantDead   bool
	}{
		{"first-try", nil, 5, nil, 1, false},
		{"two-failures", []error{errDown, errDown, nil}, 5, []time.Duration{time.Second, 2 * time.Second}, 3, false},
		{"backoff-capped", alwaysFails(errDown), 6,
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, 6, true},
		{"permanent-not-retried", alwaysFails(Permanent(errDown)), 5, nil, 1, true},
		{"retry-after-lengthens", []error{&retryAfterError{err: errDown, after: 30 * time.Second}, nil}, 5,
			[]time.Duration{30 * time.Second}, 2, false},
		{"retry-after-shorter-than-backoff", []error{&retryAfterError{err: errDown, after: time.Millisecond}, nil}, 5,
			[]time.Duration{time.Second}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fn := &fakeNotifier{errs: tt.errs}
			rec := &recorder{now: t0}
			var dead []Undelivered
			d, err := NewDispatcher(DispatcherOptions{
				Destinations: []Destination{{Name: "fake", Notifier: fn}},
				MaxAttempts:  tt.attempts,
				BaseDelay:    time.Second,
				MaxDelay:     5 * time.Second,
				Sleep:        rec.Sleep,
				Now:          rec.Now,
				DeadLetter:   func(_ context.Context, u Undelivered) { dead = append(dead, u) },
			})
			if err != nil {
				t.Fatal(err)
			}
			err = d.Dispatch(t.Context(), testMessage())
			if (err != nil) != tt.wantDead || len(dead) != btoi(tt.wantDead) {
				t.Fatalf("Dispatch() = %v with %d dead letters, want dead %v", err, len(dead), tt.wantDead)
			}
			if diff := cmp.Diff(tt.wantSleeps, rec.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if got := len(fn.Calls()); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
			wantStats := []DestinationStats{{Name: "fake", Sent: int64(1 - btoi(tt.wantDead)), Failed: int64(btoi(tt.wantDead)), Retries: int64(tt.wantCalls - 1)}}
			if diff := cmp.Diff(wantStats, d.Stats()); diff != "" {
				t.Errorf("Stats (-want +got):\n%s", diff)
			}
			if tt.wantDead {
				u := dead[0]
				if u.Destination != "fake" || u.Message.ID != "m-1" || u.Attempts != tt.wantCalls || !errors.Is(u.Err, errDown) {
					t.Errorf("dead letter %+v does not describe the failure", u)
				}
				if !strings.Contains(err.Error(), "notify fake: ") || !errors.Is(err, errDown) {
					t.Errorf("error %q does not name the destination and cause", err)
				}
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestDispatchRateLimit(t *testing.T) {
	fn := &fakeNotifier{}
	rec := &recorder{now: t0}
	d, err := NewDispatcher(DispatcherOptions{
		Destinations: []Destination{
			{Name: "limited", Notifier: fn, Rate: rate.Every(2 * time.Second), Burst: 2},
			{Name: "unlimited", Notifier: &fakeNotifier{}},
		},
		Sleep: rec.Sleep,
		Now:   rec.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		m := testMessage()
		m.ID = string(rune('a' + i))
		if err := d.Dispatch(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	// A burst of two goes at once; then one every two seconds of (fake) time.
	if diff := cmp.Diff([]time.Duration{2 * time.Second, 2 * time.Second}, rec.Sleeps()); diff != "" {
		t.Errorf("rate-limit waits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a", "b", "c", "d"}, fn.Calls()); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
}

func TestDispatchMinSeverity(t *testing.T) {
	pager, archive := &fakeNotifier{}, &fakeNotifier{}
	d, err := NewDispatcher(DispatcherOptions{Destinations: []Destination{
		{Name: "pager", Notifier: pager, MinSeverity: unmask.SeverityHigh},
		{Name: "archive", Notifier: archive},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, sev := range []unmask.Severity{unmask.SeverityLow, unmask.SeverityHigh, unmask.SeverityCritical} {
		m := testMessage()
		m.ID, m.Severity = string(sev), sev
		if err := d.Dispatch(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"high", "critical"}, pager.Calls()); diff != "" {
		t.Errorf("pager got (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"low", "high", "critical"}, archive.Calls()); diff != "" {
		t.Errorf("archive got (-want +got):\n%s", diff)
	}
	want := []DestinationStats{{Name: "pager", Sent: 2, Skipped: 1}, {Name: "archive", Sent: 3}}
	if diff := cmp.Diff(want, d.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestDispatchStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	rec := &recorder{now: t0, cancel: cancel, at: 2}
	fn := &fakeNotifier{errs: alwaysFails(errDown)}
	var dead []Undelivered
	d, err := NewDispatcher(DispatcherOptions{
		Destinations: []Destination{{Name: "fake", Notifier: fn}},
		MaxAttempts:  10,
		Sleep:        rec.Sleep,
		DeadLetter:   func(_ context.Context, u Undelivered) { dead = append(dead, u) },
	})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Dispatch(ctx, testMessage())
	if !errors.Is(err, context.Canceled) || len(fn.Calls()) != 2 || len(dead) != 1 {
		t.Fatalf("Dispatch() = %v after %d calls and %d dead letters; want cancelled after 2 calls", err, len(fn.Calls()), len(dead))
	}
}

func TestDispatchFansOutAndJoinsErrors(t *testing.T) {
	ok, bad := &fakeNotifier{}, &fakeNotifier{errs: alwaysFails(Permanent(errDown))}
	d, err := NewDispatcher(DispatcherOptions{Destinations: []Destination{
		{Name: "ok", Notifier: ok}, {Name: "bad", Notifier: bad},
	}})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Dispatch(t.Context(), testMessage())
	if err == nil || !strings.Contains(err.Error(), "notify bad: ") || strings.Contains(err.Error(), "notify ok") {
		t.Fatalf("Dispatch() = %v, want only bad's failure", err)
	}
	if len(ok.Calls()) != 1 {
		t.Errorf("the healthy destination got %d messages, want 1", len(ok.Calls()))
	}
}

func TestNewDispatcherValidates(t *testing.T) {
	n := &fakeNotifier{}
	tests := []struct {
		name  string
		dests []Destination
	}{
		{"no-name", []Destination{{Notifier: n}}},
		{"no-notifier", []Destination{{Name: "x"}}},
		{"duplicate", []Destination{{Name: "x", Notifier: n}, {Name: "x", Notifier: n}}},
		{"bad-severity", []Destination{{Name: "x", Notifier: n, MinSeverity: "urgent"}}},
		{"negative-rate", []Destination{{Name: "x", Notifier: n, Rate: -1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewDispatcher(DispatcherOptions{Destinations: tt.dests}); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("NewDispatcher() = %v, want EINVALID", err)
			}
		})
	}
}

func TestDispatchRejectsInvalidMessage(t *testing.T) {
	fn := &fakeNotifier{}
	d, err := NewDispatcher(DispatcherOptions{Destinations: []Destination{{Name: "x", Notifier: fn}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Dispatch(t.Context(), Message{ID: "x"}); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Fatalf("Dispatch(no title) = %v, want EINVALID", err)
	}
	if len(fn.Calls()) != 0 {
		t.Fatal("an invalid message was sent")
	}
}

func TestFromAlert(t *testing.T) {
	a := &unmask.Alert{
		ID: "a-1", PersonID: "p-1", Concern: "N-01", Title: "Sign-in from Astrill VPN egress",
		Severity: unmask.SeverityHigh, Status: unmask.AlertOpen, SignalIDs: []string{"s1", "s2"},
		FirstSeen: t0.Add(-time.Hour), LastSeen: t0, UpdatedAt: t0,
	}
	want := Message{
		ID: "a-1@20260601T120000.000000000Z", Time: t0, Kind: KindAlert, Severity: unmask.SeverityHigh,
		Title:    "Sign-in from Astrill VPN egress",
		Text:     "open alert on N-01 with 2 signals, first seen 2026-06-01T11:00:00Z, last seen 2026-06-01T12:00:00Z.",
		PersonID: "p-1", AlertID: "a-1", Concern: "N-01", Link: "https://unmask.example/alerts/a-1",
	}
	if diff := cmp.Diff(want, FromAlert(a, "https://unmask.example/alerts/a-1")); diff != "" {
		t.Errorf("FromAlert (-want +got):\n%s", diff)
	}
}

func TestFromRiskScore(t *testing.T) {
	rs := &unmask.RiskScore{
		PersonID: "p-1", Score: 81.6, Band: unmask.BandCritical, ComputedAt: t0,
		Reasons: []unmask.RiskReason{
			{Indicator: "O-02", Explanation: "O-02 first."}, {Indicator: "N-03", Explanation: "N-03 second."},
			{Indicator: "§3.3", Explanation: "§3.3 third."}, {Indicator: "H-13", Explanation: "H-13 fourth."},
		},
	}
	want := Message{
		ID: "risk-p-1@20260601T120000.000000000Z", Time: t0, Kind: KindRisk, Severity: unmask.SeverityCritical,
		Title: "Risk critical: score 82", Text: "O-02 first. N-03 second. §3.3 third.", PersonID: "p-1",
	}
	if diff := cmp.Diff(want, FromRiskScore(rs, "")); diff != "" {
		t.Errorf("FromRiskScore (-want +got):\n%s", diff)
	}
	for band, sev := range map[unmask.RiskBand]unmask.Severity{
		unmask.BandLow: unmask.SeverityLow, unmask.BandMedium: unmask.SeverityMedium, unmask.BandHigh: unmask.SeverityHigh,
	} {
		if got := FromRiskScore(&unmask.RiskScore{Band: band}, "").Severity; got != sev {
			t.Errorf("band %s gave severity %s, want %s", band, got, sev)
		}
	}
}
