package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// testRecord is the record shape of the test format.
type testRecord struct {
	T time.Time `json:"t"`
	A string    `json:"a"`
}

func decodeTest(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var r testRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return dst, fmt.Errorf("decode test record: %w", err)
	}
	return append(dst, &unmask.Event{Time: r.T, Kind: unmask.KindOther, Action: r.A}), nil
}

// result is what a decode produced, in comparable form.
type result struct {
	Actions []string
	Rejects []string // line:offset:reason-prefix
	Err     string
}

func mustDecode(tb testing.TB, in []byte, opts ingest.JSONOptions) result {
	tb.Helper()
	var c ingest.Collector
	err := ingest.DecodeJSON(context.Background(), bytes.NewReader(in), "test", opts, &c, decodeTest)
	var res result
	for _, e := range c.Events {
		res.Actions = append(res.Actions, e.Action)
		if e.ID == "" || e.Source != "test" || len(e.Raw) == 0 {
			tb.Errorf("event %+v lacks id, source or raw", e)
		}
	}
	for _, r := range c.Rejects {
		reason, _, _ := strings.Cut(r.Reason, ":")
		res.Rejects = append(res.Rejects, fmt.Sprintf("%d:%d:%s", r.Line, r.Offset, reason))
	}
	if err != nil {
		res.Err = err.Error()
	}
	return res
}

func gz(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

const t0 = `"t":"2026-01-02T03:04:05Z"`

// decodeCase is one DecodeJSON input and what it must give.
type decodeCase struct {
	name string
	in   []byte
	opts ingest.JSONOptions
	want result
}

// framingCases are well-formed inputs in every framing.
func framingCases(tb testing.TB) []decodeCase {
	tb.Helper()
	wrappers := ingest.JSONOptions{Wrappers: [][]string{{"data", "events"}, {"value"}, {"records"}}}
	good := gz(tb, `{`+t0+`,"a":"x"}`+"\n"+`{`+t0+`,"a":"y"}`+"\n")
	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)-6] ^= 0xff // break the CRC
	return []decodeCase{
		{name: "ndjson", in: []byte(`{` + t0 + `,"a":"x"}` + "\r\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"x", "y"}}},
		{name: "array", in: []byte(`[{` + t0 + `,"a":"x"},` + "\n" + `{` + t0 + `,"a":"y"}]`),
			want: result{Actions: []string{"x", "y"}}},
		{name: "pretty-concatenated", in: []byte("{\n  " + t0 + ",\n  \"a\": \"x\"\n}\n{\n  " + t0 + ",\n  \"a\": \"y\"\n}\n"),
			want: result{Actions: []string{"x", "y"}}},
		{name: "bom", in: []byte("\xef\xbb\xbf{" + t0 + `,"a":"x"}`), want: result{Actions: []string{"x"}}},
		{name: "okta-hook-envelope", opts: wrappers,
			in:   []byte(`{"eventType":"com.okta.event_hook","data":{"x":[1],"events":[{` + t0 + `,"a":"x"},{` + t0 + `,"a":"y"}]},"z":{"a":"q"}}`),
			want: result{Actions: []string{"x", "y"}}},
		{name: "graph-page-and-plain-record", opts: wrappers,
			in:   []byte(`{"@odata.context":"c","value":[{` + t0 + `,"a":"x"}]}` + "\n" + `{` + t0 + `,"a":"y","data":1}`),
			want: result{Actions: []string{"x", "y"}}},
		{name: "wrapper-holding-one-object", opts: wrappers,
			in: []byte(`{"value":{` + t0 + `,"a":"x"}}`), want: result{Actions: []string{"x"}}},
		{name: "gzip", in: good, want: result{Actions: []string{"x", "y"}}},
		{name: "corrupt-gzip-keeps-nothing-after-error", in: corrupt,
			want: result{Actions: []string{"x", "y"}, Err: "read input at offset 74: gzip: invalid checksum"}},
	}
}

// badCases are inputs with bad records among good ones.
func badCases() []decodeCase {
	return []decodeCase{
		{name: "truncated-ndjson-line", in: []byte(`{` + t0 + `,"a":"x"}` + "\n" + `{"t":"2026-01-0` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"x", "y"}, Rejects: []string{"2:37:malformed JSON at offset 52"}}},
		{name: "unclosed-object-in-ndjson", in: []byte(`{` + t0 + `,"a":"x"}` + "\n" + `{"a":1,` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"x", "y"}, Rejects: []string{"2:37:malformed JSON at offset 44"}}},
		{name: "malformed-json-value", in: []byte(`{` + t0 + `,"a":"x"}` + "\n" + `{"a" 1}` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"x", "y"}, Rejects: []string{"2:37:decode test record"}}},
		{name: "wrong-type", in: []byte(`{` + t0 + `,"a":1}` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:0:decode test record"}}},
		{name: "missing-time", in: []byte(`{"a":"x"}` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:0:event 0 of record"}}},
		{name: "garbage-line", in: []byte("not json\n{" + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:0:malformed JSON at offset 0"}}},
		{name: "mismatched-bracket-in-pretty-json", in: []byte("{\n \"a\": [1}\n  \"b\": 2\n}\n{" + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:0:malformed JSON at offset 10"}}},
		{name: "invalid-utf8", in: []byte(`{` + t0 + `,"a":"` + "\xff" + `"}` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:0:invalid UTF-8 at byte 33 of the record"}}},
		{name: "over-limit", opts: ingest.JSONOptions{MaxRecord: 40},
			in:   []byte(`{` + t0 + `,"a":"` + strings.Repeat("z", 100) + `"}` + "\n" + `{` + t0 + `,"a":"y"}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:0:record exceeds the 40-byte limit"}}},
		{name: "truncated-at-eof", in: []byte("{" + t0 + `,"a":"y"}` + "\n" + `{"a":"x`),
			want: result{Actions: []string{"y"}, Rejects: []string{"2:37:malformed JSON at offset 44"}}},
		{name: "empty", in: nil, want: result{}},
		{name: "pretty-array-positions", in: []byte("[\n {\n  \"a\": 1\n },\n {\n  " + t0 + ",\n  \"a\": \"y\"\n }\n]\n"),
			want: result{Actions: []string{"y"}, Rejects: []string{"2:3:decode test record"}}},
		{name: "over-limit-envelope-element", opts: ingest.JSONOptions{MaxRecord: 40, Wrappers: [][]string{{"value"}}},
			in:   []byte(`{"value":[{` + t0 + `,"a":"` + strings.Repeat("z", 50) + `"},{` + t0 + `,"a":"y"}]}`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:10:record exceeds the 40-byte limit"}}},
		{name: "scalars-are-rejected", in: []byte("[1, \"x\", {" + t0 + `,"a":"y"}]`),
			want: result{Actions: []string{"y"}, Rejects: []string{"1:1:array element is not a JSON object", "1:4:array element is not a JSON object"}}},
		{name: "garbage-inside-array", in: []byte("[{" + t0 + `,"a":"x"}, oops, {` + t0 + `,"a":"y"}]` + "\n{" + t0 + `,"a":"z"}`),
			want: result{Actions: []string{"x", "z"}, Rejects: []string{"1:39:malformed JSON at offset 39"}}},
	}
}

func TestDecodeJSON(t *testing.T) {
	for _, tt := range append(framingCases(t), badCases()...) {
		t.Run(tt.name, func(t *testing.T) {
			got := mustDecode(t, tt.in, tt.opts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJSONRejectKeepsRawAndPosition(t *testing.T) {
	in := "{" + t0 + `,"a":"x"}` + "\n" + `{"a":}` + "\n"
	var c ingest.Collector
	if err := ingest.DecodeJSON(t.Context(), strings.NewReader(in), "test", ingest.JSONOptions{}, &c, decodeTest); err != nil {
		t.Fatal(err)
	}
	want := []*ingest.Reject{{Line: 2, Offset: 37, Raw: []byte(`{"a":}`)}}
	if diff := cmp.Diff(want, c.Rejects, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Reason" }, cmp.Ignore())); diff != "" {
		t.Errorf("rejects mismatch (-want +got):\n%s", diff)
	}
}

// failingSink fails on the first accepted event.
type failingSink struct{ ingest.Collector }

var errSink = errors.New("sink down")

func (f *failingSink) Accept(context.Context, *unmask.Event) error { return errSink }

func TestDecodeJSONSinkErrorStops(t *testing.T) {
	in := "{" + t0 + `,"a":"x"}` + "\n" + "{" + t0 + `,"a":"y"}`
	err := ingest.DecodeJSON(t.Context(), strings.NewReader(in), "test", ingest.JSONOptions{}, &failingSink{}, decodeTest)
	if !errors.Is(err, errSink) {
		t.Errorf("DecodeJSON error = %v, want %v", err, errSink)
	}
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte("{" + t0 + `,"a":"x"}` + "\n"))
	f.Add([]byte(`[{"data":{"events":[{"a":"x"}]}},{"value":{"a":1}}]`))
	f.Add([]byte("{\n \"a\": [1}\n}\n{\"a\":\"\\u00e9\"}"))
	opts := ingest.JSONOptions{MaxRecord: 256, Wrappers: [][]string{{"data", "events"}, {"value"}}}
	f.Fuzz(func(t *testing.T, in []byte) {
		var c ingest.Collector
		err := ingest.DecodeJSON(t.Context(), bytes.NewReader(in), "test", opts, &c, decodeTest)
		if err != nil && !bytes.HasPrefix(in, []byte{0x1f, 0x8b}) {
			t.Fatalf("DecodeJSON on an in-memory, uncompressed stream: %v", err)
		}
		for _, r := range c.Rejects {
			if r.Offset < 0 || r.Offset > int64(len(in)) || r.Line < 1 || r.Reason == "" {
				t.Errorf("bad reject position or reason: %+v", r)
			}
		}
		for _, e := range c.Events {
			if err := e.Validate(); err != nil {
				t.Errorf("accepted invalid event: %v", err)
			}
		}
	})
}

func BenchmarkDecodeJSONNDJSON(b *testing.B) {
	var in []byte
	const n = 1000
	for i := range n {
		in = fmt.Appendf(in, `{%s,"a":"action-%d","client":{"ipAddress":"203.0.113.%d","geo":{"city":"x"}}}`+"\n", t0, i, i%256)
	}
	noop := func(_ []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
		return append(dst, &unmask.Event{Time: time.Unix(1, 0), Kind: unmask.KindOther}), nil
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var c ingest.Collector
		if err := ingest.DecodeJSON(b.Context(), bytes.NewReader(in), "test", ingest.JSONOptions{}, &c, noop); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
}
