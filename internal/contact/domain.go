package contact

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
)

var (
	//go:embed freemail.txt
	freemailList string
	//go:embed disposable.txt
	disposableList string
)

// maxDomainLine bounds one line of a domain list.
const maxDomainLine = 1024

// DomainSet is a set of e-mail domains. A domain in the set also matches its subdomains.
// The zero value is empty and ready to use; it is not safe for concurrent writes.
type DomainSet struct {
	m map[string]struct{}
}

// FreeMailDomains returns a new set holding the built-in free web-mail domains.
func FreeMailDomains() *DomainSet { return mustParse(freemailList) }

// DisposableDomains returns a new set holding the built-in disposable-mail domains.
func DisposableDomains() *DomainSet { return mustParse(disposableList) }

func mustParse(list string) *DomainSet {
	var s DomainSet
	if err := s.Load(strings.NewReader(list)); err != nil {
		panic(fmt.Sprintf("contact: built-in domain list: %v", err))
	}
	return &s
}

// Add puts domains into the set, lower-cased.
func (s *DomainSet) Add(domains ...string) {
	if s.m == nil {
		s.m = make(map[string]struct{})
	}
	for _, d := range domains {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		if d != "" {
			s.m[d] = struct{}{}
		}
	}
}

// Load adds the domains in r, one per line; blank lines and text after "#" are ignored.
func (s *DomainSet) Load(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxDomainLine)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t@/") {
			return fmt.Errorf("domain list line %d: %q is not a domain", n, line)
		}
		s.Add(line)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read domain list: %w", err)
	}
	return nil
}

// Contains reports whether domain or one of its parent domains is in the set.
func (s *DomainSet) Contains(domain string) bool {
	if s == nil || len(s.m) == 0 {
		return false
	}
	d := strings.TrimSuffix(strings.ToLower(domain), ".")
	for d != "" {
		if _, ok := s.m[d]; ok {
			return true
		}
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = rest
	}
	return false
}

// Len returns the number of domains in the set.
func (s *DomainSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.m)
}
