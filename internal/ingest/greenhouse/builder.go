package greenhouse

import (
	"strconv"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// builder collects one event's fields from the parts of a record.
type builder struct {
	action string
	actor  string
	target string
	times  []time.Time // candidates for the event time, most specific first
	m      map[string]string
}

func (b *builder) put(k, v string) {
	if v != "" {
		b.m[k] = v
	}
}

func (b *builder) when(ts ...ingest.Time) {
	for _, t := range ts {
		if !t.IsZero() {
			b.times = append(b.times, t.Time)
		}
	}
}

func (b *builder) event(now func() time.Time) *unmask.Event {
	e := &unmask.Event{Kind: unmask.KindApplication, Action: b.action, Actor: b.actor, Target: b.target, Fields: b.m}
	if len(b.times) > 0 {
		e.Time = b.times[0]
	} else {
		e.Time = now().UTC()
		b.m["time_source"] = "observed"
	}
	return e
}

func (b *builder) list(prefix string, vs []valueType) {
	for i, v := range vs {
		b.put(prefix+"."+strconv.Itoa(i), string(v.Value))
		b.put(prefix+"."+strconv.Itoa(i)+".type", v.Type)
	}
}

func (b *builder) attachments(as []attachment) {
	for i, a := range as {
		p := "attachment." + strconv.Itoa(i) + "."
		b.put(p+"filename", a.Filename)
		b.put(p+"type", a.Type)
		b.put(p+"url", a.URL)
	}
}

func (b *builder) candidate(c *candidate) {
	b.put("candidate_id", string(c.ID))
	b.put("first_name", c.FirstName)
	b.put("last_name", c.LastName)
	b.put("company", c.Company)
	b.put("title", c.Title)
	b.put("photo_url", c.PhotoURL)
	b.list("email", c.Emails)
	b.list("phone", c.Phones)
	b.list("address", c.Addresses)
	b.list("website", c.Websites)
	b.list("social", c.Social)
	b.attachments(c.Attachments)
	for i, e := range c.Educations {
		p := "education." + strconv.Itoa(i) + "."
		b.put(p+"school_name", string(e.SchoolName))
		b.put(p+"degree", string(e.Degree))
		b.put(p+"discipline", string(e.Discipline))
	}
	for i, e := range c.Employments {
		p := "employment." + strconv.Itoa(i) + "."
		b.put(p+"company_name", string(e.CompanyName))
		b.put(p+"title", string(e.Title))
	}
	if c.Recruiter != nil {
		b.put("recruiter", c.Recruiter.Name)
	}
	ids := c.ApplicationIDs
	for _, a := range c.Applications {
		ids = append(ids, a.ID)
	}
	for i, id := range ids {
		b.put("application_ids."+strconv.Itoa(i), string(id))
	}
	if len(c.Emails) > 0 && b.actor == "" {
		b.actor = string(c.Emails[0].Value)
	}
	if len(c.Applications) > 0 && b.target == "" {
		b.application(&c.Applications[0])
	}
	b.when(c.UpdatedAt, c.LastActivity, c.CreatedAt)
}

func (b *builder) application(a *application) {
	b.put("application_id", string(a.ID))
	b.put("candidate_id", string(a.CandidateID))
	b.put("prospect", string(a.Prospect))
	b.put("status", a.Status)
	if a.Location != nil {
		b.put("location", a.Location.Address)
	}
	if a.Source != nil {
		b.put("source", first(a.Source.PublicName, a.Source.Name))
	}
	if a.CreditedTo != nil {
		b.put("credited_to", a.CreditedTo.Name)
	}
	if a.CurrentStage != nil {
		b.put("stage", a.CurrentStage.Name)
	}
	jobs := a.Jobs
	if a.Job != nil {
		jobs = append(jobs, *a.Job)
	}
	for i, j := range jobs {
		b.put("job."+strconv.Itoa(i), j.Name)
	}
	if len(jobs) > 0 && b.target == "" {
		b.target = jobs[0].Name
	}
	for i, an := range a.Answers {
		p := "answer." + strconv.Itoa(i) + "."
		b.put(p+"question", string(an.Question))
		b.put(p+"answer", string(an.Answer))
	}
	b.attachments(a.Attachments)
	if a.Offer != nil {
		b.offer(a.Offer)
	}
	if a.Candidate != nil {
		b.candidate(a.Candidate)
	}
	b.when(a.LastActivityAt, a.AppliedAt)
}

func (b *builder) offer(o *offer) {
	b.put("offer.id", string(o.ID))
	b.put("offer.version", string(o.Version))
	b.put("offer.status", o.Status)
	b.put("application_id", string(o.ApplicationID))
	b.put("candidate_id", string(o.CandidateID))
	b.put("offer.job_id", string(o.JobID))
	for k, t := range map[string]ingest.Time{"offer.starts_at": o.StartsAt, "offer.sent_at": o.SentAt, "offer.resolved_at": o.ResolvedAt} {
		if !t.IsZero() {
			b.m[k] = t.Format(time.RFC3339)
		}
	}
	b.when(o.ResolvedAt, o.UpdatedAt, o.CreatedAt)
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
