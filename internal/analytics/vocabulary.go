package analytics

import (
	"maps"
	"regexp"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// canonical returns ev in the vocabulary the detectors read (fields.go): the ingest formats
// keep each vendor's own names and actions, and this is the one place that maps them. The
// stored event is never changed; a copy is made only when something maps.
func canonical(ev *unmask.Event) *unmask.Event {
	add := map[string]string{}
	action, kind, at := ev.Action, ev.Kind, ev.Time
	switch ev.Source + "/" + ev.Action {
	case "hris/laptop_shipment":
		action = ActionLaptopShipped
		if ev.Fields["status"] == "delivered" {
			action = ActionLaptopDelivered
		}
	case "hris/ship_to_change":
		action = ActionShipToChange
	case "hris/address_change":
		if ev.Fields["address_type"] == "ship_to" {
			action = ActionShipToChange
		}
	case "hris/payroll_account_change":
		action = ActionPayrollChange
		add[FieldBankKey] = ev.Fields["account_number_hash"]
		add[FieldBankCountry] = ev.Fields["bank_country"]
	case "hris/mfa_enrollment":
		kind = unmask.KindMFA
		add[FieldFactor] = ev.Fields["authenticator_type"]
		add[FieldMFADevice] = ev.Fields["device_serial"]
	}
	switch {
	case ev.Kind == unmask.KindDeviceInventory:
		// An inventory record says when the device enrolled.
		action = ActionEnroll
		if t, err := time.Parse(time.RFC3339Nano, ev.Fields["enrolled_at"]); err == nil {
			at = t
		}
	case ev.Source == "entra":
		add[FieldDeviceManaged] = boolOr(ev.Fields["deviceDetail.isManaged"], ev.Fields["deviceDetail.isCompliant"])
	case ev.Source == "okta":
		add[FieldFactor] = oktaFactor(ev.Fields["debugContext.debugData.factor"])
	case ev.Source == "zeek":
		add[FieldBytesOut] = ev.Fields["orig_bytes"] // the originator is the person's device
	case ev.Source == "sysmon" && ev.Kind == unmask.KindUSBDevice:
		if m := usbIDs.FindStringSubmatch(strings.ToUpper(ev.Fields["DeviceId"] + " " + ev.Fields["DeviceDescription"])); m != nil {
			add[FieldUSBVendor], add[FieldUSBModel] = strings.ToLower(m[1]), strings.ToLower(m[2])
		}
	}
	for k, v := range add {
		if v == "" || ev.Fields[k] != "" {
			delete(add, k)
		}
	}
	if len(add) == 0 && action == ev.Action && kind == ev.Kind && at.Equal(ev.Time) {
		return ev
	}
	c := *ev
	c.Action, c.Kind, c.Time = action, kind, at
	if len(add) > 0 {
		c.Fields = make(map[string]string, len(ev.Fields)+len(add))
		maps.Copy(c.Fields, ev.Fields)
		maps.Copy(c.Fields, add)
	}
	return &c
}

// usbIDs finds the vendor and product ids in a Windows hardware id (USB\VID_0557&PID_2419).
var usbIDs = regexp.MustCompile(`VID_([0-9A-F]{4})&PID_([0-9A-F]{4})`)

// boolOr returns "true" if either value is true, "false" if one is false, else "".
func boolOr(a, b string) string {
	switch {
	case strings.EqualFold(a, "true") || strings.EqualFold(b, "true"):
		return "true"
	case strings.EqualFold(a, "false") || strings.EqualFold(b, "false"):
		return "false"
	}
	return ""
}

// oktaFactor maps Okta's factor names (FIDO_WEBAUTHN, OKTA_VERIFY_PUSH, ...) to ours.
func oktaFactor(f string) string {
	f = strings.ToUpper(f)
	switch {
	case f == "":
		return ""
	case strings.Contains(f, "WEBAUTHN") || strings.Contains(f, "FIDO"):
		return "webauthn"
	case strings.Contains(f, "U2F"):
		return "u2f"
	case strings.Contains(f, "PUSH"):
		return "push"
	case strings.Contains(f, "SMS"):
		return "sms"
	case strings.Contains(f, "CALL") || strings.Contains(f, "VOICE"):
		return "voice"
	case strings.Contains(f, "TOTP") || strings.Contains(f, "TOKEN"):
		return "totp"
	}
	return strings.ToLower(f)
}
