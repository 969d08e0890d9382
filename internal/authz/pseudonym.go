package authz

import (
	"context"
	"net/netip"
	"regexp"
	"strings"

	"github.com/unmask/unmask"
)

// namer replaces a person's real name in free text (titles, explanations, notes) with
// their pseudonym, for roles that may not see names. It caches per call.
type namer struct {
	s        *Service
	names    bool // replace the subject's name
	endpoint bool // hide endpoint evidence
	hr       bool // reduce device serials to their last four characters
	ctx      context.Context
	cache    map[string]*regexp.Regexp
}

// newNamer returns a namer for role, or nil when role sees names and endpoint details.
func (s *Service) newNamer(ctx context.Context, role unmask.Role) *namer {
	if role.CanSeeNames() && role.CanSeeEndpoint() && role.CanSeeHR() {
		return nil
	}
	return &namer{s: s, ctx: ctx, names: !role.CanSeeNames(), endpoint: !role.CanSeeEndpoint(), hr: !role.CanSeeHR(),
		cache: map[string]*regexp.Regexp{}}
}

// serialIndicator is the indicator whose explanations and keys name laptop serials
// (shipped, assigned, enrolled), which roles without HR access see as the devices table
// shows them: their last four characters.
const serialIndicator = "O-05"

// serialCandidate finds what may be a device serial: six or more capital letters and
// digits (hyphens inside), of which at least one digit.
var serialCandidate = regexp.MustCompile(`\b[A-Z0-9][A-Z0-9-]{4,}[A-Z0-9]\b`)

// serials returns t with the device serials in it reduced to their last four characters
// when the role may not see HR details and indicator names serials.
func (n *namer) serials(indicator, t string) string {
	if n == nil || !n.hr || indicator != serialIndicator {
		return t
	}
	return serialCandidate.ReplaceAllStringFunc(t, func(s string) string {
		if !strings.ContainsAny(s, "0123456789") {
			return s // a word in capitals
		}
		return "****" + s[len(s)-4:]
	})
}

// restrictedEndpoint replaces the explanation of endpoint evidence for roles without
// endpoint access: it names tools, hosts and paths.
const restrictedEndpoint = "Endpoint evidence; the details are shown to analysts only."

// addressCandidate finds what may be an IPv4 or IPv6 address, with an optional prefix
// length; hideAddresses keeps only those that parse.
var addressCandidate = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?\b|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f.]*(?:/\d{1,3})?`)

// hiddenAddress stands for a network address in text shown to roles without endpoint
// access; the network's name (a VPN, a hosting provider) stays, since it is the finding.
const hiddenAddress = "[address]"

// network returns t without network addresses when the role may not see network details.
func (n *namer) network(family, t string) string {
	if n == nil || !n.endpoint || family != unmask.FamilyNetwork {
		return t
	}
	return addressCandidate.ReplaceAllStringFunc(t, func(s string) string {
		if _, err := netip.ParsePrefix(s); err == nil {
			return hiddenAddress
		}
		if _, err := netip.ParseAddr(s); err == nil {
			return hiddenAddress
		}
		return s // a time of day or other text with colons
	})
}

// text returns t with personID's full name and each part of it of three letters or more
// replaced by the pseudonym. Other people named in t are not recognised: only the subject
// of the record is.
func (n *namer) text(personID, t string) string {
	if n == nil || !n.names || t == "" || personID == "" {
		return t
	}
	re, ok := n.cache[personID]
	if !ok {
		re = n.pattern(personID)
		n.cache[personID] = re
	}
	if re == nil {
		return t
	}
	return re.ReplaceAllLiteralString(t, Pseudonym(personID))
}

func (n *namer) pattern(personID string) *regexp.Regexp {
	p, err := n.s.s.FindPersonByID(n.ctx, personID)
	if err != nil {
		return nil
	}
	name := strings.TrimSpace(strings.ToValidUTF8(p.DisplayName, ""))
	if name == "" {
		return nil
	}
	alts := []string{regexp.QuoteMeta(name)}
	for part := range strings.FieldsSeq(name) {
		if len([]rune(part)) >= 3 {
			alts = append(alts, regexp.QuoteMeta(part))
		}
	}
	re, err := regexp.Compile(`(?i)\b(` + strings.Join(alts, "|") + `)\b`)
	if err != nil {
		return nil // QuoteMeta of valid UTF-8 always compiles; this is defence in depth
	}
	return re
}

func (n *namer) alert(a *unmask.Alert) *unmask.Alert {
	if n == nil {
		return a
	}
	c := *a
	c.Title = n.text(a.PersonID, a.Title)
	return &c
}

func (n *namer) kase(k *unmask.Case) *unmask.Case {
	if n == nil {
		return k
	}
	c := *k
	c.Title = n.text(k.PersonID, k.Title)
	return &c
}

func (n *namer) signal(s *unmask.Signal) *unmask.Signal {
	if n == nil {
		return s
	}
	c := *s
	c.Explanation = n.serials(s.Indicator, n.network(unmask.IndicatorFamily(s.Indicator), n.text(s.PersonID, s.Explanation)))
	c.Key = n.serials(s.Indicator, s.Key)
	if n.endpoint && unmask.IndicatorFamily(s.Indicator) == unmask.FamilyEndpoint {
		c.Explanation, c.EventIDs, c.Key = restrictedEndpoint, nil, ""
	}
	return &c
}

func (n *namer) score(sc *unmask.RiskScore) *unmask.RiskScore {
	if n == nil {
		return sc
	}
	c := *sc
	c.Reasons = make([]unmask.RiskReason, len(sc.Reasons))
	for i, r := range sc.Reasons {
		r.Explanation = n.serials(r.Indicator, n.network(r.Family, n.text(sc.PersonID, r.Explanation)))
		if n.endpoint && r.Family == unmask.FamilyEndpoint {
			r.Explanation, r.EventIDs = restrictedEndpoint, nil
		}
		c.Reasons[i] = r
	}
	return &c
}

// mapAll applies f to every element of list in place and returns it.
func mapAll[T any](list []*T, f func(*T) *T) []*T {
	for i, v := range list {
		list[i] = f(v)
	}
	return list
}
