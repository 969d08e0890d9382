package identity

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/minhash"
	"github.com/unmask/unmask/internal/resume"
)

// scaleN is the number of synthetic applicants BenchmarkScreen indexes; set
// UNMASK_SCALE_N to change it (the default is one million).
func scaleN(tb testing.TB) int {
	tb.Helper()
	if s := os.Getenv("UNMASK_SCALE_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1000 {
			tb.Fatalf("UNMASK_SCALE_N=%q: need an integer ≥ 1000", s)
		}
		return n
	}
	return 1_000_000
}

// vocab is the word list synthetic résumés are drawn from.
var vocab = func() []string {
	out := make([]string, 5000)
	for i := range out {
		out[i] = "w" + strconv.Itoa(i)
	}
	return out
}()

// synthResume returns the words of applicant i's résumé: 60 words drawn deterministically.
func synthResume(i int) []string {
	r := rand.New(rand.NewPCG(uint64(i), 0xC0FFEE))
	w := make([]string, 60)
	for j := range w {
		w[j] = vocab[r.IntN(len(vocab))]
	}
	return w
}

func synthIdents(i int) []Ident {
	return []Ident{
		{Kind: unmask.IdentEmail, Key: "e" + strconv.Itoa(i), Display: "a***@example.com"},
		{Kind: unmask.IdentPhone, Key: "p" + strconv.Itoa(i), Display: "+1 ***-***-0000"},
		{Kind: unmask.IdentAddress, Key: "h" + strconv.Itoa(i/2), Display: "*** 00000, US"},
	}
}

type scaleWorld struct {
	ids   *Index
	lsh   *minhash.Index
	build time.Duration
}

func buildWorld(b *testing.B, n int) scaleWorld {
	b.Helper()
	start := time.Now()
	ids := NewIndex(n)
	store := minhash.NewMemoryStore(n)
	lsh, err := minhash.NewIndex(minhash.DefaultParams, store)
	if err != nil {
		b.Fatal(err)
	}
	ctx := b.Context()
	for i := range n {
		p := &unmask.Person{ID: "a" + strconv.Itoa(i), DisplayName: "Applicant " + strconv.Itoa(i), Kind: unmask.PersonApplicant}
		ids.Add(p, synthIdents(i))
		sig := minhash.Sign(minhash.Shingles(synthResume(i), resume.ShingleSize))
		if err := lsh.Add(ctx, p.ID, &sig); err != nil {
			b.Fatal(err)
		}
	}
	return scaleWorld{ids: ids, lsh: lsh, build: time.Since(start)}
}

// peakRSS returns the process's peak resident set in MiB from /proc, or 0 where that is
// not available.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkScreen indexes scaleN synthetic applicants (three identifiers each and a MinHash
// signature of a 60-word résumé), then screens one new applicant per iteration: identifier
// lookups plus an LSH near-duplicate query. It reports the build time, memory and the
// p50/p99 screening latency. Run it alone:
//
//	go test -run='^$' -bench=Screen -benchtime=2000x ./internal/identity/
func BenchmarkScreen(b *testing.B) {
	n := scaleN(b)
	runtime.GC()
	w := buildWorld(b, n)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var lat []time.Duration
	hits := 0
	i := 0
	for b.Loop() {
		// Every tenth query reuses an indexed applicant's e-mail and résumé under a new name.
		src := n + i
		if i%10 == 0 {
			src = (i * 7919) % n
		}
		p := &unmask.Person{ID: fmt.Sprintf("q%d", i), DisplayName: "Query Person " + strconv.Itoa(i), Kind: unmask.PersonApplicant}
		text := strings.Join(synthResume(src), " ")
		start := time.Now()
		sigs := w.ids.Screen(p, synthIdents(src)[:2], Options{})
		sig := minhash.Sign(resume.Shingles(text))
		matches, err := w.lsh.Query(b.Context(), &sig, 0.8)
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		hits += len(sigs) + len(matches)
		i++
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(float64(n), "applicants")
	b.ReportMetric(w.build.Seconds(), "build-s")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(peakRSS(), "peak-rss-MiB")
	b.ReportMetric(pct(0.5), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	if hits == 0 {
		b.Fatal("no query found its planted duplicate")
	}
}
