package resume

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"context"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmask/unmask"
)

func MustRead(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// MustZipBomb returns a DOCX whose document part inflates to n zero bytes. With lie set, the
// headers claim a 100-byte part.
func MustZipBomb(tb testing.TB, n int, lie bool) []byte {
	tb.Helper()
	var raw bytes.Buffer
	fw, err := flate.NewWriter(&raw, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	zeros := make([]byte, n)
	if _, err := fw.Write(zeros); err != nil {
		tb.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		tb.Fatal(err)
	}
	size := uint64(n)
	if lie {
		size = 100
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(zeros),
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: size,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(raw.Bytes()); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// MustContentBombPDF returns a one-page PDF whose FlateDecode content stream inflates to n
// bytes of text operators.
func MustContentBombPDF(tb testing.TB, n int) []byte {
	tb.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	line := []byte("BT (x) Tj ET\n")
	for written := 0; written < n; written += len(line) {
		if _, err := zw.Write(line); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return out.Bytes()
}

func TestExtract(t *testing.T) {
	small := Limits{MaxBytes: 1 << 20, MaxXMLBytes: 64 << 10}
	tests := []struct {
		name       string
		limits     Limits
		data       []byte
		wantFormat Format
		wantText   []string
		wantCode   string
	}{
		{name: "pdf", data: MustRead(t, "resume.pdf"), wantFormat: FormatPDF,
			wantText: []string{"Jane Roe", "Acme Corp, Staff Engineer", "PostgreSQL"}},
		{name: "docx", data: MustRead(t, "resume.docx"), wantFormat: FormatDOCX,
			wantText: []string{"Jane Roe\tSenior Backend Engineer\n", "Acme Corp, Staff Engineer, 2019 to present\n", "services\nin Go & PostgreSQL"}},
		{name: "text", data: MustRead(t, "resume.txt"), wantFormat: FormatText, wantText: []string{"Senior Backend Engineer"}},
		{name: "broken_pdf", data: MustRead(t, "broken.pdf"), wantCode: unmask.EINVALID},
		{name: "docx_without_body", data: MustRead(t, "nodoc.docx"), wantCode: unmask.EINVALID},
		{name: "zip_bomb_honest_header", limits: small, data: MustZipBomb(t, 4<<20, false), wantCode: unmask.ETOOLARGE},
		{name: "zip_bomb_lying_header", limits: small, data: MustZipBomb(t, 4<<20, true), wantCode: unmask.EINVALID},
		{name: "pdf_content_bomb", limits: small, data: MustContentBombPDF(t, 8<<20), wantCode: unmask.ETOOLARGE},
		{name: "pdf_small_flate_content", limits: small, data: MustContentBombPDF(t, 1000), wantFormat: FormatPDF, wantText: []string{"x\nx\nx"}},
		{name: "huge_input", limits: Limits{MaxBytes: 1000}, data: append([]byte("%PDF-1.4\n"), make([]byte, 2000)...), wantCode: unmask.ETOOLARGE},
		{name: "truncated_zip", data: MustRead(t, "resume.docx")[:100], wantCode: unmask.EINVALID},
		{name: "binary", data: []byte{0x89, 'P', 'N', 'G', 0, 0, 0xff}, wantCode: unmask.EINVALID},
		{name: "pdf_garbage", data: []byte("%PDF-1.7\nthis is not a pdf at all"), wantCode: unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewExtractor(tt.limits).Extract(t.Context(), bytes.NewReader(tt.data))
			if code := unmask.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("Extract error = %v, want code %q", err, tt.wantCode)
			}
			if got.Format != tt.wantFormat {
				t.Errorf("Format = %q, want %q", got.Format, tt.wantFormat)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(got.Text, w) {
					t.Errorf("text %q does not contain %q", got.Text, w)
				}
			}
		})
	}
}

func TestExtractTruncates(t *testing.T) {
	got, err := NewExtractor(Limits{MaxText: 10}).Extract(t.Context(), strings.NewReader("héllo wörld, this is long"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Truncated || len(got.Text) > 10 || !strings.HasPrefix(got.Text, "héllo") {
		t.Errorf("Extract = %+v, want truncated prefix of at most 10 bytes", got)
	}
}

func TestExtractPageLimit(t *testing.T) {
	got, err := NewExtractor(Limits{MaxPages: 3}).Extract(t.Context(), bytes.NewReader(MustRead(t, "pages.pdf")))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Truncated || !strings.Contains(got.Text, "Page marker 3") || strings.Contains(got.Text, "Page marker 4") {
		t.Errorf("Extract(8 pages, MaxPages 3) = %+v, want pages 1-3 only, truncated", got)
	}
	all, err := NewExtractor(Limits{}).Extract(t.Context(), bytes.NewReader(MustRead(t, "pages.pdf")))
	if err != nil || all.Truncated || !strings.Contains(all.Text, "Page marker 8") {
		t.Errorf("Extract(8 pages) = %+v, %v; want all pages", all, err)
	}
}

func TestExtractHonoursContext(t *testing.T) {
	tests := []struct{ name, file string }{{"pdf", "resume.pdf"}, {"docx", "resume.docx"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			_, err := NewExtractor(Limits{}).Extract(ctx, bytes.NewReader(MustRead(t, tt.file)))
			if unmask.ErrorCode(err) != unmask.EUNAVAILABLE {
				t.Errorf("Extract with cancelled context: error = %v, want EUNAVAILABLE", err)
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"resume.pdf", "resume.docx", "resume.txt", "broken.pdf", "nodoc.docx", "pages.pdf"} {
		f.Add(MustRead(f, name))
	}
	e := NewExtractor(Limits{MaxBytes: 1 << 20, MaxText: 64 << 10, MaxXMLBytes: 1 << 20, MaxPages: 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := e.Extract(t.Context(), bytes.NewReader(data))
		if err != nil {
			if unmask.ErrorCode(err) == unmask.EINTERNAL {
				t.Fatalf("Extract returned an uncoded error: %v", err)
			}
			return
		}
		if len(doc.Text) > 64<<10 {
			t.Fatalf("text of %d bytes exceeds the limit", len(doc.Text))
		}
	})
}
