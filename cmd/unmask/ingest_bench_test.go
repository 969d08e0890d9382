package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/okta"
	"github.com/unmask/unmask/internal/unmasktest"
)

// oktaRecords writes n realistic Okta System Log records (about 1 KB each) for 500 users.
func oktaRecords(n int) []byte {
	var b bytes.Buffer
	writeOktaRecords(&b, 0, n)
	return b.Bytes()
}

// writeOktaRecords writes records from..to-1 of the oktaRecords sequence to w.
func writeOktaRecords(w io.Writer, from, to int) {
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := from; i < to; i++ {
		u := (i * 7919) % 500
		fmt.Fprintf(w, `{"uuid":"9a1c0f6e-%04d-4c4e-9b1a-%012d","published":%q,"eventType":"user.session.start","displayMessage":"User login to Okta","severity":"INFO",`+
			`"actor":{"id":"00u%d","type":"User","alternateId":"user%d@contoso.example","displayName":"User %d"},`+
			`"client":{"ipAddress":"198.51.100.%d","userAgent":{"rawUserAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15","os":"Mac OS X","browser":"SAFARI"},`+
			`"geographicalContext":{"city":"Boulder","state":"Colorado","country":"United States","postalCode":"80302","geolocation":{"lat":40.01,"lon":-105.27}}},`+
			`"outcome":{"result":"SUCCESS"},"authenticationContext":{"externalSessionId":"102abc%d","authenticationStep":0},`+
			`"securityContext":{"asNumber":7922,"asOrg":"comcast","isp":"comcast","domain":"comcast.net","isProxy":false},`+
			`"debugContext":{"debugData":{"requestUri":"/api/v1/authn","deviceFingerprint":"f%d"}},"transaction":{"type":"WEB","id":"W%d"}}`+"\n",
			u, i, base.Add(time.Duration(i)*time.Second).Format(time.RFC3339Nano), u, u, u, u%250, i, u, i)
	}
}

// benchEvents is the records per iteration: UNMASK_BENCH_EVENTS, default 20,000.
func benchEvents(b *testing.B) int {
	n := 20_000
	if s := os.Getenv("UNMASK_BENCH_EVENTS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("UNMASK_BENCH_EVENTS=%q: want a positive integer", s)
		}
	}
	return n
}

// BenchmarkIngestOkta measures end-to-end ingest of Okta NDJSON on the embedded default
// (a fresh SQLite store per iteration), the way `unmask ingest --source okta` runs it:
// decode, roster, resolve and store, with detection (Detect) and without (NoDetect,
// --no-detect). Decode is the decoder alone into a discarding sink, for comparison.
// UNMASK_BENCH_EVENTS sets the records per iteration (default 20,000).
func BenchmarkIngestOkta(b *testing.B) {
	n := benchEvents(b)
	data := oktaRecords(n)
	b.Run("Decode", func(b *testing.B) {
		f := okta.New(0)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		var use usage
		for b.Loop() {
			use.start()
			var s countSink
			if err := f.Decode(b.Context(), bytes.NewReader(data), &s); err != nil || s.events != n {
				b.Fatalf("decoded %d of %d: %v", s.events, n, err)
			}
			use.stop()
		}
		use.report(b, n)
	})
	b.Run("NoDetect", func(b *testing.B) { benchIngest(b, data, n, false) })
	b.Run("Detect", func(b *testing.B) { benchIngest(b, data, n, true) })
}

// benchIngest ingests data (n Okta records) into a fresh store per iteration.
func benchIngest(b *testing.B, data []byte, n int, detect bool) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var use usage
	for b.Loop() {
		b.StopTimer()
		m, p := benchProcessor(b, detect)
		b.StartTimer()
		use.start()
		st, err := p.run(adminContext(b.Context()), "okta", "bench", bytes.NewReader(data), nil)
		if err != nil || st.Accepted != n {
			b.Fatalf("accepted %d of %d: %v", st.Accepted, n, err)
		}
		use.stop()
		b.StopTimer()
		m.Close()
		b.StartTimer()
	}
	use.report(b, n)
}

// benchProcessor opens a fresh embedded store and the processing chain over it.
func benchProcessor(b *testing.B, detect bool) (*Main, *processor) {
	b.Helper()
	m, p := openProcessor(b, b.TempDir())
	if !detect {
		p.forward = func(context.Context, []*unmask.Event) error { return nil } // as ingest --no-detect
	}
	return m, p
}

// usage adds up the CPU time and heap allocations of the measured parts of a benchmark.
// CPU time per event is the figure to compare on a shared machine, where wall time
// depends on what else runs.
type usage struct {
	cpu, cpu0       time.Duration
	mallocs, alloc0 uint64
}

func (u *usage) start() {
	u.cpu0, u.alloc0 = unmasktest.CPUTime(), mallocs()
}

func (u *usage) stop() {
	u.cpu += unmasktest.CPUTime() - u.cpu0
	u.mallocs += mallocs() - u.alloc0
}

// report reports events/s, CPU time per event (all goroutines, GC included) and heap
// allocations per event, for b.N runs of n events.
func (u *usage) report(b *testing.B, n int) {
	events := float64(n * b.N)
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	if u.cpu > 0 {
		b.ReportMetric(float64(u.cpu.Nanoseconds())/events, "cpu-ns/event")
	}
	b.ReportMetric(float64(u.mallocs)/events, "allocs/event")
}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

// BenchmarkIngestOkta1GB ingests a 1 GiB Okta NDJSON file (about 1.1 million records, made in
// a temporary directory and removed after) with the built binary, `unmask ingest --source
// okta FILE` into a fresh embedded store, without detection (NoDetect) and with it
// (Detect), and reports the rate and the process's peak resident memory, which must stay
// bounded whatever the file's size. It runs only with UNMASK_BENCH_1GB=1;
// UNMASK_BENCH_1GB_MB sets another size in MiB.
func BenchmarkIngestOkta1GB(b *testing.B) {
	if os.Getenv("UNMASK_BENCH_1GB") != "1" {
		b.Skip("set UNMASK_BENCH_1GB=1 to ingest a 1 GiB file")
	}
	size := int64(1 << 30)
	if s := os.Getenv("UNMASK_BENCH_1GB_MB"); s != "" {
		mb, err := strconv.Atoi(s)
		if err != nil || mb <= 0 {
			b.Fatalf("UNMASK_BENCH_1GB_MB=%q: want a positive integer", s)
		}
		size = int64(mb) << 20
	}
	bin := buildUnmask(b)
	path, n := writeOktaFile(b, size)
	for _, detect := range []bool{false, true} {
		name := "NoDetect"
		if detect {
			name = "Detect"
		}
		b.Run(name, func(b *testing.B) {
			args := []string{"ingest", "--source", "okta", path}
			if !detect {
				args = append(args, "--no-detect")
			}
			var rss int64
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(bin, args...)
				cmd.Env = subprocessEnv(b.TempDir())
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					b.Fatalf("unmask %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
				}
				if want := fmt.Sprintf("okta: %d accepted, 0 duplicate, 0 rejected", n); !strings.Contains(stdout.String(), want) {
					b.Fatalf("unmask ingest said %q, want %q", stdout.String(), want)
				}
				rss = max(rss, unmasktest.PeakRSS(cmd.ProcessState))
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			events := float64(n * b.N)
			b.SetBytes(size)
			b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(cpu.Nanoseconds())/events, "cpu-ns/event")
			b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
		})
	}
}

// writeOktaFile writes Okta NDJSON records (oktaRecords's) to a temporary file until it
// holds at least size bytes, and returns its path and the number of records.
func writeOktaFile(b *testing.B, size int64) (string, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "okta.ndjson")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	cw := &countingWriter{w: w}
	n := 0
	for cw.n < size {
		writeOktaRecords(cw, n, n+1000)
		n += 1000
	}
	if err := errors.Join(w.Flush(), f.Close()); err != nil {
		b.Fatal(err)
	}
	return path, n
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// countSink counts decoded events and drops them.
type countSink struct{ events, rejects int }

func (s *countSink) Accept(context.Context, *unmask.Event) error { s.events++; return nil }

func (s *countSink) Reject(context.Context, *ingest.Reject) error { s.rejects++; return nil }
