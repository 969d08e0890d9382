package resume

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"

	"github.com/unmask/unmask"
)

// errXMLTooLarge reports a document part that inflates past the limit.
var errXMLTooLarge = errors.New("docx document part exceeds the size limit")

// docx reads word/document.xml from the zip, refusing archives with too many entries and
// parts that inflate past MaxXMLBytes whatever their headers claim.
func (e *Extractor) docx(ctx context.Context, data []byte) (Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Document{}, unmask.WrapError(unmask.EINVALID, err, "DOCX résumé is not a valid zip archive.")
	}
	if len(zr.File) > e.limits.MaxZipEntries {
		return Document{}, unmask.Errorf(unmask.ETOOLARGE, "DOCX résumé has more than %d entries.", e.limits.MaxZipEntries)
	}
	var part *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			part = f
			break
		}
	}
	if part == nil {
		return Document{}, unmask.Errorf(unmask.EINVALID, "DOCX résumé has no word/document.xml.")
	}
	if part.UncompressedSize64 > uint64(e.limits.MaxXMLBytes) {
		return Document{}, unmask.Errorf(unmask.ETOOLARGE, "DOCX résumé text part is larger than %d bytes.", e.limits.MaxXMLBytes)
	}
	rc, err := part.Open()
	if err != nil {
		return Document{}, unmask.WrapError(unmask.EINVALID, err, "DOCX résumé text part cannot be opened.")
	}
	defer rc.Close()
	out := &textBuilder{limit: e.limits.MaxText}
	err = wordText(ctx, &capReader{r: rc, left: e.limits.MaxXMLBytes}, out)
	switch {
	case errors.Is(err, errXMLTooLarge):
		return Document{}, unmask.Errorf(unmask.ETOOLARGE, "DOCX résumé text part is larger than %d bytes.", e.limits.MaxXMLBytes)
	case ctx.Err() != nil:
		return Document{}, unmask.WrapError(unmask.EUNAVAILABLE, ctx.Err(), "Résumé extraction did not finish in time.")
	case err != nil:
		return Document{}, unmask.WrapError(unmask.EINVALID, err, "DOCX résumé text part is not valid XML.")
	}
	return Document{Format: FormatDOCX, Text: out.b.String(), Truncated: out.cut}, nil
}

// wordText writes the text runs (w:t) of a WordprocessingML body, with a tab for w:tab, a
// newline for w:br and w:cr and at the end of each paragraph (w:p).
func wordText(ctx context.Context, r io.Reader, out *textBuilder) error {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	inText := false
	for n := 0; !out.cut; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				out.WriteString("\t")
			case "br", "cr":
				out.WriteString("\n")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				out.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				out.WriteString(string(t))
			}
		}
	}
	return nil
}

// capReader fails with errXMLTooLarge once more than left bytes were read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errXMLTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errXMLTooLarge
	}
	return n, err
}
