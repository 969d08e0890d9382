package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/unmasktest"
)

// benchEvents returns n events shaped like decoded Okta sign-ins: about 20 fields and a
// 1 KB raw record each.
func benchEvents(n int) []*unmask.Event {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*unmask.Event, n)
	for i := range out {
		u := (i * 7919) % 500
		raw := fmt.Appendf(nil, `{"uuid":"9a1c0f6e-%04d-4c4e-9b1a-%012d","eventType":"user.session.start","actor":{"alternateId":"user%d@contoso.example"},"pad":"%0900d"}`, u, i, u, i)
		out[i] = &unmask.Event{
			ID: unmask.EventID("okta", base.Add(time.Duration(i)*time.Second), raw), Time: base.Add(time.Duration(i) * time.Second), Source: "okta",
			Kind: unmask.KindSignIn, Action: "user.session.start", Outcome: unmask.OutcomeSuccess,
			Actor: fmt.Sprintf("user%d@contoso.example", u), SourceIP: fmt.Sprintf("198.51.100.%d", u%250),
			UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
			SessionID: fmt.Sprintf("102abc%d", i),
			Geo:       &unmask.GeoPoint{Country: "United States", Region: "Colorado", City: "Boulder", Lat: 40.01, Lon: -105.27, ASN: 7922, ASOrg: "comcast"},
			Fields: map[string]string{
				"eventType": "user.session.start", "displayMessage": "User login to Okta", "severity": "INFO",
				"uuid": fmt.Sprintf("9a1c0f6e-%04d-4c4e-9b1a-%012d", u, i), "actor.id": fmt.Sprintf("00u%d", u),
				"actor.type": "User", "actor.displayName": fmt.Sprintf("User %d", u), "outcome.result": "SUCCESS",
				"client.userAgent.os": "Mac OS X", "client.userAgent.browser": "SAFARI",
				"client.geographicalContext.postalCode": "80302", "authenticationContext.authenticationStep": "0",
				"securityContext.isp": "comcast", "securityContext.domain": "comcast.net", "securityContext.isProxy": "false",
				"transaction.id": fmt.Sprintf("W%d", i), "transaction.type": "WEB",
				"debugContext.debugData.requestUri": "/api/v1/authn", "debugContext.debugData.deviceFingerprint": fmt.Sprintf("f%d", u),
			},
			Raw: raw, IngestedAt: base,
		}
	}
	return out
}

// BenchmarkInsertEvents stores 24,000 new events into a fresh store, in transactions of
// 1,000 events (the ingest batch) and of 8,000 (what ingest commits at once when the store
// falls behind the decoder), and reports the CPU time per event besides the rate.
func BenchmarkInsertEvents(b *testing.B) {
	const n = 24_000
	events := benchEvents(n)
	for _, batch := range []int{1000, 8000} {
		b.Run(fmt.Sprintf("Batch%d", batch), func(b *testing.B) {
			b.ReportAllocs()
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				db := MustOpenDB(b, filepath.Join(b.TempDir(), "unmask.db"))
				c0 := unmasktest.CPUTime()
				b.StartTimer()
				for i := 0; i < n; i += batch {
					created, err := db.InsertEvents(b.Context(), events[i:i+batch])
					if err != nil || len(created) != batch {
						b.Fatalf("created %d of %d: %v", len(created), batch, err)
					}
				}
				b.StopTimer()
				cpu += unmasktest.CPUTime() - c0
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(n*b.N), "cpu-ns/event")
		})
	}
}
