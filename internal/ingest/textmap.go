package ingest

import (
	"encoding/json"
	"errors"
)

// TextMap is a JSON object of scalars read as map[string]string, each value as Text
// would read it (null values are left out). It decodes in one pass into the map that
// becomes Event.Fields, for flat vendor objects such as Sysmon EventData or osquery rows.
type TextMap map[string]string

var errNotObject = errors.New("not a JSON object")

// UnmarshalJSON implements json.Unmarshaler. encoding/json has validated b, so the scan
// below only finds boundaries.
func (m *TextMap) UnmarshalJSON(b []byte) error {
	i := skipWS(b, 0)
	if i < len(b) && b[i] == 'n' {
		*m = nil
		return nil
	}
	if i >= len(b) || b[i] != '{' {
		return errNotObject
	}
	out := make(TextMap, 16)
	for i = skipWS(b, i+1); i < len(b) && b[i] != '}'; i = skipWS(b, i) {
		if b[i] == ',' {
			i = skipWS(b, i+1)
		}
		kEnd := valueEnd(b, i)
		key := JSONText(b[i:kEnd])
		i = skipWS(b, kEnd)
		i = skipWS(b, i+1) // the ':'
		vEnd := valueEnd(b, i)
		if v := b[i:vEnd]; string(v) != "null" {
			out[key] = JSONText(v)
		}
		i = vEnd
	}
	*m = out
	return nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the end of the valid JSON value starting at b[i].
func valueEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch c := b[j]; c {
		case '"':
			for j++; j < len(b) && b[j] != '"'; j++ {
				if b[j] == '\\' {
					j++
				}
			}
			if depth == 0 {
				return j + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return j
			}
			if depth--; depth == 0 {
				return j + 1
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return j
			}
		}
	}
	return len(b)
}

var _ json.Unmarshaler = (*TextMap)(nil)
