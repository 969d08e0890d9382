// Package zeek decodes Zeek logs (conn, dns, ssl, http, and any other log as generic
// events) in both of Zeek's writers' formats: JSON lines (LogAscii::use_json, including
// records wrapped in Splunk search-result envelopes, result._raw) and the native
// tab-separated format with its #separator, #fields and #types headers, escapes such as
// \x09, unset '-' and empty '(empty)' fields.
package zeek

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Zeek events.
const Source = "zeek"

// Format decodes Zeek logs.
type Format struct {
	maxRecord int
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records (JSON records and TSV lines) are capped at maxRecord
// bytes (0: the default).
func New(maxRecord int) *Format {
	if maxRecord <= 0 {
		maxRecord = ingest.DefaultMaxRecord
	}
	return &Format{maxRecord: maxRecord}
}

// Source returns "zeek".
func (f *Format) Source() string { return Source }

// Decode reads a Zeek log from r, choosing TSV when the first byte is '#'.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	rr, err := ingest.Decompress(r)
	if err != nil {
		return err
	}
	br, ok := rr.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(rr, 64<<10)
	}
	if b, err := br.Peek(1); err == nil && b[0] == '#' {
		return decodeTSV(ctx, br, f.maxRecord, sink)
	}
	opts := ingest.JSONOptions{MaxRecord: f.maxRecord}
	return ingest.DecodeJSON(ctx, br, Source, opts, sink, decodeJSON)
}

// splunkEnvelope is a Splunk search result holding a Zeek record as a string.
type splunkEnvelope struct {
	Result *struct {
		Raw *string `json:"_raw"`
	} `json:"result"`
}

func decodeJSON(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return dst, fmt.Errorf("decode zeek record: %w", err)
	}
	if _, ok := m["result"]; ok && m["ts"] == nil {
		var env splunkEnvelope
		if err := json.Unmarshal(raw, &env); err != nil || env.Result == nil || env.Result.Raw == nil {
			return dst, fmt.Errorf("decode zeek record: Splunk envelope without a result._raw string")
		}
		m = nil
		if err := json.Unmarshal([]byte(*env.Result.Raw), &m); err != nil {
			return dst, fmt.Errorf("decode zeek record in result._raw: %w", err)
		}
	}
	fields := make(map[string]string, len(m))
	for k, v := range m {
		if s := fieldText(v); s != "" || len(v) > 0 && v[0] == '"' {
			fields[k] = s
		}
	}
	e, err := toEvent(fields["_path"], fields)
	if err != nil {
		return dst, err
	}
	return append(dst, e), nil
}

// fieldText renders a JSON value the way the TSV writer does: arrays joined by ','.
func fieldText(v json.RawMessage) string {
	if len(v) > 0 && v[0] == '[' {
		var items []ingest.Text
		if json.Unmarshal(v, &items) == nil {
			var b strings.Builder
			for i, it := range items {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(string(it))
			}
			return b.String()
		}
	}
	return ingest.JSONText(v)
}

// LogPath infers the log a record comes from when it does not say (JSON without _path).
func LogPath(fields map[string]string) string {
	has := func(k string) bool { _, ok := fields[k]; return ok }
	switch {
	case has("query") || has("qtype_name") || has("rcode_name"):
		return "dns"
	case has("server_name") || has("cipher") || has("ja3"):
		return "ssl"
	case has("method") || has("status_code") || has("uri"):
		return "http"
	case has("conn_state") || has("history") || has("orig_bytes"):
		return "conn"
	}
	return ""
}

// toEvent maps the fields of one record of the log path.
func toEvent(path string, f map[string]string) (*unmask.Event, error) {
	if path == "" {
		path = LogPath(f)
	}
	t, err := ingest.ParseTime(f["ts"])
	if err != nil {
		return nil, fmt.Errorf("decode zeek record: ts missing or invalid")
	}
	e := &unmask.Event{Time: t, Kind: unmask.KindOther, Action: path, SourceIP: f["id.orig_h"], Fields: f}
	switch path {
	case "conn":
		e.Kind, e.Target = unmask.KindConn, f["id.resp_h"]
	case "dns":
		e.Kind, e.Target = unmask.KindDNS, f["query"]
	case "ssl":
		e.Kind, e.Target = unmask.KindTLS, first(f["server_name"], f["id.resp_h"])
	case "http":
		e.Kind, e.Target, e.UserAgent = unmask.KindHTTP, first(f["host"], f["id.resp_h"]), f["user_agent"]
	}
	if path != "" {
		f["_path"] = path
	}
	return e, nil
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
