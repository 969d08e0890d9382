package contact

import (
	"context"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

// countingLookup answers VoIP for every number and counts calls; numbers in fail error.
type countingLookup struct {
	calls int
	fail  map[string]bool
}

func (l *countingLookup) LookupLineType(_ context.Context, e164 string) (LineInfo, error) {
	l.calls++
	if l.fail[e164] {
		return LineInfo{}, unmask.Errorf(unmask.EUNAVAILABLE, "down")
	}
	return LineInfo{Type: LineVoIP}, nil
}

func TestCachedLookup(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tests := []struct {
		name      string
		steps     []string // numbers looked up in order
		advance   time.Duration
		max       int
		wantCalls int
	}{
		{name: "repeat_is_cached", steps: []string{"+1", "+1", "+1"}, wantCalls: 1},
		{name: "expired_is_refetched", steps: []string{"+1", "+1"}, advance: 31 * 24 * time.Hour, wantCalls: 2},
		{name: "errors_not_cached", steps: []string{"+9", "+9"}, wantCalls: 2},
		{name: "full_cache_evicts", steps: []string{"+1", "+2", "+3", "+1"}, max: 2, wantCalls: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			next := &countingLookup{fail: map[string]bool{"+9": true}}
			c := NewCachedLookup(next, 0, tt.max, clock)
			for i, n := range tt.steps {
				if i > 0 {
					now = now.Add(tt.advance)
				}
				info, err := c.LookupLineType(t.Context(), n)
				if n == "+9" {
					if err == nil {
						t.Fatal("error swallowed")
					}
					continue
				}
				if err != nil || info.Type != LineVoIP {
					t.Fatalf("LookupLineType(%s) = %+v, %v", n, info, err)
				}
			}
			if next.calls != tt.wantCalls {
				t.Errorf("provider calls = %d, want %d", next.calls, tt.wantCalls)
			}
		})
	}
}
