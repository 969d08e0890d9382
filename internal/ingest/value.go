package ingest

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
)

// maxDepth caps JSON nesting so that hostile input cannot grow the closer stack.
const maxDepth = 10000

// stopSet marks the bytes at which span stops.
type stopSet [256]bool

func newStopSet(chars string) *stopSet {
	var s stopSet
	for i := range len(chars) {
		s[chars[i]] = true
	}
	return &s
}

var (
	stringStops    = newStopSet("\"\\\n")
	compositeStops = newStopSet("\"{}[]\n")
)

// span consumes, in bulk, the bytes before the next byte in stop (which stays unread),
// keeping them. Stop sets include '\n', so no line ends are skipped.
func (f *framer) span(stop *stopSet) error {
	for {
		n := f.r.Buffered()
		if n == 0 {
			if _, err := f.r.Peek(1); err != nil {
				return err
			}
			n = f.r.Buffered()
		}
		buf, _ := f.r.Peek(n)
		i := 0
		for i < len(buf) && !stop[buf[i]] {
			i++
		}
		if i > 0 {
			f.keepBytes(buf[:i])
			f.last = buf[i-1]
			f.off += int64(i)
			_, _ = f.r.Discard(i)
		}
		if i < len(buf) {
			return nil
		}
	}
}

// readValue reads the value that starts with c (already consumed), buffering it.
func (f *framer) readValue(c byte) error {
	f.inValue = true
	switch c {
	case '{', '[':
		return f.readComposite(c)
	case '"':
		f.keep(c)
		return f.readString()
	case '}', ']', ',', ':':
		return synErr("unexpected %q where a value should start", c)
	}
	return f.readScalar(c)
}

func closer(c byte) byte {
	if c == '{' {
		return '}'
	}
	return ']'
}

// readComposite reads an object or array up to its matching closer. It checks bracket
// balance and strings only; json.Unmarshal in the decoder checks the rest.
func (f *framer) readComposite(c byte) error {
	var stackBuf [32]byte
	stack := append(stackBuf[:0], closer(c))
	f.keep(c)
	for len(stack) > 0 {
		if bulkScan {
			var inString bool
			stack, inString = f.scanBuffered(stack)
			if len(stack) == 0 {
				return nil
			}
			if inString {
				if err := f.readString(); err != nil {
					return err
				}
				continue
			}
		}
		if err := f.span(compositeStops); err != nil {
			return eof(err)
		}
		c, err := f.next()
		if err != nil {
			return eof(err)
		}
		switch c {
		case '"':
			f.keep(c)
			if err := f.readString(); err != nil {
				return err
			}
			continue
		case '{', '[':
			if len(stack) >= maxDepth {
				return synErr("nesting deeper than %d", maxDepth)
			}
			stack = append(stack, closer(c))
		case '}', ']':
			if c != stack[len(stack)-1] {
				return synErr("mismatched %q", c)
			}
			stack = stack[:len(stack)-1]
		case '\n':
			if f.lineMode {
				return synErr("record does not end on its line")
			}
		}
		f.keep(c)
	}
	return nil
}

// bulkScan enables scanBuffered; tests turn it off to compare with the byte-by-byte path.
var bulkScan = true

// scanBuffered reads on, in bulk, the part of a composite already in the reader's buffer,
// as readComposite would, up to the first byte that needs readComposite's or readString's
// handling byte by byte (an error, an escape, the end of the buffer), which stays unread.
// It returns the stack of closers and whether that byte is inside a string, whose opening
// quote was read.
func (f *framer) scanBuffered(st []byte) (_ []byte, inString bool) {
	buf, _ := f.r.Peek(f.r.Buffered())
	i, lines := 0, 0
loop:
	for i < len(buf) {
		c := buf[i]
		if inString {
			switch c {
			case '"':
				inString = false
			case '\\', '\n':
				break loop
			}
			i++
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			if len(st) >= maxDepth {
				break loop
			}
			st = append(st, closer(c))
		case '}', ']':
			if c != st[len(st)-1] {
				break loop
			}
			st = st[:len(st)-1]
			if len(st) == 0 {
				i++
				break loop
			}
		case '\n':
			if f.lineMode {
				break loop
			}
			lines++
		}
		i++
	}
	if i > 0 {
		f.keepBytes(buf[:i])
		f.last = buf[i-1]
		f.off += int64(i)
		f.line += lines
		_, _ = f.r.Discard(i)
	}
	return st, inString
}

// readString reads the rest of a string whose opening quote was consumed.
func (f *framer) readString() error {
	for {
		if err := f.span(stringStops); err != nil {
			return eof(err)
		}
		c, err := f.next()
		if err != nil {
			return eof(err)
		}
		switch c {
		case '"':
			f.keep(c)
			return nil
		case '\\':
			f.keep(c)
			if c, err = f.next(); err != nil {
				return eof(err)
			}
			if c == '\n' {
				return synErr("unterminated string")
			}
		case '\n':
			return synErr("unterminated string")
		}
		f.keep(c)
	}
}

// readScalar reads a number or literal up to the next delimiter.
func (f *framer) readScalar(c byte) error {
	f.keep(c)
	for {
		c, err := f.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch c {
		case ' ', '\t', '\r', '\n', ',', '}', ']', ':', '"', '{', '[':
			f.unread()
			return nil
		}
		f.keep(c)
	}
}

// topObject reads a top-level object whose '{' was consumed: a record, or an envelope
// when one of its keys is on a wrapper path.
func (f *framer) topObject(ctx context.Context) error {
	f.inValue = true
	if len(f.wrappers) == 0 {
		if err := f.readComposite('{'); err != nil {
			return err
		}
		return f.emit(ctx)
	}
	f.keep('{')
	if bulkScan {
		if n, lines, ok := f.scanRecordObject(); ok {
			buf, _ := f.r.Peek(n)
			f.keepBytes(buf)
			f.last = buf[n-1]
			f.off += int64(n)
			f.line += lines
			_, _ = f.r.Discard(n)
			return f.emit(ctx)
		}
	}
	return f.objectKeys(ctx, f.wrappers, true)
}

// scanRecordObject looks ahead in the reader's buffer, without reading, for the end of
// the top-level object whose '{' was consumed, checking it as objectKeys would. It
// returns the length of the rest of the object and the line ends in it when the object
// ends in the buffer, within the record limit, has no key on a wrapper path and nothing
// that objectKeys would reject; otherwise ok is false and objectKeys reads it.
func (f *framer) scanRecordObject() (n, lines int, ok bool) {
	buf, _ := f.r.Peek(f.r.Buffered())
	if room := f.max - len(f.buf); len(buf) > room {
		buf = buf[:max(room, 0)]
	}
	i := 0
	ws := func() bool {
		for ; i < len(buf); i++ {
			switch buf[i] {
			case ' ', '\t', '\r':
			case '\n':
				if f.lineMode {
					return false
				}
				lines++
			default:
				return true
			}
		}
		return false
	}
	for {
		if !ws() {
			return 0, 0, false
		}
		switch buf[i] {
		case '}':
			return i + 1, lines, true
		case ',':
			i++
			continue
		case '"':
		default:
			return 0, 0, false
		}
		end, ok := stringEnd(buf, i+1)
		if !ok || onPath(f.wrappers, buf[i+1:end-1]) {
			return 0, 0, false
		}
		i = end
		if !ws() || buf[i] != ':' {
			return 0, 0, false
		}
		i++
		if !ws() {
			return 0, 0, false
		}
		switch c := buf[i]; c {
		case '{', '[':
			end, l, ok := compositeEnd(buf, i, f.lineMode)
			if !ok {
				return 0, 0, false
			}
			i, lines = end, lines+l
		case '"':
			if i, ok = stringEnd(buf, i+1); !ok {
				return 0, 0, false
			}
		case '}', ']', ',', ':':
			return 0, 0, false
		default:
			for i++; i < len(buf) && !scalarEnds[buf[i]]; i++ {
			}
			if i == len(buf) {
				return 0, 0, false
			}
		}
	}
}

// scalarEnds marks the bytes that end a scalar for readScalar.
var scalarEnds = newStopSet(" \t\r\n,}]:\"{[")

// onPath reports whether key is the first element of one of paths.
func onPath(paths [][]string, key []byte) bool {
	for _, p := range paths {
		if len(p) > 0 && p[0] == string(key) {
			return true
		}
	}
	return false
}

// stringEnd returns the index after the closing quote of the string whose contents start
// at buf[i], or false where readString must read it (a line end, the end of buf).
func stringEnd(buf []byte, i int) (int, bool) {
	for {
		for ; i+8 <= len(buf); i += 8 {
			x := binary.LittleEndian.Uint64(buf[i:])
			if hasByte(x, '"')|hasByte(x, '\\')|hasByte(x, '\n') != 0 {
				break
			}
		}
		for i < len(buf) && !stringStops[buf[i]] {
			i++
		}
		if i >= len(buf) {
			return 0, false
		}
		switch buf[i] {
		case '"':
			return i + 1, true
		case '\\':
			if i+1 >= len(buf) || buf[i+1] == '\n' {
				return 0, false
			}
			i += 2
			continue
		}
		return 0, false // '\n'
	}
}

const lsb, msb = 0x0101010101010101, 0x8080808080808080

// hasByte reports whether one of the 8 bytes of x is c.
func hasByte(x uint64, c byte) uint64 {
	x ^= lsb * uint64(c)
	return (x - lsb) &^ x & msb
}

// compositeEnd returns the index after the object or array starting at buf[i] and the line
// ends in it, or false where readComposite must read it (an error, the end of buf).
func compositeEnd(buf []byte, i int, lineMode bool) (end, lines int, ok bool) {
	var stackBuf [32]byte
	stack := stackBuf[:0]
	for ; i < len(buf); i++ {
		switch c := buf[i]; c {
		case '"':
			if i, ok = stringEnd(buf, i+1); !ok {
				return 0, 0, false
			}
			i--
		case '{', '[':
			if len(stack) >= maxDepth {
				return 0, 0, false
			}
			stack = append(stack, closer(c))
		case '}', ']':
			if len(stack) == 0 || c != stack[len(stack)-1] {
				return 0, 0, false
			}
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				return i + 1, lines, true
			}
		case '\n':
			if lineMode {
				return 0, 0, false
			}
			lines++
		}
	}
	return 0, 0, false
}

// objectKeys reads the keys of an object whose '{' was consumed, descending into the
// first key on one of paths. At the top level an object without such a key is a record.
func (f *framer) objectKeys(ctx context.Context, paths [][]string, top bool) error {
	matched := false
	for {
		c, err := f.skipSpace()
		if err != nil {
			return eof(err)
		}
		switch c {
		case '}':
			f.keep(c)
			if top && !matched {
				return f.emit(ctx)
			}
			return nil
		case ',':
			f.keep(c)
			continue
		case '"':
		default:
			return synErr("unexpected %q where an object key should start", c)
		}
		sub, err := f.key(paths, matched)
		if err != nil {
			return err
		}
		if c, err = f.colonValue(); err != nil {
			return err
		}
		if len(sub) > 0 && (c == '[' || c == '{') {
			matched, f.discard = true, true
			f.buf, f.over = f.buf[:0], false
			err = f.envelope(ctx, sub, c)
		} else {
			err = f.readValue(c)
		}
		if err != nil {
			return err
		}
	}
}

// key reads an object key whose '"' was consumed and returns the rest of the paths it
// starts, if it is on one and the object has no matched key yet. Keys are read into the
// buffer even while discarding, then dropped.
func (f *framer) key(paths [][]string, matched bool) ([][]string, error) {
	discard := f.discard
	f.discard = false
	start := len(f.buf)
	f.keep('"')
	if err := f.readString(); err != nil {
		return nil, err
	}
	var sub [][]string
	if !matched && !f.over {
		sub = subPaths(paths, f.buf[start+1:len(f.buf)-1])
	}
	if discard {
		f.buf, f.discard = f.buf[:start], true
	}
	return sub, nil
}

// colonValue consumes the ':' after a key and returns the first byte of the value.
func (f *framer) colonValue() (byte, error) {
	c, err := f.skipSpace()
	if err != nil {
		return 0, eof(err)
	}
	if c != ':' {
		return 0, synErr("expected ':' after object key")
	}
	f.keep(c)
	c, err = f.skipSpace()
	return c, eof(err)
}

// envelope reads the value of a wrapper key: the records when a path ends here, else a
// nested envelope object.
func (f *framer) envelope(ctx context.Context, sub [][]string, c byte) error {
	ends := false
	for _, p := range sub {
		ends = ends || len(p) == 0
	}
	switch {
	case ends && c == '[':
		return f.recordArray(ctx)
	case ends:
		f.begin()
		if err := f.readComposite(c); err != nil {
			return err
		}
		return f.emit(ctx)
	case c == '{':
		return f.objectKeys(ctx, sub, false)
	}
	return f.readValue(c)
}

// recordArray reads an envelope's array of records whose '[' was consumed.
func (f *framer) recordArray(ctx context.Context) error {
	for {
		c, err := f.skipSpace()
		if err != nil {
			return eof(err)
		}
		switch c {
		case ']':
			return nil
		case ',':
			continue
		}
		f.begin()
		if err := f.readValue(c); err != nil {
			return err
		}
		if err := f.emit(ctx); err != nil {
			return err
		}
	}
}

// subPaths returns the rest of each path whose first element is key.
func subPaths(paths [][]string, key []byte) [][]string {
	var out [][]string
	hit := false
	for _, p := range paths {
		hit = hit || (len(p) > 0 && p[0] == string(key))
	}
	if !hit {
		return nil
	}
	for _, p := range paths {
		if len(p) > 0 && p[0] == string(key) {
			out = append(out, p[1:])
		}
	}
	return out
}
