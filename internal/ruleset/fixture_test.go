package ruleset

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

func TestFixturesUser(t *testing.T) {
	id := "1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01"
	hit := `{"EventID":"1","Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\certutil.exe","CommandLine":"certutil -urlcache x"}`
	miss := `{"EventID":"1","Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\certutil.exe","CommandLine":"certutil -hashfile x"}`
	user := fstest.MapFS{
		"certutil.yml":                     {Data: []byte(userRule)},
		"tests/" + id + "/tp/a.jsonl":      {Data: []byte(hit + "\n" + miss + "\n")},
		"tests/" + id + "/fp/b.jsonl":      {Data: []byte("\n" + hit + "\n")},
		"tests/" + id + "/fp/broken.jsonl": {Data: []byte("{\n")},
	}
	s := MustLoad(t, Options{User: []Source{{Name: "u", FS: user}}})
	got := s.TestFixtures(user, func(r unmask.Rule) bool { return r.Origin == unmask.RuleUser })
	if len(got) != 1 {
		t.Fatalf("results = %+v, want the user rule's only", got)
	}
	want := []string{"tp/a.jsonl line 2: did not fire", "fp/b.jsonl line 2: fired, want no match",
		"fp/broken.jsonl line 1: decode event: unexpected EOF"}
	if diff := cmp.Diff(want, got[0].Failures); diff != "" || got[0].Files != 3 || got[0].Passed() {
		t.Errorf("files %d, failures (-want +got):\n%s", got[0].Files, diff)
	}
	none := MustLoad(t, Options{User: []Source{{FS: fstest.MapFS{"certutil.yml": {Data: []byte(userRule)}}}}})
	if got := none.TestFixtures(fstest.MapFS{}, func(r unmask.Rule) bool { return r.ID == id }); len(got) != 1 || got[0].Files != 0 || !got[0].Passed() {
		t.Errorf("rule without fixtures: %+v", got)
	}
}
