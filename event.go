package unmask

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// EventKind is the normalised kind of an event.
type EventKind string

// Event kinds.
const (
	KindSignIn          EventKind = "sign_in"
	KindSignOut         EventKind = "sign_out"
	KindMFA             EventKind = "mfa"
	KindProcessStart    EventKind = "process_start"
	KindSoftware        EventKind = "software_inventory"
	KindUSBDevice       EventKind = "usb_device"
	KindSystemInfo      EventKind = "system_info"
	KindNetInterface    EventKind = "net_interface"
	KindLoggedInUser    EventKind = "logged_in_user"
	KindDNS             EventKind = "dns"
	KindConn            EventKind = "conn"
	KindTLS             EventKind = "tls"
	KindHTTP            EventKind = "http"
	KindGit             EventKind = "git"
	KindFileShare       EventKind = "file_share"
	KindAdmin           EventKind = "admin"
	KindDeviceInventory EventKind = "device_inventory"
	KindApplication     EventKind = "application"
	KindHRChange        EventKind = "hr_change"
	KindOther           EventKind = "other"
)

// Outcomes of an event.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
)

// Event is one normalised record from a source, with the raw record kept.
type Event struct {
	// ID is stable: re-ingesting the same record yields the same ID (see EventID).
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	Source  string    `json:"source"` // okta, entra, google, github, osquery, sysmon, zeek, ...
	Kind    EventKind `json:"kind"`
	Action  string    `json:"action,omitempty"`  // the source's event type: user.session.start, git.clone
	Outcome string    `json:"outcome,omitempty"` // success, failure or empty
	// Actor is the account as the source names it (login, e-mail, UPN, host user).
	Actor string `json:"actor,omitempty"`
	// PersonID is the person the actor resolves to; empty while unresolved.
	PersonID  string `json:"person_id,omitempty"`
	SourceIP  string `json:"source_ip,omitempty"`
	UserAgent string `json:"user_agent,omitempty"`
	SessionID string `json:"session_id,omitempty"`
	DeviceID  string `json:"device_id,omitempty"`
	Serial    string `json:"serial,omitempty"`
	Host      string `json:"host,omitempty"`
	// Target is what the action was done to: an application, repository, file, domain.
	Target string `json:"target,omitempty"`
	// Geo is where the source placed the event, if it says.
	Geo *GeoPoint `json:"geo,omitempty"`
	// Fields holds the flattened fields that rules match on (Sigma field names after
	// mapping: Image, CommandLine, QueryName, ...).
	Fields map[string]string `json:"fields,omitempty"`
	// Raw is the record exactly as received.
	Raw        []byte    `json:"-"`
	IngestedAt time.Time `json:"ingested_at,omitzero"`
}

// GeoPoint is a place with optional coordinates.
type GeoPoint struct {
	Country string  `json:"country,omitempty"`
	Region  string  `json:"region,omitempty"`
	City    string  `json:"city,omitempty"`
	Lat     float64 `json:"lat,omitempty"`
	Lon     float64 `json:"lon,omitempty"`
	ASN     int     `json:"asn,omitempty"`
	ASOrg   string  `json:"as_org,omitempty"`
}

// EventID returns the stable id of a raw record from a source that happened at t: 12 hex
// digits of t in Unix milliseconds (EventIDTimePrefix), then the first 20 hex digits of
// the SHA-256 of the source, a 0 byte and the record. Re-reading a record gives its id
// again, and ids sort by event time, so that the stores' id index grows at its end
// instead of changing pages all over it.
func EventID(source string, t time.Time, raw []byte) string {
	h := sha256.New()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write(raw)
	var sum [sha256.Size]byte
	return EventIDFromHash(t, h.Sum(sum[:0]))
}

// EventIDFromHash returns the id of an event at t whose record hashes to sum (at least 10
// bytes of SHA-256 over source, 0 byte and record, as EventID hashes).
func EventIDFromHash(t time.Time, sum []byte) string {
	var out [32]byte
	hex.Encode(out[12:], sum[:10])
	ms := EventIDTimePrefix(t)
	for i := 11; i >= 0; i-- {
		out[i] = "0123456789abcdef"[ms&0xf]
		ms >>= 4
	}
	return string(out[:])
}

// EventIDTimePrefix is the number an event id starts with, as 12 hex digits: t in Unix
// milliseconds (the stored Unix nanoseconds divided by a million, rounded toward zero;
// 0 for the zero time), of which the low 48 bits. The stores' migration to these ids
// computes the same from the stored time.
func EventIDTimePrefix(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(t.UnixNano()/1e6) & (1<<48 - 1)
}

// Validate reports whether e is complete enough to store.
func (e *Event) Validate() error {
	switch {
	case e.ID == "":
		return Errorf(EINVALID, "Event id required.")
	case e.Time.IsZero():
		return Errorf(EINVALID, "Event time required.")
	case e.Source == "":
		return Errorf(EINVALID, "Event source required.")
	case e.Kind == "":
		return Errorf(EINVALID, "Event kind required.")
	}
	return nil
}

// PartitionKey returns the key that routes e on the event bus: the person when resolved,
// else the actor, else the host, so that one person's events stay on one partition.
func (e *Event) PartitionKey() string {
	switch {
	case e.PersonID != "":
		return "p:" + e.PersonID
	case e.Actor != "":
		return "a:" + e.Actor
	case e.Host != "":
		return "h:" + e.Host
	}
	return "s:" + e.Source
}

// EventFilter selects events. Nil fields do not filter.
type EventFilter struct {
	IDs      []string
	PersonID *string
	Source   *string
	Kind     *EventKind
	Actor    *string
	SourceIP *string
	// Unresolved selects only events whose actor maps to no person.
	Unresolved bool
	Since      *time.Time // inclusive
	Until      *time.Time // exclusive
	Page
}

// EventUpdate changes the non-nil fields of an event. Only resolution changes an event.
type EventUpdate struct {
	PersonID *string
}

// EventService stores events. Events are evidence with bounded retention; a SIEM is the
// long-term archive.
type EventService interface {
	FindEventByID(ctx context.Context, id string) (*Event, error)
	// FindEvents returns matching events, newest first, and the total count.
	FindEvents(ctx context.Context, filter EventFilter) ([]*Event, int, error)
	// CreateEvents stores events in one transaction and returns how many were new; events
	// whose ID is already stored are skipped. It returns only after a durable write.
	CreateEvents(ctx context.Context, events []*Event) (int, error)
	// InsertEvents is CreateEvents returning the events that were new, in input order, so
	// that only they go on to detection.
	InsertEvents(ctx context.Context, events []*Event) ([]*Event, error)
	UpdateEvent(ctx context.Context, id string, upd EventUpdate) (*Event, error)
	// ResolveActor sets PersonID on every unresolved event of source and actor, and returns
	// how many changed. An empty source matches every source.
	ResolveActor(ctx context.Context, source, actor, personID string) (int, error)
	DeleteEvent(ctx context.Context, id string) error
	// DeleteEventsBefore removes events older than t (retention), except those whose ids
	// are in hold, and returns how many. It deletes in short transactions, so that a large
	// first pass does not hold up ingest.
	DeleteEventsBefore(ctx context.Context, t time.Time, hold []string) (int, error)
}
