// Package storetest is the conformance suite every Unmask store passes: create, find,
// update, delete, filtering and paging for each domain service, the error codes they
// promise, and concurrent writers. internal/sqlite and internal/postgres run it.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/unmask/unmask"
)

// Store is everything a store implements.
type Store interface {
	unmask.PersonService
	unmask.IdentifierService
	unmask.DeviceService
	unmask.EventService
	unmask.SignalService
	unmask.RiskService
	unmask.AlertService
	unmask.CaseService
	unmask.SpotCheckService
	unmask.IndicatorService
	unmask.RuleService
	unmask.UserService
	unmask.TokenService
	unmask.AuditService
	unmask.DeadLetterService
	unmask.CheckpointService
}

// OpenFunc returns a new, empty, migrated store for one test; it registers its own cleanup.
type OpenFunc func(tb testing.TB) Store

// Run runs the whole suite against the stores open returns.
func Run(t *testing.T, open OpenFunc) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s Store)
	}{
		{"Person", testPerson},
		{"PersonFilterPaging", testPersonFilterPaging},
		{"Identifier", testIdentifier},
		{"Device", testDevice},
		{"Event", testEvent},
		{"EventFilterPaging", testEventFilterPaging},
		{"EventBatches", testEventBatches},
		{"Signal", testSignal},
		{"Risk", testRisk},
		{"Alert", testAlert},
		{"Case", testCase},
		{"CaseWorkflow", testCaseWorkflow},
		{"SpotCheck", testSpotCheck},
		{"Indicator", testIndicator},
		{"Rule", testRule},
		{"User", testUser},
		{"Token", testToken},
		{"Session", testSession},
		{"Audit", testAudit},
		{"DeadLetter", testDeadLetter},
		{"Checkpoint", testCheckpoint},
		{"ResumeIndex", testResumeIndex},
		{"DeletePersonCascades", testDeletePersonCascades},
		{"ConcurrentWriters", testConcurrentWriters},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// ctx returns the test context carrying the system user.
func ctx(t *testing.T) context.Context {
	return unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
}

// day is a fixed time for fixtures, truncated to what every store keeps.
var day = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

//go:fix inline
func ptr[T any](v T) *T { return new(v) }

// wantCode fails the test unless err carries code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := unmask.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// must fails the test on err.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// diff compares want and got, ignoring nothing but unexported fields.
func diff(tb testing.TB, what string, want, got any, opts ...cmp.Option) {
	tb.Helper()
	opts = append(opts, cmpopts.EquateEmpty())
	if d := cmp.Diff(want, got, opts...); d != "" {
		tb.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// MustCreatePerson stores a person with the given name and kind.
func MustCreatePerson(tb testing.TB, ctx context.Context, s unmask.PersonService, name string, kind unmask.PersonKind) *unmask.Person {
	tb.Helper()
	status := unmask.StatusActive
	if kind == unmask.PersonApplicant {
		status = unmask.StatusApplied
	}
	p := &unmask.Person{DisplayName: name, Kind: kind, Status: status, TimeZone: "America/Chicago",
		Location: unmask.Location{Country: "US", Region: "IL", City: "Chicago"}}
	must(tb, s.CreatePerson(ctx, p))
	return p
}

// ids returns the IDs of items.
func ids[T any](items []*T, id func(*T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}
