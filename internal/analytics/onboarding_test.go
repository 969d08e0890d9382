package analytics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func hr(person string, t time.Time, action string, mods ...func(*unmask.Event)) *unmask.Event {
	return event(unmask.KindHRChange, person, t, append([]func(*unmask.Event){func(e *unmask.Event) { e.Action = action }}, mods...)...)
}

func serial(s string) func(*unmask.Event) { return func(e *unmask.Event) { e.Serial = s } }

func TestShipping(t *testing.T) {
	people := []Profile{
		{PersonID: "p1", Home: Place{Key: "home-a"}},
		{PersonID: "p2", Home: Place{Key: "home-b"}},
		{PersonID: "wife", Home: Place{Key: "home-c"}},
		{PersonID: "husband", Home: Place{Key: "home-c"}},
	}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"ship-to-home", scenario{profiles: people, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionLaptopShipped, field(FieldAddressKey, "home-a"), serial("C1")),
		}}, nil},
		{"ship-to-not-home", scenario{profiles: people, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionShipToChange, field(FieldAddressKey, "elsewhere")),
		}}, []sig{{"p1", "O-01", "O-01:home:elsewhere"}}},
		{"changed-after-set", scenario{profiles: []Profile{{PersonID: "p1"}}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionShipToChange, field(FieldAddressKey, "addr-1")),
			hr("p1", at(3, 9), ActionShipToChange, field(FieldAddressKey, "addr-2")),
		}}, []sig{{"p1", "O-01", "O-01:change:addr-2"}}},
		{"shared-by-unrelated-people", scenario{profiles: people, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionShipToChange, field(FieldAddressKey, "farm")),
			hr("p2", at(5, 9), ActionShipToChange, field(FieldAddressKey, "farm")),
		}}, []sig{
			{"p1", "O-01", "O-01:home:farm"}, {"p1", "O-02", "O-02:farm"},
			{"p2", "O-01", "O-01:home:farm"}, {"p2", "O-02", "O-02:farm"},
		}},
		{"delivered-elsewhere", scenario{profiles: people, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionLaptopShipped, field(FieldAddressKey, "home-a")),
			hr("p1", at(2, 9), ActionLaptopDelivered, field(FieldAddressKey, "reshipper")),
		}}, []sig{{"p1", "O-01", "O-01:delivered:reshipper"}}},
		{"delivered-as-shipped", scenario{profiles: people, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionLaptopShipped, field(FieldAddressKey, "home-a")),
			hr("p1", at(2, 9), ActionLaptopDelivered, field(FieldAddressKey, "home-a")),
		}}, nil},
		{"couple-ship-to-their-home", scenario{profiles: people, events: []*unmask.Event{
			hr("wife", at(0, 9), ActionLaptopShipped, field(FieldAddressKey, "home-c")),
			hr("husband", at(0, 9), ActionLaptopShipped, field(FieldAddressKey, "home-c")),
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewShipping(ShippingOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSerials(t *testing.T) {
	issued := Profile{PersonID: "p1", AssignedSerials: []string{"C02ABC"}, ShipTo: Place{Key: "a", Lat: 41.85, Lon: -87.65, Geocoded: true}}
	enrol := func(s, ip string) *unmask.Event {
		return event(unmask.KindDeviceInventory, "p1", at(2, 9), serial(s), func(e *unmask.Event) { e.Action = ActionEnroll; e.SourceIP = ip })
	}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"assigned-serial-enrols-nearby", scenario{profiles: []Profile{issued}, sweep: at(30, 0), events: []*unmask.Event{
			hr("p1", at(0, 9), ActionLaptopShipped, serial("C02ABC")), enrol("c02abc ", "192.0.2.10"),
		}}, nil},
		{"different-serial", scenario{profiles: []Profile{issued}, events: []*unmask.Event{enrol("ZZ999", "192.0.2.10")}},
			[]sig{{"p1", "O-05", "O-05:serial:ZZ999"}}},
		{"never-enrols", scenario{profiles: []Profile{issued}, sweep: at(30, 0), events: []*unmask.Event{
			hr("p1", at(0, 9), ActionLaptopShipped, serial("C02ABC")), hr("p1", at(2, 9), ActionLaptopDelivered, serial("C02ABC")),
		}}, []sig{{"p1", "O-05", "O-05:never:C02ABC"}}},
		{"not-yet-due", scenario{profiles: []Profile{issued}, sweep: at(5, 0), events: []*unmask.Event{
			hr("p1", at(0, 9), ActionLaptopShipped, serial("C02ABC")),
		}}, nil},
		{"enrols-far-from-ship-to", scenario{profiles: []Profile{issued}, events: []*unmask.Event{enrol("C02ABC", "198.51.100.90")}},
			[]sig{{"p1", "O-05", "O-05:far:C02ABC"}}},
		{"enrols-via-corporate-vpn", scenario{profiles: []Profile{issued}, events: []*unmask.Event{enrol("C02ABC", "203.0.113.101")}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewSerials(SerialOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPayroll(t *testing.T) {
	hired := func(id, home string, days int) Profile {
		return Profile{PersonID: id, HireDate: at(-days, 0), Home: Place{Key: home}}
	}
	bank := func(k string) func(*unmask.Event) { return field(FieldBankKey, k) }
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"change-a-year-after-hire", scenario{profiles: []Profile{hired("p1", "h1", 365)}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("acct-1")),
		}}, nil},
		{"change-soon-after-hire", scenario{profiles: []Profile{hired("p1", "h1", 20)}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("acct-1")),
		}}, []sig{{"p1", "O-03", "O-03:early:acct-1"}}},
		{"holder-name-mismatch", scenario{profiles: []Profile{hired("p1", "h1", 365)}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("acct-1"), field(FieldBankHolderMatch, "false")),
		}}, []sig{{"p1", "O-03", "O-03:holder:acct-1"}}},
		{"foreign-account", scenario{profiles: []Profile{{PersonID: "p1", HireDate: at(-365, 0), Country: "US"}}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("acct-9"), field(FieldBankCountry, "cn")),
		}}, []sig{{"p1", "O-03", "O-03:country:acct-9"}}},
		{"domestic-account", scenario{profiles: []Profile{{PersonID: "p1", HireDate: at(-365, 0), Country: "US"}}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("acct-9"), field(FieldBankCountry, "US")),
		}}, nil},
		{"frequent-changes", scenario{profiles: []Profile{hired("p1", "h1", 365)}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("a")), hr("p1", at(20, 9), ActionPayrollChange, bank("b")),
			hr("p1", at(40, 9), ActionPayrollChange, bank("c")),
		}}, []sig{{"p1", "O-03", "O-03:frequent"}}},
		{"account-shared-across-households", scenario{profiles: []Profile{hired("p1", "h1", 365), hired("p2", "h2", 365)}, events: []*unmask.Event{
			hr("p1", at(0, 9), ActionPayrollChange, bank("mule")), hr("p2", at(1, 9), ActionPayrollChange, bank("mule")),
		}}, []sig{{"p1", "O-03", "O-03:shared:mule"}, {"p2", "O-03", "O-03:shared:mule"}}},
		{"joint-account-of-a-couple", scenario{profiles: []Profile{hired("wife", "h3", 365), hired("husband", "h3", 365)}, events: []*unmask.Event{
			hr("wife", at(0, 9), ActionPayrollChange, bank("joint")), hr("husband", at(1, 9), ActionPayrollChange, bank("joint")),
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewPayroll(PayrollOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMFA(t *testing.T) {
	mfa := func(person, factor, device string) *unmask.Event {
		return event(unmask.KindMFA, person, at(1, 9), field(FieldFactor, factor), field(FieldMFADevice, device))
	}
	newHire := func(id string) Profile { return Profile{PersonID: id, HireDate: at(-20, 0)} }
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"no-hardware-factor-after-two-weeks", scenario{profiles: []Profile{newHire("p1"), newHire("p2"), newHire("p3")}, sweep: at(0, 0), events: []*unmask.Event{
			mfa("p1", "push", "phone-1"), mfa("p2", "webauthn", "key-2"), mfa("p3", "fido2", "key-3"),
		}}, []sig{{"p1", "O-06", "O-06"}}},
		{"organisation-without-hardware-keys", scenario{profiles: []Profile{newHire("p1"), newHire("p2"), newHire("p3")}, sweep: at(0, 0), events: []*unmask.Event{
			mfa("p1", "push", "phone-1"), mfa("p2", "push", "phone-2"), mfa("p3", "webauthn", "key-3"),
		}}, nil},
		{"webauthn-enrolled", scenario{profiles: []Profile{newHire("p1")}, sweep: at(0, 0), events: []*unmask.Event{
			mfa("p1", "webauthn", "key-1"),
		}}, nil},
		{"idp-reports-hardware", scenario{profiles: []Profile{{PersonID: "p1", HireDate: at(-20, 0), HardwareFactor: true}}, sweep: at(0, 0)}, nil},
		{"too-early", scenario{profiles: []Profile{{PersonID: "p1", HireDate: at(-3, 0)}}, sweep: at(0, 0)}, nil},
		{"one-device-two-people", scenario{events: []*unmask.Event{mfa("p1", "push", "phone-9"), mfa("p2", "push", "phone-9")}},
			[]sig{{"p1", "O-07", "O-07:phone-9"}, {"p2", "O-07", "O-07:phone-9"}}},
		{"documented-shared-service-account", scenario{
			suppressions: []Suppression{{Indicator: "O-07", Value: "phone-ops", Reason: "on-call service account, ticket OPS-12"}},
			events:       []*unmask.Event{mfa("p1", "push", "phone-ops"), mfa("svc", "push", "phone-ops")},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewMFA(MFAOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDelivery(t *testing.T) {
	delivered := hr("p1", at(0, 12), ActionLaptopDelivered, serial("C02ABC"))
	proc := func(day int, image string) *unmask.Event {
		return event(unmask.KindProcessStart, "p1", at(day, 9), field(FieldImage, image))
	}
	usb := func(vendor, model string) *unmask.Event {
		return event(unmask.KindUSBDevice, "p1", at(1, 9), field(FieldUSBVendor, vendor), field(FieldUSBModel, model))
	}
	dns := func(q string) *unmask.Event { return event(unmask.KindDNS, "p1", at(1, 9), field("QueryName", q)) }
	it := Profile{PersonID: "p1", Groups: []string{"it-support"}}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"anydesk-day-after-delivery", scenario{events: []*unmask.Event{delivered, proc(1, `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`)}},
			[]sig{{"p1", "O-09", "O-09:anydesk.exe"}}},
		{"pikvm-usb-gadget", scenario{events: []*unmask.Event{delivered, usb("0x1d6b", "0x0104")}},
			[]sig{{"p1", "O-09", "O-09:1d6b:0104"}}},
		{"rustdesk-relay-dns", scenario{events: []*unmask.Event{delivered, dns("rs-ny.rustdesk.com.")}},
			[]sig{{"p1", "O-09", "O-09:rustdesk.com"}}},
		{"astrill-after-first-enrolment", scenario{events: []*unmask.Event{
			event(unmask.KindDeviceInventory, "p1", at(0, 9), func(e *unmask.Event) { e.Action = ActionEnroll }),
			event(unmask.KindSoftware, "p1", at(2, 9), field(FieldName, "Astrill")),
		}}, []sig{{"p1", "O-09", "O-09:astrill"}}},
		{"a-month-later", scenario{events: []*unmask.Event{delivered, proc(30, `C:\Program Files\TeamViewer\TeamViewer.exe`)}}, nil},
		{"ordinary-software", scenario{events: []*unmask.Event{delivered, proc(1, `C:\Program Files\Google\Chrome\chrome.exe`)}}, nil},
		{"it-staff-approved-rmm", scenario{
			profiles:     []Profile{it},
			suppressions: []Suppression{{Group: "it-support", Value: "teamviewer*", Reason: "approved RMM, CHG-104"}},
			events:       []*unmask.Event{delivered, proc(1, `C:\Program Files\TeamViewer\TeamViewer.exe`)},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewDelivery(DeliveryOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
