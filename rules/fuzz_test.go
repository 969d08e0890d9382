package rules_test

import (
	"bytes"
	"io/fs"
	"path"
	"slices"
	"testing"

	"github.com/unmask/unmask/rules"
)

// FuzzPackMatch parses arbitrary fixture lines and feeds the events to the whole pack:
// parsing and matching must not panic, and two fresh Matchers must agree on what fires. Seeds are the pack's own
// fixture lines.
func FuzzPackMatch(f *testing.F) {
	err := fs.WalkDir(rules.FS, rules.TestsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".jsonl" {
			return err
		}
		data, err := fs.ReadFile(rules.FS, p)
		if err != nil {
			return err
		}
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			if len(line) > 0 {
				f.Add(line)
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	e := MustEngine(f, MustLoadPack(f))
	f.Fuzz(func(t *testing.T, line []byte) {
		evs, err := rules.ParseFixture(line, defaultTime)
		if err != nil {
			return
		}
		for _, ev := range evs {
			a, b := fired(e.NewMatcher(), ev), fired(e.NewMatcher(), ev)
			if !slices.Equal(a, b) {
				t.Errorf("fresh matchers disagree: %v vs %v", a, b)
			}
		}
	})
}
