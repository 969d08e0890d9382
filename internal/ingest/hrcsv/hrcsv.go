// Package hrcsv decodes the documented CSV formats for HR data (docs/formats/hrcsv.md):
// the HRIS employee export and the HR event files (address change, payroll account
// change, laptop shipment, ship-to change, hardware MFA enrolment, spot-check result and
// interview scorecard). The header row names the columns, in any order; the format is
// given or detected from it. A row with missing or extra columns or a bad value is
// rejected with reasons that name the columns, never their values, and the rows around it
// are kept. Account numbers are never kept in clear: Fields and Raw hold a masked form
// and, when Options.Hash is set, a keyed hash.
package hrcsv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of HR CSV events.
const Source = "hris"

// Options configures a Format.
type Options struct {
	// Kind names the format (one of Kinds()); "" detects it from the header row.
	Kind      string
	MaxRecord int // 0: ingest.DefaultMaxRecord
	// Hash, if set, returns the keyed hash of a sensitive normalised value (for example
	// internal/idhash), stored as <column>_hash so that a bank account shared by two
	// people can be found without keeping the number.
	Hash func(kind unmask.IdentifierKind, value string) string
}

// Format decodes the HR CSV formats.
type Format struct {
	opts Options
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format with opts. It returns an EINVALID error for an unknown Kind.
func New(opts Options) (*Format, error) {
	if opts.Kind != "" && schemaByName(opts.Kind) == nil {
		return nil, unmask.Errorf(unmask.EINVALID, "Unknown HR CSV format %q.", opts.Kind)
	}
	if opts.MaxRecord <= 0 {
		opts.MaxRecord = ingest.DefaultMaxRecord
	}
	return &Format{opts: opts}, nil
}

func schemaByName(name string) *schema {
	for _, s := range schemas {
		if s.name == name {
			return s
		}
	}
	return nil
}

// Source returns "hris".
func (f *Format) Source() string { return Source }

// Decode reads one CSV file from r: a header row, then data rows.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	rr, err := ingest.Decompress(r)
	if err != nil {
		return err
	}
	br, ok := rr.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(rr, 64<<10)
	}
	d := &decoder{opts: &f.opts, lr: ingest.NewLineReader(br, f.opts.MaxRecord)}
	em := ingest.NewEmitter(Source, sink, d.decodeRow)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, over, err := d.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read csv at offset %d: %w", d.lr.Offset(), err)
		}
		if err := d.record(ctx, em, rec, over); err != nil {
			return err
		}
	}
}

// decoder holds one file's header.
type decoder struct {
	opts      *Options
	lr        *ingest.LineReader
	buf       []byte
	header    []string // column names, in file order
	schema    *schema
	headerErr string // why the header is unusable; every row is then rejected
	fields    []string
}

// next returns the next CSV record: one line, or several while a quoted field is open.
func (d *decoder) next() (ingest.Record, bool, error) {
	rec, over, err := d.lr.Next()
	if err != nil || !quoteOpen(rec.Raw, false) {
		return rec, over, err
	}
	d.buf = append(d.buf[:0], rec.Raw...)
	for open := true; open; {
		more, mover, err := d.lr.Next()
		if errors.Is(err, io.EOF) {
			break // an unterminated quote: the row is rejected
		}
		if err != nil {
			return rec, over, err
		}
		open = quoteOpen(more.Raw, true)
		over = over || mover || len(d.buf)+len(more.Raw) > d.opts.MaxRecord
		if !over {
			d.buf = append(d.buf, more.Raw...)
		}
	}
	rec.Raw = d.buf
	return rec, over, nil
}

// quoteOpen reports whether a quoted field is still open at the end of line, given
// whether one was open at its start. Only a quote at the start of a field opens one, so a
// stray quote inside an unquoted field does not swallow the following rows.
func quoteOpen(line []byte, in bool) bool {
	atStart := !in
	for i := 0; i < len(line); i++ {
		c := line[i]
		if in {
			if c == '"' {
				if i+1 < len(line) && line[i+1] == '"' {
					i++
					continue
				}
				in = false
			}
			continue
		}
		switch {
		case c == '"' && atStart:
			in, atStart = true, false
		case c == ',':
			atStart = true
		default:
			atStart = false
		}
	}
	return in
}

func (d *decoder) record(ctx context.Context, em *ingest.Emitter, rec ingest.Record, over bool) error {
	if over {
		return em.RejectOver(ctx, rec, d.opts.MaxRecord)
	}
	rec.Raw = bytes.TrimRight(rec.Raw, "\r\n")
	if d.header == nil && rec.Line == 1 {
		rec.Raw = bytes.TrimPrefix(rec.Raw, []byte("\xef\xbb\xbf"))
	}
	if len(bytes.TrimSpace(rec.Raw)) == 0 {
		return nil
	}
	if d.header == nil && d.headerErr == "" {
		if err := d.setHeader(rec.Raw); err != nil {
			d.headerErr = err.Error()
			return em.Reject(ctx, rec, "csv header: "+d.headerErr)
		}
		return nil
	}
	if d.schema != nil && d.schema.hasSecret() {
		rec.Keep = d.redact(rec.Raw)
	}
	return em.Record(ctx, rec)
}
