package google_test

import (
	"strings"
	"testing"

	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/google"
)

// newFormat caps records at 64 KiB so that the over-limit case stays small.
func newFormat() ingest.Format { return google.New(64 << 10) }

const sampleDir = "samples/google_workspace"

// sampleCounts are the record counts SOURCES.md gives for each file: every activity holds
// one event; the page envelope at the end of the drive file holds none and is skipped.
var sampleCounts = map[string]counts{
	"elastic_test-login.log":  {Records: 17, Events: 17},
	"elastic_test-drive.log":  {Records: 36, Events: 36},
	"elastic_test-device.log": {Records: 2, Events: 2},
}

const goodLine = `{"id":{"time":"2026-03-19T03:00:00Z","applicationName":"login"},"actor":{"email":"a@b.example"},"events":[{"name":"logout"}]}`

var badInputs = []badInput{
	{name: "no-events", in: `{"id":{"time":"2026-03-19T03:00:00Z","applicationName":"login"}}` + "\n" + goodLine, wantEvents: 1,
		want: []string{"1:0:decode google activity"}},
	{name: "parameters-wrong-type", in: `{"id":{"time":"2026-03-19T03:00:00Z"},"events":[{"name":"x","parameters":{"a":1}}]}` + "\n" + goodLine,
		wantEvents: 1, want: []string{"1:0:decode google activity"}},
	{name: "bad-time", in: `{"id":{"time":"March"},"events":[{"name":"x"}]}` + "\n" + goodLine, wantEvents: 1,
		want: []string{"1:0:decode google activity"}},
	{name: "page-with-broken-item", in: `{"kind":"admin#reports#activities","items":[` + goodLine + `,{"id":{"time":1}}]}`, wantEvents: 1,
		want: []string{"1:170:decode google activity"}},
	{name: "over-limit-line", in: `{"id":{"time":"2026-03-19T03:00:00Z"},"events":[{"name":"` + strings.Repeat("n", 70<<10) + `"}]}` + "\n" + goodLine,
		wantEvents: 1, want: []string{"1:0:record exceeds the 65536-byte limit"}},
}

func benchInput(tb testing.TB) []byte { return repeat(tb, "testdata/drive_activities.ndjson", 500) }
