package greenhouse_test

import (
	"testing"
	"time"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/greenhouse"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

// observed is the ingest time given to records without a time of their own.
var observed = time.Date(2026, 3, 21, 0, 0, 0, 0, time.UTC)

func newFormat() ingest.Format {
	return greenhouse.New(greenhouse.Options{Now: func() time.Time { return observed }})
}

const sampleDir = "samples/ats"

// sampleCounts are the record counts SOURCES.md gives for each file. The Airbyte Lever
// export in the same folder is not a Greenhouse format: all 24 of its records are
// rejected, each with a reason, and none is misread as a Greenhouse record.
var sampleCounts = map[string]ingesttest.Counts{
	"greenhouse_harvest_list_candidates_response.json":    {Records: 1, Events: 1},
	"greenhouse_harvest_retrieve_candidate_response.json": {Records: 1, Events: 1},
	"greenhouse_harvest_list_applications_response.json":  {Records: 2, Events: 2},
	"greenhouse_harvest_list_offers_response.json":        {Records: 2, Events: 2},
	"greenhouse_webhook_candidate_hired.json":             {Records: 1, Events: 1},
	"greenhouse_webhook_candidate_stage_change.json":      {Records: 1, Events: 1},
	"greenhouse_webhook_application_created.json":         {Records: 1, Events: 1},
	"airbyte_lever_hiring_expected_records.jsonl":         {Rejects: 24},
}

const goodLine = `{"id":1,"candidate_id":2,"applied_at":"2026-01-06T10:00:00Z"}`

var badInputs = []ingesttest.BadInput{
	{Name: "unknown-record", In: `{"stream":"opportunities","data":{"emails":["a@b.example"]}}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode greenhouse record"}},
	{Name: "emails-wrong-type", In: `{"id":1,"first_name":"A","email_addresses":"a@b.example"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode greenhouse record"}},
	{Name: "webhook-without-payload-objects", In: `{"action":"ping","payload":{}}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode greenhouse record"}},
	{Name: "bad-applied-at", In: `{"id":1,"candidate_id":2,"applied_at":"last week"}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode greenhouse record"}},
	{Name: "truncated-array", In: "[\n" + goodLine + ",\n" + `{"id":3,"candidate_id":`, WantEvents: 1,
		Want: []string{"3:65:malformed JSON at offset 88"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/harvest_application_and_offer.ndjson", 500)
}
