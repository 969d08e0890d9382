package analytics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestEgress(t *testing.T) {
	newHire := Profile{PersonID: "p1", HireDate: at(-10, 0), Groups: []string{"eng"}}
	veteran := Profile{PersonID: "p1", HireDate: at(-800, 0), Groups: []string{"sales"}}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"astrill", scenario{profiles: []Profile{newHire}, events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.5")}},
			[]sig{{"p1", "N-01", "N-01:test-astrill"}}},
		{"ioc-address", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.8")}},
			[]sig{{"p1", "N-01", "N-01:test-ioc"}}},
		{"commercial-vpn", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.6")}},
			[]sig{{"p1", "N-02", "N-02:test-vpn"}}},
		{"hosting", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.7")}},
			[]sig{{"p1", "N-02", "N-02:test-hosting"}}},
		{"repeat-within-a-day-deduped", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "203.0.113.6"), signin("p1", at(0, 12), "203.0.113.6"), signin("p1", at(2, 9), "203.0.113.6"),
		}}, []sig{{"p1", "N-02", "N-02:test-vpn"}, {"p1", "N-02", "N-02:test-vpn"}}},
		{"vpn-then-hosting-same-day", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "203.0.113.6"), signin("p1", at(0, 10), "203.0.113.7"),
		}}, []sig{{"p1", "N-02", "N-02:test-hosting"}, {"p1", "N-02", "N-02:test-vpn"}}},
		{"corporate-vpn", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.100")}}, nil},
		{"corporate-range-on-a-vpn-list", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.102")}}, nil},
		{"ztna-egress", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "203.0.113.101")}}, nil},
		{"residential", scenario{events: []*unmask.Event{signin("p1", at(0, 9), "192.0.2.10")}}, nil},
		{"failed-sign-in", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "203.0.113.5", func(e *unmask.Event) { e.Outcome = unmask.OutcomeFailure }),
		}}, nil},
		{"approved-vpn-for-group", scenario{
			profiles:     []Profile{veteran},
			suppressions: []Suppression{{Group: "sales", Indicator: "N-02", Value: "test-vpn", Reason: "sales travel VPN"}},
			events:       []*unmask.Event{signin("p1", at(0, 9), "203.0.113.6")},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewEgress(EgressOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEgressWeightsNewHireAndUnmanaged(t *testing.T) {
	tests := []struct {
		name    string
		profile Profile
		managed string
		want    float64
	}{
		{"veteran-managed", Profile{PersonID: "p1", HireDate: at(-800, 0)}, "true", 0.6},
		{"new-hire", Profile{PersonID: "p1", HireDate: at(-10, 0)}, "true", 0.9},
		{"new-hire-unmanaged", Profile{PersonID: "p1", HireDate: at(-10, 0)}, "false", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MustRun(t, scenario{profiles: []Profile{tt.profile}, events: []*unmask.Event{
				signin("p1", at(0, 9), "203.0.113.5", field(FieldDeviceManaged, tt.managed)),
			}}, NewEgress(EgressOptions{}))
			if len(got) != 1 || got[0].Weight < tt.want-1e-9 || got[0].Weight > tt.want+1e-9 {
				t.Fatalf("signals = %+v, want one with weight %v", got, tt.want)
			}
		})
	}
}

func TestDevices(t *testing.T) {
	issued := Profile{PersonID: "p1", AssignedSerials: []string{"C02ABC"}}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"unmanaged-device", scenario{profiles: []Profile{issued}, events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", field(FieldDeviceManaged, "false"), func(e *unmask.Event) { e.DeviceID = "byod-1" }),
		}}, []sig{{"p1", "N-05", "N-05:unmanaged:byod-1"}}},
		{"never-enrolled-device", scenario{events: []*unmask.Event{
			event(unmask.KindDeviceInventory, "p1", at(0, 8), func(e *unmask.Event) { e.DeviceID = "mdm-1"; e.Serial = "C02ABC" }),
			signin("p1", at(0, 9), "192.0.2.10", func(e *unmask.Event) { e.DeviceID = "mdm-1" }),
			signin("p1", at(0, 10), "192.0.2.10", func(e *unmask.Event) { e.DeviceID = "other-7" }),
		}}, []sig{{"p1", "N-05", "N-05:unenrolled:other-7"}}},
		{"no-laptop-issued", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", field(FieldDeviceManaged, "false")),
		}}, nil},
		{"no-device-information", scenario{profiles: []Profile{issued}, events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10"),
		}}, nil},
		{"managed-device", scenario{profiles: []Profile{issued}, events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", field(FieldDeviceManaged, "true"), func(e *unmask.Event) { e.DeviceID = "mdm-1" }),
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewDevices(DeviceOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLaptopFarm(t *testing.T) {
	people := []Profile{
		{PersonID: "p1", Home: Place{Key: "home-a"}},
		{PersonID: "p2", Home: Place{Key: "home-b"}},
		{PersonID: "p3", Home: Place{Key: "home-c"}},
		{PersonID: "wife", Home: Place{Key: "home-d"}},
		{PersonID: "husband", Home: Place{Key: "home-d"}},
	}
	inventory := func(person string, t time.Time, ip string) *unmask.Event {
		return event(unmask.KindDeviceInventory, person, t, func(e *unmask.Event) { e.SourceIP = ip; e.DeviceID = "dev-" + person })
	}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"three-households-one-ip", scenario{profiles: people, events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10"), signin("p2", at(0, 10), "192.0.2.10"), inventory("p3", at(0, 20), "192.0.2.10"),
		}}, []sig{{"p1", "N-03", "N-03:192.0.2.10"}, {"p2", "N-03", "N-03:192.0.2.10"}, {"p3", "N-03", "N-03:192.0.2.10"}}},
		{"ipv6-same-home-prefix", scenario{profiles: people, events: []*unmask.Event{
			signin("p1", at(0, 9), "2001:db8:aa:1::10"), signin("p2", at(0, 10), "2001:db8:aa:1:8c3f::77"),
		}}, []sig{{"p1", "N-03", "N-03:2001:db8:aa:1::/64"}, {"p2", "N-03", "N-03:2001:db8:aa:1::/64"}}},
		{"ipv6-neighbours-different-prefixes", scenario{profiles: people, events: []*unmask.Event{
			signin("p1", at(0, 9), "2001:db8:aa:1::10"), signin("p2", at(0, 10), "2001:db8:aa:2::10"),
		}}, nil},
		{"married-couple-share-home-ip", scenario{profiles: people, events: []*unmask.Event{
			signin("wife", at(0, 9), "192.0.2.11"), signin("husband", at(0, 9.5), "192.0.2.11"),
		}}, nil},
		{"days-apart", scenario{profiles: people, events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.12"), signin("p2", at(3, 9), "192.0.2.12"),
		}}, nil},
		{"corporate-egress", scenario{profiles: people, events: []*unmask.Event{
			signin("p1", at(0, 9), "203.0.113.100"), signin("p2", at(0, 9), "203.0.113.100"), signin("p3", at(0, 9), "203.0.113.100"),
		}}, nil},
		{"shared-vpn-exit", scenario{profiles: people, events: []*unmask.Event{
			signin("p1", at(0, 9), "203.0.113.6"), signin("p2", at(0, 9), "203.0.113.6"),
		}}, nil},
		{"private-address", scenario{profiles: people, events: []*unmask.Event{
			inventory("p1", at(0, 9), "10.0.0.5"), inventory("p2", at(0, 9), "10.0.0.5"),
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewLaptopFarm(FarmOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHomeDistance(t *testing.T) {
	chicago := Profile{PersonID: "p1", Home: Place{Key: "h", Lat: 41.85, Lon: -87.65, Geocoded: true}}
	series := func(ips ...string) []*unmask.Event {
		var out []*unmask.Event
		for i, ip := range ips {
			out = append(out, signin("p1", at(i, 9), ip))
		}
		return out
	}
	repeat := func(ip string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = ip
		}
		return out
	}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"always-far", scenario{profiles: []Profile{chicago}, events: series(repeat("198.51.100.90", 10)...)},
			[]sig{{"p1", "N-04", "N-04"}}},
		{"at-home", scenario{profiles: []Profile{chicago}, events: series(repeat("192.0.2.10", 12)...)}, nil},
		{"occasional-traveller", scenario{profiles: []Profile{chicago}, events: series(append(repeat("192.0.2.10", 9), repeat("198.51.100.50", 3)...)...)}, nil},
		{"far-but-via-vpn", scenario{profiles: []Profile{chicago}, events: series(repeat("203.0.113.6", 12)...)}, nil},
		{"no-geocoded-home", scenario{profiles: []Profile{{PersonID: "p1"}}, events: series(repeat("198.51.100.90", 12)...)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewHomeDistance(HomeOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImpossibleTravel(t *testing.T) {
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"chicago-to-seoul-in-an-hour", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10"), signin("p1", at(0, 10), "198.51.100.90"),
		}}, []sig{{"p1", "N-06", "N-06:US>KR"}}},
		{"chicago-to-london-overnight-flight", scenario{events: []*unmask.Event{
			signin("p1", at(0, 17), "192.0.2.10"), signin("p1", at(1, 8), "198.51.100.50"),
		}}, nil},
		{"new-york-to-tokyo-direct-flight", scenario{events: []*unmask.Event{
			signin("p1", at(0, 10), "198.51.100.1"), signin("p1", at(0, 24), "198.51.100.70"),
		}}, nil},
		{"hop-through-commercial-vpn", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10"), signin("p1", at(0, 9.5), "203.0.113.6"),
		}}, []sig{{"p1", "N-06", "N-06:vpn:US>NL"}}},
		{"corporate-ztna-egress-abroad", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10"), signin("p1", at(0, 9.5), "203.0.113.101"), signin("p1", at(0, 10), "192.0.2.10"),
		}}, nil},
		{"same-city-new-ip", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10"), signin("p1", at(0, 9.1), "192.0.2.11"),
		}}, nil},
		{"source-geo-without-ip-intelligence", scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "100.64.0.1", geo("US", 41.88, -87.63)), signin("p1", at(0, 9.5), "100.64.0.2", geo("RU", 55.76, 37.62)),
		}}, []sig{{"p1", "N-06", "N-06:US>RU"}}},
		{"late-event-ignored", scenario{events: []*unmask.Event{
			signin("p1", at(0, 10), "192.0.2.10"), signin("p1", at(0, 9), "198.51.100.90"),
		}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewImpossibleTravel(TravelOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func geo(country string, lat, lon float64) func(*unmask.Event) {
	return func(e *unmask.Event) { e.Geo = &unmask.GeoPoint{Country: country, Lat: lat, Lon: lon} }
}

func TestSessionReplay(t *testing.T) {
	sess := func(id, ua string) func(*unmask.Event) {
		return func(e *unmask.Event) { e.SessionID, e.UserAgent = id, ua }
	}
	const chrome, curl = "Mozilla/5.0 Chrome/140.0", "curl/8.5.0"
	tests := []struct {
		name string
		opts SessionOptions
		sc   scenario
		want []sig
	}{
		{"two-networks", SessionOptions{}, scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", sess("s1", chrome)), signin("p1", at(0, 11), "203.0.113.7", sess("s1", chrome)),
		}}, []sig{{"p1", "N-07", "N-07:s1:asn"}}},
		{"two-user-agents", SessionOptions{}, scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", sess("s2", chrome)), signin("p1", at(0, 9.5), "192.0.2.10", sess("s2", curl)),
		}}, []sig{{"p1", "N-07", "N-07:s2:ua"}}},
		{"home-then-corporate-vpn", SessionOptions{}, scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", sess("s3", chrome)), signin("p1", at(0, 10), "203.0.113.100", sess("s3", chrome)),
			signin("p1", at(0, 11), "192.0.2.11", sess("s3", chrome)),
		}}, nil},
		{"one-network-many-events", SessionOptions{}, scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", sess("s4", chrome)), signin("p1", at(0, 10), "192.0.2.11", sess("s4", chrome)),
			signin("p1", at(0, 11), "192.0.2.12", sess("s4", chrome)),
		}}, nil},
		{"outlives-policy", SessionOptions{MaxAge: 72 * time.Hour}, scenario{events: []*unmask.Event{
			signin("p1", at(0, 9), "192.0.2.10", sess("s5", chrome)), signin("p1", at(4, 9), "192.0.2.10", sess("s5", chrome)),
		}}, []sig{{"p1", "N-07", "N-07:s5:age"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, tt.sc, NewSessionReplay(tt.opts)))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
