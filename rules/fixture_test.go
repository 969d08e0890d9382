package rules_test

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask/rules"
)

func TestParseFixture(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		in      string
		want    []rules.FixtureEvent
		wantErr string
	}{
		{name: "values_as_text", in: `{"EventID":22,"Initiated":false,"Image":"C:\\a.exe"}`,
			want: []rules.FixtureEvent{{Line: 1, Time: defaultTime,
				Fields: map[string]string{"EventID": "22", "Initiated": "false", "Image": `C:\a.exe`}}}},
		{name: "timestamp_and_blank_lines", in: "\n" + `{"@timestamp":"2026-03-01T08:00:00Z","a":"b"}` + "\n\n" + `{"c":"d"}` + "\n",
			want: []rules.FixtureEvent{{Line: 2, Time: at, Fields: map[string]string{"a": "b"}},
				{Line: 4, Time: defaultTime, Fields: map[string]string{"c": "d"}}}},
		{name: "empty_file", in: "", want: nil},
		{name: "nested_value", in: `{"a":{"b":1}}`, wantErr: `line 1: field "a": value is not a string, number or bool`},
		{name: "null_value", in: `{"a":null}`, wantErr: `line 1: field "a": value is not a string, number or bool`},
		{name: "not_an_object", in: `[1]`,
			wantErr: "line 1: decode event: json: cannot unmarshal array into Go value of type map[string]interface {}"},
		{name: "null_line", in: `null`, wantErr: "line 1: decode event: not a JSON object"},
		{name: "two_values", in: `{"a":"b"} {"c":"d"}`, wantErr: "line 1: decode event: more than one JSON value on the line"},
		{name: "bad_timestamp", in: `{"x":"1"}` + "\n" + `{"@timestamp":"yesterday"}`,
			wantErr: `line 2: @timestamp: parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.ParseFixture([]byte(tt.in), defaultTime)
			if diff := cmp.Diff(tt.wantErr, errString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParseFixture checks that ParseFixture never panics and that what it returns
// survives a round trip through JSON.
func FuzzParseFixture(f *testing.F) {
	for _, s := range []string{`{"a":"b","n":1,"t":true}`, `{"@timestamp":"2026-03-01T08:00:00+02:00"}`, "\n\n{}", `[1]`,
		`{"a":{"b":1}}`, `{"Image":"C:\\a\\b.exe","event.kind":"process_start"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, err := rules.ParseFixture(data, defaultTime)
		if err != nil {
			return
		}
		for _, ev := range evs {
			m := map[string]string{rules.TimeField: ev.Time.Format(time.RFC3339Nano)}
			maps.Copy(m, ev.Fields)
			line, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			again, err := rules.ParseFixture(line, defaultTime)
			if err != nil || len(again) != 1 {
				t.Fatalf("round trip of %s: %v events, error %v", line, len(again), err)
			}
			if !again[0].Time.Equal(ev.Time) {
				t.Errorf("time %v became %v", ev.Time, again[0].Time)
			}
			if diff := cmp.Diff(ev.Fields, again[0].Fields); diff != "" {
				t.Errorf("fields changed in a round trip (-first +second):\n%s", diff)
			}
		}
	})
}
