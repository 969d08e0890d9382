package authz

import (
	"bufio"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// people is a person lookup for the namer without a store.
type people struct {
	Store
	name string
}

func (p people) FindPersonByID(context.Context, string) (*unmask.Person, error) {
	return &unmask.Person{ID: "p1", DisplayName: p.name}, nil
}

func FuzzNamer(f *testing.F) {
	file, err := os.Open("testdata/names.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		name, text, _ := strings.Cut(sc.Text(), "|")
		f.Add(name, text)
	}
	file.Close()
	f.Fuzz(func(t *testing.T, name, text string) {
		s := New(people{name: name}, Options{})
		n := s.newNamer(context.Background(), unmask.RoleViewer)
		out := n.text("p1", text)
		if !utf8.ValidString(name) || !utf8.ValidString(text) || strings.TrimSpace(name) == "" || strings.Contains(strings.ToLower(Pseudonym("p1")), strings.ToLower(name)) {
			return
		}
		if re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(name) + `\b`); re.MatchString(text) && re.MatchString(out) {
			t.Fatalf("name %q still in %q (from %q)", name, out, text)
		}
	})
}
