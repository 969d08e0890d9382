package sqlstore

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// The event columns geo and fields are written for every stored event, so they get an
// encoder of their own instead of encoding/json's reflection (a tenth of an insert's CPU).
// What they write reads back with fromJSON exactly as jsonText's output does: keys sorted,
// strings escaped, invalid UTF-8 replaced by U+FFFD.

// appendFields appends m as a JSON object with sorted keys; keys is scratch space, returned
// for reuse.
func appendFields(b []byte, m map[string]string, keys []string) ([]byte, []string) {
	keys = keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	return append(b, '}'), keys
}

// appendGeo appends g as the JSON object json.Marshal writes for it (omitting empty fields).
func appendGeo(b []byte, g *unmask.GeoPoint) []byte {
	if !finite(g.Lat) || !finite(g.Lon) {
		return append(b, jsonText(g)...) // not representable: jsonText reports it
	}
	b = append(b, '{')
	n := len(b)
	str := func(name, v string) {
		if v != "" {
			b = appendKey(b, n, name)
			b = appendJSONString(b, v)
		}
	}
	num := func(name string, v float64) {
		if v != 0 {
			b = appendKey(b, n, name)
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	}
	str("country", g.Country)
	str("region", g.Region)
	str("city", g.City)
	num("lat", g.Lat)
	num("lon", g.Lon)
	if g.ASN != 0 {
		b = appendKey(b, n, "asn")
		b = strconv.AppendInt(b, int64(g.ASN), 10)
	}
	str("as_org", g.ASOrg)
	return append(b, '}')
}

// appendKey appends a member name, after a comma unless it is the object's first (the
// object's members start at b[start:]).
func appendKey(b []byte, start int, name string) []byte {
	if len(b) > start {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaping what JSON requires plus U+2028 and
// U+2029, and replacing invalid UTF-8 with U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
