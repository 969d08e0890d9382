// Package unmasktest provides test support shared by Unmask's packages: golden files and
// fixture builders. It is imported only by tests.
package unmasktest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// UpdateGolden reports whether golden files should be rewritten (UNMASK_UPDATE_GOLDEN=1).
func UpdateGolden() bool { return os.Getenv("UNMASK_UPDATE_GOLDEN") == "1" }

// Golden compares got with the golden file at path, or rewrites the file when
// UNMASK_UPDATE_GOLDEN=1 is set.
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if UpdateGolden() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run with UNMASK_UPDATE_GOLDEN=1 to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		tb.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// GoldenJSON marshals v as indented JSON and compares it with the golden file at path.
func GoldenJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		tb.Fatal(err)
	}
	Golden(tb, path, buf.Bytes())
}

// SharedDir returns the path of dir inside the shared folder beside the repository
// (../shared relative to the repository root), or skips the test when it is absent.
// rel is the path from the calling package's directory to the repository root.
func SharedDir(tb testing.TB, rel, dir string) string {
	tb.Helper()
	p := filepath.Join(rel, "..", "shared", dir)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s not present (%v): skipping the test that reads third-party files", p, err)
	}
	return p
}
