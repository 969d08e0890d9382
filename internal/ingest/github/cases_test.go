package github_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/github"
)

func newFormat() ingest.Format { return github.New(0) }

const sampleDir = "samples/github_audit"

// sampleCounts are the record counts SOURCES.md gives for each file.
var sampleCounts = map[string]counts{
	"splunk_ghe_audit_log_addon_test_enterprise_api_response.json": {Records: 10, Events: 10},
	"elastic_test-audit-json.log":                                  {Records: 189, Events: 189},
	"elastic_test-enterprise-audit-eventhub.log":                   {Records: 3, Events: 3},
	"elastic_test-api-request-events.log":                          {Records: 2, Events: 2},
}

const goodLine = `{"@timestamp":1773821300000,"action":"git.push","actor":"a"}`

var badInputs = []badInput{
	{name: "no-action", in: `{"@timestamp":1773821300000,"actor":"a"}` + "\n" + goodLine, wantEvents: 1,
		want: []string{"1:0:decode github audit event"}},
	{name: "no-time", in: `{"action":"git.push","actor":"a"}` + "\n" + goodLine, wantEvents: 1,
		want: []string{"1:0:event 0 of record"}},
	{name: "implausible-time", in: `{"@timestamp":12,"action":"git.push"}` + "\n" + goodLine, wantEvents: 1,
		want: []string{"1:0:decode github audit event"}},
	{name: "wrong-type-actor", in: `{"@timestamp":1773821300000,"action":"git.push","actor":{"login":"a"}}` + "\n" + goodLine,
		wantEvents: 1, want: []string{"1:0:decode github audit event"}},
	{name: "array-with-truncated-element", in: "[\n" + goodLine + ",\n" + `{"@timestamp":1773821300000,"action":"git.pu`, wantEvents: 1,
		want: []string{"3:64:malformed JSON at offset 108"}},
}

func benchInput(tb testing.TB) []byte { return repeat(tb, "testdata/streaming.ndjson", 250) }

func TestKind(t *testing.T) {
	tests := []struct{ action, want string }{{"git.clone", "git"}, {"git.push", "git"}, {"repo.create", "admin"},
		{"org.update_member", "admin"}, {"public_key.create", "admin"}, {"api.request", "other"}, {"pull_request.merge", "other"}}
	for _, tt := range tests {
		t.Run(subtestName(tt.action), func(t *testing.T) {
			if got := github.Kind(tt.action); string(got) != tt.want {
				t.Errorf("Kind(%q) = %q, want %q", tt.action, got, tt.want)
			}
		})
	}
}
