package entra_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/entra"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

func newFormat() ingest.Format { return entra.New(0) }

const sampleDir = "samples/entra_signin"

// sampleCounts are the record counts SOURCES.md gives for each file. The Graph docs
// example is not valid JSON (a trailing comma, as in the vendor doc); this package rejects
// it cleanly instead of guessing, so it counts one reject and no event.
var sampleCounts = map[string]ingesttest.Counts{
	"elastic_test-signinlogs-raw.log":                      {Records: 5, Events: 5},
	"elastic_test-signinlogs-sample.log":                   {Records: 2, Events: 2},
	"elastic_test-non-interactive-user-signin.log":         {Records: 1, Events: 1},
	"msgraph_docs_v1.0_signin-list_example1_response.json": {Rejects: 1},
}

const goodLine = `{"category":"SignInLogs","time":"2026-03-11T08:05:00Z","properties":{"userPrincipalName":"a@b.example","status":{"errorCode":0}}}`

var badInputs = []ingesttest.BadInput{
	{Name: "trailing-comma-page", In: `{"value":[{"id":"x","createdDateTime":"2026-03-11T08:05:00Z","a":[1,]}]}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:10:decode entra sign-in"}},
	{Name: "truncated-line", In: goodLine + "\n" + `{"category":"SignInLogs","time":"2026-03` + "\n" + goodLine, WantEvents: 2,
		Want: []string{"2:130:malformed JSON at offset 170"}},
	{Name: "wrong-type", In: `{"category":"SignInLogs","time":"2026-03-11T08:05:00Z","properties":{"userPrincipalName":5}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode entra sign-in"}},
	{Name: "not-a-sign-in", In: `{"foo":"bar"}` + "\n" + goodLine, WantEvents: 1, Want: []string{"1:0:decode entra sign-in"}},
	{Name: "missing-time", In: `{"category":"SignInLogs","properties":{"userPrincipalName":"a@b.example"}}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:event 0 of record"}},
	{Name: "invalid-utf8", In: `{"category":"SignInLogs","time":"2026-03-11T08:05:00Z","identity":"` + "\xff\xfe" + `"}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:invalid UTF-8 at byte 67 of the record"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/diagnostic_eventhub.ndjson", 500)
}
