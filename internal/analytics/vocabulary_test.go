package analytics

import (
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

func TestCanonical(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		in         unmask.Event
		wantAction string
		wantKind   unmask.EventKind
		wantFields map[string]string // fields that must be present
		wantTime   time.Time
	}{
		{"Delivered", unmask.Event{Source: "hris", Kind: unmask.KindHRChange, Action: "laptop_shipment", Fields: map[string]string{"status": "delivered"}},
			ActionLaptopDelivered, unmask.KindHRChange, nil, t0},
		{"Shipped", unmask.Event{Source: "hris", Kind: unmask.KindHRChange, Action: "laptop_shipment", Fields: map[string]string{"status": "shipped"}},
			ActionLaptopShipped, unmask.KindHRChange, nil, t0},
		{"Payroll", unmask.Event{Source: "hris", Kind: unmask.KindHRChange, Action: "payroll_account_change", Fields: map[string]string{"account_number_hash": "h1", "bank_country": "LT"}},
			ActionPayrollChange, unmask.KindHRChange, map[string]string{FieldBankKey: "h1", FieldBankCountry: "LT"}, t0},
		{"MFA", unmask.Event{Source: "hris", Kind: unmask.KindHRChange, Action: "mfa_enrollment", Fields: map[string]string{"authenticator_type": "security_key", "device_serial": "YK1"}},
			"mfa_enrollment", unmask.KindMFA, map[string]string{FieldFactor: "security_key", FieldMFADevice: "YK1"}, t0},
		{"EntraUnmanaged", unmask.Event{Source: "entra", Kind: unmask.KindSignIn, Action: "signin", Fields: map[string]string{"deviceDetail.isManaged": "False"}},
			"signin", unmask.KindSignIn, map[string]string{FieldDeviceManaged: "false"}, t0},
		{"OktaWebAuthn", unmask.Event{Source: "okta", Kind: unmask.KindMFA, Action: "user.authentication.auth_via_mfa", Fields: map[string]string{"debugContext.debugData.factor": "FIDO_WEBAUTHN"}},
			"user.authentication.auth_via_mfa", unmask.KindMFA, map[string]string{FieldFactor: "webauthn"}, t0},
		{"Enrolment", unmask.Event{Source: "mdm", Kind: unmask.KindDeviceInventory, Action: "intune.device", Fields: map[string]string{"enrolled_at": "2026-02-03T10:00:00Z"}},
			ActionEnroll, unmask.KindDeviceInventory, nil, time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)},
		{"ZeekConn", unmask.Event{Source: "zeek", Kind: unmask.KindConn, Action: "conn", Fields: map[string]string{"orig_bytes": "52428800"}},
			"conn", unmask.KindConn, map[string]string{FieldBytesOut: "52428800"}, t0},
		{"SysmonUSB", unmask.Event{Source: "sysmon", Kind: unmask.KindUSBDevice, Action: "6416", Fields: map[string]string{"DeviceId": `USB\VID_0557&PID_2419\5&1`}},
			"6416", unmask.KindUSBDevice, map[string]string{FieldUSBVendor: "0557", FieldUSBModel: "2419"}, t0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := tt.in
			ev.Time = t0
			orig := map[string]string{}
			maps.Copy(orig, ev.Fields)
			got := canonical(&ev)
			if got.Action != tt.wantAction || got.Kind != tt.wantKind || !got.Time.Equal(tt.wantTime) {
				t.Errorf("canonical = %s/%s at %v, want %s/%s at %v", got.Kind, got.Action, got.Time, tt.wantKind, tt.wantAction, tt.wantTime)
			}
			for k, v := range tt.wantFields {
				if got.Fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, got.Fields[k], v)
				}
			}
			if d := cmp.Diff(orig, ev.Fields); d != "" || ev.Action != tt.in.Action {
				t.Errorf("the stored event was changed (-want +got):\n%s", d)
			}
		})
	}
	plain := &unmask.Event{Source: "github", Kind: unmask.KindGit, Action: "git.clone"}
	if canonical(plain) != plain {
		t.Error("an event that needs no mapping should not be copied")
	}
}
