// Package google decodes Google Workspace Admin SDK Reports API activities (login, drive,
// devices, admin and any other application): activities.list pages (items[]) and one
// activity per line. Each entry of an activity's events[] becomes one Event, its
// parameters flattened into Fields.
package google

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Google Workspace events.
const Source = "google"

// Format decodes Google Workspace Reports activities.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord, Wrappers: [][]string{{"items"}}}}
}

// Source returns "google".
func (f *Format) Source() string { return Source }

// Decode reads activities from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, decodeRecord)
}

type parameter struct {
	Name          string          `json:"name"`
	Value         json.RawMessage `json:"value"`
	IntValue      ingest.Text     `json:"intValue"`
	BoolValue     ingest.Text     `json:"boolValue"`
	MultiValue    []ingest.Text   `json:"multiValue"`
	MultiIntValue []ingest.Text   `json:"multiIntValue"`
	MessageValue  json.RawMessage `json:"messageValue"`
	MultiMessage  json.RawMessage `json:"multiMessageValue"`
}

// text returns the parameter's value, whichever field holds it.
func (p *parameter) text() string {
	switch {
	case len(p.Value) > 0 && p.Value[0] == '[':
		var vs []ingest.Text
		if json.Unmarshal(p.Value, &vs) == nil {
			return join(vs)
		}
		return ingest.JSONText(p.Value)
	case p.Value != nil:
		return ingest.JSONText(p.Value)
	case p.IntValue != "":
		return string(p.IntValue)
	case p.BoolValue != "":
		return string(p.BoolValue)
	case p.MultiValue != nil:
		return join(p.MultiValue)
	case p.MultiIntValue != nil:
		return join(p.MultiIntValue)
	case p.MessageValue != nil:
		return ingest.JSONText(p.MessageValue)
	}
	return ingest.JSONText(p.MultiMessage)
}

func join(vs []ingest.Text) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(string(v))
	}
	return b.String()
}

type event struct {
	Type       string      `json:"type"`
	Name       string      `json:"name"`
	Parameters []parameter `json:"parameters"`
}

// events is an activity's events[]; some exports flatten a single event to an object.
type events []event

// UnmarshalJSON implements json.Unmarshaler.
func (es *events) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		*es = make(events, 1)
		return json.Unmarshal(b, &(*es)[0])
	}
	return json.Unmarshal(b, (*[]event)(es))
}

// activity is one Reports API activity resource.
type activity struct {
	Kind string `json:"kind"`
	ID   struct {
		Time            ingest.Time `json:"time"`
		ApplicationName string      `json:"applicationName"`
		UniqueQualifier ingest.Text `json:"uniqueQualifier"`
	} `json:"id"`
	Actor struct {
		CallerType string      `json:"callerType"`
		Email      string      `json:"email"`
		ProfileID  ingest.Text `json:"profileId"`
		Key        string      `json:"key"`
		AppInfo    *struct {
			OAuthClientID   string      `json:"oauthClientId"`
			ApplicationName string      `json:"applicationName"`
			Impersonation   ingest.Text `json:"impersonation"`
		} `json:"applicationInfo"`
	} `json:"actor"`
	OwnerDomain string `json:"ownerDomain"`
	IPAddress   string `json:"ipAddress"`
	Events      events `json:"events"`
}

func decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var a activity
	if err := json.Unmarshal(raw, &a); err != nil {
		return dst, fmt.Errorf("decode google activity: %w", err)
	}
	if a.Kind == "admin#reports#activities" && len(a.Events) == 0 {
		return dst, nil // a page envelope without items: nothing to ingest
	}
	if len(a.Events) == 0 {
		return dst, fmt.Errorf("decode google activity: events missing")
	}
	for i := range a.Events {
		dst = append(dst, toEvent(&a, &a.Events[i]))
	}
	return dst, nil
}

func toEvent(a *activity, ev *event) *unmask.Event {
	app := a.ID.ApplicationName
	e := &unmask.Event{Time: a.ID.Time.Time, Action: ev.Name, Actor: first(a.Actor.Email, a.Actor.Key, string(a.Actor.ProfileID)),
		SourceIP: a.IPAddress}
	e.Kind, e.Outcome = Kind(app, ev.Name)
	m := make(map[string]string, len(ev.Parameters)+8)
	for i := range ev.Parameters {
		p := &ev.Parameters[i]
		if v := p.text(); v != "" && p.Name != "" {
			m[p.Name] = v
		}
	}
	put(m, "applicationName", app)
	put(m, "eventName", ev.Name)
	put(m, "eventType", ev.Type)
	put(m, "callerType", a.Actor.CallerType)
	put(m, "ownerDomain", a.OwnerDomain)
	put(m, "uniqueQualifier", string(a.ID.UniqueQualifier))
	if ai := a.Actor.AppInfo; ai != nil {
		put(m, "applicationInfo.oauthClientId", ai.OAuthClientID)
		put(m, "applicationInfo.applicationName", ai.ApplicationName)
		put(m, "applicationInfo.impersonation", string(ai.Impersonation))
	}
	e.Fields = m
	e.Target = first(m["doc_title"], m["doc_id"], m["affected_email_address"], m["USER_EMAIL"], m["target_user"])
	e.DeviceID, e.Serial = m["DEVICE_ID"], m["SERIAL_NUMBER"]
	return e
}

// Kind maps an application and event name to an event kind and outcome.
func Kind(app, name string) (unmask.EventKind, string) {
	switch app {
	case "login":
		switch {
		case name == "login_success":
			return unmask.KindSignIn, unmask.OutcomeSuccess
		case name == "login_failure":
			return unmask.KindSignIn, unmask.OutcomeFailure
		case strings.HasPrefix(name, "suspicious_login"):
			return unmask.KindSignIn, ""
		case name == "logout":
			return unmask.KindSignOut, ""
		case name == "login_challenge", name == "login_verification", strings.HasPrefix(name, "2sv_"),
			strings.HasPrefix(name, "titanium_"), strings.HasPrefix(name, "passkey_"):
			return unmask.KindMFA, ""
		}
	case "drive":
		return unmask.KindFileShare, ""
	case "admin":
		return unmask.KindAdmin, ""
	}
	return unmask.KindOther, ""
}

func put(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
