package ingest

import (
	"bufio"
	"errors"
	"io"
)

// LineReader splits a stream into lines for the line-oriented formats (TSV, CSV), with
// their line numbers and byte offsets, keeping at most max bytes of a longer line.
type LineReader struct {
	r    *bufio.Reader
	max  int
	off  int64
	line int
	buf  []byte
}

// NewLineReader returns a LineReader over r keeping at most max bytes of a line (0 means
// DefaultMaxRecord).
func NewLineReader(r *bufio.Reader, max int) *LineReader {
	if max <= 0 {
		max = DefaultMaxRecord
	}
	return &LineReader{r: r, max: max}
}

// Offset returns the offset of the next unread byte.
func (lr *LineReader) Offset() int64 { return lr.off }

// Next returns the next line including its newline, valid until the next call, and
// whether it was longer than the limit (then only its start is kept). It returns io.EOF
// at the end of input and any other read error as is.
func (lr *LineReader) Next() (rec Record, over bool, err error) {
	lr.buf = lr.buf[:0]
	start := lr.off
	for {
		chunk, err := lr.r.ReadSlice('\n')
		lr.off += int64(len(chunk))
		if len(lr.buf)+len(chunk) <= lr.max {
			lr.buf = append(lr.buf, chunk...)
		} else {
			over = true
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && lr.off > start {
			err = nil
		}
		if err != nil {
			return Record{}, false, err
		}
		lr.line++
		return Record{Raw: lr.buf, Line: lr.line, Offset: start}, over, nil
	}
}
