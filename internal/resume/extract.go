package resume

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// Format is a document format.
type Format string

// Formats.
const (
	FormatPDF  Format = "pdf"
	FormatDOCX Format = "docx"
	FormatText Format = "text"
)

// Limits bound the work one document may cost. Zero fields take the defaults.
type Limits struct {
	// MaxBytes is the largest input accepted; default 10 MiB.
	MaxBytes int64
	// MaxText is the most text returned; longer text is cut; default 1 MiB.
	MaxText int
	// MaxPages is the most PDF pages read; default 50.
	MaxPages int
	// MaxXMLBytes is the largest uncompressed DOCX document part, and the most
	// uncompressed content one PDF page may have; default 20 MiB.
	MaxXMLBytes int64
	// MaxZipEntries is the most entries a DOCX may hold; default 1000.
	MaxZipEntries int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes == 0 {
		l.MaxBytes = 10 << 20
	}
	if l.MaxText == 0 {
		l.MaxText = 1 << 20
	}
	if l.MaxPages == 0 {
		l.MaxPages = 50
	}
	if l.MaxXMLBytes == 0 {
		l.MaxXMLBytes = 20 << 20
	}
	if l.MaxZipEntries == 0 {
		l.MaxZipEntries = 1000
	}
	return l
}

// Extractor extracts text from résumé files. It is safe for concurrent use.
type Extractor struct {
	limits Limits
}

// NewExtractor returns an extractor with the given limits.
func NewExtractor(l Limits) *Extractor { return &Extractor{limits: l.withDefaults()} }

// Document is extracted text.
type Document struct {
	Format Format
	Text   string
	// Truncated is true when the text was cut at Limits.MaxText or Limits.MaxPages.
	Truncated bool
}

// Extract reads a PDF, DOCX or UTF-8 text file from r, telling the format from its first
// bytes. It returns ETOOLARGE for input over the limits, EINVALID for unreadable or
// unsupported files, and EUNAVAILABLE wrapping ctx's error when ctx ends first (put a
// deadline on ctx to bound the time). Extraction stops at the next page or XML token once
// ctx ends; a page already being parsed finishes in the background, bounded by the limits.
func (e *Extractor) Extract(ctx context.Context, r io.Reader) (Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, e.limits.MaxBytes+1))
	if err != nil {
		return Document{}, fmt.Errorf("read résumé: %w", err)
	}
	if int64(len(data)) > e.limits.MaxBytes {
		return Document{}, unmask.Errorf(unmask.ETOOLARGE, "Résumé is larger than %d bytes.", e.limits.MaxBytes)
	}
	type result struct {
		doc Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := e.extract(ctx, data)
		done <- result{d, err}
	}()
	select {
	case res := <-done:
		return res.doc, res.err
	case <-ctx.Done():
		return Document{}, unmask.WrapError(unmask.EUNAVAILABLE, ctx.Err(), "Résumé extraction did not finish in time.")
	}
}

func (e *Extractor) extract(ctx context.Context, data []byte) (Document, error) {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return e.pdf(ctx, data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return e.docx(ctx, data)
	case utf8.Valid(data) && !bytes.ContainsRune(data, 0):
		text, cut := e.clip(string(data))
		return Document{Format: FormatText, Text: text, Truncated: cut}, nil
	}
	return Document{}, unmask.Errorf(unmask.EINVALID, "Résumé is not a PDF, DOCX or UTF-8 text file.")
}

// clip cuts s at MaxText bytes on a rune boundary.
func (e *Extractor) clip(s string) (string, bool) {
	if len(s) <= e.limits.MaxText {
		return s, false
	}
	s = s[:e.limits.MaxText]
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return s, true
}

// textBuilder collects text up to a limit.
type textBuilder struct {
	b     strings.Builder
	limit int
	cut   bool
}

func (t *textBuilder) WriteString(s string) {
	if t.cut {
		return
	}
	if room := t.limit - t.b.Len(); len(s) > room {
		s = s[:room]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		t.cut = true
	}
	t.b.WriteString(s)
}
