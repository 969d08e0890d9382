package sigma

import (
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds of a Sigma string.
const (
	tokLit   = iota // literal text
	tokStar         // * wildcard
	tokQuest        // ? wildcard
)

// token is one piece of a Sigma string: literal text or a wildcard.
type token struct {
	kind uint8
	s    string
}

// sstring is a Sigma string value after escape processing: literals and wildcards.
type sstring []token

// parseSString splits s into literals and wildcards following the escape rules of the
// specification: \* and \? are literal wildcard characters, \\ is one backslash and a
// backslash before any other character is itself.
func parseSString(s string) sstring {
	var out sstring
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, token{kind: tokLit, s: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\'):
			lit.WriteByte(s[i+1])
			i++
		case c == '*':
			flush()
			if len(out) == 0 || out[len(out)-1].kind != tokStar {
				out = append(out, token{kind: tokStar})
			}
		case c == '?':
			flush()
			out = append(out, token{kind: tokQuest})
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return out
}

// literalSString returns s as one literal token.
func literalSString(s string) sstring {
	if s == "" {
		return nil
	}
	return sstring{{kind: tokLit, s: s}}
}

// plain returns the text of s and whether s has no wildcards.
func (s sstring) plain() (string, bool) {
	var b strings.Builder
	for _, t := range s {
		if t.kind != tokLit {
			return "", false
		}
		b.WriteString(t.s)
	}
	return b.String(), true
}

// wrap returns s with a leading and/or trailing star added.
func (s sstring) wrap(lead, trail bool) sstring {
	out := make(sstring, 0, len(s)+2)
	if lead && (len(s) == 0 || s[0].kind != tokStar) {
		out = append(out, token{kind: tokStar})
	}
	out = append(out, s...)
	if trail && (len(out) == 0 || out[len(out)-1].kind != tokStar) {
		out = append(out, token{kind: tokStar})
	}
	return out
}

// appendLower appends the lowercase form of src to dst: an ASCII fast path, and simple
// Unicode case folding with unicode.ToLower for other runes. Patterns and event values go
// through the same function, so they compare consistently.
func appendLower(dst, src []byte) []byte {
	for len(src) >= 8 {
		x := binary.LittleEndian.Uint64(src)
		if x&0x8080808080808080 != 0 {
			break
		}
		// With every byte below 0x80 the additions cannot carry between bytes: the high
		// bit of a is set for bytes >= 'A', of z for bytes > 'Z'.
		a := x + 0x3f3f3f3f3f3f3f3f
		z := x + 0x2525252525252525
		x |= ((a &^ z) & 0x8080808080808080) >> 2
		dst = binary.LittleEndian.AppendUint64(dst, x)
		src = src[8:]
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c >= utf8.RuneSelf {
			return appendLowerSlow(dst, src[i:])
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func appendLowerSlow(dst, src []byte) []byte {
	for len(src) > 0 {
		if c := src[0]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			src = src[1:]
			continue
		}
		r, n := utf8.DecodeRune(src)
		if r == utf8.RuneError && n <= 1 {
			dst = append(dst, src[0])
			src = src[1:]
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		src = src[n:]
	}
	return dst
}

// needsLower reports whether appendLower would change b.
func needsLower(b []byte) bool {
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		a := x + 0x3f3f3f3f3f3f3f3f
		z := x + 0x2525252525252525
		if x&0x8080808080808080 != 0 || (a&^z)&0x8080808080808080 != 0 {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

// lowerString returns the lowercase form of s as appendLower defines it.
func lowerString(s string) string {
	return string(appendLower(nil, []byte(s)))
}

// globMatch reports whether s matches the glob pattern pat, where kinds[i] says whether
// pat[i] is a literal byte, a * or a ?. It is the greedy algorithm with one backtrack
// point (O(len(pat)*len(s)) at worst); ? consumes one UTF-8 rune.
func globMatch(pat []byte, kinds []uint8, s []byte) bool {
	p, i := 0, 0
	starP, starI := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && kinds[p] == tokQuest:
			_, n := utf8.DecodeRune(s[i:])
			i += n
			p++
		case p < len(pat) && kinds[p] == tokStar:
			starP, starI = p, i
			p++
		case p < len(pat) && kinds[p] == tokLit && pat[p] == s[i]:
			p++
			i++
		case starP >= 0:
			starI++
			p, i = starP+1, starI
		default:
			return false
		}
	}
	for p < len(pat) && kinds[p] == tokStar {
		p++
	}
	return p == len(pat)
}

// globBytes flattens s into the byte/kind arrays globMatch uses, lowercasing literals
// unless cased is set.
func globBytes(s sstring, cased bool) ([]byte, []uint8) {
	var pat []byte
	var kinds []uint8
	for _, t := range s {
		if t.kind != tokLit {
			pat = append(pat, 0)
			kinds = append(kinds, t.kind)
			continue
		}
		lit := []byte(t.s)
		if !cased {
			lit = appendLower(nil, lit)
		}
		pat = append(pat, lit...)
		for range lit {
			kinds = append(kinds, tokLit)
		}
	}
	return pat, kinds
}

// isASCII reports whether b has only ASCII bytes.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isPrintable reports whether b has only printable ASCII bytes (0x20 to 0x7e).
func isPrintable(b []byte) bool {
	return !hasUnprintable(b)
}

// hasUnprintable reports whether b has a byte outside printable ASCII: a control byte,
// DEL or a byte of a multi-byte UTF-8 sequence. It tests eight bytes at a time: x|x+1
// has the high bit of every byte >= 0x7f, (x-0x20)&^x of some byte < 0x20 when there
// is one (the usual "has less than" test).
func hasUnprintable(b []byte) bool {
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		if (x|(x+swarLo)|((x-swarLo*0x20)&^x))&swarHi != 0 {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return true
		}
	}
	return false
}
