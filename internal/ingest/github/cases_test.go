package github_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/github"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

func newFormat() ingest.Format { return github.New(0) }

const sampleDir = "samples/github_audit"

// sampleCounts are the record counts SOURCES.md gives for each file.
var sampleCounts = map[string]ingesttest.Counts{
	"splunk_ghe_audit_log_addon_test_enterprise_api_response.json": {Records: 10, Events: 10},
	"elastic_test-audit-json.log":                                  {Records: 189, Events: 189},
	"elastic_test-enterprise-audit-eventhub.log":                   {Records: 3, Events: 3},
	"elastic_test-api-request-events.log":                          {Records: 2, Events: 2},
}

const goodLine = `{"@timestamp":1773821300000,"action":"git.push","actor":"a"}`

var badInputs = []ingesttest.BadInput{
	{Name: "no-action", In: `{"@timestamp":1773821300000,"actor":"a"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode github audit event"}},
	{Name: "no-time", In: `{"action":"git.push","actor":"a"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:event 0 of record"}},
	{Name: "implausible-time", In: `{"@timestamp":12,"action":"git.push"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode github audit event"}},
	{Name: "wrong-type-actor", In: `{"@timestamp":1773821300000,"action":"git.push","actor":{"login":"a"}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode github audit event"}},
	{Name: "array-with-truncated-element", In: "[\n" + goodLine + ",\n" + `{"@timestamp":1773821300000,"action":"git.pu`, WantEvents: 1,
		Want: []string{"3:64:malformed JSON at offset 108"}},
}

func benchInput(tb testing.TB) []byte { return ingesttest.Repeat(tb, "testdata/streaming.ndjson", 250) }

func TestKind(t *testing.T) {
	tests := []struct{ action, want string }{{"git.clone", "git"}, {"git.push", "git"}, {"repo.create", "admin"},
		{"org.update_member", "admin"}, {"public_key.create", "admin"}, {"api.request", "other"}, {"pull_request.merge", "other"}}
	for _, tt := range tests {
		t.Run(ingesttest.SubtestName(tt.action), func(t *testing.T) {
			if got := github.Kind(tt.action); string(got) != tt.want {
				t.Errorf("Kind(%q) = %q, want %q", tt.action, got, tt.want)
			}
		})
	}
}
