package hrcsv_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

// The tests every format has; the tables they run (newFormat, badInputs, benchInput) are
// in cases_test.go. hrcsv has no third-party samples, so no TestSamples.

func TestGolden(t *testing.T) { ingesttest.RunGolden(t, newFormat, "testdata") }

func TestBadInput(t *testing.T) { ingesttest.RunBadInputs(t, newFormat, badInputs) }

func FuzzDecode(f *testing.F) {
	ingesttest.AddFuzzSeeds(f, "testdata", badInputs)
	f.Fuzz(ingesttest.FuzzTarget(newFormat()))
}

func BenchmarkDecode(b *testing.B) { ingesttest.BenchDecode(b, newFormat, benchInput(b)) }
