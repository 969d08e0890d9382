package ingest_test

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask/internal/ingest"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		name, in string
		want     time.Time
		wantErr  bool
	}{
		{name: "rfc3339", in: "2026-03-02T14:05:11.204Z", want: time.Date(2026, 3, 2, 14, 5, 11, 204e6, time.UTC)},
		{name: "rfc3339-offset", in: "2019-10-18T04:45:48.0729893-05:00", want: time.Date(2019, 10, 18, 9, 45, 48, 72989300, time.UTC)},
		{name: "unix-seconds", in: "1412123850", want: time.Unix(1412123850, 0).UTC()},
		{name: "unix-fraction", in: "1547188415.857497", want: time.Unix(1547188415, 857497000).UTC()},
		{name: "unix-millis", in: "1741611465102", want: time.UnixMilli(1741611465102).UTC()},
		{name: "space-separated", in: "2023-10-26 12:23:58.7994868", want: time.Date(2023, 10, 26, 12, 23, 58, 799486800, time.UTC)},
		{name: "calendar", in: "Tue Sep 30 17:37:30 2014", want: time.Date(2014, 9, 30, 17, 37, 30, 0, time.UTC)},
		{name: "numeric-offset", in: "2021-03-29T12:38:30.710+0000", want: time.Date(2021, 3, 29, 12, 38, 30, 710e6, time.UTC)},
		{name: "date", in: "2014-11-10", want: time.Date(2014, 11, 10, 0, 0, 0, 0, time.UTC)},
		{name: "implausible-epoch", in: "12", wantErr: true},
		{name: "words", in: "yesterday", wantErr: true},
		{name: "nan", in: "NaN", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ingest.ParseTime(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseTime(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTextAndTimeJSON(t *testing.T) {
	var v struct {
		A, B, C, D, E ingest.Text
		T, U          ingest.Time
	}
	in := `{"A":"s\u00e9\"","B":10013,"C":true,"D":null,"E":{"x": [1, 2]},"T":1614697638660,"U":null}`
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	got := []string{string(v.A), string(v.B), string(v.C), string(v.D), string(v.E), v.T.Format(time.RFC3339Nano), v.U.String()}
	want := []string{"sé\"", "10013", "true", "", `{"x":[1,2]}`, "2021-03-02T15:07:18.66Z", "0001-01-01 00:00:00 +0000 UTC"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decoded values mismatch (-want +got):\n%s", diff)
	}
}

func TestLineReader(t *testing.T) {
	in := "short\n" + strings.Repeat("x", 100) + "\nlast"
	lr := ingest.NewLineReader(bufio.NewReaderSize(strings.NewReader(in), 16), 20)
	type line struct {
		Text   string
		Line   int
		Offset int64
		Over   bool
	}
	var got []line
	for {
		rec, over, err := lr.Next()
		if err != nil {
			break
		}
		got = append(got, line{string(rec.Raw), rec.Line, rec.Offset, over})
	}
	want := []line{{"short\n", 1, 0, false}, {strings.Repeat("x", 16), 2, 6, true}, {"last", 3, 107, false}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines mismatch (-want +got):\n%s", diff)
	}
}

func TestTextMap(t *testing.T) {
	tests := []struct {
		name, in string
		want     ingest.TextMap
	}{
		{name: "scalars", in: `{"Image":"C:\\x.exe","ProcessId":7312,"Initiated":true,"Rule":null}`,
			want: ingest.TextMap{"Image": `C:\x.exe`, "ProcessId": "7312", "Initiated": "true"}},
		{name: "nested-and-escaped", in: ` { "a\u00e9" : [1, {"b": "}"}] , "c" : {"d":"e,f"}, "g":"h\"i" } `,
			want: ingest.TextMap{"aé": `[1,{"b":"}"}]`, "c": `{"d":"e,f"}`, "g": `h"i`}},
		{name: "empty", in: `{}`, want: ingest.TextMap{}},
		{name: "null", in: `null`, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got ingest.TextMap
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TextMap mismatch (-want +got):\n%s", diff)
			}
		})
	}
	var v ingest.TextMap
	if err := json.Unmarshal([]byte(`[1]`), &v); err == nil {
		t.Error("TextMap accepted an array")
	}
}

func FuzzTextMap(f *testing.F) {
	f.Add([]byte(`{"a":"b","c":[1,{"d":null}],"e":-1.5e3,"f":"\u0041\"","g":{}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var want map[string]json.RawMessage
		if json.Unmarshal(in, &want) != nil || want == nil {
			return
		}
		var got ingest.TextMap
		if err := json.Unmarshal(in, &got); err != nil {
			t.Fatalf("TextMap rejected an object encoding/json accepts: %v", err)
		}
		for k, v := range want {
			if s := ingest.JSONText(v); s != "" && got[k] != s {
				t.Errorf("key %q = %q, want %q", k, got[k], s)
			}
		}
	})
}
