package analytics

import (
	"fmt"
	"strings"
	"time"
)

// Suppression drops findings that an analyst or administrator has approved: the IT
// team's remote-management tool, the corporate VPN, a documented shared account. Every
// non-empty selector must match. Suppressions are data, loaded from configuration.
type Suppression struct {
	PersonID string // the person, or "" for anyone
	Group    string // one of the person's Profile.Groups, or "" for any
	// Indicator is a THREAT.md ID such as "O-09", or "" for any.
	Indicator string
	// Value is the finding's matched value (a tool name such as "anydesk.exe", a list
	// name, an address), compared case-insensitively; a trailing '*' matches a prefix.
	Value string
	// Reason says why; it is required.
	Reason string
	// Until is when the suppression expires; zero means never.
	Until time.Time
}

// suppressions matches findings against a list and counts hits.
type suppressions struct {
	list []Suppression
	hits []int
}

func newSuppressions(list []Suppression) (*suppressions, error) {
	for i, s := range list {
		if s.Reason == "" {
			return nil, fmt.Errorf("suppression %d: reason required", i)
		}
		if s.PersonID == "" && s.Group == "" && s.Indicator == "" && s.Value == "" {
			return nil, fmt.Errorf("suppression %d (%s): would match everything", i, s.Reason)
		}
	}
	return &suppressions{list: append([]Suppression(nil), list...), hits: make([]int, len(list))}, nil
}

// match reports which suppression, if any, drops f for person p at now, and counts the
// hit.
func (ss *suppressions) match(f *Finding, p *Profile, now time.Time) (int, bool) {
	for i := range ss.list {
		s := &ss.list[i]
		switch {
		case !s.Until.IsZero() && now.After(s.Until):
		case s.PersonID != "" && s.PersonID != f.PersonID:
		case s.Group != "" && !p.inGroup(s.Group):
		case s.Indicator != "" && !strings.EqualFold(s.Indicator, f.Indicator):
		case s.Value != "" && !valueMatch(s.Value, f.Value):
		default:
			ss.hits[i]++
			return i, true
		}
	}
	return -1, false
}

func valueMatch(pattern, v string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return len(v) >= len(p) && strings.EqualFold(v[:len(p)], p)
	}
	return strings.EqualFold(pattern, v)
}
