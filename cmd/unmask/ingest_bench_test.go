package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
	"time"
)

// oktaRecords writes n realistic Okta System Log records (about 1 KB each) for 500 users.
func oktaRecords(n int) []byte {
	var b bytes.Buffer
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		u := (i * 7919) % 500
		fmt.Fprintf(&b, `{"uuid":"9a1c0f6e-%04d-4c4e-9b1a-%012d","published":%q,"eventType":"user.session.start","displayMessage":"User login to Okta","severity":"INFO",`+
			`"actor":{"id":"00u%d","type":"User","alternateId":"user%d@contoso.example","displayName":"User %d"},`+
			`"client":{"ipAddress":"198.51.100.%d","userAgent":{"rawUserAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15","os":"Mac OS X","browser":"SAFARI"},`+
			`"geographicalContext":{"city":"Boulder","state":"Colorado","country":"United States","postalCode":"80302","geolocation":{"lat":40.01,"lon":-105.27}}},`+
			`"outcome":{"result":"SUCCESS"},"authenticationContext":{"externalSessionId":"102abc%d","authenticationStep":0},`+
			`"securityContext":{"asNumber":7922,"asOrg":"comcast","isp":"comcast","domain":"comcast.net","isProxy":false},`+
			`"debugContext":{"debugData":{"requestUri":"/api/v1/authn","deviceFingerprint":"f%d"}},"transaction":{"type":"WEB","id":"W%d"}}`+"\n",
			u, i, base.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano), u, u, u, u%250, i, u, i)
	}
	return b.Bytes()
}

// BenchmarkIngestOkta measures end-to-end ingest on the embedded default: decode, resolve,
// store and detect. UNMASK_BENCH_EVENTS sets the records per iteration (default 20,000).
func BenchmarkIngestOkta(b *testing.B) {
	n := 20_000
	if s := os.Getenv("UNMASK_BENCH_EVENTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	data := oktaRecords(n)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		m := NewMain()
		m.Getenv = env(b.TempDir())
		m.Stdin, m.Stdout, m.Stderr = bytes.NewReader(nil), io.Discard, io.Discard
		ctx := adminContext(b.Context())
		if err := m.loadConfig(); err != nil {
			b.Fatal(err)
		}
		if err := m.openDB(ctx, false); err != nil {
			b.Fatal(err)
		}
		p, err := m.newProcessor(ctx, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		st, err := p.run(ctx, "okta", "bench", bytes.NewReader(data), nil)
		if err != nil || st.Accepted != n {
			b.Fatalf("accepted %d of %d: %v", st.Accepted, n, err)
		}
		b.StopTimer()
		m.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "events/s")
}
