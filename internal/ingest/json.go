package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
)

// JSONOptions configures the JSON framing.
type JSONOptions struct {
	// MaxRecord caps one record's size in bytes; 0 means DefaultMaxRecord. A larger record
	// is rejected with its offset and only its first MaxRecord bytes are kept in memory.
	MaxRecord int
	// Wrappers are the key paths of vendor envelopes whose value holds the records: an
	// array of records or a single record. For example {"data", "events"} (Okta event
	// hook), {"value"} (Graph pages), {"records"} (Azure diagnostics), {"items"} (Google
	// Reports pages), {"events"} (test harness wrappers). A top-level object with a key on
	// one of these paths is an envelope: its other keys are skipped. An object without
	// one is a record.
	Wrappers [][]string
}

// DecodeJSON frames r as JSON records and decodes each with decode, passing events and
// rejects to sink. It accepts NDJSON, one JSON array, concatenated (pretty-printed)
// objects, a mix of these, and the configured envelopes, each optionally gzip-compressed.
//
// When the first top-level value fits on one line the input is read as NDJSON: a record
// that does not end on its line is rejected and reading resumes on the next line.
// Otherwise, after a syntax error, reading resumes at the next line that starts with '{'
// or '['.
func DecodeJSON(ctx context.Context, r io.Reader, source string, opts JSONOptions, sink Sink, decode RecordDecoder) error {
	rr, err := Decompress(r)
	if err != nil {
		return err
	}
	br, ok := rr.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(rr, 64<<10)
	}
	f := &framer{
		r: br, line: 1, max: opts.MaxRecord, wrappers: opts.Wrappers,
		em: NewEmitter(source, sink, decode),
	}
	if f.max <= 0 {
		f.max = DefaultMaxRecord
	}
	return f.run(ctx)
}

// syntaxError is a framing error inside one record; the framer rejects the record and
// resynchronises.
type syntaxError struct {
	reason string
	atEOF  bool // the input ended; else the last byte read is the offending one
}

// Error returns the reason.
func (e *syntaxError) Error() string { return e.reason }

func synErr(format string, args ...any) error {
	return &syntaxError{reason: fmt.Sprintf(format, args...)}
}

// framer splits a JSON stream into records. It reads from a bufio.Reader, structural
// bytes one at a time and the runs between them in bulk, tracking offset and line, and
// buffers only the record being read (up to max bytes).
type framer struct {
	r        *bufio.Reader
	off      int64 // offset of the next byte
	line     int   // line of the next byte
	last     byte  // the last byte read
	max      int
	wrappers [][]string
	em       *Emitter

	buf       []byte // the current record
	over      bool   // the current record exceeded max
	discard   bool   // skipping envelope bytes: do not buffer
	startOff  int64
	startLine int

	arrays   int  // depth of the top-level arrays being flattened
	modeSet  bool // lineMode was decided by the first top-level value
	lineMode bool // NDJSON: records never span lines
	inValue  bool // newlines inside a value are errors in line mode
}

func (f *framer) next() (byte, error) {
	c, err := f.r.ReadByte()
	if err != nil {
		return 0, err
	}
	f.off++
	f.last = c
	if c == '\n' {
		f.line++
	}
	return c, nil
}

// unread puts back the last byte read.
func (f *framer) unread() {
	_ = f.r.UnreadByte()
	f.off--
	if f.last == '\n' {
		f.line--
	}
}

func (f *framer) keep(c byte) {
	if f.discard {
		return
	}
	if len(f.buf) < f.max {
		f.buf = append(f.buf, c)
		return
	}
	f.over = true
}

func (f *framer) keepBytes(b []byte) {
	if f.discard {
		return
	}
	if room := f.max - len(f.buf); len(b) > room {
		f.buf, f.over = append(f.buf, b[:room]...), true
		return
	}
	f.buf = append(f.buf, b...)
}

// begin starts a record at the byte just read.
func (f *framer) begin() {
	f.buf, f.over, f.discard = f.buf[:0], false, false
	f.startOff, f.startLine = f.off-1, f.line
	if f.last == '\n' {
		f.startLine--
	}
}

// eof turns an end of input inside a value into a syntax error.
func eof(err error) error {
	if errors.Is(err, io.EOF) {
		return &syntaxError{reason: "truncated JSON: unexpected end of input", atEOF: true}
	}
	return err
}

func (f *framer) run(ctx context.Context) error {
	if b, err := f.r.Peek(3); err == nil && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf {
		_, _ = f.r.Discard(3) // a UTF-8 byte-order mark
		f.off = 3
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		f.inValue = false
		c, err := f.skipSpace()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return f.readErr(err)
		}
		startLine := f.line
		switch c {
		case '[':
			f.arrays++
			continue // top-level arrays are flattened into their elements
		case ']':
			f.arrays = max(f.arrays-1, 0)
			continue
		case ',':
			continue
		case '{':
			f.begin()
			err = f.topObject(ctx)
		case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n':
			if f.arrays == 0 {
				f.begin()
				f.keep(c)
				err = synErr("unexpected %q outside a JSON object", c)
				break
			}
			err = f.scalarElement(ctx, c)
		default:
			f.begin()
			f.keep(c)
			err = synErr("unexpected %q outside a JSON object", c)
		}
		if !f.modeSet && c != '[' {
			f.modeSet, f.lineMode = true, f.line == startLine
		}
		if err != nil {
			if err = f.recover(ctx, err); err != nil {
				return err
			}
		}
	}
}

// scalarElement reads a scalar element of a top-level array and rejects it: records are
// objects. The rest of the array is read on.
func (f *framer) scalarElement(ctx context.Context, c byte) error {
	f.begin()
	if err := f.readValue(c); err != nil {
		return err
	}
	f.discard = true
	rec := Record{Raw: f.buf, Line: f.startLine, Offset: f.startOff}
	return f.em.Reject(ctx, rec, "array element is not a JSON object")
}

func (f *framer) readErr(err error) error {
	return fmt.Errorf("read input at offset %d: %w", f.off, err)
}

// recover rejects the current record after a syntax error and skips to where the next
// record can start. Other errors are returned.
func (f *framer) recover(ctx context.Context, err error) error {
	se, ok := errors.AsType[*syntaxError](err)
	if !ok {
		return f.readErr(err)
	}
	at := f.off - 1
	if se.atEOF {
		at = f.off
	}
	f.discard = false
	if rerr := f.resync(); rerr != nil && !errors.Is(rerr, io.EOF) {
		return f.readErr(rerr)
	}
	rec := Record{Raw: f.buf, Line: f.startLine, Offset: f.startOff}
	return f.em.Reject(ctx, rec, fmt.Sprintf("malformed JSON at offset %d: %s", at, se.reason))
}

// resync consumes bytes, kept with the rejected record, up to the next line start where a
// record may begin: any line in line mode, else a line starting with '{' or '['.
func (f *framer) resync() error {
	atLineStart := f.last == '\n'
	for {
		if atLineStart {
			if f.lineMode {
				return nil
			}
			b, err := f.r.Peek(1)
			if err != nil {
				return err
			}
			if b[0] == '{' || b[0] == '[' {
				return nil
			}
		}
		c, err := f.next()
		if err != nil {
			return err
		}
		f.keep(c)
		atLineStart = c == '\n'
	}
}

// skipSpace returns the next non-space byte, keeping the spaces inside a value.
func (f *framer) skipSpace() (byte, error) {
	for {
		c, err := f.next()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r':
		case '\n':
			if f.inValue && f.lineMode {
				return 0, synErr("record does not end on its line")
			}
		default:
			return c, nil
		}
		if f.inValue {
			f.keep(c)
		}
	}
}

// emit passes the current record to the emitter.
func (f *framer) emit(ctx context.Context) error {
	rec := Record{Raw: f.buf, Line: f.startLine, Offset: f.startOff}
	f.discard = true
	if f.over {
		return f.em.RejectOver(ctx, rec, f.max)
	}
	return f.em.Record(ctx, rec)
}
