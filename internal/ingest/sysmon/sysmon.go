// Package sysmon decodes Windows and Sysmon events as JSON: winlogbeat/ECS documents
// (winlog.event_data) and EVTX-derived JSON (Event.System / Event.EventData). EventID 1
// (and Security 4688) is a process start, 3 a network connection, 22 a DNS query and 6416
// a PnP device added (USB); other events are kept as generic events. Fields keep the
// Sysmon names (Image, CommandLine, ParentImage, QueryName, DestinationIp, ...) so that
// Sigma rules apply unchanged.
package sysmon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of Sysmon and Windows events.
const Source = "sysmon"

// Format decodes Sysmon/Windows event JSON.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord, Wrappers: [][]string{{"events"}, {"Events"}}}}
}

// Source returns "sysmon".
func (f *Format) Source() string { return Source }

// Decode reads Windows events from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, decodeRecord)
}

// eventID is an EventID given as a number, a string or an EVTX object {"#text": 1}.
type eventID string

// UnmarshalJSON implements json.Unmarshaler.
func (id *eventID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var o struct {
			Text ingest.Text `json:"#text"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*id = eventID(o.Text)
		return nil
	}
	*id = eventID(ingest.JSONText(b))
	return nil
}

type attrs struct {
	Name       string      `json:"Name"`
	SystemTime ingest.Time `json:"SystemTime"`
}

// evtx is the EVTX-derived shape.
type evtx struct {
	System struct {
		Provider struct {
			Attrs attrs `json:"#attributes"`
		} `json:"Provider"`
		EventID     eventID `json:"EventID"`
		TimeCreated struct {
			Attrs attrs `json:"#attributes"`
		} `json:"TimeCreated"`
		Channel  string `json:"Channel"`
		Computer string `json:"Computer"`
	} `json:"System"`
	EventData ingest.TextMap `json:"EventData"`
}

// record is either shape: Event for EVTX JSON, Winlog for winlogbeat.
type record struct {
	Event     *evtx       `json:"Event"`
	Timestamp ingest.Time `json:"@timestamp"`
	Winlog    *struct {
		EventID      eventID        `json:"event_id"`
		ProviderName string         `json:"provider_name"`
		Channel      string         `json:"channel"`
		ComputerName string         `json:"computer_name"`
		EventData    ingest.TextMap `json:"event_data"`
	} `json:"winlog"`
}

// normal is what both shapes reduce to.
type normal struct {
	id, provider, channel, computer string
	data                            ingest.TextMap
	time                            ingest.Time
}

func decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var r record
	if err := json.Unmarshal(raw, &r); err != nil {
		return dst, fmt.Errorf("decode windows event: %w", err)
	}
	var n normal
	switch { // winlog first: encoding/json also matches ECS's "event" to Event
	case r.Winlog != nil:
		w := r.Winlog
		n = normal{id: string(w.EventID), provider: w.ProviderName, channel: w.Channel, computer: w.ComputerName,
			data: w.EventData, time: r.Timestamp}
	case r.Event != nil:
		s := &r.Event.System
		n = normal{id: string(s.EventID), provider: s.Provider.Attrs.Name, channel: s.Channel, computer: s.Computer,
			data: r.Event.EventData, time: s.TimeCreated.Attrs.SystemTime}
	default:
		return dst, fmt.Errorf("decode windows event: neither Event.System nor winlog present")
	}
	if n.id == "" {
		return dst, fmt.Errorf("decode windows event: EventID missing")
	}
	return append(dst, toEvent(&n)), nil
}

// Kind maps a Windows EventID to an event kind.
func Kind(eventID string) unmask.EventKind {
	switch eventID {
	case "1", "4688":
		return unmask.KindProcessStart
	case "3":
		return unmask.KindConn
	case "22":
		return unmask.KindDNS
	case "6416":
		return unmask.KindUSBDevice
	}
	return unmask.KindOther
}

func toEvent(n *normal) *unmask.Event {
	d := n.data
	get := func(k string) string { return d[k] }
	e := &unmask.Event{Kind: Kind(n.id), Action: n.id, Host: n.computer, Actor: get("User"),
		Time: n.time.Time}
	if t, err := ingest.ParseTime(get("UtcTime")); err == nil {
		e.Time = t // the event's own time, more precise than the log's
	}
	switch e.Kind {
	case unmask.KindProcessStart:
		e.Target = first(get("Image"), get("NewProcessName"))
		e.Actor = first(e.Actor, get("SubjectUserName"))
	case unmask.KindConn:
		e.SourceIP, e.Target = get("SourceIp"), first(get("DestinationHostname"), get("DestinationIp"))
	case unmask.KindDNS:
		e.Target = get("QueryName")
	case unmask.KindUSBDevice:
		e.DeviceID, e.Target = get("DeviceId"), get("DeviceDescription")
		e.Actor = first(e.Actor, get("SubjectUserName"))
	default:
		e.Target = first(get("TargetFilename"), get("TargetObject"), get("ImageLoaded"), get("Image"))
	}
	e.Fields = d // decoded fresh for this record: it becomes the event's Fields
	if e.Fields == nil {
		e.Fields = make(map[string]string, 4)
	}
	for k, v := range d {
		if v == "" {
			delete(d, k)
		}
	}
	if n.id == "4688" { // Security process creation: the Sysmon names Sigma rules use
		putAbsent(e.Fields, "Image", get("NewProcessName"))
		putAbsent(e.Fields, "ParentImage", get("ParentProcessName"))
	}
	e.Fields["EventID"] = n.id
	put(e.Fields, "Channel", n.channel)
	put(e.Fields, "Provider_Name", n.provider)
	put(e.Fields, "Computer", n.computer)
	return e
}

func put(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func putAbsent(m map[string]string, k, v string) {
	if _, ok := m[k]; !ok {
		put(m, k, v)
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
