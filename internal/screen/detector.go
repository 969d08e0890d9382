package screen

import (
	"context"
	"slices"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/identity"
)

// Detector screens the person an HR or ATS record describes each time such a record adds
// identifiers, so that reuse shows the moment an application or HR change arrives.
type Detector struct{ s *Screener }

// Detector returns the screener as an event detector.
func (s *Screener) Detector() Detector { return Detector{s} }

// Name returns "screen".
func (d Detector) Name() string { return "screen" }

// screened lists the record types that carry identifiers.
var screened = map[string]bool{
	"greenhouse/candidate": true, "greenhouse/application": true, "greenhouse/hire_candidate": true,
	"greenhouse/application_updated": true, "greenhouse/candidate_hired": true,
	"greenhouse/new_candidate_application": true, "greenhouse/candidate_stage_change": true,
	"greenhouse/new_prospect_application": true, "greenhouse/prospect_created": true, "lever/opportunity": true,
	"hris/employees": true, "hris/address_change": true, "hris/ship_to_change": true,
	"hris/laptop_shipment": true, "hris/payroll_account_change": true, "hris/mfa_enrollment": true,
}

// Detect screens e's person when e is an identifier-bearing HR or ATS record.
func (d Detector) Detect(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	if e.PersonID != "" && e.Source == "hris" && e.Action == "interview_scorecard" {
		return d.scorecardSignals(ctx, e)
	}
	if e.PersonID == "" || !screened[e.Source+"/"+e.Action] {
		return nil, nil
	}
	sigs, err := d.s.ScreenPerson(ctx, e.PersonID)
	if err != nil {
		return nil, err
	}
	for i := range sigs {
		sigs[i].EventIDs = appendOnce(sigs[i].EventIDs, e.ID)
	}
	return append(sigs, d.phoneSignals(e)...), nil
}

// phoneSignals checks the phone numbers a record carries in the clear.
func (d Detector) phoneSignals(e *unmask.Event) []unmask.Signal {
	country := strings.ToUpper(e.Fields["country"])
	var out []unmask.Signal
	for k, v := range e.Fields {
		if k != "phone" && !(strings.HasPrefix(k, "phone.") && !strings.Contains(k[len("phone."):], ".")) {
			continue
		}
		ph, err := contact.ParsePhone(v, regionOr(country))
		if err != nil {
			continue
		}
		out = append(out, d.s.checker.PhoneSignals(identity.PhoneFacts{PersonID: e.PersonID, EventID: e.ID, Time: e.Time, Phone: ph, ResidenceCountry: country})...)
	}
	return out
}

func appendOnce(ids []string, id string) []string {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// scorecardSignals checks a person's interview scorecards, e and those stored before it,
// for camera refusal and identity concerns (H-11): one scorecard alone can say little
// more than that the camera was off, several say how often.
func (d Detector) scorecardSignals(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	source, kind := "hris", unmask.KindApplication
	stored, _, err := d.s.opts.Store.FindEvents(ctx, unmask.EventFilter{PersonID: &e.PersonID, Source: &source, Kind: &kind,
		Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return nil, err
	}
	cards := []identity.Scorecard{scorecardOf(e)}
	for _, x := range stored {
		if x.Action == "interview_scorecard" && x.ID != e.ID {
			cards = append(cards, scorecardOf(x))
		}
	}
	// Earlier cards' own signals were raised when they came; keep this card's and the
	// count over all of them.
	return slices.DeleteFunc(d.s.checker.ScorecardSignals(cards), func(s unmask.Signal) bool {
		return len(s.EventIDs) > 0 && !slices.Contains(s.EventIDs, e.ID)
	}), nil
}

// scorecardOf reads an HR CSV interview_scorecard event: camera_on and
// identity_concern, as the decoder normalised them.
func scorecardOf(e *unmask.Event) identity.Scorecard {
	sc := identity.Scorecard{PersonID: e.PersonID, InterviewID: e.Fields["scorecard_id"], EventID: e.ID, Time: e.Time,
		IdentityConcern: e.Fields["identity_concern"] == "true"}
	if v, ok := e.Fields["camera_on"]; ok {
		on := v == "true"
		sc.CameraOn = &on
	}
	return sc
}
