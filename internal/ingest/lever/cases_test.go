package lever_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
	"github.com/unmask/unmask/internal/ingest/lever"
)

func newFormat() ingest.Format { return lever.New(0) }

const sampleDir = "samples/ats"

// sampleCounts are the record counts SOURCES.md gives for the Lever export (24 records in
// Airbyte envelopes). The Greenhouse files in the same folder are not Lever records: their
// objects are rejected, each with a reason (one per array element or object).
var sampleCounts = map[string]ingesttest.Counts{
	"airbyte_lever_hiring_expected_records.jsonl":         {Records: 24, Events: 24},
	"greenhouse_harvest_list_candidates_response.json":    {Rejects: 1},
	"greenhouse_harvest_retrieve_candidate_response.json": {Rejects: 1},
	"greenhouse_harvest_list_applications_response.json":  {Rejects: 2},
	"greenhouse_harvest_list_offers_response.json":        {Rejects: 2},
	"greenhouse_webhook_candidate_hired.json":             {Rejects: 1},
	"greenhouse_webhook_candidate_stage_change.json":      {Rejects: 1},
	"greenhouse_webhook_application_created.json":         {Rejects: 1},
}

const goodUser = `{"id":"u","email":"a@b.example","accessRole":"admin","createdAt":1700000000000}`

const goodLine = `{"stream":"users","data":{"id":"u","email":"a@b.example","accessRole":"admin","createdAt":1700000000000}}`

var badInputs = []ingesttest.BadInput{
	{Name: "unknown-object", In: `{"data":{"id":"x","createdAt":1700000000000}}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:8:decode lever record"}},
	{Name: "emails-wrong-type", In: `{"data":{"id":"x","emails":"a@b.example","createdAt":1700000000000}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:8:decode lever record"}},
	{Name: "no-time", In: `{"data":{"id":"x","emails":["a@b.example"]}}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:8:event 0 of record"}},
	{Name: "truncated-page", In: "{\"data\": [\n" + goodUser + ",\n{\"id\": \"y\", \"emails\": [", WantEvents: 1,
		Want: []string{"3:92:malformed JSON at offset 115"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/airbyte_export.jsonl", 250)
}
