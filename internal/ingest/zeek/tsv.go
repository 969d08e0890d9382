package zeek

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// header is the state the TSV headers set.
type header struct {
	sep, setSep, empty, unset string
	path                      string
	fields                    []string
	types                     []string // from #types; "bool" columns are normalised
}

// tsv decodes the native format line by line.
type tsv struct {
	h header
}

func decodeTSV(ctx context.Context, r *bufio.Reader, maxRecord int, sink ingest.Sink) error {
	d := &tsv{h: header{sep: "\t", setSep: ",", empty: "(empty)", unset: "-"}}
	lr := ingest.NewLineReader(r, maxRecord)
	em := ingest.NewEmitter(Source, sink, d.decodeLine)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, over, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read zeek log at offset %d: %w", lr.Offset(), err)
		}
		line := bytes.TrimRight(rec.Raw, "\r\n")
		switch {
		case over:
			err = em.RejectOver(ctx, rec, maxRecord)
		case len(line) == 0:
		case line[0] == '#':
			if herr := d.h.parse(string(line)); herr != nil {
				err = em.Reject(ctx, rec, herr.Error())
			}
		default:
			rec.Raw = line
			err = em.Record(ctx, rec)
		}
		if err != nil {
			return err
		}
	}
}

// parse applies one header line.
func (h *header) parse(line string) error {
	if v, ok := strings.CutPrefix(line, "#separator "); ok {
		sep, err := unescape(v)
		if err != nil || sep == "" {
			return fmt.Errorf("invalid #separator header")
		}
		h.sep = sep
		return nil
	}
	key, val, _ := strings.Cut(line[1:], h.sep)
	switch key {
	case "set_separator":
		h.setSep = val
	case "empty_field":
		h.empty = val
	case "unset_field":
		h.unset = val
	case "path":
		h.path = val
	case "fields":
		h.fields = strings.Split(val, h.sep)
	case "types":
		h.types = strings.Split(val, h.sep)
	}
	return nil // #open, #close and comments need nothing
}

func (d *tsv) decodeLine(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	h := &d.h
	if h.fields == nil {
		return dst, fmt.Errorf("decode zeek line: data before the #fields header")
	}
	cols := strings.Split(string(raw), h.sep)
	if len(cols) != len(h.fields) {
		return dst, fmt.Errorf("decode zeek line: %d columns, the #fields header names %d", len(cols), len(h.fields))
	}
	f := make(map[string]string, len(cols))
	for i, c := range cols {
		switch c {
		case h.unset:
			continue
		case h.empty:
			f[h.fields[i]] = ""
			continue
		}
		v, err := unescape(c)
		if err != nil {
			return dst, fmt.Errorf("decode zeek line: column %s: %w", h.fields[i], err)
		}
		if i < len(h.types) && h.types[i] == "bool" {
			v = tsvBool(v) // as the JSON writer gives it
		}
		f[h.fields[i]] = v
	}
	e, err := toEvent(h.path, f)
	if err != nil {
		return dst, err
	}
	return append(dst, e), nil
}

func tsvBool(v string) string {
	switch v {
	case "T":
		return "true"
	case "F":
		return "false"
	}
	return v
}

var errEscape = errors.New("invalid \\x escape")

// unescape decodes Zeek's \xHH escapes.
func unescape(s string) (string, error) {
	if !strings.Contains(s, `\x`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			n, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				return "", errEscape
			}
			b.WriteByte(byte(n))
			i += 3
			continue
		}
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == 'x' {
			return "", errEscape
		}
		b.WriteByte(s[i])
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD"), nil
}
