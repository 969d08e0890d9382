package identity

import (
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Scorecard is the structured part of one interview scorecard. Only observed behaviour is
// recorded: there is deliberately no field for accent, language or appearance.
type Scorecard struct {
	PersonID    string
	InterviewID string
	EventID     string
	Time        time.Time
	// CameraOn is whether the candidate's camera was on; nil if not recorded.
	CameraOn *bool
	// CameraExcuse: the candidate said the camera was broken or unavailable.
	CameraExcuse bool
	// MatchesID is whether the person on camera matched the ID document; nil if not checked.
	MatchesID *bool
	// IdentityChanged: a different person or voice appeared after a reconnect.
	IdentityChanged bool
	// IdentityConcern: the interviewer flagged a doubt about who the candidate is (the HR
	// CSV scorecard's identity_concern).
	IdentityConcern bool
	// ReadingAnswers: pauses and eye movements indicating answers were read.
	ReadingAnswers bool
	// HomeAreaUnknown: could not answer simple questions about the claimed home city.
	HomeAreaUnknown bool
	// CallCentreNoise: background suggesting many people on separate calls.
	CallCentreNoise bool
}

// ScorecardSignals turns interview scorecards into signals: camera refusal, a mismatch
// with the ID or a change of person mid-call (H-11), and interview behaviour (H-14). A
// candidate whose camera was off in at least half of two or more interviews also gets an
// H-11 signal.
func (c Checker) ScorecardSignals(cards []Scorecard) []unmask.Signal {
	var out []unmask.Signal
	off := make(map[string][2]int) // person → {camera off, recorded}
	for _, s := range cards {
		out = append(out, c.cardSignals(s)...)
		if s.CameraOn != nil {
			n := off[s.PersonID]
			if !*s.CameraOn {
				n[0]++
			}
			n[1]++
			off[s.PersonID] = n
		}
	}
	for _, s := range cards {
		n, ok := off[s.PersonID]
		if !ok || n[1] < 2 || 2*n[0] < n[1] {
			continue
		}
		out = append(out, c.signal(s.PersonID, "H-11", DetectorInterview, unmask.SeverityMedium, 0.4, s.Time, "",
			"interview:camera_ratio", fmt.Sprintf("Camera was off in %d of %d interviews.", n[0], n[1])))
		delete(off, s.PersonID)
	}
	return out
}

func (c Checker) cardSignals(s Scorecard) []unmask.Signal {
	var out []unmask.Signal
	add := func(ind string, sev unmask.Severity, w float64, what, text string) {
		out = append(out, c.signal(s.PersonID, ind, DetectorInterview, sev, w, s.Time, s.EventID,
			"interview:"+s.InterviewID+":"+what, text))
	}
	if s.IdentityChanged {
		add("H-11", unmask.SeverityHigh, 0.7, "identity_changed", "A different person or voice appeared during the interview.")
	}
	if s.IdentityConcern && !s.IdentityChanged {
		add("H-11", unmask.SeverityMedium, 0.5, "identity_concern", "The interviewer raised a concern about the candidate's identity.")
	}
	if s.MatchesID != nil && !*s.MatchesID {
		add("H-11", unmask.SeverityHigh, 0.7, "id_mismatch", "The person on camera did not match the identity document.")
	}
	if s.CameraExcuse || (s.CameraOn != nil && !*s.CameraOn) {
		add("H-11", unmask.SeverityLow, 0.2, "camera_off", "Candidate kept the camera off during the interview.")
	}
	var behaviour []string
	if s.ReadingAnswers {
		behaviour = append(behaviour, "appeared to read answers")
	}
	if s.HomeAreaUnknown {
		behaviour = append(behaviour, "could not describe the claimed home area")
	}
	if s.CallCentreNoise {
		behaviour = append(behaviour, "had call-centre background noise")
	}
	if len(behaviour) > 0 {
		add("H-14", unmask.SeverityLow, 0.1+0.1*float64(len(behaviour)), "behaviour",
			"Interviewer noted that the candidate "+strings.Join(behaviour, ", ")+".")
	}
	return out
}

// StepOutcome is what happened to one in-person or identity-verification step (in-person
// interview, drug test, notarised ID, on-site first day).
type StepOutcome struct {
	PersonID string
	Step     string
	// Outcome is "declined", "rescheduled" or "completed".
	Outcome string
	Time    time.Time
	EventID string
}

// AvoidanceSignals flags candidates who declined or rescheduled in-person or verification
// steps at least max times (H-15); max ≤ 0 means 2. A completed step clears earlier
// reschedules of the same step.
func (c Checker) AvoidanceSignals(steps []StepOutcome, max int) []unmask.Signal {
	if max <= 0 {
		max = 2
	}
	type tally struct {
		n      int
		last   StepOutcome
		events map[string]int
	}
	byPerson := make(map[string]*tally)
	var order []string
	for _, s := range steps {
		t := byPerson[s.PersonID]
		if t == nil {
			t = &tally{events: make(map[string]int)}
			byPerson[s.PersonID] = t
			order = append(order, s.PersonID)
		}
		switch s.Outcome {
		case "declined", "rescheduled":
			t.events[s.Step]++
			t.last = s
		case "completed":
			delete(t.events, s.Step)
		}
	}
	var out []unmask.Signal
	for _, p := range order {
		t := byPerson[p]
		t.n = 0
		for _, n := range t.events {
			t.n += n
		}
		if t.n < max {
			continue
		}
		out = append(out, c.signal(p, "H-15", DetectorInterview, unmask.SeverityMedium, min(0.2+0.1*float64(t.n), 0.6),
			t.last.Time, t.last.EventID, "interview:avoidance",
			fmt.Sprintf("Candidate declined or rescheduled in-person or verification steps %d times.", t.n)))
	}
	return out
}
