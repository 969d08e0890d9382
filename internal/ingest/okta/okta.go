// Package okta decodes the Okta System Log (LogEvent): /api/v1/logs responses (JSON
// arrays), NDJSON exports and event-hook deliveries (data.events[]).
package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Okta events.
const Source = "okta"

// Format decodes Okta System Log events.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord, Wrappers: [][]string{{"data", "events"}}}}
}

// Source returns "okta".
func (f *Format) Source() string { return Source }

// Decode reads Okta LogEvents from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	d := decoders.Get().(*decoder)
	defer decoders.Put(d)
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, d.decodeRecord)
}

type actor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId"`
	DisplayName string `json:"displayName"`
}

type geoContext struct {
	City        string      `json:"city"`
	State       string      `json:"state"`
	Country     string      `json:"country"`
	PostalCode  ingest.Text `json:"postalCode"`
	Geolocation struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
}

type device struct {
	ID                    string      `json:"id"`
	Name                  string      `json:"name"`
	OSPlatform            string      `json:"os_platform"`
	OSVersion             string      `json:"os_version"`
	Managed               ingest.Text `json:"managed"`
	Registered            ingest.Text `json:"registered"`
	DiskEncryptionType    string      `json:"disk_encryption_type"`
	ScreenLockType        string      `json:"screen_lock_type"`
	SecureHardwarePresent ingest.Text `json:"secure_hardware_present"`
}

// logEvent is the subset of Okta's LogEvent that Unmask uses.
type logEvent struct {
	UUID       string      `json:"uuid"`
	Published  ingest.Time `json:"published"`
	EventType  string      `json:"eventType"`
	DisplayMsg string      `json:"displayMessage"`
	Severity   string      `json:"severity"`
	LegacyType string      `json:"legacyEventType"`
	Actor      actor       `json:"actor"`
	Client     struct {
		IPAddress string     `json:"ipAddress"`
		Device    string     `json:"device"`
		Zone      string     `json:"zone"`
		Geo       geoContext `json:"geographicalContext"`
		UserAgent struct {
			Raw     string `json:"rawUserAgent"`
			OS      string `json:"os"`
			Browser string `json:"browser"`
		} `json:"userAgent"`
	} `json:"client"`
	Device  *device `json:"device"`
	Outcome struct {
		Result string `json:"result"`
		Reason string `json:"reason"`
	} `json:"outcome"`
	AuthContext struct {
		ExternalSessionID  string      `json:"externalSessionId"`
		RootSessionID      string      `json:"rootSessionId"`
		CredentialType     string      `json:"credentialType"`
		CredentialProvider string      `json:"credentialProvider"`
		AuthStep           ingest.Text `json:"authenticationStep"`
	} `json:"authenticationContext"`
	Security struct {
		ASNumber int         `json:"asNumber"`
		ASOrg    string      `json:"asOrg"`
		ISP      string      `json:"isp"`
		Domain   string      `json:"domain"`
		IsProxy  ingest.Text `json:"isProxy"`
	} `json:"securityContext"`
	Debug struct {
		Data map[string]json.RawMessage `json:"debugData"`
	} `json:"debugContext"`
	Transaction struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"transaction"`
	Target []actor `json:"target"`
}

// decodeRecord maps one LogEvent: by the fast path where it can, else with
// json.Unmarshal.
func (d *decoder) decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var le logEvent
	if !fastPath || !d.fastDecode(raw, &le) {
		slow := new(logEvent) // apart from le, which then stays on the stack
		if err := json.Unmarshal(raw, slow); err != nil {
			return dst, fmt.Errorf("decode okta log event: %w", err)
		}
		le = *slow
		d.dbg = d.dbg[:0]
		for k, v := range le.Debug.Data {
			d.dbg = append(d.dbg, kv{k: debugPrefix + k, v: ingest.JSONText(v)})
		}
	}
	if le.EventType == "" {
		return dst, errNoEventType
	}
	x := new(eventGeo)
	e := &x.ev
	*e = unmask.Event{
		Time: le.Published.Time, Kind: Kind(le.EventType), Action: le.EventType,
		Outcome: outcome(le.Outcome.Result), Actor: le.Actor.AlternateID,
		SourceIP: le.Client.IPAddress, UserAgent: le.Client.UserAgent.Raw,
		SessionID: le.AuthContext.ExternalSessionID,
	}
	if geo(&le, &x.geo) {
		e.Geo = &x.geo
	}
	if e.SessionID == "" || e.SessionID == "unknown" {
		e.SessionID = le.AuthContext.RootSessionID
	}
	if len(le.Target) > 0 {
		e.Target = first(le.Target[0].DisplayName, le.Target[0].AlternateID)
	}
	if le.Device != nil {
		e.DeviceID, e.Host = le.Device.ID, le.Device.Name
	}
	e.Fields = fields(&le, d.dbg)
	clear(d.dbg)
	d.dbg = d.dbg[:0]
	return append(dst, e), nil
}

var errNoEventType = errors.New("decode okta log event: eventType missing")

// eventGeo allocates an event with its place.
type eventGeo struct {
	ev  unmask.Event
	geo unmask.GeoPoint
}

// Kind maps an Okta eventType to an event kind.
func Kind(eventType string) unmask.EventKind {
	switch {
	case eventType == "user.session.start", eventType == "user.authentication.sso",
		eventType == "user.authentication.authenticate", strings.HasPrefix(eventType, "user.authentication.auth_via_") &&
			eventType != "user.authentication.auth_via_mfa":
		return unmask.KindSignIn
	case eventType == "user.session.end":
		return unmask.KindSignOut
	case eventType == "user.authentication.auth_via_mfa", eventType == "user.authentication.verify",
		strings.HasPrefix(eventType, "user.mfa."), strings.HasPrefix(eventType, "system.mfa."),
		strings.HasPrefix(eventType, "user.factor."), strings.Contains(eventType, "webauthn"):
		return unmask.KindMFA
	}
	for _, p := range adminPrefixes {
		if strings.HasPrefix(eventType, p) {
			return unmask.KindAdmin
		}
	}
	return unmask.KindOther
}

// targetKeys are the field names of the first targets' attributes.
var targetKeys = func() (keys [8][4]string) {
	for i := range keys {
		p := "target." + strconv.Itoa(i) + "."
		keys[i] = [4]string{p + "type", p + "id", p + "alternateId", p + "displayName"}
	}
	return keys
}()

// adminPrefixes are the eventType prefixes of administrative changes.
var adminPrefixes = []string{"group.", "app.", "application.", "user.lifecycle.", "user.account.", "policy.lifecycle.",
	"policy.rule.", "system.", "zone.", "device.", "role.", "user.mfa_admin", "iam."}

func outcome(result string) string {
	switch result {
	case "SUCCESS", "ALLOW":
		return unmask.OutcomeSuccess
	case "FAILURE", "DENY":
		return unmask.OutcomeFailure
	}
	return ""
}

// geo sets p to the event's place and reports whether it has one.
func geo(le *logEvent, p *unmask.GeoPoint) bool {
	g := &le.Client.Geo
	*p = unmask.GeoPoint{Country: g.Country, Region: g.State, City: g.City, Lat: g.Geolocation.Lat,
		Lon: g.Geolocation.Lon, ASN: le.Security.ASNumber, ASOrg: le.Security.ASOrg}
	return *p != (unmask.GeoPoint{})
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// fields flattens the detection-relevant attributes, named by their LogEvent paths.
// dbg holds the debugData members in order, named by their field; a later member
// replaces an earlier one of the same name, as in a map.
func fields(le *logEvent, dbg []kv) map[string]string {
	m := make(map[string]string, 24)
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("eventType", le.EventType)
	put("displayMessage", le.DisplayMsg)
	put("severity", le.Severity)
	put("legacyEventType", le.LegacyType)
	put("uuid", le.UUID)
	put("actor.id", le.Actor.ID)
	put("actor.type", le.Actor.Type)
	put("actor.displayName", le.Actor.DisplayName)
	put("outcome.result", le.Outcome.Result)
	put("outcome.reason", le.Outcome.Reason)
	put("client.device", le.Client.Device)
	put("client.zone", le.Client.Zone)
	put("client.userAgent.os", le.Client.UserAgent.OS)
	put("client.userAgent.browser", le.Client.UserAgent.Browser)
	put("client.geographicalContext.postalCode", string(le.Client.Geo.PostalCode))
	put("authenticationContext.credentialType", le.AuthContext.CredentialType)
	put("authenticationContext.credentialProvider", le.AuthContext.CredentialProvider)
	put("authenticationContext.authenticationStep", string(le.AuthContext.AuthStep))
	put("securityContext.isp", le.Security.ISP)
	put("securityContext.domain", le.Security.Domain)
	put("securityContext.isProxy", string(le.Security.IsProxy))
	put("transaction.id", le.Transaction.ID)
	put("transaction.type", le.Transaction.Type)
	if d := le.Device; d != nil {
		put("device.id", d.ID)
		put("device.name", d.Name)
		put("device.os_platform", d.OSPlatform)
		put("device.os_version", d.OSVersion)
		put("device.managed", string(d.Managed))
		put("device.registered", string(d.Registered))
		put("device.disk_encryption_type", d.DiskEncryptionType)
		put("device.screen_lock_type", d.ScreenLockType)
		put("device.secure_hardware_present", string(d.SecureHardwarePresent))
	}
	for i, t := range le.Target {
		if i < len(targetKeys) {
			k := &targetKeys[i]
			put(k[0], t.Type)
			put(k[1], t.ID)
			put(k[2], t.AlternateID)
			put(k[3], t.DisplayName)
			continue
		}
		p := "target." + strconv.Itoa(i) + "."
		put(p+"type", t.Type)
		put(p+"id", t.ID)
		put(p+"alternateId", t.AlternateID)
		put(p+"displayName", t.DisplayName)
	}
	for _, f := range dbg {
		if f.v != "" {
			m[f.k] = f.v
		} else {
			delete(m, f.k)
		}
	}
	return m
}
