package sigma

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting so hostile input cannot exhaust the stack.
const maxJSONDepth = 256

// errJSON is returned for malformed JSON.
var errJSON = errors.New("malformed JSON")

// jscan is a single-pass JSON scanner that stores only the values of wanted paths (and,
// when leaves is set, every scalar value for keyword searches). Its methods take the
// read offset and return the new one, so that the offset stays in a register instead
// of being written back to the scanner at every byte.
type jscan struct {
	d      []byte
	t      *pathTrie
	r      *record
	leaves bool
	arr    int // depth of arrays around the current value
}

// scanJSON fills r from one JSON object.
func scanJSON(d []byte, t *pathTrie, r *record, leaves bool) error {
	s := jscan{d: d, t: t, r: r, leaves: leaves}
	i := skipWS(d, 0)
	if i >= len(d) || d[i] != '{' {
		return fmt.Errorf("event is not a JSON object: %w", errJSON)
	}
	i, err := s.object(i, 0, 0)
	if err != nil {
		return err
	}
	if i = skipWS(d, i); i != len(d) {
		return fmt.Errorf("trailing data at offset %d: %w", i, errJSON)
	}
	return nil
}

// skipWS returns the offset of the first byte at or after i that is not whitespace.
func skipWS(d []byte, i int) int {
	for i < len(d) && d[i] <= ' ' && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	return i
}

// expect consumes the byte c at i, after any whitespace; compact JSON has none, which
// the first test settles.
func expect(d []byte, i int, c byte) (int, bool) {
	if i < len(d) && d[i] == c {
		return i + 1, true
	}
	if i = skipWS(d, i); i < len(d) && d[i] == c {
		return i + 1, true
	}
	return i, false
}

// value scans one value at i for trie node n (-1: not wanted).
func (s *jscan) value(i int, n int32, depth int) (int, error) {
	if depth > maxJSONDepth {
		return i, fmt.Errorf("nesting deeper than %d: %w", maxJSONDepth, errJSON)
	}
	if i >= len(s.d) {
		return i, fmt.Errorf("unexpected end: %w", errJSON)
	}
	switch s.d[i] {
	case '{':
		return s.object(i, n, depth)
	case '[':
		return s.array(i, n, depth)
	case '"':
		return s.stringValue(i, n)
	}
	return s.literal(i, n)
}

// stringValue scans a string value; it is decoded only when it is stored.
func (s *jscan) stringValue(i int, n int32) (int, error) {
	q := stringEnd(s.d, i+1)
	if q < 0 {
		return i, fmt.Errorf("unterminated string at offset %d: %w", i+1, errJSON)
	}
	if (n >= 0 && s.t.nodes[n].slot >= 0) || s.leaves {
		v, _, err := s.decode(i+1, q)
		if err != nil {
			return i, err
		}
		s.store(n, v, stPresent)
	}
	return q + 1, nil
}

// decode returns the string body d[start:q]: the input itself without escapes, else
// unescaped into the arena (escaped set).
func (s *jscan) decode(start, q int) ([]byte, bool, error) {
	raw := s.d[start:q]
	if !hasBackslash(raw) {
		return raw, false, nil
	}
	a := slices.Grow(s.r.arena, len(raw))
	off := len(a)
	n, bad := unescapeTo(a[off:off+len(raw)], raw)
	if bad >= 0 {
		return nil, true, fmt.Errorf("bad escape at offset %d: %w", start+bad, errJSON)
	}
	s.r.arena = a[:off+n]
	return a[off : off+n : off+n], true, nil
}

// store records a scalar for node n and as a leaf.
func (s *jscan) store(n int32, v []byte, state uint8) {
	if n >= 0 {
		if nd := &s.t.nodes[n]; nd.slot >= 0 {
			s.r.set(int(nd.slot), nd.prio, v, state, s.arr > 0)
		}
	}
	if s.leaves && state == stPresent {
		s.r.leaves = append(s.r.leaves, fieldVal{raw: v, state: stPresent})
	}
}

// delim marks the bytes that end a literal (number, true, false, null).
var delim = [256]bool{',': true, '}': true, ']': true, ' ': true, '\n': true, '\r': true, '\t': true}

// literal scans a number, true, false or null at i.
func (s *jscan) literal(i int, n int32) (int, error) {
	start := i
	for i < len(s.d) && !delim[s.d[i]] {
		i++
	}
	tok := s.d[start:i]
	if len(tok) == 0 {
		return i, fmt.Errorf("missing value at offset %d: %w", start, errJSON)
	}
	switch tok[0] {
	case 'n':
		if string(tok) == "null" {
			s.store(n, nil, stNull)
			return i, nil
		}
	case 't', 'f':
		if string(tok) == "true" || string(tok) == "false" {
			s.store(n, tok, stPresent)
			return i, nil
		}
	default:
		if isNumber(tok) {
			s.store(n, tok, stPresent)
			return i, nil
		}
	}
	return i, fmt.Errorf("invalid literal at offset %d: %w", start, errJSON)
}

func isNumber(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			return false
		}
	}
	return len(b) > 0 && b[0] != '+' && b[0] != 'e' && b[0] != 'E' && b[0] != '.'
}

// object scans an object at i for trie node n; members are looked up only below a
// wanted node, and unwanted members are skipped without decoding.
func (s *jscan) object(i int, n int32, depth int) (int, error) {
	d := s.d
	memo := s.r.keys.node(n)
	i = skipWS(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1, nil
	}
	for k := 0; ; k++ {
		i = skipWS(d, i)
		if i >= len(d) || d[i] != '"' {
			return i, fmt.Errorf("expected key at offset %d: %w", i, errJSON)
		}
		var q int
		var child int32
		var err error
		if k < len(memo) && memo[k].match(d, i+1) {
			q, child = i+int(memo[k].n), memo[k].child
		} else if q, child, err = s.key(i+1, n); err != nil {
			return i, err
		} else if k < len(memo) {
			memo[k].set(d[i+1:q+1], child)
		}
		var ok bool
		if q+1 < len(d) && d[q+1] == ':' {
			i = q + 2
		} else if i, ok = expect(d, q+1, ':'); !ok {
			return i, fmt.Errorf("expected colon at offset %d: %w", i, errJSON)
		}
		i = skipWS(d, i)
		if child < 0 && !s.leaves {
			i, err = s.skip(i, depth+1)
		} else {
			i, err = s.value(i, child, depth+1)
		}
		if err != nil {
			return i, err
		}
		if i < len(d) && d[i] == ',' {
			i++
			continue
		}
		if i, ok = expect(d, i, ','); ok {
			continue
		}
		if i, ok = expect(d, i, '}'); ok {
			return i, nil
		}
		return i, separatorError(d, i)
	}
}

// key scans a key whose body starts at start in an object at node n: it returns the
// index of the closing quote and the key's child node (-1 when the key is not wanted
// or n is not).
func (s *jscan) key(start int, n int32) (int, int32, error) {
	q := stringEnd(s.d, start)
	if q < 0 {
		return 0, -1, fmt.Errorf("unterminated string at offset %d: %w", start, errJSON)
	}
	if n < 0 {
		return q, -1, nil
	}
	key, _, err := s.decode(start, q)
	if err != nil {
		return 0, -1, err
	}
	return q, s.t.lookup(n, key), nil
}

// separatorError describes what stands where a comma or closing bracket should.
func separatorError(d []byte, i int) error {
	if i >= len(d) {
		return fmt.Errorf("unexpected end: %w", errJSON)
	}
	return fmt.Errorf("unexpected %q at offset %d: %w", d[i], i, errJSON)
}

// array scans an array; the elements of a wanted field are chained in the record.
func (s *jscan) array(i int, n int32, depth int) (int, error) {
	d := s.d
	s.arr++
	defer func() { s.arr-- }()
	i = skipWS(d, i+1)
	if i < len(d) && d[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = s.value(skipWS(d, i), n, depth+1); err != nil {
			return i, err
		}
		var ok bool
		if i, ok = expect(d, i, ','); ok {
			continue
		}
		if i, ok = expect(d, i, ']'); ok {
			return i, nil
		}
		return i, separatorError(d, i)
	}
}

// skip passes over one value without storing anything.
func (s *jscan) skip(i, depth int) (int, error) {
	if depth > maxJSONDepth {
		return i, fmt.Errorf("nesting deeper than %d: %w", maxJSONDepth, errJSON)
	}
	if i >= len(s.d) {
		return i, fmt.Errorf("unexpected end: %w", errJSON)
	}
	switch s.d[i] {
	case '"':
		q := stringEnd(s.d, i+1)
		if q < 0 {
			return i, fmt.Errorf("unterminated string at offset %d: %w", i+1, errJSON)
		}
		return q + 1, nil
	case '{', '[':
		return s.value(i, -1, depth)
	}
	return s.literal(i, -1)
}

// stringEnd returns the index in d of the quote closing the string body that starts at
// start, or -1: the first quote not preceded by an odd run of backslashes. It finds
// quotes with bytes.IndexByte, which is vectorised and on short strings costs about
// what testing eight bytes at a time in Go would.
func stringEnd(d []byte, start int) int {
	for i := start; ; {
		j := bytes.IndexByte(d[i:], '"')
		if j < 0 {
			return -1
		}
		q := i + j
		if q == start || d[q-1] != '\\' {
			return q
		}
		n := 0
		for k := q - 1; k >= start && d[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return q
		}
		i = q + 1
	}
}

// hasBackslash reports whether b holds a backslash; up to sixteen bytes are settled
// by two loads.
func hasBackslash(b []byte) bool {
	if len(b) > 16 {
		return bytes.IndexByte(b, '\\') >= 0
	}
	head, tail := keyWords(b)
	return zeroBytes(head^(swarLo*'\\'))|zeroBytes(tail^(swarLo*'\\')) != 0
}

// SWAR constants: every byte 0x01, every byte 0x80.
const (
	swarLo = 0x0101010101010101
	swarHi = 0x8080808080808080
)

// zeroBytes returns the high bit of every zero byte of x. The lowest flagged byte is
// exact, and so is the answer to whether there is any; borrows may flag bytes above a
// zero one. Testing x = w ^ (swarLo * c) finds the bytes of w equal to c.
func zeroBytes(x uint64) uint64 {
	return (x - swarLo) &^ x & swarHi
}

// unescapeTo decodes the string body raw (whose every backslash starts an escape within
// it) into out, which must be at least len(raw) long: no escape decodes longer than it
// is written. It returns the decoded length, and the index of a malformed escape or -1.
func unescapeTo(out, raw []byte) (int, int) {
	j := 0
	for i := 0; i < len(raw); {
		if i+8 <= len(raw) {
			// Copy eight bytes at once, keeping those before the first backslash (j <= i,
			// so the store stays inside out).
			w := binary.LittleEndian.Uint64(raw[i:])
			binary.LittleEndian.PutUint64(out[j:], w)
			m := zeroBytes(w ^ (swarLo * '\\'))
			if m == 0 {
				i += 8
				j += 8
				continue
			}
			k := bits.TrailingZeros64(m) / 8
			i += k
			j += k
		}
		c := raw[i]
		if c != '\\' {
			out[j] = c
			i++
			j++
			continue
		}
		if i+1 >= len(raw) {
			return 0, i
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			c = raw[i+1]
		case 'b':
			c = '\b'
		case 'f':
			c = '\f'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 't':
			c = '\t'
		case 'u':
			r, n, ok := decodeU(raw, i)
			if !ok {
				return 0, i
			}
			j += utf8.EncodeRune(out[j:], r)
			i += n
			continue
		default:
			return 0, i
		}
		out[j] = c
		i += 2
		j++
	}
	return j, -1
}

// decodeU decodes the \uXXXX escape at raw[i], joining a surrogate pair; it returns the
// rune and the bytes consumed. An unpaired surrogate decodes as U+FFFD.
func decodeU(raw []byte, i int) (rune, int, bool) {
	r, ok := hex4(raw, i+2)
	if !ok {
		return 0, 0, false
	}
	if !utf16.IsSurrogate(r) {
		return r, 6, true
	}
	if i+7 < len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
		if r2, ok := hex4(raw, i+8); ok {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				return dec, 12, true
			}
		}
	}
	return utf8.RuneError, 6, true
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
