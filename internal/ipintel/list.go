package ipintel

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Limits on list files, so that a hostile or broken feed cannot exhaust memory.
const (
	maxLineBytes   = 4096
	maxListEntries = 10_000_000
)

// errNoEntries reports a list without a single entry: an empty or truncated download.
var errNoEntries = errors.New("list has no entries")

// ParseCIDRList reads a CIDR list: one IPv4 or IPv6 prefix ("192.0.2.0/24", host bits are
// masked), address ("192.0.2.7") or inclusive range ("192.0.2.1-192.0.2.9", or the first
// two fields of a comma-separated "start,end,..." row as in client9/ipcat) per line. Text
// after '#' or ';' is a comment and text after the first blank on a line is ignored, so
// "192.0.2.0/24 Provider" is valid. Blank lines are skipped.
//
// Any other line makes the whole list invalid: the error names the line number, so a
// partial or garbled download (an HTML error page, a cut-off last line) is rejected
// rather than loaded in part. A list with no entries is also an error.
func ParseCIDRList(r io.Reader) (*PrefixSet, error) {
	var b prefixBuilder
	err := scanLines(r, func(line string) error {
		if b.entries >= maxListEntries {
			return fmt.Errorf("more than %d entries", maxListEntries)
		}
		return parseCIDRLine(&b, line)
	})
	if err != nil {
		return nil, err
	}
	if b.entries == 0 {
		return nil, errNoEntries
	}
	return b.build(), nil
}

// scanLines calls fn for each non-empty line with comments removed. It rejects lines that
// are too long or not UTF-8, and wraps fn's error with the line number.
func scanLines(r io.Reader, fn func(line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), maxLineBytes)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Bytes()
		if !utf8.Valid(raw) {
			return fmt.Errorf("line %d: not UTF-8 text", n)
		}
		if i := bytes.IndexAny(raw, "#;"); i >= 0 {
			raw = raw[:i]
		}
		line := strings.TrimSpace(string(raw))
		if line == "" {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than %d bytes", n+1, maxLineBytes)
		}
		return fmt.Errorf("read list: %w", err)
	}
	return nil
}

// parseCIDRLine parses one non-empty, comment-free line into b.
func parseCIDRLine(b *prefixBuilder, line string) error {
	if first, rest, ok := strings.Cut(line, ","); ok {
		second, _, _ := strings.Cut(rest, ",")
		return addRangeText(b, strings.TrimSpace(first), strings.TrimSpace(second))
	}
	tok, _, _ := strings.Cut(line, " ")
	tok, _, _ = strings.Cut(tok, "\t")
	if first, last, ok := strings.Cut(tok, "-"); ok {
		return addRangeText(b, first, last)
	}
	if strings.Contains(tok, "/") {
		p, err := netip.ParsePrefix(tok)
		if err != nil {
			return fmt.Errorf("parse prefix %q: %w", tok, err)
		}
		b.addPrefix(p)
		return nil
	}
	a, err := netip.ParseAddr(tok)
	if err != nil {
		return fmt.Errorf("parse address %q: %w", tok, err)
	}
	if a.Zone() != "" {
		return fmt.Errorf("address %q has a zone", tok)
	}
	b.addPrefix(netip.PrefixFrom(a, a.BitLen()))
	return nil
}

// addRangeText parses and adds the inclusive range first..last.
func addRangeText(b *prefixBuilder, first, last string) error {
	lo, err := netip.ParseAddr(first)
	if err != nil {
		return fmt.Errorf("parse range start %q: %w", first, err)
	}
	hi, err := netip.ParseAddr(last)
	if err != nil {
		return fmt.Errorf("parse range end %q: %w", last, err)
	}
	lo, hi = lo.Unmap(), hi.Unmap()
	switch {
	case lo.Zone() != "" || hi.Zone() != "":
		return fmt.Errorf("range %s-%s has a zone", first, last)
	case lo.Is4() != hi.Is4():
		return fmt.Errorf("range %s-%s mixes IPv4 and IPv6", first, last)
	case hi.Less(lo):
		return fmt.Errorf("range %s-%s ends before it starts", first, last)
	}
	b.addRange(lo, hi)
	return nil
}

// OrgList matches autonomous systems by number or by organisation name. The zero value
// matches nothing. An OrgList is safe for concurrent use.
type OrgList struct {
	asns  map[uint]struct{}
	names []string // normalised, padded with a blank on each side
	cache sync.Map // uint ASN -> orgMatch, the name result for that ASN's organisation
}

// orgMatch caches whether an organisation name matched.
type orgMatch struct {
	org string
	ok  bool
}

// ParseOrgList reads an ASN organisation list: per line either an AS number ("AS9009",
// "9009", optionally followed by a name that is ignored) or an organisation name
// ("Astrill VPN"). Names match case-insensitively on whole words: "astrill" matches the
// organisation "ASTRILL-VPN Ltd." but not "Nastrillion". '#' and ';' start comments.
func ParseOrgList(r io.Reader) (*OrgList, error) {
	l := &OrgList{asns: make(map[uint]struct{})}
	seen := make(map[string]bool)
	err := scanLines(r, func(line string) error {
		if len(l.asns)+len(l.names) >= maxListEntries {
			return fmt.Errorf("more than %d entries", maxListEntries)
		}
		tok, _, _ := strings.Cut(line, " ")
		tok, _, _ = strings.Cut(tok, "\t")
		num := strings.TrimPrefix(strings.TrimPrefix(tok, "AS"), "as")
		if n, err := strconv.ParseUint(num, 10, 32); err == nil {
			l.asns[uint(n)] = struct{}{}
			return nil
		}
		name := normalizeOrg(line)
		if strings.TrimSpace(name) == "" {
			return fmt.Errorf("organisation %q has no letters or digits", line)
		}
		if !seen[name] {
			seen[name] = true
			l.names = append(l.names, name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(l.asns)+len(l.names) == 0 {
		return nil, errNoEntries
	}
	return l, nil
}

// Len returns the number of AS numbers and names in the list.
func (l *OrgList) Len() int {
	if l == nil {
		return 0
	}
	return len(l.asns) + len(l.names)
}

// Match reports whether the autonomous system asn with organisation name org is listed.
func (l *OrgList) Match(asn uint, org string) bool {
	if l == nil {
		return false
	}
	if _, ok := l.asns[asn]; ok && asn != 0 {
		return true
	}
	if org == "" || len(l.names) == 0 {
		return false
	}
	if c, ok := l.cache.Load(asn); ok && c.(orgMatch).org == org {
		return c.(orgMatch).ok
	}
	o := normalizeOrg(org)
	found := false
	for _, n := range l.names {
		if strings.Contains(o, n) {
			found = true
			break
		}
	}
	if asn != 0 {
		l.cache.Store(asn, orgMatch{org: org, ok: found})
	}
	return found
}

// normalizeOrg lowercases s, turns every run of non-alphanumeric characters into one
// blank and pads the result with a blank on each side, for whole-word matching.
func normalizeOrg(s string) string {
	var sb strings.Builder
	sb.Grow(len(s) + 2)
	sb.WriteByte(' ')
	blank := true
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > utf8.RuneSelf {
			sb.WriteRune(r)
			blank = false
			continue
		}
		if !blank {
			sb.WriteByte(' ')
			blank = true
		}
	}
	if !blank {
		sb.WriteByte(' ')
	}
	return sb.String()
}
