// Package mdm decodes device inventory from MDM systems into Kind device_inventory events
// carrying the serial, user, last IP, model and managed state: Jamf Pro API computers
// (v1 computers-inventory results[]), Jamf Classic API mobile devices and computers,
// Microsoft Intune managedDevices from Graph (value[] pages or one object) and Intune's
// diagnostic-settings Devices export (properties). Records wrapped as {"message": ...}
// (inside {"events": [...]}) are unwrapped.
package mdm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of MDM inventory events.
const Source = "mdm"

// Options configures a Format.
type Options struct {
	MaxRecord int // 0: ingest.DefaultMaxRecord
	// Now dates inventory records that carry no time of their own (observed at ingest);
	// nil means time.Now.
	Now func() time.Time
}

// Format decodes MDM inventory records.
type Format struct {
	opts ingest.JSONOptions
	now  func() time.Time
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format with opts.
func New(opts Options) *Format {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Format{now: opts.Now, opts: ingest.JSONOptions{MaxRecord: opts.MaxRecord,
		Wrappers: [][]string{{"results"}, {"value"}, {"events"}, {"records"}}}}
}

// Source returns "mdm".
func (f *Format) Source() string { return Source }

// Decode reads inventory records from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, f.decodeRecord)
}

// inventory is what every shape reduces to.
type inventory struct {
	action, deviceID, serial, name, user, email, lastIP string
	model, manufacturer, os, osVersion, mac, managed    string
	compliance, ownership, encryption                   string
	seen, enrolled                                      time.Time
}

// probe tells the shapes apart by their distinguishing keys.
type probe struct {
	Message      json.RawMessage `json:"message"`
	MobileDevice json.RawMessage `json:"mobile_device"`
	Computer     json.RawMessage `json:"computer"`
	Properties   json.RawMessage `json:"properties"`
	UDID         json.RawMessage `json:"udid"`
	General      json.RawMessage `json:"general"`
	DeviceName   json.RawMessage `json:"deviceName"`
	SerialNumber json.RawMessage `json:"serialNumber"`
	AzureADID    json.RawMessage `json:"azureADDeviceId"`
}

func (f *Format) decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	inv, err := decodeInventory(raw, 0)
	if err != nil {
		return dst, fmt.Errorf("decode mdm record: %w", err)
	}
	return append(dst, f.toEvent(inv)), nil
}

var errShape = fmt.Errorf("not a Jamf or Intune device record")

func decodeInventory(raw []byte, depth int) (*inventory, error) {
	var p probe
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	switch {
	case p.Message != nil && depth == 0:
		inner := bytes.TrimSpace(p.Message)
		if len(inner) > 0 && inner[0] == '"' {
			inner = []byte(ingest.JSONText(inner))
		}
		return decodeInventory(inner, 1)
	case p.MobileDevice != nil:
		return decodeClassic(p.MobileDevice, "jamf.mobile_device")
	case p.Computer != nil:
		return decodeClassic(p.Computer, "jamf.computer")
	case p.Properties != nil:
		return decodeIntuneExport(raw)
	case p.UDID != nil || p.General != nil:
		return decodeJamfPro(raw)
	case p.DeviceName != nil || p.SerialNumber != nil || p.AzureADID != nil:
		return decodeGraph(raw)
	}
	return nil, errShape
}

func (f *Format) toEvent(inv *inventory) *unmask.Event {
	e := &unmask.Event{Time: inv.seen, Kind: unmask.KindDeviceInventory, Action: inv.action,
		Actor: first(inv.user, inv.email), SourceIP: inv.lastIP, DeviceID: inv.deviceID, Serial: inv.serial,
		Host: inv.name, Target: inv.model}
	m := make(map[string]string, 20)
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	if e.Time.IsZero() {
		e.Time = f.now().UTC()
		put("time_source", "observed")
	}
	put("serial", inv.serial)
	put("device_id", inv.deviceID)
	put("device_name", inv.name)
	put("user", inv.user)
	put("email", inv.email)
	put("last_ip", inv.lastIP)
	put("model", inv.model)
	put("manufacturer", inv.manufacturer)
	put("os", inv.os)
	put("os_version", inv.osVersion)
	put("mac_address", inv.mac)
	put("managed", inv.managed)
	put("compliance", inv.compliance)
	put("ownership", inv.ownership)
	put("encryption", inv.encryption)
	if !inv.enrolled.IsZero() {
		m["enrolled_at"] = inv.enrolled.Format(time.RFC3339Nano)
	}
	e.Fields = m
	return e
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
