package sigma

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting so hostile input cannot exhaust the stack.
const maxJSONDepth = 256

// errJSON is returned for malformed JSON.
var errJSON = errors.New("malformed JSON")

// jscan is a single-pass JSON scanner that stores only the values of wanted paths (and,
// when leaves is set, every scalar value for keyword searches).
type jscan struct {
	d      []byte
	i      int
	t      *pathTrie
	r      *record
	leaves bool
	arr    int // depth of arrays around the current value
}

// scanJSON fills r from one JSON object.
func scanJSON(d []byte, t *pathTrie, r *record, leaves bool) error {
	s := jscan{d: d, t: t, r: r, leaves: leaves}
	s.ws()
	if s.i >= len(d) || d[s.i] != '{' {
		return fmt.Errorf("event is not a JSON object: %w", errJSON)
	}
	if err := s.value(0, 0); err != nil {
		return err
	}
	s.ws()
	if s.i != len(d) {
		return fmt.Errorf("trailing data at offset %d: %w", s.i, errJSON)
	}
	return nil
}

func (s *jscan) ws() {
	for s.i < len(s.d) {
		switch s.d[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// value scans one value at trie node n (-1: not wanted).
func (s *jscan) value(n int32, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("nesting deeper than %d: %w", maxJSONDepth, errJSON)
	}
	if s.i >= len(s.d) {
		return fmt.Errorf("unexpected end: %w", errJSON)
	}
	switch c := s.d[s.i]; c {
	case '{':
		return s.object(n, depth)
	case '[':
		return s.array(n, depth)
	case '"':
		want := n >= 0 && s.t.nodes[n].slot >= 0
		v, err := s.str(want || s.leaves)
		if err != nil {
			return err
		}
		s.store(n, v, stPresent)
		return nil
	default:
		return s.literal(n)
	}
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

func (s *jscan) literal(n int32) error {
	start := s.i
	for s.i < len(s.d) {
		c := s.d[s.i]
		if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			break
		}
		s.i++
	}
	tok := s.d[start:s.i]
	switch {
	case len(tok) == 0:
		return fmt.Errorf("missing value at offset %d: %w", start, errJSON)
	case string(tok) == "null":
		s.store(n, nil, stNull)
	case string(tok) == "true" || string(tok) == "false" || isNumber(tok):
		s.store(n, tok, stPresent)
	default:
		return fmt.Errorf("invalid literal at offset %d: %w", start, errJSON)
	}
	return nil
}

func isNumber(b []byte) bool {
	for _, c := range b {
		if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			return false
		}
	}
	return len(b) > 0 && b[0] != '+' && b[0] != 'e' && b[0] != 'E' && b[0] != '.'
}

func (s *jscan) object(n int32, depth int) error {
	s.i++ // {
	s.ws()
	if s.i < len(s.d) && s.d[s.i] == '}' {
		s.i++
		return nil
	}
	for {
		s.ws()
		if s.i >= len(s.d) || s.d[s.i] != '"' {
			return fmt.Errorf("expected key at offset %d: %w", s.i, errJSON)
		}
		key, err := s.str(n >= 0)
		if err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.d) || s.d[s.i] != ':' {
			return fmt.Errorf("expected colon at offset %d: %w", s.i, errJSON)
		}
		s.i++
		s.ws()
		child := int32(-1)
		if n >= 0 {
			child = s.t.lookup(n, key)
		}
		if child < 0 && !s.leaves {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
		} else if err := s.value(child, depth+1); err != nil {
			return err
		}
		if done, err := s.sep('}'); done || err != nil {
			return err
		}
	}
}

// sep consumes a comma or the closing byte; done reports the closing byte.
func (s *jscan) sep(closing byte) (bool, error) {
	s.ws()
	if s.i >= len(s.d) {
		return false, fmt.Errorf("unexpected end: %w", errJSON)
	}
	switch s.d[s.i] {
	case ',':
		s.i++
		return false, nil
	case closing:
		s.i++
		return true, nil
	}
	return false, fmt.Errorf("unexpected %q at offset %d: %w", s.d[s.i], s.i, errJSON)
}

// array scans an array; the elements of a wanted field are chained in the record.
func (s *jscan) array(n int32, depth int) error {
	s.i++ // [
	s.arr++
	defer func() { s.arr-- }()
	s.ws()
	if s.i < len(s.d) && s.d[s.i] == ']' {
		s.i++
		return nil
	}
	for {
		s.ws()
		if err := s.value(n, depth+1); err != nil {
			return err
		}
		if done, err := s.sep(']'); done || err != nil {
			return err
		}
	}
}

// skip passes over one value without storing anything.
func (s *jscan) skip(depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("nesting deeper than %d: %w", maxJSONDepth, errJSON)
	}
	if s.i >= len(s.d) {
		return fmt.Errorf("unexpected end: %w", errJSON)
	}
	switch s.d[s.i] {
	case '"':
		_, err := s.str(false)
		return err
	case '{', '[':
		return s.value(-1, depth)
	}
	return s.literal(-1)
}

// str scans a string at s.i. With decode it returns the value: a slice of the input
// when there are no escapes, else unescaped into the arena.
func (s *jscan) str(decode bool) ([]byte, error) {
	s.i++ // opening quote
	start := s.i
	j := indexQuoteOrBackslash(s.d[start:])
	if j < 0 {
		return nil, fmt.Errorf("unterminated string at offset %d: %w", start, errJSON)
	}
	if s.d[start+j] == '\\' {
		return s.escaped(start, decode)
	}
	s.i = start + j + 1
	return s.d[start : start+j], nil
}

// escaped scans the rest of a string that contains escapes, copying the runs between
// escapes in bulk. Without decode it only finds the closing quote.
func (s *jscan) escaped(start int, decode bool) ([]byte, error) {
	if !decode {
		return nil, s.skipEscaped(start)
	}
	a := s.r.arena
	off := len(a)
	i := start
	for i < len(s.d) {
		j := indexQuoteOrBackslash(s.d[i:])
		if j < 0 {
			break
		}
		a = append(a, s.d[i:i+j]...)
		i += j
		if s.d[i] == '"' {
			s.i = i + 1
			s.r.arena = a
			return a[off:len(a):len(a)], nil
		}
		var err error
		if a, i, err = unescape(a, s.d, i, true); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("unterminated string at offset %d: %w", start, errJSON)
}

// skipEscaped finds the closing quote of a string with escapes: the first quote
// preceded by an even number of backslashes.
func (s *jscan) skipEscaped(start int) error {
	i := start
	for {
		j := bytes.IndexByte(s.d[i:], '"')
		if j < 0 {
			return fmt.Errorf("unterminated string at offset %d: %w", start, errJSON)
		}
		q := i + j
		n := 0
		for k := q - 1; k >= start && s.d[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			s.i = q + 1
			return nil
		}
		i = q + 1
	}
}

// SWAR constants: every byte 0x01, every byte 0x80.
const (
	swarLo = 0x0101010101010101
	swarHi = 0x8080808080808080
)

// indexQuoteOrBackslash returns the index of the first quote or backslash in b, or -1.
// It tests eight bytes at a time: the lowest flagged byte of the zero-byte test is
// exact, which is the one it reports.
func indexQuoteOrBackslash(b []byte) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q := x ^ (swarLo * '"')
		k := x ^ (swarLo * '\\')
		if m := ((q - swarLo) &^ q & swarHi) | ((k - swarLo) &^ k & swarHi); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' || b[i] == '\\' {
			return i
		}
	}
	return -1
}

// unescape decodes the escape at d[i] (a backslash), appending to a when decode is set.
func unescape(a, d []byte, i int, decode bool) ([]byte, int, error) {
	if i+1 >= len(d) {
		return a, i, fmt.Errorf("bad escape at offset %d: %w", i, errJSON)
	}
	var c byte
	switch d[i+1] {
	case '"', '\\', '/':
		c = d[i+1]
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
		return unescapeU(a, d, i, decode)
	default:
		return a, i, fmt.Errorf("bad escape at offset %d: %w", i, errJSON)
	}
	if decode {
		a = append(a, c)
	}
	return a, i + 2, nil
}

// unescapeU decodes \uXXXX, joining surrogate pairs.
func unescapeU(a, d []byte, i int, decode bool) ([]byte, int, error) {
	r, ok := hex4(d, i+2)
	if !ok {
		return a, i, fmt.Errorf("bad \\u escape at offset %d: %w", i, errJSON)
	}
	i += 6
	if utf16.IsSurrogate(r) {
		if r2, ok := hex4(d, i+2); ok && i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
			if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
				r = dec
				i += 6
			} else {
				r = utf8.RuneError
			}
		} else {
			r = utf8.RuneError
		}
	}
	if decode {
		a = utf8.AppendRune(a, r)
	}
	return a, i, nil
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
