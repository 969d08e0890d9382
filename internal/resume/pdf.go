package resume

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/ledongthuc/pdf"
	"github.com/unmask/unmask"
)

// pdf extracts the text of each page, page by page, stopping at the limits or when ctx
// ends. The parser panics on some malformed files; that is reported as EINVALID.
func (e *Extractor) pdf(ctx context.Context, data []byte) (doc Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = Document{}, unmask.WrapError(unmask.EINVALID, fmt.Errorf("pdf parser: %v", r), "PDF résumé is damaged.")
		}
	}()
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Document{}, unmask.WrapError(unmask.EINVALID, err, "PDF résumé cannot be read.")
	}
	pages := rd.NumPage()
	if pages <= 0 {
		return Document{}, unmask.Errorf(unmask.EINVALID, "PDF résumé has no pages.")
	}
	out := &textBuilder{limit: e.limits.MaxText}
	cut := false
	if pages > e.limits.MaxPages {
		pages, cut = e.limits.MaxPages, true
	}
	fonts := make(map[string]*pdf.Font)
	for i := 1; i <= pages && !out.cut; i++ {
		if err := ctx.Err(); err != nil {
			return Document{}, unmask.WrapError(unmask.EUNAVAILABLE, err, "Résumé extraction did not finish in time.")
		}
		p := rd.Page(i)
		if p.V.IsNull() {
			continue
		}
		if !contentFits(p.V.Key("Contents"), e.limits.MaxXMLBytes) {
			return Document{}, unmask.Errorf(unmask.ETOOLARGE, "PDF résumé page %d content is larger than %d bytes.", i, e.limits.MaxXMLBytes)
		}
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		text, err := p.GetPlainText(fonts)
		if err != nil {
			return Document{}, unmask.WrapError(unmask.EINVALID, err, "PDF résumé page %d cannot be read.", i)
		}
		out.WriteString(text)
		out.WriteString("\n")
	}
	return Document{Format: FormatPDF, Text: out.b.String(), Truncated: cut || out.cut}, nil
}

// contentFits reports whether a page's content streams inflate to at most limit bytes in
// all, so a compressed "content bomb" is refused before the parser interprets it.
func contentFits(contents pdf.Value, limit int64) bool {
	streams := []pdf.Value{contents}
	if contents.Kind() == pdf.Array {
		streams = streams[:0]
		for i := range contents.Len() {
			streams = append(streams, contents.Index(i))
		}
	}
	left := limit
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		rc := s.Reader()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, left+1))
		rc.Close()
		if left -= n; left < 0 {
			return false
		}
	}
	return true
}
