package ingest_test

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask/internal/ingest"
)

// decodeBoth decodes in with bulk scanning on and off, through a reader buffer of size
// bufSize, and fails t if the events or rejects differ.
func decodeBoth(t *testing.T, in []byte, bufSize int, opts ingest.JSONOptions) {
	t.Helper()
	run := func(bulk bool) (ingest.Collector, string) {
		defer ingest.SetBulkScan(ingest.SetBulkScan(bulk))
		var c ingest.Collector
		err := ingest.DecodeJSON(t.Context(), bufio.NewReaderSize(bytes.NewReader(in), bufSize), "test", opts, &c, decodeTest)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		return c, msg
	}
	slow, slowErr := run(false)
	fast, fastErr := run(true)
	if slowErr != fastErr {
		t.Fatalf("error %q with bulk scanning, %q without, for %q", fastErr, slowErr, in)
	}
	if diff := cmp.Diff(slow.Rejects, fast.Rejects); diff != "" {
		t.Fatalf("rejects differ for %q (-slow +fast):\n%s", in, diff)
	}
	if diff := cmp.Diff(slow.Events, fast.Events); diff != "" {
		t.Fatalf("events differ for %q (-slow +fast):\n%s", in, diff)
	}
}

var scanSeeds = []string{
	"{" + t0 + `,"a":"x"}` + "\n",
	`[{"data":{"events":[{"a":"x"}]}},{"value":{"a":1}}]`,
	"{\n \"a\": [1}\n}\n{\"a\":\"\\u00e9\"}",
	"{" + t0 + `,"a":"x","b":{"c":[1,2,{"d":"e\"}"}]}}` + "\n{" + t0 + `,"a":"y"}` + "\n",
	"{" + t0 + `,"a":"x","b":{"c":"line` + "\n" + `break"}}` + "\n{" + t0 + `,"a":"y"}`,
	"{" + t0 + `,"a":"x","b":{"c":[}]}` + "\n{" + t0 + `,"a":"y"}`,
	"{\n" + t0 + ",\n\"b\": {\n\"c\": [1,\n2]\n},\n\"a\": \"z\"\n}\n{" + t0 + ",\n\"b\": {\"x\": \"\\\\\"}}",
	"{" + t0 + `,"b":{"c":"\\\"\\\\"},"a":"w"}` + "\n" + `{"b":{"c":"unterminated`,
	`{"data":{"events":[{` + t0 + `,"a":"x","n":{"m":[[[]]]}},{"a":{"b":}}]}}`,
	"{" + t0 + `,"n":1"a":"x"}` + "\n{,," + t0 + `,"a":"y",}` + "\n{" + t0 + `,"a":"z","n":1:2}`,
	"{" + t0 + `,"data":5,"value":"v","a":"x"}` + "\n{" + t0 + `,"value":{"a":"inner"}}`,
	"{" + t0 + "\n,\"a\"\t:\r\"x\"\n}\n{\n" + t0 + `,"a":"y"}`,
	"{" + t0 + `,"k\"ey":"v","a":"\\"}` + "\n{" + t0 + `,"a":tru`,
}

func TestBulkScanMatchesByteScan(t *testing.T) {
	opts := []ingest.JSONOptions{{}, {MaxRecord: 24, Wrappers: [][]string{{"data", "events"}, {"value"}}}}
	for _, s := range scanSeeds {
		for _, size := range []int{16, 17, 31, 64 << 10} {
			for _, o := range opts {
				decodeBoth(t, []byte(s), size, o)
			}
		}
	}
}

func FuzzBulkScan(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s), uint8(0), false)
	}
	f.Fuzz(func(t *testing.T, in []byte, size uint8, small bool) {
		opts := ingest.JSONOptions{Wrappers: [][]string{{"data", "events"}, {"value"}}}
		if small {
			opts.MaxRecord = 40
		}
		decodeBoth(t, in, 16+int(size), opts)
	})
}
