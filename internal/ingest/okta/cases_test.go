package okta_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
	"github.com/unmask/unmask/internal/ingest/okta"
)

func newFormat() ingest.Format { return okta.New(0) }

const sampleDir = "samples/okta"

// sampleCounts are the record counts SOURCES.md gives for each file.
var sampleCounts = map[string]ingesttest.Counts{
	"elastic_test-okta-system-events.log":       {Records: 20, Events: 20},
	"elastic_sample_logs_okta-system.json.log":  {Records: 3, Events: 3},
	"okta_docs_event_hook_sample_payload.json":  {Records: 1, Events: 1},
	"vector_okta_source_test_api_response.json": {Records: 1, Events: 1},
}

const goodLine = `{"published":"2026-03-05T01:02:03Z","eventType":"user.session.start","actor":{"alternateId":"a@example.com"}}`

var badInputs = []ingesttest.BadInput{
	{Name: "malformed-json", In: goodLine + "\n{\"published\":,}\n" + goodLine, WantEvents: 2,
		Want: []string{"2:110:malformed JSON at offset 123"}},
	{Name: "truncated-line", In: goodLine + "\n{\"published\":\"2026\n" + goodLine, WantEvents: 2,
		Want: []string{"2:110:malformed JSON at offset 128"}},
	{Name: "wrong-type", In: `{"published":"2026-03-05T01:02:03Z","eventType":7}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode okta log event"}},
	{Name: "bad-time", In: `{"published":"yesterday","eventType":"user.session.start"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode okta log event"}},
	{Name: "missing-event-type", In: `{"published":"2026-03-05T01:02:03Z"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode okta log event"}},
	{Name: "invalid-utf8", In: `{"published":"2026-03-05T01:02:03Z","eventType":"x","displayMessage":"` + "\xc3\x28" + `"}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:invalid UTF-8 at byte 70 of the record"}},
	{Name: "bad-gzip-header-is-text", In: "\x1f\x8bnot gzip", WantErr: "open gzip stream"},
	{Name: "hook-with-broken-event", In: `{"data":{"events":[` + goodLine + `,{"published":1}]}}`, WantEvents: 1,
		Want: []string{"1:129:decode okta log event"}},
}

func benchInput(tb testing.TB) []byte { return ingesttest.Repeat(tb, "testdata/export.ndjson", 400) }

func TestKind(t *testing.T) {
	tests := []struct {
		eventType string
		want      string
	}{
		{"user.session.start", "sign_in"},
		{"user.authentication.sso", "sign_in"},
		{"user.session.end", "sign_out"},
		{"user.authentication.auth_via_mfa", "mfa"},
		{"user.mfa.factor.activate", "mfa"},
		{"system.mfa.factor.deactivate", "mfa"},
		{"group.user_membership.add", "admin"},
		{"policy.evaluate_sign_on", "other"},
	}
	for _, tt := range tests {
		t.Run(ingesttest.SubtestName(tt.eventType), func(t *testing.T) {
			if got := okta.Kind(tt.eventType); string(got) != tt.want {
				t.Errorf("Kind(%q) = %q, want %q", tt.eventType, got, tt.want)
			}
		})
	}
}
