package mdm_test

import (
	"testing"
	"time"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
	"github.com/unmask/unmask/internal/ingest/mdm"
)

// observed is the ingest time given to records without a time of their own.
var observed = time.Date(2026, 3, 21, 0, 0, 0, 0, time.UTC)

func newFormat() ingest.Format {
	return mdm.New(mdm.Options{Now: func() time.Time { return observed }})
}

const sampleDir = "samples/mdm_inventory"

// sampleCounts are the record counts SOURCES.md gives for each file.
var sampleCounts = map[string]ingesttest.Counts{
	"elastic_microsoft_intune_test-managed-device.log":                 {Records: 3, Events: 3},
	"xsoar_jamfV2_get_computer_by_match_raw_response.json":             {Records: 1, Events: 1},
	"xsoar_jamfV2_get_mobile_device_by_id_raw_response.json":           {Records: 1, Events: 1},
	"elastic_jamf_pro_test-inventory.json":                             {Records: 3, Events: 3},
	"msgraph_docs_v1.0_intune-devices-manageddevice-get_response.json": {Records: 1, Events: 1},
}

const goodLine = `{"deviceName":"d","serialNumber":"S1","lastSyncDateTime":"2026-03-20T06:45:00Z"}`

var badInputs = []ingesttest.BadInput{
	{Name: "unknown-shape", In: `{"hello":"world"}` + "\n" + goodLine, WantEvents: 1, Want: []string{"1:0:decode mdm record"}},
	{Name: "serial-wrong-type", In: `{"deviceName":"d","serialNumber":42}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode mdm record"}},
	{Name: "bad-time", In: `{"udid":"u","general":{"lastContactTime":"soon"}}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode mdm record"}},
	{Name: "message-not-json", In: `{"message":"not json"}` + "\n" + goodLine, WantEvents: 1, Want: []string{"1:0:decode mdm record"}},
	{Name: "truncated-results-page", In: "{\"results\": [\n" + goodLine + ",\n{\"udid\": \"x\"", WantEvents: 1,
		Want: []string{"3:96:malformed JSON at offset 108"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/intune_devices_export.ndjson", 1000)
}
