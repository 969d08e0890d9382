package risk

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// MustEngine returns an engine on a test clock at t0.
func MustEngine(tb testing.TB, cfg *Config) (*Engine, *clock) {
	tb.Helper()
	c := &clock{now: t0}
	e, err := NewEngine(Options{Config: cfg, Now: c.Now})
	if err != nil {
		tb.Fatal(err)
	}
	return e, c
}

func TestEngineRecomputesOnlyChangedPerson(t *testing.T) {
	e, c := MustEngine(t, nil)
	if _, err := e.Upsert(sig("a1", "alice", "N-01", 0), sig("b1", "bob", "O-02", 0)); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	got, err := e.Upsert(sig("a2", "alice", "§3.2", 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].PersonID != "alice" {
		t.Fatalf("Upsert returned %d scores, want alice's only", len(got))
	}
	alice, _ := e.Score("alice")
	bob, _ := e.Score("bob")
	if !alice.ComputedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("alice computed at %v, want the new time", alice.ComputedAt)
	}
	if !bob.ComputedAt.Equal(t0) {
		t.Errorf("bob recomputed at %v although his signals did not change", bob.ComputedAt)
	}
	// Rescore catches every person up with decay.
	c.Advance(days(60))
	for _, s := range e.Rescore() {
		if !s.ComputedAt.Equal(c.Now()) {
			t.Errorf("%s not rescored: computed at %v", s.PersonID, s.ComputedAt)
		}
	}
	if now, _ := e.Score("bob"); now.Score >= bob.Score {
		t.Errorf("bob's score did not decay over 60 days: %v then %v", bob.Score, now.Score)
	}
}

// TestEngineMatchesScore checks that any sequence of upserts and removals gives the same
// score as scoring the surviving signals from scratch.
func TestEngineMatchesScore(t *testing.T) {
	for _, seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			e, _ := MustEngine(t, nil)
			sub := randomSubject(r, "p")
			e.SetSubject(sub)
			live := map[string]unmask.Signal{}
			for i := range 300 {
				if r.IntN(4) == 0 && len(live) > 0 {
					for id := range live {
						e.Remove("p", id)
						delete(live, id)
						break
					}
					continue
				}
				s := randomSignal(r, "p", r.IntN(i+1)) // may replace an existing ID
				live[s.ID] = s
				if _, err := e.Upsert(s); err != nil {
					t.Fatal(err)
				}
			}
			var list []unmask.Signal
			for _, s := range live {
				list = append(list, s)
			}
			want := Score(DefaultConfig(), sub, list, t0)
			got, _ := e.Score("p")
			if diff := cmp.Diff(want.Score, got.Score); diff != "" {
				t.Errorf("incremental score differs from a full recompute (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEngineSubjectChangesStage(t *testing.T) {
	e, _ := MustEngine(t, nil)
	if _, err := e.Upsert(sig("r", "p", "§3.1", days(5))); err != nil {
		t.Fatal(err)
	}
	applicant, _ := e.Score("p")
	newHire := e.SetSubject(Subject{PersonID: "p", HireDate: t0.Add(-days(10))})
	if newHire.Score <= applicant.Score {
		t.Errorf("RMM in the first days of employment scored %v, not above %v", newHire.Score, applicant.Score)
	}
}

func TestEngineRejectsIncompleteSignals(t *testing.T) {
	e, _ := MustEngine(t, nil)
	tests := []struct {
		name string
		sig  unmask.Signal
	}{
		{"no-id", unmask.Signal{PersonID: "p", Indicator: "N-01"}},
		{"no-person", unmask.Signal{ID: "x", Indicator: "N-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Upsert(sig("ok", "p", "N-01", 0), tt.sig)
			if unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			if _, ok := e.Score("p"); ok {
				t.Fatal("a rejected batch changed the engine")
			}
		})
	}
}

func TestEngineApplyConfigAndRanking(t *testing.T) {
	e, _ := MustEngine(t, nil)
	if _, err := e.Upsert(sig("a", "vpn-user", "N-02", 0), sig("b", "rmm-user", "§3.1", 0)); err != nil {
		t.Fatal(err)
	}
	order := func() []string {
		var ids []string
		for _, s := range e.Ranking() {
			ids = append(ids, s.PersonID)
		}
		return ids
	}
	if diff := cmp.Diff([]string{"rmm-user", "vpn-user"}, order()); diff != "" {
		t.Fatalf("ranking (-want +got):\n%s", diff)
	}
	bad := DefaultConfig()
	bad.Scale = -1
	if err := e.ApplyConfig(bad); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Fatalf("ApplyConfig(bad) = %v, want EINVALID", err)
	}
	alt := DefaultConfig()
	alt.Indicators["N-02"] = IndicatorWeight{Weight: 30}
	if err := e.ApplyConfig(alt); err != nil {
		t.Fatal(err)
	}
	alt.Indicators["N-02"] = IndicatorWeight{Weight: 0} // the engine holds its own copy
	if diff := cmp.Diff([]string{"vpn-user", "rmm-user"}, order()); diff != "" {
		t.Fatalf("ranking after ApplyConfig (-want +got):\n%s", diff)
	}
	e.Forget("vpn-user")
	if diff := cmp.Diff([]string{"rmm-user"}, order()); diff != "" {
		t.Fatalf("ranking after Forget (-want +got):\n%s", diff)
	}
}

func TestEngineConcurrentUse(t *testing.T) {
	e, _ := MustEngine(t, nil)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			p := fmt.Sprintf("p%d", w)
			for i := range 200 {
				if _, err := e.Upsert(randomSignal(r, p, i)); err != nil {
					t.Error(err)
					return
				}
				e.Ranking()
			}
		})
	}
	wg.Wait()
	if got := len(e.Ranking()); got != 4 {
		t.Fatalf("%d people tracked, want 4", got)
	}
}

// BenchmarkEngineUpsert measures one incremental recompute: one new signal for one of
// 10,000 tracked people who hold 40 signals each.
func BenchmarkEngineUpsert(b *testing.B) {
	e, _ := MustEngine(b, nil)
	r := rand.New(rand.NewPCG(1, 2))
	for p := range 10000 {
		id := fmt.Sprintf("p%05d", p)
		e.SetSubject(randomSubject(r, id))
		if _, err := e.Upsert(randomSignals(r, id, 40)...); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		s := randomSignal(r, fmt.Sprintf("p%05d", i%10000), 40+i%10)
		if _, err := e.Upsert(s); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkScore measures scoring one person with 40 signals from scratch.
func BenchmarkScore(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	cfg := DefaultConfig()
	sub := randomSubject(r, "p")
	signals := randomSignals(r, "p", 40)
	for b.Loop() {
		Score(cfg, sub, signals, t0)
	}
}
