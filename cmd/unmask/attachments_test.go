package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/gen"
	"github.com/unmask/unmask/internal/photo"
	"github.com/unmask/unmask/internal/resume"
	"github.com/unmask/unmask/internal/sqlite"
)

// extraCandidate is a Greenhouse Harvest candidate the tests add beside a generated
// company's.
type extraCandidate struct {
	ID          int    `json:"id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	UpdatedAt   string `json:"updated_at"`
	PhotoURL    string `json:"photo_url,omitempty"`
	Emails      []ghV  `json:"email_addresses"`
	Attachments []ghA  `json:"attachments"`
}

type ghV struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

type ghA struct {
	Filename string `json:"filename"`
	Type     string `json:"type"`
	URL      string `json:"url"`
}

func newCandidate(id int, first, last string, files ...ghA) extraCandidate {
	return extraCandidate{ID: id, FirstName: first, LastName: last, UpdatedAt: "2026-03-02T10:00:00.000Z",
		Emails: []ghV{{fmt.Sprintf("%s.%s.%d@example.net", strings.ToLower(first), strings.ToLower(last), id), "personal"}}, Attachments: files}
}

func resumeFile(name string) ghA {
	return ghA{Filename: name, Type: "resume", URL: "https://files.greenhouse.example/" + name}
}

// writeCandidates writes candidates as a Harvest JSON array and returns its path.
func writeCandidates(t *testing.T, dir, name string, cs ...extraCandidate) string {
	t.Helper()
	data, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// zipBomb returns a DOCX whose document part inflates to n zero bytes.
func zipBomb(t *testing.T, n int) []byte {
	t.Helper()
	var raw bytes.Buffer
	fw, _ := flate.NewWriter(&raw, flate.BestCompression)
	zeros := make([]byte, n)
	fw.Write(zeros)
	fw.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(zeros),
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: uint64(n)})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	zw.Close()
	return out.Bytes()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// flagged returns the Greenhouse candidate ids of the people with signals of indicator
// raised by detector.
func flagged(t *testing.T, dir, indicator, detector string) []string {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sigs, _, err := db.FindSignals(t.Context(), unmask.SignalFilter{Indicator: &indicator, Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range sigs {
		if s.Detector != detector {
			continue
		}
		p, err := db.FindPersonByID(t.Context(), s.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(out, p.ExternalID) {
			out = append(out, p.ExternalID)
		}
	}
	slices.Sort(out)
	return out
}

// TestIngestAttachments generates a small company, ingests its Greenhouse candidates and
// their résumés, and checks that H-05 flags exactly the planted clusters, that reused
// photos raise H-08, and that hostile files are rejected without stopping the others.
// A second run, in a new process, finds a new copy of an indexed résumé through the
// stored index and skips what it already indexed.
func TestIngestAttachments(t *testing.T) {
	dir, company := t.TempDir(), t.TempDir()
	e := env(dir)
	man, err := gen.Generate(company, gen.Options{Employees: 20, Applicants: 60, Days: 1, Fraud: -1, Clusters: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	resumes := filepath.Join(company, "greenhouse", "resumes")
	generated := countFiles(t, resumes)
	if code, _, errOut := run(t, e, "", "ingest", "--source", "greenhouse", filepath.Join(company, "greenhouse", "candidates.json")); code != 0 {
		t.Fatalf("ingest candidates: %d %s", code, errOut)
	}

	// Hostile and malformed files, a missing one, and one photo under two names.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(resumes, "bomb.docx"), zipBomb(t, 32<<20), 0o600))
	copyFile(t, "../../internal/resume/testdata/broken.pdf", filepath.Join(resumes, "broken.pdf"))
	copyFile(t, "../../internal/photo/testdata/notimage.jpg", filepath.Join(resumes, "notimage.jpg"))
	copyFile(t, "../../internal/photo/testdata/portrait.webp", filepath.Join(resumes, "portrait.webp"))
	must(os.Symlink("/etc/passwd", filepath.Join(resumes, "link.txt")))
	photoA := newCandidate(96000004, "Dana", "Whitfield")
	photoA.PhotoURL = "https://photos.greenhouse.example/portrait.webp"
	extra := writeCandidates(t, company, "extra.json",
		newCandidate(96000001, "Zip", "Bomber", resumeFile("bomb.docx")),
		newCandidate(96000002, "Broken", "Pdf", resumeFile("broken.pdf")),
		newCandidate(96000003, "Not", "Image", ghA{Filename: "notimage.jpg", Type: "other"}, resumeFile("gone.pdf"), resumeFile("link.txt")),
		photoA,
		newCandidate(96000005, "Marcus", "Oyelaran", ghA{Filename: "portrait.webp", Type: "other"}),
	)
	if code, _, errOut := run(t, e, "", "ingest", "--source", "greenhouse", extra); code != 0 {
		t.Fatalf("ingest extra candidates: %d %s", code, errOut)
	}

	code, out, errOut := run(t, e, "", "ingest-attachments", "--dir", resumes)
	t.Logf("first run: %s%s", out, errOut)
	if code != 0 {
		t.Fatalf("ingest-attachments: exit %d, %s %s", code, out, errOut)
	}
	for _, want := range []string{"rejected bomb.docx: ", "rejected broken.pdf: ", "rejected notimage.jpg: ", "rejected link.txt: "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
	wantSummary := fmt.Sprintf("%d résumés and 2 photos screened, 0 already indexed, 1 missing, 4 rejected", generated)
	if !strings.Contains(out, wantSummary) {
		t.Errorf("summary %q, want %q", out, wantSummary)
	}

	var want []string
	for _, cl := range man.Clusters {
		if slices.Contains(cl.Indicators, "H-05") {
			want = append(want, cl.CandidateIDs...)
		}
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, flagged(t, dir, "H-05", resume.DetectorName)); diff != "" {
		t.Errorf("candidates flagged for résumé near-copies (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"96000004", "96000005"}, flagged(t, dir, "H-08", photo.DetectorName)); diff != "" {
		t.Errorf("candidates flagged for photo reuse (-want +got):\n%s", diff)
	}

	// A new applicant files a copy of a clustered résumé under another name; the original
	// was indexed by the previous process.
	matches, _ := filepath.Glob(filepath.Join(resumes, man.Clusters[0].CandidateIDs[0]+"_*"))
	if len(matches) != 1 {
		t.Fatalf("résumé of candidate %s not found: %v", man.Clusters[0].CandidateIDs[0], matches)
	}
	copyFile(t, matches[0], filepath.Join(resumes, "97000001_Copy_Cat_Resume.txt"))
	late := writeCandidates(t, company, "late.json", newCandidate(97000001, "Copy", "Cat", resumeFile("97000001_Copy_Cat_Resume.txt")))
	if code, _, errOut := run(t, e, "", "ingest", "--source", "greenhouse", late); code != 0 {
		t.Fatalf("ingest late candidate: %d %s", code, errOut)
	}
	// This time as the demo runs it, after its own Greenhouse ingest.
	var stdout, stderr bytes.Buffer
	m := NewMain()
	m.Getenv, m.Stdout, m.Stderr = e, &stdout, &stderr
	ctx := adminContext(t.Context())
	if err := m.openDB(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p, err := m.newProcessor(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ingestAttachments(ctx, p, resumes); err != nil || !strings.Contains(stdout.String(), "1 résumés and 0 photos screened") ||
		!strings.Contains(stdout.String(), fmt.Sprintf("%d already indexed", generated+2)) {
		t.Fatalf("second run: %v, %s %s", err, stdout.String(), stderr.String())
	}
	if got := flagged(t, dir, "H-05", resume.DetectorName); !slices.Contains(got, "97000001") {
		t.Errorf("the late copy was not flagged: %v", got)
	}
}

// countFiles counts the files in dir.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestIngestAttachmentsUsage(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	file := filepath.Join(dir, "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		args     []string
		wantCode int
		want     string // substring of stdout, or of stderr when the code is non-zero
	}{
		{"NeedsDir", []string{"ingest-attachments"}, 2, `required flag(s) "dir" not set`},
		{"NoSuchDir", []string{"ingest-attachments", "--dir", filepath.Join(dir, "nope")}, 2, "Cannot open attachment directory"},
		{"NotADir", []string{"ingest-attachments", "--dir", file}, 2, "Cannot open attachment directory"},
		{"NothingIngested", []string{"ingest-attachments", "--dir", dir}, 0, "0 résumés and 0 photos screened, 0 already indexed, 0 missing, 0 rejected"},
		{"ExtraArgument", []string{"ingest-attachments", "--dir", dir, "more"}, 2, "unknown command"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			code, out, errOut := run(t, e, "", st.args...)
			where := out
			if st.wantCode != 0 {
				where = errOut
			}
			if code != st.wantCode || !strings.Contains(where, st.want) {
				t.Errorf("unmask %s: exit %d, stdout %q, stderr %q; want exit %d with %q", strings.Join(st.args, " "), code, out, errOut, st.wantCode, st.want)
			}
		})
	}
}
