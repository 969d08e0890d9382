package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Text is a JSON scalar read as a string: vendors send the same field as a string in one
// record and a number or boolean in the next (Okta postalCode, Entra Level). null is "".
// Objects and arrays are kept as compact JSON text.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	*t = Text(JSONText(b))
	return nil
}

// JSONText returns raw as field text: a string unquoted, null as "", any other value as
// its JSON text (compacted for objects and arrays).
func JSONText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] == '"':
		if n := len(raw); n >= 2 && raw[n-1] == '"' && bytes.IndexByte(raw[1:n-1], '\\') < 0 && utf8.Valid(raw[1:n-1]) {
			return string(raw[1 : n-1]) // no escapes: the common case, without a decoder
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case raw[0] == '{' || raw[0] == '[':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.String()
		}
	}
	return string(raw)
}

// Time is a timestamp read from an RFC 3339 string, a "2006-01-02 15:04:05.999" string
// (UTC), or a number of Unix seconds, milliseconds or microseconds (told apart by size),
// given as a JSON number or a numeric string. null and "" leave it zero.
type Time struct{ time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := JSONText(b)
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	v, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

var errTime = errors.New("not a timestamp")

// layouts are the string layouts ParseTime accepts, after RFC 3339.
var layouts = []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05Z07:00",
	"Mon Jan 2 15:04:05 2006", "2006-01-02T15:04:05.999999999-0700", "2006-01-02"}

// ParseTime parses s as described for Time. Times without a zone are UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return UnixTime(f)
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("parse time: %w", errTime)
}

// UnixTime converts Unix seconds, milliseconds or microseconds (told apart by size) to a
// UTC time. Values before 1990 or after 2200 are rejected as implausible.
func UnixTime(f float64) (time.Time, error) {
	switch a := math.Abs(f); {
	case a >= 1e15:
		f /= 1e6
	case a >= 1e11:
		f /= 1e3
	}
	if f < 631152000 || f > 7258118400 {
		return time.Time{}, fmt.Errorf("unix time out of range: %w", errTime)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1e3).UTC(), nil
}
