// Package lever decodes Lever ATS records into Kind application events that carry the
// candidate's identifiers (e-mails, phones, links, location, sources) in Fields: Lever
// API pages ({"data": [...], "hasNext": ...}) and exports whose records are wrapped as
// {"stream": ..., "data": {...}} (Airbyte). Opportunities, applications, interviews,
// offers, referrals and notes are recognised by their keys; Lever users (the hiring team)
// become Kind other.
package lever

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Lever events.
const Source = "lever"

// Format decodes Lever records.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord, Wrappers: [][]string{{"data"}}}}
}

// Source returns "lever".
func (f *Format) Source() string { return Source }

// Decode reads Lever records from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, decodeRecord)
}

type phone struct {
	Type  string      `json:"type"`
	Value ingest.Text `json:"value"`
}

type person struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// record is the union of the Lever objects Unmask reads; their keys do not clash.
type record struct {
	ID            string          `json:"id"`
	Name          ingest.Text     `json:"name"`
	Contact       *string         `json:"contact"`
	Headline      ingest.Text     `json:"headline"`
	Location      ingest.Text     `json:"location"`
	Emails        []ingest.Text   `json:"emails"`
	Phones        []phone         `json:"phones"`
	Links         []ingest.Text   `json:"links"`
	Sources       []ingest.Text   `json:"sources"`
	Origin        string          `json:"origin"`
	Stage         ingest.Text     `json:"stage"`
	Applications  []ingest.Text   `json:"applications"`
	Archived      *archived       `json:"archived"`
	OpportunityID *string         `json:"opportunityId"`
	CandidateID   string          `json:"candidateId"`
	Posting       ingest.Text     `json:"posting"`
	Type          string          `json:"type"`
	Email         ingest.Text     `json:"email"`
	Phone         json.RawMessage `json:"phone"`
	Interviewers  []person        `json:"interviewers"`
	Subject       string          `json:"subject"`
	Timezone      string          `json:"timezone"`
	Signatures    *signatures     `json:"signatures"`
	Status        string          `json:"status"`
	Referrer      *string         `json:"referrer"`
	Secret        json.RawMessage `json:"secret"`
	AccessRole    *string         `json:"accessRole"`
	Username      string          `json:"username"`
	CreatedAt     ingest.Time     `json:"createdAt"`
	UpdatedAt     ingest.Time     `json:"updatedAt"`
	Date          ingest.Time     `json:"date"`
	CompletedAt   ingest.Time     `json:"completedAt"`
	SentAt        ingest.Time     `json:"sentAt"`
}

type signatures struct {
	Candidate struct {
		Name  ingest.Text `json:"name"`
		Email ingest.Text `json:"email"`
	} `json:"candidate"`
}

type archived struct {
	Reason     string      `json:"reason"`
	ArchivedAt ingest.Time `json:"archivedAt"`
}

var errShape = errors.New("not a Lever opportunity, application, interview, offer, referral, note or user")

func decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var r record
	if err := json.Unmarshal(raw, &r); err != nil {
		return dst, fmt.Errorf("decode lever record: %w", err)
	}
	action := kindOf(&r)
	if action == "" {
		return dst, fmt.Errorf("decode lever record: %w", errShape)
	}
	e := &unmask.Event{Kind: unmask.KindApplication, Action: action, Time: firstTime(r.UpdatedAt, r.CreatedAt, r.Date, r.CompletedAt).Time}
	if action == "user" {
		e.Kind = unmask.KindOther
	}
	e.Fields = fields(&r, action)
	switch {
	case len(r.Emails) > 0:
		e.Actor = string(r.Emails[0])
	case r.Signatures != nil:
		e.Actor = string(r.Signatures.Candidate.Email)
	default:
		e.Actor = string(r.Email)
	}
	e.Target = first(string(r.Posting), r.Subject, string(r.Headline))
	return append(dst, e), nil
}

// kindOf names the Lever object r is, from its keys, or "" if none.
func kindOf(r *record) string {
	switch {
	case r.AccessRole != nil:
		return "user"
	case r.Interviewers != nil:
		return "interview"
	case r.Signatures != nil:
		return "offer"
	case r.Referrer != nil:
		return "referral"
	case r.OpportunityID != nil || r.CandidateID != "":
		return "application"
	case r.Contact != nil || r.Emails != nil:
		return "opportunity"
	case r.Secret != nil:
		return "note"
	}
	return ""
}

func fields(r *record, action string) map[string]string {
	m := make(map[string]string, 24)
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put(action+"_id", r.ID)
	put("name", string(r.Name))
	if r.Contact != nil {
		put("contact", *r.Contact)
	}
	put("headline", string(r.Headline))
	put("location", string(r.Location))
	put("origin", r.Origin)
	put("stage", string(r.Stage))
	put("opportunity_id", deref(r.OpportunityID))
	put("candidate_id", r.CandidateID)
	put("posting", string(r.Posting))
	put("type", r.Type)
	put("email", string(r.Email))
	put("phone", ingest.JSONText(r.Phone))
	put("subject", r.Subject)
	put("timezone", r.Timezone)
	put("status", r.Status)
	put("referrer", deref(r.Referrer))
	put("access_role", deref(r.AccessRole))
	put("username", r.Username)
	list(m, "email", r.Emails)
	list(m, "link", r.Links)
	list(m, "source", r.Sources)
	list(m, "application", r.Applications)
	for i, p := range r.Phones {
		put("phone."+strconv.Itoa(i), string(p.Value))
		put("phone."+strconv.Itoa(i)+".type", p.Type)
	}
	for i, p := range r.Interviewers {
		put("interviewer."+strconv.Itoa(i), first(p.Email, p.Name))
	}
	if a := r.Archived; a != nil {
		put("archived_reason", a.Reason)
		if !a.ArchivedAt.IsZero() {
			m["archived_at"] = a.ArchivedAt.Format("2006-01-02T15:04:05.999Z07:00")
		}
	}
	return m
}

func list(m map[string]string, prefix string, vs []ingest.Text) {
	for i, v := range vs {
		if v != "" {
			m[prefix+"."+strconv.Itoa(i)] = string(v)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func firstTime(ts ...ingest.Time) (t ingest.Time) {
	for _, v := range ts {
		if !v.IsZero() {
			return v
		}
	}
	return t
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
