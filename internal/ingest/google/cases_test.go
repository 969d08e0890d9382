package google_test

import (
	"strings"
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/google"
	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

// newFormat caps records at 64 KiB so that the over-limit case stays small.
func newFormat() ingest.Format { return google.New(64 << 10) }

const sampleDir = "samples/google_workspace"

// sampleCounts are the record counts SOURCES.md gives for each file: every activity holds
// one event; the page envelope at the end of the drive file holds none and is skipped.
var sampleCounts = map[string]ingesttest.Counts{
	"elastic_test-login.log":  {Records: 17, Events: 17},
	"elastic_test-drive.log":  {Records: 36, Events: 36},
	"elastic_test-device.log": {Records: 2, Events: 2},
}

const goodLine = `{"id":{"time":"2026-03-19T03:00:00Z","applicationName":"login"},"actor":{"email":"a@b.example"},"events":[{"name":"logout"}]}`

var badInputs = []ingesttest.BadInput{
	{Name: "no-events", In: `{"id":{"time":"2026-03-19T03:00:00Z","applicationName":"login"}}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode google activity"}},
	{Name: "parameters-wrong-type", In: `{"id":{"time":"2026-03-19T03:00:00Z"},"events":[{"name":"x","parameters":{"a":1}}]}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:decode google activity"}},
	{Name: "bad-time", In: `{"id":{"time":"March"},"events":[{"name":"x"}]}` + "\n" + goodLine, WantEvents: 1,
		Want: []string{"1:0:decode google activity"}},
	{Name: "page-with-broken-item", In: `{"kind":"admin#reports#activities","items":[` + goodLine + `,{"id":{"time":1}}]}`, WantEvents: 1,
		Want: []string{"1:170:decode google activity"}},
	{Name: "over-limit-line", In: `{"id":{"time":"2026-03-19T03:00:00Z"},"events":[{"name":"` + strings.Repeat("n", 70<<10) + `"}]}` + "\n" + goodLine,
		WantEvents: 1, Want: []string{"1:0:record exceeds the 65536-byte limit"}},
}

func benchInput(tb testing.TB) []byte {
	return ingesttest.Repeat(tb, "testdata/drive_activities.ndjson", 500)
}
