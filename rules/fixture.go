package rules

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// TimeField is the fixture field holding an event's time (RFC 3339).
const TimeField = "@timestamp"

// maxFixtureLine caps one fixture line.
const maxFixtureLine = 1 << 20

// FixtureEvent is one line of a fixture file: an event as the detection stage shows it
// to rules.
type FixtureEvent struct {
	Line   int               // 1-based line in the file
	Time   time.Time         // from TimeField, else the default time given to ParseFixture
	Fields map[string]string // every field but TimeField, values as text
}

// ParseFixture parses a JSONL fixture: one flat JSON object per line, whose values are
// strings, numbers or booleans. Blank lines are skipped. Events without TimeField get
// the time def.
func ParseFixture(data []byte, def time.Time) ([]FixtureEvent, error) {
	var out []FixtureEvent
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), maxFixtureLine)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		ev, err := parseFixtureLine(sc.Bytes(), def)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		ev.Line = n
		out = append(out, ev)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read fixture: %w", err)
	}
	return out, nil
}

func parseFixtureLine(b []byte, def time.Time) (FixtureEvent, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return FixtureEvent{}, fmt.Errorf("decode event: %w", err)
	}
	if raw == nil {
		return FixtureEvent{}, fmt.Errorf("decode event: not a JSON object")
	}
	if dec.More() {
		return FixtureEvent{}, fmt.Errorf("decode event: more than one JSON value on the line")
	}
	ev := FixtureEvent{Time: def, Fields: make(map[string]string, len(raw))}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			ev.Fields[k] = v
		case json.Number:
			ev.Fields[k] = v.String()
		case bool:
			ev.Fields[k] = fmt.Sprint(v)
		default:
			return FixtureEvent{}, fmt.Errorf("field %q: value is not a string, number or bool", k)
		}
	}
	if ts, ok := ev.Fields[TimeField]; ok {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			return FixtureEvent{}, fmt.Errorf("%s: %w", TimeField, err)
		}
		ev.Time = t
		delete(ev.Fields, TimeField)
	}
	return ev, nil
}
