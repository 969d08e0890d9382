package osquery_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
	"github.com/unmask/unmask/internal/ingest/osquery"
)

func newFormat() ingest.Format { return osquery.New(0) }

const sampleDir = "samples/osquery"

// sampleCounts are the record counts SOURCES.md gives for each file; the snapshot has 4
// rows and the batch one added and one removed row, one Event each.
var sampleCounts = map[string]ingesttest.Counts{
	"osquery_docs_logging_event_format_added.json":   {Records: 1, Events: 1},
	"osquery_docs_logging_event_format_removed.json": {Records: 1, Events: 1},
	"osquery_docs_logging_snapshot_format.json":      {Records: 1, Events: 4},
	"osquery_docs_logging_batch_format.json":         {Records: 1, Events: 2},
}

const goodLine = `{"name":"processes","hostIdentifier":"h","unixTime":"1773651601","columns":{"pid":"1"},"action":"added"}`

var badInputs = []ingesttest.BadInput{
	{Name: "columns-not-object", In: `{"name":"processes","unixTime":"1773651601","columns":[1],"action":"added"}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode osquery result"}},
	{Name: "no-time", In: `{"name":"processes","columns":{},"action":"added"}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode osquery result"}},
	{Name: "unknown-action", In: `{"name":"processes","unixTime":1773651601,"action":"exploded"}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode osquery result"}},
	{Name: "truncated-line", In: goodLine + "\n" + `{"name":"processes","unixT` + "\n" + goodLine, WantEvents: 2,
		Want: []string{"2:105:malformed JSON at offset 131"}},
	{Name: "garbage-between-records", In: goodLine + "\nI0316 osqueryd started\n" + goodLine, WantEvents: 2,
		Want: []string{"2:105:malformed JSON at offset 105"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/differential_events.ndjson", 400)
}

func TestTable(t *testing.T) {
	tests := []struct{ name, want string }{{"pack/it/usb_devices", "usb_devices"}, {"pack_it_usb_devices", "usb_devices"},
		{"processes", "processes"}, {"pack/x/my_processes_v2", ""}, {"deb_packages", "deb_packages"}}
	for _, tt := range tests {
		t.Run(ingesttest.SubtestName(tt.name), func(t *testing.T) {
			if got := osquery.Table(tt.name); got != tt.want {
				t.Errorf("Table(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}
