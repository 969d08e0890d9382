package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Message kinds.
const (
	KindAlert = "alert"
	KindRisk  = "risk"
	KindCase  = "case"
)

// Message is one notification. It carries IDs and reviewer-facing text only.
type Message struct {
	// ID identifies the message; retries of one message keep it, so receivers can dedupe.
	ID       string          `json:"id"`
	Time     time.Time       `json:"time"`
	Kind     string          `json:"kind"`
	Severity unmask.Severity `json:"severity"`
	Title    string          `json:"title"`
	Text     string          `json:"text,omitempty"`
	PersonID string          `json:"person_id,omitempty"`
	AlertID  string          `json:"alert_id,omitempty"`
	CaseID   string          `json:"case_id,omitempty"`
	// Concern is the alert's concern (an indicator ID or family).
	Concern string `json:"concern,omitempty"`
	// Link points at the item in the Unmask UI.
	Link string `json:"link,omitempty"`
}

// FromAlert returns the message announcing an alert; link may be empty.
func FromAlert(a *unmask.Alert, link string) Message {
	return Message{
		ID:       a.ID + "@" + a.UpdatedAt.UTC().Format("20060102T150405.000000000Z"),
		Time:     a.UpdatedAt,
		Kind:     KindAlert,
		Severity: a.Severity,
		Title:    a.Title,
		Text:     alertText(a),
		PersonID: a.PersonID,
		AlertID:  a.ID,
		CaseID:   a.CaseID,
		Concern:  a.Concern,
		Link:     link,
	}
}

func alertText(a *unmask.Alert) string {
	n := len(a.SignalIDs)
	plural := "s"
	if n == 1 {
		plural = ""
	}
	return fmt.Sprintf("%s alert on %s with %d signal%s, first seen %s, last seen %s.",
		a.Status, a.Concern, n, plural,
		a.FirstSeen.UTC().Format(time.RFC3339), a.LastSeen.UTC().Format(time.RFC3339))
}

// FromRiskScore returns the message announcing a person's risk score, with its three
// largest reasons as text; link may be empty.
func FromRiskScore(rs *unmask.RiskScore, link string) Message {
	var reasons []string
	for _, r := range rs.Reasons[:min(3, len(rs.Reasons))] {
		reasons = append(reasons, r.Explanation)
	}
	return Message{
		ID:       "risk-" + rs.PersonID + "@" + rs.ComputedAt.UTC().Format("20060102T150405.000000000Z"),
		Time:     rs.ComputedAt,
		Kind:     KindRisk,
		Severity: bandSeverity(rs.Band),
		Title:    fmt.Sprintf("Risk %s: score %.0f", rs.Band, rs.Score),
		Text:     strings.Join(reasons, " "),
		PersonID: rs.PersonID,
		Link:     link,
	}
}

// bandSeverity maps a risk band to the severity of its notification.
func bandSeverity(b unmask.RiskBand) unmask.Severity {
	switch b {
	case unmask.BandCritical:
		return unmask.SeverityCritical
	case unmask.BandHigh:
		return unmask.SeverityHigh
	case unmask.BandMedium:
		return unmask.SeverityMedium
	}
	return unmask.SeverityLow
}

// Validate reports whether m is complete enough to send.
func (m *Message) Validate() error {
	switch {
	case m.ID == "":
		return unmask.Errorf(unmask.EINVALID, "Notification ID required.")
	case m.Title == "":
		return unmask.Errorf(unmask.EINVALID, "Notification title required.")
	case m.Severity != "" && !m.Severity.Valid():
		return unmask.Errorf(unmask.EINVALID, "Notification severity %q is not valid.", m.Severity)
	}
	return nil
}

// Notifier delivers messages to one destination. Implementations are safe for concurrent
// use. An error wrapped with Permanent means retrying cannot help (a rejected request, a
// bad recipient); any other error may be retried.
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying; nil stays nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	_, ok := errors.AsType[*permanentError](err)
	return ok
}

// retryAfterError carries the delay a server asked for before the next try.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// retryAfter returns the delay err asks for, if any.
func retryAfter(err error) (time.Duration, bool) {
	if e, ok := errors.AsType[*retryAfterError](err); ok {
		return e.after, true
	}
	return 0, false
}
