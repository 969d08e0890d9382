package ui

import (
	"io/fs"
	"testing"
)

// TemplatesFS exposes the embedded templates to the external tests.
func TemplatesFS(tb testing.TB) fs.FS {
	tb.Helper()
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}
