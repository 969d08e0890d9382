package github_test

import (
	"testing"

	"github.com/unmask/unmask/internal/ingest/ingesttest"
)

// The tests every format has; the tables they run (newFormat, sampleDir, sampleCounts,
// badInputs, benchInput) are in cases_test.go.

func TestGolden(t *testing.T) { ingesttest.RunGolden(t, newFormat, "testdata") }

func TestSamples(t *testing.T) { ingesttest.RunSamples(t, newFormat, sampleDir, sampleCounts) }

func TestBadInput(t *testing.T) { ingesttest.RunBadInputs(t, newFormat, badInputs) }

func FuzzDecode(f *testing.F) {
	ingesttest.AddFuzzSeeds(f, "testdata", badInputs)
	f.Fuzz(ingesttest.FuzzTarget(newFormat()))
}

func BenchmarkDecode(b *testing.B) { ingesttest.BenchDecode(b, newFormat, benchInput(b)) }
