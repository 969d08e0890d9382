// Package greenhouse decodes Greenhouse records into Kind application events that carry
// the candidate's identifiers (e-mails, phones, addresses, website and social URLs,
// attachments, education and employment) in Fields, for identity analytics: Harvest API
// candidates, applications and offers (arrays or single objects) and webhook deliveries
// (new_candidate_application, candidate_stage_change, hire_candidate, ...).
//
// Fields names: candidate_id, application_id, email.N, phone.N, address.N, website.N,
// social.N, attachment.N.{filename,type,url}, education.N.{school_name,degree},
// employment.N.{company_name,title}, job.N, source, status, stage, offer.*.
package greenhouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Greenhouse events.
const Source = "greenhouse"

// Options configures a Format.
type Options struct {
	MaxRecord int // 0: ingest.DefaultMaxRecord
	// Now dates records that carry no time of their own; nil means time.Now.
	Now func() time.Time
}

// Format decodes Greenhouse Harvest and webhook records.
type Format struct {
	opts ingest.JSONOptions
	now  func() time.Time
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format with opts.
func New(opts Options) *Format {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Format{now: opts.Now, opts: ingest.JSONOptions{MaxRecord: opts.MaxRecord}}
}

// Source returns "greenhouse".
func (f *Format) Source() string { return Source }

// Decode reads Greenhouse records from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, f.decodeRecord)
}

// probe tells the record types apart by their distinguishing keys.
type probe struct {
	Action        json.RawMessage `json:"action"`
	Payload       json.RawMessage `json:"payload"`
	FirstName     json.RawMessage `json:"first_name"`
	Emails        json.RawMessage `json:"email_addresses"`
	ApplicationID json.RawMessage `json:"application_id"`
	StartsAt      json.RawMessage `json:"starts_at"`
	CandidateID   json.RawMessage `json:"candidate_id"`
	AppliedAt     json.RawMessage `json:"applied_at"`
}

var errShape = errors.New("not a Greenhouse candidate, application, offer or webhook")

func (f *Format) decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var p probe
	if err := json.Unmarshal(raw, &p); err != nil {
		return dst, fmt.Errorf("decode greenhouse record: %w", err)
	}
	b := &builder{m: make(map[string]string, 32)}
	var err error
	switch {
	case p.Action != nil && p.Payload != nil:
		err = b.webhook(raw)
	case p.FirstName != nil || p.Emails != nil:
		err = b.candidateRecord(raw)
	case p.ApplicationID != nil && p.StartsAt != nil:
		err = b.offerRecord(raw)
	case p.CandidateID != nil || p.AppliedAt != nil:
		err = b.applicationRecord(raw)
	default:
		err = errShape
	}
	if err != nil {
		return dst, fmt.Errorf("decode greenhouse record: %w", err)
	}
	return append(dst, b.event(f.now)), nil
}

func (b *builder) webhook(raw []byte) error {
	var w webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return err
	}
	b.action = w.Action
	pl := &w.Payload
	if pl.Application == nil && pl.Candidate == nil && pl.Offer == nil {
		return errors.New("webhook payload holds no application, candidate or offer")
	}
	if pl.Offer != nil {
		b.offer(pl.Offer)
	}
	if pl.Application != nil {
		b.application(pl.Application)
	}
	if pl.Candidate != nil {
		b.candidate(pl.Candidate)
	}
	return nil
}

func (b *builder) candidateRecord(raw []byte) error {
	var c candidate
	if err := json.Unmarshal(raw, &c); err != nil {
		return err
	}
	b.action = "candidate"
	b.candidate(&c)
	return nil
}

func (b *builder) applicationRecord(raw []byte) error {
	var a application
	if err := json.Unmarshal(raw, &a); err != nil {
		return err
	}
	b.action = "application"
	b.application(&a)
	return nil
}

func (b *builder) offerRecord(raw []byte) error {
	var o offer
	if err := json.Unmarshal(raw, &o); err != nil {
		return err
	}
	b.action = "offer"
	b.offer(&o)
	return nil
}
