package analytics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestSuppressions(t *testing.T) {
	vpn := signin("p1", at(0, 9), "203.0.113.6")
	tests := []struct {
		name     string
		supp     Suppression
		profile  Profile
		wantSigs int
		wantHits int
	}{
		{"by-person", Suppression{PersonID: "p1", Reason: "r"}, Profile{PersonID: "p1"}, 0, 1},
		{"other-person", Suppression{PersonID: "p2", Reason: "r"}, Profile{PersonID: "p1"}, 1, 0},
		{"by-group", Suppression{Group: "SALES", Reason: "r"}, Profile{PersonID: "p1", Groups: []string{"sales"}}, 0, 1},
		{"by-indicator", Suppression{Indicator: "n-02", Reason: "r"}, Profile{PersonID: "p1"}, 0, 1},
		{"other-indicator", Suppression{Indicator: "N-01", Reason: "r"}, Profile{PersonID: "p1"}, 1, 0},
		{"value-prefix", Suppression{Value: "test-*", Reason: "r"}, Profile{PersonID: "p1"}, 0, 1},
		{"value-mismatch", Suppression{Value: "corp-vpn", Reason: "r"}, Profile{PersonID: "p1"}, 1, 0},
		{"expired", Suppression{PersonID: "p1", Reason: "r", Until: at(-1, 0)}, Profile{PersonID: "p1"}, 1, 0},
		{"not-yet-expired", Suppression{PersonID: "p1", Reason: "r", Until: at(1, 0)}, Profile{PersonID: "p1"}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			eng, err := New(Options{Detectors: []Detector{NewEgress(EgressOptions{})}, Lookup: lookupTable,
				Suppressions: []Suppression{tt.supp}, Now: func() time.Time { return monday }})
			if err != nil {
				t.Fatal(err)
			}
			eng.SetProfile(tt.profile)
			if got := len(eng.Process(vpn)); got != tt.wantSigs {
				t.Errorf("Process() gave %d signals, want %d", got, tt.wantSigs)
			}
			if diff := cmp.Diff([]int{tt.wantHits}, eng.SuppressionHits()); diff != "" {
				t.Errorf("SuppressionHits() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewRejectsBadSuppressions(t *testing.T) {
	tests := []struct {
		name    string
		supp    Suppression
		wantErr string
	}{
		{"no-reason", Suppression{PersonID: "p1"}, "reason required"},
		{"matches-everything", Suppression{Reason: "lazy"}, "would match everything"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(Options{Suppressions: []Suppression{tt.supp}})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New() error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestEngineBasics(t *testing.T) {
	eng, err := New(Options{Lookup: lookupTable, Now: func() time.Time { return at(5, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	unresolved := signin("", at(0, 9), "203.0.113.5")
	if got := eng.Process(unresolved); got != nil {
		t.Errorf("Process(unresolved) = %+v, want nil", got)
	}
	if got := eng.Process(nil); got != nil {
		t.Errorf("Process(nil) = %+v, want nil", got)
	}
	first := eng.Process(signin("p1", at(0, 9), "203.0.113.5"))
	again := eng.Process(signin("p1", at(0, 10), "203.0.113.5"))
	if len(first) != 1 || len(again) != 0 {
		t.Fatalf("dedupe: first %d signals, repeat %d; want 1 and 0", len(first), len(again))
	}
	eng.Process(signin("p2", at(3, 9), "192.0.2.10"))
	eng.Sweep()
	if len(eng.recent) != 0 {
		t.Errorf("after Sweep three days later the dedupe table holds %d entries, want 0", len(eng.recent))
	}
	s := first[0]
	if s.Detector != "analytics:egress" || s.Indicator != "N-01" || !s.CreatedAt.Equal(at(5, 0)) || s.Count != 1 || len(s.EventIDs) != 1 {
		t.Errorf("signal = %+v", s)
	}
}

// TestSweepOrder checks that Sweep returns signals in person order whatever the map
// iteration order, so runs are reproducible.
func TestSweepOrder(t *testing.T) {
	for range 5 {
		eng, err := New(Options{Now: func() time.Time { return at(30, 0) }})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := range 20 {
			id := fmt.Sprintf("p%02d", i)
			want = append(want, id)
			eng.SetProfile(Profile{PersonID: id, HireDate: at(0, 0)})
			// As many colleagues with hardware keys: the organisation uses them (O-06).
			eng.SetProfile(Profile{PersonID: fmt.Sprintf("h%02d", i), HireDate: at(0, 0), HardwareFactor: true})
		}
		var got []string
		for _, s := range eng.Sweep() {
			got = append(got, s.PersonID)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("Sweep() order mismatch (-want +got):\n%s", diff)
		}
	}
}

// ExampleEngine shows a new hire signing in through Astrill VPN from an unmanaged device.
func ExampleEngine() {
	lookup := lookupTable // in production: (*ipintel.Intel).Lookup
	eng, err := New(Options{Lookup: lookup, Now: func() time.Time { return at(0, 12) }})
	if err != nil {
		panic(err)
	}
	eng.SetProfile(Profile{PersonID: "p1", HireDate: at(-12, 0), AssignedSerials: []string{"C02ABC"}})
	ev := &unmask.Event{ID: "okta-1", Time: at(0, 9), Source: "okta", Kind: unmask.KindSignIn, PersonID: "p1",
		SourceIP: "203.0.113.5", DeviceID: "byod-7", Target: "Okta Dashboard",
		Fields: map[string]string{FieldDeviceManaged: "false"}}
	for _, s := range eng.Process(ev) {
		fmt.Printf("%s %s %.2f: %s\n", s.Indicator, s.Severity, s.Weight, s.Explanation)
	}
	// Output:
	// N-01 high 1.00: Sign-in from 203.0.113.5 (AS9009 ASTRILL-VPN, US), which the test-astrill feed lists as Astrill VPN egress; the person was hired 12 days earlier and the device is unmanaged.
	// N-05 medium 0.40: Sign-in to Okta Dashboard from a device the identity provider reports as unmanaged, although the person was issued a managed laptop.
}

// TestRemoveProfile checks that a removed person's per-person state is gone: the same
// impossible-travel pair after removal compares with nothing.
func TestRemoveProfile(t *testing.T) {
	eng, err := New(Options{Lookup: lookupTable, Now: func() time.Time { return monday }})
	if err != nil {
		t.Fatal(err)
	}
	eng.SetProfile(Profile{PersonID: "p1", HireDate: at(-400, 0)})
	eng.Process(signin("p1", at(0, 9), "192.0.2.10"))
	eng.RemoveProfile("p1")
	if got := eng.Process(signin("p1", at(0, 10), "198.51.100.90")); len(got) != 0 {
		t.Errorf("after RemoveProfile, Process() = %+v; want no travel signal", got)
	}
	for _, d := range DefaultDetectors(Config{}) {
		switch d.(type) {
		case *Egress, *LaptopFarm: // stateless, or state keyed by address
		default:
			if _, ok := d.(Forgetter); !ok {
				t.Errorf("%T keeps per-person state but is not a Forgetter", d)
			}
		}
	}
}
