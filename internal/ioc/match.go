package ioc

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// DetectorName names the detector of IOC-match signals.
const DetectorName = "ioc:match"

// MatcherOptions configures a Matcher.
type MatcherOptions struct {
	// Key turns a normalised indicator value into the key applicant identifiers are stored
	// under (the keyed hash of sensitive kinds); nil compares clear values.
	Key func(t unmask.IndicatorType, value string) string
	// Now is the clock for expiry and signal times; nil means time.Now.
	Now func() time.Time
}

// Matcher matches observed values against indicators. It is safe for concurrent use once
// built.
type Matcher struct {
	opts  MatcherOptions
	byKey map[matchKey][]unmask.Indicator
}

type matchKey struct {
	t unmask.IndicatorType
	k string
}

// NewMatcher indexes indicators.
func NewMatcher(inds []unmask.Indicator, opts MatcherOptions) *Matcher {
	if opts.Key == nil {
		opts.Key = func(_ unmask.IndicatorType, v string) string { return v }
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	m := &Matcher{opts: opts, byKey: make(map[matchKey][]unmask.Indicator, len(inds))}
	for _, in := range inds {
		k := matchKey{in.Type, opts.Key(in.Type, in.Value)}
		m.byKey[k] = append(m.byKey[k], in)
	}
	return m
}

// Match returns the unexpired indicators of type t whose key equals key, highest
// confidence first.
func (m *Matcher) Match(t unmask.IndicatorType, key string) []unmask.Indicator {
	now := m.opts.Now()
	var out []unmask.Indicator
	for _, in := range m.byKey[matchKey{t, key}] {
		if in.ValidUntil.IsZero() || in.ValidUntil.After(now) {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b unmask.Indicator) int {
		return cmp.Or(cmp.Compare(b.Confidence, a.Confidence), cmp.Compare(a.Source, b.Source))
	})
	return out
}

// Observed is an applicant value to check.
type Observed struct {
	PersonID string
	Type     unmask.IndicatorType
	// Key is the stored key (see MatcherOptions.Key); Value the clear normalised value,
	// if known. An e-mail with a clear Value is also checked by its domain, and a URL by
	// its host.
	Key     string
	Value   string
	Display string
	EventID string
}

// Signals returns one H-03 signal per observed value that matches an indicator.
func (m *Matcher) Signals(obs []Observed) []unmask.Signal {
	var out []unmask.Signal
	for _, o := range obs {
		key := o.Key
		if key == "" {
			key = m.opts.Key(o.Type, o.Value)
		}
		if hits := m.Match(o.Type, key); len(hits) > 0 {
			out = append(out, m.signal(o, key, hits[0], 1))
			continue
		}
		if d := hostOf(o); d != "" {
			dk := m.opts.Key(unmask.IOCDomain, d)
			if hits := m.Match(unmask.IOCDomain, dk); len(hits) > 0 {
				out = append(out, m.signal(o, dk, hits[0], 0.6))
			}
		}
	}
	return out
}

// hostOf returns the domain of an e-mail or URL value, or "".
func hostOf(o Observed) string {
	switch o.Type {
	case unmask.IOCEmail:
		if _, d, ok := strings.Cut(o.Value, "@"); ok {
			return d
		}
	case unmask.IOCURL:
		if d, err := domain(o.Value); err == nil {
			return d
		}
	}
	return ""
}

func (m *Matcher) signal(o Observed, key string, in unmask.Indicator, scale float64) unmask.Signal {
	now := m.opts.Now()
	sev := unmask.SeverityHigh
	if scale < 1 || in.Confidence < 50 {
		sev = unmask.SeverityMedium
	}
	what := "matches"
	if scale < 1 {
		what = "is on a domain that matches"
	}
	var events []string
	if o.EventID != "" {
		events = []string{o.EventID}
	}
	display := o.Display
	if display == "" {
		display = "(masked)"
	}
	return unmask.Signal{
		PersonID:  o.PersonID,
		Indicator: "H-03",
		Detector:  DetectorName,
		Severity:  sev,
		Weight:    scale * (0.5 + 0.5*float64(in.Confidence)/100),
		EventIDs:  events,
		Explanation: fmt.Sprintf("%s %s %s a threat-intelligence indicator from %s (confidence %d).",
			label(o.Type), display, what, in.Source, in.Confidence),
		Key:      "ioc:" + string(in.Type) + ":" + key,
		Time:     now,
		LastSeen: now,
		Count:    1,
	}
}

func label(t unmask.IndicatorType) string {
	switch t {
	case unmask.IOCEmail:
		return "E-mail"
	case unmask.IOCPhone:
		return "Phone"
	case unmask.IOCGitHubLogin:
		return "GitHub account"
	case unmask.IOCWallet:
		return "Wallet"
	case unmask.IOCDomain:
		return "Domain"
	case unmask.IOCURL:
		return "Website"
	}
	if t == "" {
		return "Value"
	}
	return strings.ToUpper(string(t[:1])) + strings.ReplaceAll(string(t[1:]), "_", " ")
}
