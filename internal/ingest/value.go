package ingest

import (
	"context"
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
	return f.objectKeys(ctx, f.wrappers, true)
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
