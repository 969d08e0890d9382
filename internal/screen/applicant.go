package screen

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/unmask/unmask"
)

// MaxApplicantBytes caps a screening request.
const MaxApplicantBytes = 1 << 20

// greenhouseCandidate is the part of a Greenhouse Harvest candidate screening reads.
type greenhouseCandidate struct {
	FirstName string   `json:"first_name"`
	LastName  string   `json:"last_name"`
	Emails    []valued `json:"email_addresses"`
	Phones    []valued `json:"phone_numbers"`
	Addresses []valued `json:"addresses"`
	Websites  []valued `json:"website_addresses"`
	Social    []valued `json:"social_media_addresses"`
}

type valued struct {
	Value string `json:"value"`
}

func values(vs []valued) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if s := strings.TrimSpace(v.Value); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ParseApplicant reads a screening request: a Greenhouse Harvest candidate, a Greenhouse
// webhook whose payload holds one (payload.candidate or payload.application.candidate), or
// an Applicant.
func ParseApplicant(raw []byte) (Applicant, error) {
	if len(raw) > MaxApplicantBytes {
		return Applicant{}, unmask.Errorf(unmask.ETOOLARGE, "Applicant over %d bytes.", MaxApplicantBytes)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return Applicant{}, unmask.Errorf(unmask.EINVALID, "Applicant is not a JSON object: %v.", err)
	}
	if p, ok := probe["payload"]; ok {
		var hook struct {
			Candidate   json.RawMessage `json:"candidate"`
			Application struct {
				Candidate json.RawMessage `json:"candidate"`
			} `json:"application"`
		}
		if err := json.Unmarshal(p, &hook); err == nil {
			if len(hook.Candidate) > 0 {
				return ParseApplicant(hook.Candidate)
			}
			if len(hook.Application.Candidate) > 0 {
				return ParseApplicant(hook.Application.Candidate)
			}
		}
		return Applicant{}, unmask.Errorf(unmask.EINVALID, "Webhook payload holds no candidate.")
	}
	if _, gh := probe["email_addresses"]; gh || probe["first_name"] != nil {
		var c greenhouseCandidate
		if err := json.Unmarshal(raw, &c); err != nil {
			return Applicant{}, unmask.Errorf(unmask.EINVALID, "Not a Greenhouse candidate: %v.", err)
		}
		return Applicant{
			Name:   strings.TrimSpace(c.FirstName + " " + c.LastName),
			Emails: values(c.Emails), Phones: values(c.Phones), Addresses: values(c.Addresses),
			Links: append(values(c.Websites), values(c.Social)...),
		}, nil
	}
	var a Applicant
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return Applicant{}, unmask.Errorf(unmask.EINVALID, "Not an applicant: %v.", err)
	}
	return a, nil
}
