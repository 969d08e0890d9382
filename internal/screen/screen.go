// Package screen checks applicants and people against everything Unmask knows: identifiers
// they share with other people under other names (H-02, O-02, O-03, O-07), VoIP and
// foreign phones (H-01, H-19), and threat-intelligence indicators (H-03). It answers an
// ad-hoc screening request (an ATS candidate that is not stored) with a score, a band and
// reasons a recruiter understands, and it runs as a detector on stored HR and ATS records
// so that every new application is screened automatically.
//
// Evidence names other people and shared identifiers only in masked form.
package screen

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/identifiers"
	"github.com/unmask/unmask/internal/identity"
	"github.com/unmask/unmask/internal/ioc"
	"github.com/unmask/unmask/internal/risk"
)

// Store is what screening reads.
type Store interface {
	FindIdentifiers(ctx context.Context, f unmask.IdentifierFilter) ([]*unmask.Identifier, int, error)
	FindPersonByID(ctx context.Context, id string) (*unmask.Person, error)
	FindIndicators(ctx context.Context, f unmask.IndicatorFilter) ([]*unmask.Indicator, int, error)
	FindEvents(ctx context.Context, f unmask.EventFilter) ([]*unmask.Event, int, error)
}

// Options configures a Screener.
type Options struct {
	Store    Store
	Builder  *identifiers.Builder
	Hasher   identifiers.Hasher
	Risk     *risk.Config // nil: risk.DefaultConfig
	Identity identity.Options
	Now      func() time.Time
	// MaxHolders caps the other people loaded per shared identifier; 0 means 50.
	MaxHolders int
}

// Screener screens applicants and people.
type Screener struct {
	opts    Options
	checker identity.Checker
	risk    risk.Config
}

// New returns a Screener.
func New(opts Options) *Screener {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxHolders <= 0 {
		opts.MaxHolders = 50
	}
	cfg := risk.DefaultConfig()
	if opts.Risk != nil {
		cfg = opts.Risk.Clone()
	}
	if opts.Identity.Now == nil {
		opts.Identity.Now = opts.Now
	}
	return &Screener{opts: opts, checker: identity.Checker{Now: opts.Now}, risk: cfg}
}

// Applicant is a candidate to screen, as an ATS or a person record describes them.
type Applicant struct {
	Name      string   `json:"name"`
	Country   string   `json:"country,omitempty"` // claimed residence, ISO 3166-1 alpha-2
	Emails    []string `json:"emails,omitempty"`
	Phones    []string `json:"phones,omitempty"`
	Addresses []string `json:"addresses,omitempty"`
	Links     []string `json:"links,omitempty"` // GitHub, LinkedIn, portfolio URLs
	GitHub    string   `json:"github,omitempty"`
}

// Evidence is one other person an identifier is shared with.
type Evidence struct {
	PersonID   string                `json:"person_id"`
	Name       string                `json:"name"`
	Kind       unmask.PersonKind     `json:"kind"`
	Identifier unmask.IdentifierKind `json:"identifier"`
	Display    string                `json:"display"` // masked
}

// Reason is one finding of a screening.
type Reason struct {
	Indicator   string     `json:"indicator"`
	Points      float64    `json:"points"`
	Explanation string     `json:"explanation"`
	Evidence    []Evidence `json:"evidence,omitempty"`
}

// Result is the answer to a screening.
type Result struct {
	Score   float64         `json:"score"`
	Band    unmask.RiskBand `json:"band"`
	Reasons []Reason        `json:"reasons"`
	Signals []unmask.Signal `json:"-"`
}

// candidateID is the person id an ad-hoc applicant gets during screening.
const candidateID = "screening-candidate"

// ScreenApplicant screens a candidate who is not stored.
func (s *Screener) ScreenApplicant(ctx context.Context, a Applicant) (*Result, error) {
	if strings.TrimSpace(a.Name) == "" && len(a.Emails) == 0 && len(a.Phones) == 0 {
		return nil, unmask.Errorf(unmask.EINVALID, "An applicant needs a name and at least one e-mail or phone.")
	}
	p := &unmask.Person{ID: candidateID, DisplayName: a.Name, Kind: unmask.PersonApplicant, Status: unmask.StatusApplied,
		Location: unmask.Location{Country: strings.ToUpper(a.Country)}}
	sigs, evidence, err := s.screen(ctx, p, s.applicantIdentifiers(a))
	if err != nil {
		return nil, err
	}
	sigs = append(sigs, s.phoneSignals(p, a.Phones)...)
	return s.result(p, sigs, evidence), nil
}

// applicantIdentifiers normalises an applicant's contact details.
func (s *Screener) applicantIdentifiers(a Applicant) []*unmask.Identifier {
	b := s.opts.Builder
	var ids []*unmask.Identifier
	for _, v := range a.Emails {
		ids = append(ids, b.Email(candidateID, v, "screen"))
	}
	for _, v := range a.Phones {
		ids = append(ids, b.Phone(candidateID, v, regionOr(a.Country), "screen"))
	}
	for _, v := range a.Addresses {
		ids = append(ids, b.Address(candidateID, unmask.IdentAddress, v, "screen")...)
	}
	for _, v := range a.Links {
		ids = append(ids, b.Link(candidateID, v, "screen"))
	}
	if a.GitHub != "" {
		ids = append(ids, b.GitHub(candidateID, a.GitHub, "screen"))
	}
	return identifiers.Compact(ids...)
}

func regionOr(c string) string {
	if c == "" {
		return "US"
	}
	return strings.ToUpper(c)
}

// phoneSignals runs the phone checks for an applicant's numbers.
func (s *Screener) phoneSignals(p *unmask.Person, phones []string) []unmask.Signal {
	var out []unmask.Signal
	for _, raw := range phones {
		ph, err := contact.ParsePhone(raw, regionOr(p.Location.Country))
		if err != nil {
			continue
		}
		out = append(out, s.checker.PhoneSignals(identity.PhoneFacts{PersonID: p.ID, Time: s.opts.Now(), Phone: ph, ResidenceCountry: p.Location.Country})...)
	}
	return out
}

// ScreenPerson screens a stored person with the identifiers the store holds for them and
// returns the signals about them.
func (s *Screener) ScreenPerson(ctx context.Context, personID string) ([]unmask.Signal, error) {
	p, err := s.opts.Store.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, err
	}
	ids, _, err := s.opts.Store.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &personID, Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return nil, err
	}
	sigs, _, err := s.screen(ctx, p, ids)
	return sigs, err
}

// screen finds who else holds p's identifiers and returns the signals about p, with the
// evidence of each shared identifier.
func (s *Screener) screen(ctx context.Context, p *unmask.Person, ids []*unmask.Identifier) ([]unmask.Signal, map[string][]Evidence, error) {
	g := identity.NewGraph(s.opts.Identity)
	g.AddPerson(p)
	people := map[string]*unmask.Person{p.ID: p}
	evidence := map[string][]Evidence{}
	for _, id := range ids {
		g.AddIdent(identity.Ident{PersonID: p.ID, Kind: id.Kind, Key: id.Hash, Display: id.Display, Seen: id.CreatedAt})
		holders, _, err := s.opts.Store.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &id.Kind, Hash: &id.Hash, Page: unmask.Page{Limit: s.opts.MaxHolders}})
		if err != nil {
			return nil, nil, err
		}
		for _, h := range holders {
			if h.PersonID == p.ID {
				continue
			}
			other := people[h.PersonID]
			if other == nil {
				if other, err = s.opts.Store.FindPersonByID(ctx, h.PersonID); err != nil {
					return nil, nil, err
				}
				people[h.PersonID] = other
				g.AddPerson(other)
			}
			g.AddIdent(identity.Ident{PersonID: h.PersonID, Kind: h.Kind, Key: h.Hash, Display: h.Display, Seen: h.CreatedAt})
			evidence[string(id.Kind)+"|"+id.Hash] = append(evidence[string(id.Kind)+"|"+id.Hash],
				Evidence{PersonID: other.ID, Name: other.DisplayName, Kind: other.Kind, Identifier: h.Kind, Display: h.Display})
		}
	}
	var mine []unmask.Signal
	for _, sg := range g.SharedSignals() {
		if sg.PersonID == p.ID {
			mine = append(mine, sg)
		}
	}
	iocs, err := s.iocSignals(ctx, p, ids)
	if err != nil {
		return nil, nil, err
	}
	return append(mine, iocs...), evidence, nil
}

// iocSignals matches identifiers against the stored threat-intelligence indicators: e-mails,
// phones and GitHub logins by value, and e-mails also by their domain.
func (s *Screener) iocSignals(ctx context.Context, p *unmask.Person, ids []*unmask.Identifier) ([]unmask.Signal, error) {
	var obs []ioc.Observed
	types := map[unmask.IndicatorType]bool{}
	for _, id := range ids {
		t, ok := iocType[id.Kind]
		if !ok {
			continue
		}
		// Indicators are stored normalised; sensitive identifiers carry only their hash, so
		// they meet indicators through the same keyed hash.
		key, value := id.Value, id.Value
		if id.Kind.Sensitive() {
			key = id.Hash
		}
		if id.Kind == unmask.IdentEmail && value == "" {
			// The masked form keeps the domain in the clear, which is all the matcher
			// reads from an e-mail's value (to match domain indicators).
			value = id.Display
			types[unmask.IOCDomain] = true
		}
		types[t] = true
		obs = append(obs, ioc.Observed{PersonID: p.ID, Type: t, Key: key, Value: value, Display: id.Display})
	}
	if len(obs) == 0 {
		return nil, nil
	}
	var inds []unmask.Indicator
	for t := range types {
		for off := 0; ; off += unmask.MaxLimit {
			found, _, err := s.opts.Store.FindIndicators(ctx, unmask.IndicatorFilter{Type: &t, Page: unmask.Page{Offset: off, Limit: unmask.MaxLimit}})
			if err != nil {
				return nil, err
			}
			for _, in := range found {
				inds = append(inds, *in)
			}
			if len(found) < unmask.MaxLimit {
				break
			}
		}
	}
	if len(inds) == 0 {
		return nil, nil
	}
	m := ioc.NewMatcher(inds, ioc.MatcherOptions{Now: s.opts.Now, Key: s.indicatorKey})
	return m.Signals(obs), nil
}

// indicatorKey returns the key an indicator value meets identifiers by: the keyed hash
// of a sensitive value, or the hash itself when a confirmed-fraud case published the
// identifier as one (internal/casework never publishes the clear value).
func (s *Screener) indicatorKey(t unmask.IndicatorType, v string) string {
	k, ok := kindOf[t]
	if !ok || !k.Sensitive() {
		return v
	}
	if kind, hash, ok := casework.ParseHashedValue(v); ok {
		if kind != k {
			return "" // a hash of another kind can never match
		}
		return hash
	}
	return s.opts.Hasher.Hash(k, v)
}

// iocType maps identifier kinds to the indicator types they can match.
var iocType = map[unmask.IdentifierKind]unmask.IndicatorType{
	unmask.IdentEmail:       unmask.IOCEmail,
	unmask.IdentPhone:       unmask.IOCPhone,
	unmask.IdentGitHubLogin: unmask.IOCGitHubLogin,
}

// kindOf maps indicator types back to identifier kinds.
var kindOf = map[unmask.IndicatorType]unmask.IdentifierKind{
	unmask.IOCEmail:       unmask.IdentEmail,
	unmask.IOCPhone:       unmask.IdentPhone,
	unmask.IOCGitHubLogin: unmask.IdentGitHubLogin,
}

// result scores an applicant's signals and explains them.
func (s *Screener) result(p *unmask.Person, sigs []unmask.Signal, evidence map[string][]Evidence) *Result {
	for i := range sigs {
		if sigs[i].ID == "" {
			sigs[i].ID = sigs[i].Detector + "|" + sigs[i].Key
		}
	}
	score := risk.Score(s.risk, risk.Subject{PersonID: p.ID}, sigs, s.opts.Now())
	res := &Result{Score: score.Score, Band: score.Band, Signals: sigs}
	for _, r := range score.Reasons {
		reason := Reason{Indicator: r.Indicator, Points: r.Points, Explanation: r.Explanation}
		for _, sg := range sigs {
			if slices.Contains(r.SignalIDs, sg.ID) {
				reason.Evidence = append(reason.Evidence, evidenceOf(sg, evidence)...)
			}
		}
		res.Reasons = append(res.Reasons, reason)
	}
	return res
}

// evidenceOf returns the other people behind a shared-identifier signal.
func evidenceOf(sg unmask.Signal, evidence map[string][]Evidence) []Evidence {
	var out []Evidence
	for key, ev := range evidence {
		if strings.Contains(sg.Key, key[strings.IndexByte(key, '|')+1:]) {
			out = append(out, ev...)
		}
	}
	slices.SortFunc(out, func(a, b Evidence) int { return strings.Compare(a.PersonID, b.PersonID) })
	return slices.CompactFunc(out, func(a, b Evidence) bool { return a.PersonID == b.PersonID && a.Identifier == b.Identifier })
}
