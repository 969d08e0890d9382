package ipintel

import (
	"slices"
	"strconv"
	"strings"
)

// Tag is a class of network an address belongs to.
type Tag uint8

// Tags. The zero Tag is not a tag.
const (
	TagVPN       Tag = iota + 1 // a commercial VPN provider's egress
	TagHosting                  // a hosting, cloud or datacenter network
	TagTor                      // a Tor exit node
	TagAnonymous                // an anonymiser or public or residential proxy
	TagCorporate                // the company's own VPN, ZTNA or office egress
	TagAstrill                  // Astrill VPN egress
	TagIOC                      // an address from a threat-intelligence indicator
)

var tagNames = [...]string{"", "vpn", "hosting", "tor", "anonymous", "corporate", "astrill", "ioc"}

// String returns the tag's name, such as "vpn".
func (t Tag) String() string {
	if int(t) < len(tagNames) {
		return tagNames[t]
	}
	return "tag(" + strconv.Itoa(int(t)) + ")"
}

// ParseTag returns the tag named s and whether there is one.
func ParseTag(s string) (Tag, bool) {
	for i, n := range tagNames {
		if i > 0 && strings.EqualFold(n, s) {
			return Tag(i), true
		}
	}
	return 0, false
}

// TagSet is a set of tags.
type TagSet uint16

// Has reports whether t is in s.
func (s TagSet) Has(t Tag) bool { return s&(1<<t) != 0 }

// With returns s with t added.
func (s TagSet) With(t Tag) TagSet { return s | 1<<t }

// Any reports whether s holds any of ts.
func (s TagSet) Any(ts ...Tag) bool {
	return slices.ContainsFunc(ts, s.Has)
}

// Tags returns the tags in s in ascending order.
func (s TagSet) Tags() []Tag {
	var out []Tag
	for t := Tag(1); int(t) < len(tagNames); t++ {
		if s.Has(t) {
			out = append(out, t)
		}
	}
	return out
}

// String returns the tag names joined by commas.
func (s TagSet) String() string {
	var names []string
	for _, t := range s.Tags() {
		names = append(names, t.String())
	}
	return strings.Join(names, ",")
}
