package ingest

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
)

// Decompress returns a reader of r's content, transparently decompressing gzip, which it
// detects by its magic bytes (so .gz files and gzip HTTP bodies both work whatever their
// name or headers say). Concatenated gzip members are read as one stream. A corrupt
// member surfaces as an error from Read.
func Decompress(r io.Reader) (io.Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	magic, err := br.Peek(2)
	if err != nil || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil // short or empty input is read as is
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("open gzip stream: %w", err)
	}
	return zr, nil
}
