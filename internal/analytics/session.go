package analytics

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ipintel"
)

// SessionOptions configures SessionReplay. Zero fields take the documented defaults.
type SessionOptions struct {
	// MaxSessions is how many recent sessions are remembered per person; default 4.
	MaxSessions int
	// MaxAge flags a session seen for longer than this; 0 (the default) turns the check
	// off, since token lifetimes are a policy of each identity provider.
	MaxAge time.Duration
}

// SessionReplay raises N-07 when one session id is seen from two or more autonomous
// systems or two or more user agents: a stolen session cookie or token replayed from
// another machine. A second network that is a tagged commercial VPN is reported at low
// weight, since switching a VPN on mid-session is common. Corporate egress addresses are not counted as a second network (a
// session that connects to the corporate VPN or ZTNA mid-way is normal). State: up to
// MaxSessions sessions per person, each with up to four networks and user agents.
type SessionReplay struct {
	opts SessionOptions
	st   map[string][]*session
	seed maphash.Seed
}

type session struct {
	id                  string
	first, last         time.Time
	asns                []uint
	agents              []uint64
	events              []string
	asnDone, uaDone, ok bool
	vpn                 bool // a network was a tagged commercial VPN or anonymiser
}

const sessionDims = 4

// NewSessionReplay returns a SessionReplay detector.
func NewSessionReplay(opts SessionOptions) *SessionReplay {
	opts.MaxSessions = cmpOr(opts.MaxSessions, 4)
	return &SessionReplay{opts: opts, st: make(map[string][]*session), seed: maphash.MakeSeed()}
}

var (
	specSessionASN = spec{"analytics:session", "N-07", unmask.SeverityHigh, 0.6}
	specSessionVPN = spec{"analytics:session", "N-07", unmask.SeverityLow, 0.2}
	specSessionUA  = spec{"analytics:session", "N-07", unmask.SeverityMedium, 0.4}
	specSessionAge = spec{"analytics:session", "N-07", unmask.SeverityLow, 0.2}
)

// Observe implements Detector.
func (d *SessionReplay) Observe(in *Input) []Finding {
	ev := in.Event
	if ev.SessionID == "" || ev.Outcome == unmask.OutcomeFailure {
		return nil
	}
	s := d.session(ev.PersonID, ev.SessionID, ev.Time)
	s.last = maxTime(s.last, ev.Time)
	if len(s.events) < sessionDims && !contains(s.events, ev.ID) {
		s.events = append(s.events, ev.ID)
	}
	newASN := in.IP.ASN != 0 && !in.corporate() && addDim(&s.asns, in.IP.ASN)
	if newASN && in.IP.Tags.Any(ipintel.TagVPN, ipintel.TagAnonymous, ipintel.TagTor) {
		s.vpn = true
	}
	newUA := ev.UserAgent != "" && addDim(&s.agents, maphash.String(d.seed, ev.UserAgent))
	var out []Finding
	key := "N-07:" + ev.SessionID
	if newASN && len(s.asns) >= 2 && !s.asnDone {
		s.asnDone = true
		sp, note := specSessionASN, ", which suggests a replayed session cookie or token"
		if s.vpn {
			sp, note = specSessionVPN, "; one is a commercial VPN, so the person may have switched VPN on mid-session"
		}
		expl := fmt.Sprintf("Session %s was used from %d different networks (%s)%s.", ev.SessionID, len(s.asns), asList(s.asns), note)
		out = append(out, sp.finding(ev.PersonID, ev.Time, 1, key+":asn", ev.SessionID, expl, s.events...))
	}
	if newUA && len(s.agents) >= 2 && !s.uaDone {
		s.uaDone = true
		expl := fmt.Sprintf("Session %s was used from %d different user agents, the latest %q.", ev.SessionID, len(s.agents), ev.UserAgent)
		out = append(out, specSessionUA.finding(ev.PersonID, ev.Time, 1, key+":ua", ev.SessionID, expl, s.events...))
	}
	if d.opts.MaxAge > 0 && s.last.Sub(s.first) > d.opts.MaxAge && !s.ok {
		s.ok = true
		expl := fmt.Sprintf("Session %s has been in use for %s, longer than the %s policy.", ev.SessionID, durationText(s.last.Sub(s.first)), durationText(d.opts.MaxAge))
		out = append(out, specSessionAge.finding(ev.PersonID, ev.Time, 1, key+":age", ev.SessionID, expl, s.events...))
	}
	return out
}

// session returns the person's session id, creating it and evicting the least recently
// used session when full.
func (d *SessionReplay) session(person, id string, t time.Time) *session {
	list := d.st[person]
	for _, s := range list {
		if s.id == id {
			return s
		}
	}
	s := &session{id: id, first: t, last: t}
	if len(list) < d.opts.MaxSessions {
		d.st[person] = append(list, s)
		return s
	}
	oldest := 0
	for i, x := range list {
		if x.last.Before(list[oldest].last) {
			oldest = i
		}
	}
	list[oldest] = s
	return s
}

// addDim adds v to a bounded set and reports whether it was new.
func addDim[T comparable](set *[]T, v T) bool {
	if slices.Contains(*set, v) {
		return false
	}
	if len(*set) >= sessionDims {
		return false
	}
	*set = append(*set, v)
	return true
}

func asList(asns []uint) string {
	parts := make([]string, len(asns))
	for i, a := range asns {
		parts[i] = fmt.Sprintf("AS%d", a)
	}
	return strings.Join(parts, ", ")
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Forget implements Forgetter.
func (d *SessionReplay) Forget(person string) {
	delete(d.st, person)
}
