// Package osquery decodes osquery result logs (the filesystem logger's osqueryd.results.log
// and the same JSON from TLS or Kafka loggers): differential events (action added or
// removed, one row in columns), snapshots (snapshot[] rows) and batches
// (diffResults.added[] / removed[]). Each row becomes one Event whose Fields are the
// row's columns (plus query_name, query_action and query_table); well-known tables get a
// kind and normalised fields.
package osquery

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of osquery events.
const Source = "osquery"

// Format decodes osquery result logs.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord}}
}

// Source returns "osquery".
func (f *Format) Source() string { return Source }

// Decode reads result log lines from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, decodeRecord)
}

type row = ingest.TextMap

// result is one result log line in any of the three formats.
type result struct {
	Name           string      `json:"name"`
	HostIdentifier string      `json:"hostIdentifier"`
	Hostname       string      `json:"hostname"` // in the documentation's examples
	UnixTime       ingest.Time `json:"unixTime"`
	CalendarTime   string      `json:"calendarTime"`
	Action         string      `json:"action"`
	Columns        row         `json:"columns"`
	Snapshot       []row       `json:"snapshot"`
	DiffResults    *struct {
		Added   []row `json:"added"`
		Removed []row `json:"removed"`
	} `json:"diffResults"`
	Decorations row `json:"decorations"`
}

func decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var r result
	if err := json.Unmarshal(raw, &r); err != nil {
		return dst, fmt.Errorf("decode osquery result: %w", err)
	}
	if r.Name == "" {
		return dst, fmt.Errorf("decode osquery result: query name missing")
	}
	if r.UnixTime.IsZero() {
		t, err := ingest.ParseTime(strings.TrimSuffix(r.CalendarTime, " UTC"))
		if err != nil {
			return dst, fmt.Errorf("decode osquery result: unixTime and calendarTime missing or invalid")
		}
		r.UnixTime.Time = t
	}
	switch {
	case r.DiffResults != nil:
		for _, c := range r.DiffResults.Added {
			dst = append(dst, toEvent(&r, "added", c))
		}
		for _, c := range r.DiffResults.Removed {
			dst = append(dst, toEvent(&r, "removed", c))
		}
	case r.Action == "snapshot":
		for _, c := range r.Snapshot {
			dst = append(dst, toEvent(&r, "snapshot", c))
		}
	case r.Action == "added" || r.Action == "removed":
		dst = append(dst, toEvent(&r, r.Action, r.Columns))
	default:
		return dst, fmt.Errorf("decode osquery result: not an event, snapshot or batch")
	}
	return dst, nil
}

// Table returns the osquery table a query name refers to, by its last segment
// ("pack/it/usb_devices" and "pack_it_usb_devices" give "usb_devices"), or "" if the name
// names no table Unmask knows.
func Table(name string) string {
	if i := strings.LastIndexAny(name, "/:"); i >= 0 {
		name = name[i+1:]
	}
	for _, t := range tables {
		if name == t || strings.HasSuffix(name, "_"+t) {
			return t
		}
	}
	return ""
}

// tables are the tables with a specific kind, longest first so that suffixes match best.
var tables = []string{"interface_addresses", "chocolatey_packages", "homebrew_packages", "logged_in_users",
	"python_packages", "deb_packages", "rpm_packages", "usb_devices", "system_info", "processes", "programs", "apps"}

// Kind maps a table and action to an event kind.
func Kind(table, action string) unmask.EventKind {
	switch table {
	case "processes":
		if action == "removed" {
			return unmask.KindOther // the process exited
		}
		return unmask.KindProcessStart
	case "programs", "apps", "deb_packages", "rpm_packages", "homebrew_packages", "chocolatey_packages", "python_packages":
		return unmask.KindSoftware
	case "usb_devices":
		return unmask.KindUSBDevice
	case "system_info":
		return unmask.KindSystemInfo
	case "interface_addresses":
		return unmask.KindNetInterface
	case "logged_in_users":
		return unmask.KindLoggedInUser
	}
	return unmask.KindOther
}

func toEvent(r *result, action string, c row) *unmask.Event {
	table := Table(r.Name)
	e := &unmask.Event{Time: r.UnixTime.Time, Kind: Kind(table, action), Action: action,
		Host: first(r.HostIdentifier, r.Hostname, r.Decorations["hostname"])}
	e.Fields = c // each row is decoded fresh: it becomes its event's Fields
	if e.Fields == nil {
		e.Fields = make(map[string]string, len(r.Decorations)+4)
	}
	for k, v := range c {
		if v == "" {
			delete(c, k)
		}
	}
	for k, v := range r.Decorations {
		if v != "" {
			e.Fields["decorations."+k] = v
		}
	}
	tableFields(e, table, c)
	// Row columns keep their names; the result's own attributes get a query_ prefix so
	// that they never overwrite a column (processes and programs have a "name").
	e.Fields["query_name"], e.Fields["query_action"] = r.Name, action
	if table != "" {
		e.Fields["query_table"] = table
	}
	return e
}

// tableFields sets the Event fields, and the Sigma names, of well-known tables.
func tableFields(e *unmask.Event, table string, c row) {
	get := func(k string) string { return c[k] }
	switch table {
	case "processes":
		e.Target = get("path")
		put(e.Fields, "Image", get("path"))
		put(e.Fields, "CommandLine", get("cmdline"))
		put(e.Fields, "ProcessId", get("pid"))
		put(e.Fields, "ParentProcessId", get("parent"))
	case "usb_devices":
		e.Serial = get("serial")
		e.DeviceID = strings.Trim(get("vendor_id")+":"+get("model_id"), ":")
		e.Target = strings.TrimSpace(get("vendor") + " " + get("model"))
	case "system_info":
		e.Serial, e.DeviceID = get("hardware_serial"), get("uuid")
		e.Host = first(get("hostname"), e.Host)
		e.Target = strings.TrimSpace(get("hardware_vendor") + " " + get("hardware_model"))
	case "logged_in_users":
		e.Actor, e.SourceIP, e.Target = get("user"), get("host"), get("tty")
	case "interface_addresses":
		e.Target = get("address")
	case "":
	default:
		e.Target = get("name")
	}
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
