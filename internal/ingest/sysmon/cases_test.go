package sysmon_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
	"github.com/unmask/unmask/internal/ingest/sysmon"
)

func newFormat() ingest.Format { return sysmon.New(0) }

const sampleDir = "samples/sysmon"

// sampleCounts are the record counts SOURCES.md gives for each file.
var sampleCounts = map[string]ingesttest.Counts{
	"elastic_winlogbeat_test-image-loaded-failed-signature.json":                                                   {Records: 1, Events: 1},
	"sigma_regression_file_event_win_anydesk_artefact__0b9ad457-2554-44c1-82c2-d56a99c42377.json":                  {Records: 5, Events: 5},
	"sigma_regression_proc_creation_win_browsers_tor_execution__62f7c9bf-9135-49b2-8aeb-1e54a6ecc13c.json":         {Records: 1, Events: 1},
	"sigma_regression_proc_creation_win_wmic_recon_csproduct__3e3ceccd-6c06-48b8-b5ff-ab1d25db8c1d.json":           {Records: 1, Events: 1},
	"sigma_regression_proc_creation_win_reg_system_language_discovery__c43a5405-e8e1-4221-9ac9-dbe3fa14e886.json":  {Records: 1, Events: 1},
	"sigma_regression_proc_creation_win_chcp_codepage_lookup__7090adee-82e2-4269-bd59-80691e7c6338.json":           {Records: 1, Events: 1},
	"sigma_regression_proc_creation_win_curl_custom_user_agent__85de1f22-d189-44e4-8239-dc276b45379b.json":         {Records: 1, Events: 1},
	"sigma_regression_proc_creation_win_github_self_hosted_runner__5bac7a56-da88-4c27-922e-c81e113b20cb.json":      {Records: 2, Events: 2},
	"sigma_regression_registry_set_allow_rdp_remote_assistance_feature__37b437cf-3fc5-4c8e-9c94-1d7c9aff842b.json": {Records: 1, Events: 1},
}

const goodLine = `{"@timestamp":"2026-03-14T10:06:00Z","winlog":{"event_id":1,"event_data":{"Image":"C:\\x.exe"}}}`

var badInputs = []ingesttest.BadInput{
	{Name: "truncated-pretty-object", In: "{\n  \"Event\": {\n    \"System\": {\"EventID\": 1\n" + goodLine, WantEvents: 0,
		Want: []string{"1:0:malformed JSON at offset 139"}},
	{Name: "wrong-type-event-data", In: `{"@timestamp":"2026-03-14T10:06:00Z","winlog":{"event_id":1,"event_data":[1]}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode windows event"}},
	{Name: "neither-shape", In: `{"message":"hello"}` + "\n" + goodLine, WantEvents: 1, Want: []string{"1:0:decode windows event"}},
	{Name: "no-event-id", In: `{"@timestamp":"2026-03-14T10:06:00Z","winlog":{"event_data":{}}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode windows event"}},
	{Name: "invalid-utf8", In: `{"@timestamp":"2026-03-14T10:06:00Z","winlog":{"event_id":1,"event_data":{"Image":"` + "\x80" + `"}}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:invalid UTF-8 at byte 83 of the record"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/winlogbeat_dns_conn_file.ndjson", 400)
}

func TestKind(t *testing.T) {
	tests := []struct{ id, want string }{{"1", "process_start"}, {"4688", "process_start"}, {"3", "conn"},
		{"22", "dns"}, {"6416", "usb_device"}, {"13", "other"}}
	for _, tt := range tests {
		t.Run("id"+tt.id, func(t *testing.T) {
			if got := sysmon.Kind(tt.id); string(got) != tt.want {
				t.Errorf("Kind(%s) = %s, want %s", tt.id, got, tt.want)
			}
		})
	}
}
