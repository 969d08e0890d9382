package ruleset

import (
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
)

func TestEvidence(t *testing.T) {
	long := strings.Repeat("a", 200)
	tests := []struct {
		name string
		e    unmask.Event
		want string
	}{
		{"process", unmask.Event{Kind: unmask.KindProcessStart, Host: "H1", Fields: map[string]string{"Image": `C:\x\a.exe`}},
			`process C:\x\a.exe started on host H1`},
		{"process_target_only", unmask.Event{Kind: unmask.KindProcessStart, Target: "/usr/bin/anydesk"},
			`process /usr/bin/anydesk started`},
		{"software", unmask.Event{Kind: unmask.KindSoftware, Host: "mbp", Fields: map[string]string{"name": "AnyDesk.app"}},
			"software AnyDesk.app installed on host mbp"},
		{"usb", unmask.Event{Kind: unmask.KindUSBDevice, Host: "mbp", Fields: map[string]string{"vendor": "Linux Foundation", "model": "PiKVM"}},
			"USB device Linux Foundation PiKVM attached on host mbp"},
		{"dns_from_ip", unmask.Event{Kind: unmask.KindDNS, SourceIP: "10.0.0.4", Fields: map[string]string{"query": "x.net.anydesk.com"}},
			"domain x.net.anydesk.com looked up from 10.0.0.4"},
		{"dns_from_zeek_origin", unmask.Event{Kind: unmask.KindDNS, Fields: map[string]string{"query": "a.b", "id.orig_h": "10.0.0.5"}},
			"domain a.b looked up from 10.0.0.5"},
		{"tls", unmask.Event{Kind: unmask.KindTLS, Fields: map[string]string{"server_name": "relay.example"}}, "TLS connection to relay.example"},
		{"conn", unmask.Event{Kind: unmask.KindConn, Fields: map[string]string{"id.resp_h": "203.0.113.7", "id.resp_p": "3389"}},
			"connection to 203.0.113.7:3389"},
		{"sign_in", unmask.Event{Kind: unmask.KindSignIn, Action: "4624", Host: "WS-1", SourceIP: "10.1.1.1",
			Fields: map[string]string{"LogonType": "10", "IpAddress": "198.51.100.23"}},
			"sign-in (event 4624, logon type 10) from 198.51.100.23 on host WS-1"},
		{"hr", unmask.Event{Kind: unmask.KindHRChange, Action: "laptop_shipment", Fields: map[string]string{"status": "delivered"}},
			"HR record laptop_shipment (status delivered)"},
		{"other", unmask.Event{Kind: unmask.KindOther, Action: "7045", Actor: "jdoe"}, "other event 7045 for account jdoe"},
		{"no_kind", unmask.Event{}, "event"},
		{"cleaned", unmask.Event{Kind: unmask.KindProcessStart, Host: "h\n2", Fields: map[string]string{"Image": "a\tb\r\n" + long}},
			"process a b " + strings.Repeat("a", maxValue-5) + "… started on host h 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := evidence(&tt.e); got != tt.want {
				t.Errorf("evidence = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCorrelationEvidence(t *testing.T) {
	tests := []struct {
		c    sigma.Correlation
		n    int64
		want string
	}{
		{sigma.Correlation{Type: sigma.EventCount, Timespan: time.Hour, GroupBy: []string{"person.id"}}, 1, "1 matching event within 1 hour for person.id P-1"},
		{sigma.Correlation{Type: sigma.EventCount, Timespan: 90 * time.Second}, 3, "3 matching events within 90 seconds"},
		{sigma.Correlation{Type: sigma.ValueCount, Field: "host.name", Timespan: 48 * time.Hour}, 4, "4 distinct values of host.name within 2 days"},
		{sigma.Correlation{Type: sigma.ValueSum, Field: "bytes", Timespan: 30 * time.Minute}, 9000, "the sum of bytes reached 9000 within 30 minutes"},
		{sigma.Correlation{Type: sigma.Temporal, Rules: []string{"a", "b", "c"}, Timespan: 7 * 24 * time.Hour}, 2, "2 of its 3 rules matched within 7 days"},
		{sigma.Correlation{Type: sigma.TemporalOrdered, Rules: []string{"a", "b"}, Timespan: 1500 * time.Millisecond}, 2, "its 2 rules matched in order within 1.5s"},
	}
	for _, tt := range tests {
		if got := correlationEvidence(&tt.c, sigma.Hit{Count: tt.n, Group: map[string]string{"person.id": "P-1"}}); got != tt.want {
			t.Errorf("correlationEvidence(%s) = %q, want %q", tt.c.Type, got, tt.want)
		}
	}
}
