package ruleset

import (
	"fmt"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// TestDetectorFixtures runs every rule's fixtures through the detector path, as domain
// events, over the rule and the rules it references: each true positive raises a signal
// of the rule with its first indicator (detections on every line, correlations somewhere
// in the file), and no false positive does.
func TestDetectorFixtures(t *testing.T) {
	pack := MustLoad(t, Options{})
	for _, en := range pack.cur.Load().entries {
		t.Run(en.rule.Name, func(t *testing.T) {
			s := closureSet(t, pack, en.rule)
			ind, err := Indicators(en.rule)
			if err != nil || len(ind) == 0 {
				t.Fatalf("rule has no indicators: %v", err)
			}
			for _, kind := range []string{rules.TruePositive, rules.FalsePositive} {
				files, err := rules.Fixtures(en.meta.ID, kind)
				if err != nil || len(files) == 0 {
					t.Fatalf("no %s fixtures: %v", kind, err)
				}
				for _, f := range files {
					t.Run(kind+"_"+strings.TrimSuffix(path.Base(f), ".jsonl"), func(t *testing.T) {
						checkDetector(t, NewDetector(s), en.rule, ind[0], kind == rules.TruePositive, f)
					})
				}
			}
		})
	}
}

// checkDetector runs one fixture file through a fresh detector.
func checkDetector(t *testing.T, d *Detector, r *sigma.Rule, indicator string, want bool, file string) {
	t.Helper()
	person := ""
	if want {
		person = fixturePerson
	}
	seen := false
	for _, fe := range MustFixture(t, file) {
		e := toEvent(fe, file, person)
		got := byDetector(detectAll(t, d, e), r.ID)
		for _, s := range got {
			if s.Indicator != indicator || s.PersonID != e.PersonID || !slicesEqual(s.EventIDs, []string{e.ID}) {
				t.Errorf("line %d: signal %+v, want indicator %s for %s from event %s", fe.Line, s, indicator, e.PersonID, e.ID)
			}
		}
		seen = seen || len(got) > 0
		if r.Kind == sigma.KindDetection && (len(got) > 0) != want {
			t.Errorf("line %d: %d signals of %s, want fired = %v; event %+v", fe.Line, len(got), r.Name, want, e)
		}
	}
	if r.Kind != sigma.KindDetection && seen != want {
		t.Errorf("correlation %s fired = %v over the file, want %v", r.Name, seen, want)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// TestDetectorWholePack runs each detection rule's first true positive through the whole
// pack: every rule reports but the informational context rule, which only feeds the O-09
// correlation (generate: false); that correlation's intermediate rule is silent too,
// while O-09 itself reports.
func TestDetectorWholePack(t *testing.T) {
	s := MustLoad(t, Options{})
	for _, en := range s.cur.Load().entries {
		if en.rule.Kind != sigma.KindDetection {
			continue
		}
		t.Run(en.rule.Name, func(t *testing.T) {
			files, _ := rules.Fixtures(en.meta.ID, rules.TruePositive)
			fe := MustFixture(t, files[0])[0]
			got := byDetector(detectAll(t, NewDetector(s), toEvent(fe, files[0], fixturePerson)), en.meta.ID)
			if want := en.rule.Level != "informational"; (len(got) > 0) != want {
				t.Errorf("pack reports %s = %v, want %v", en.rule.Name, len(got) > 0, want)
			}
		})
	}
	o9 := MustEntry(t, s, "unmask_corr_remote_access_after_delivery")
	files, _ := rules.Fixtures(o9.meta.ID, rules.TruePositive)
	d := NewDetector(s)
	var sigs []unmask.Signal
	for _, fe := range MustFixture(t, files[0]) {
		sigs = append(sigs, detectAll(t, d, toEvent(fe, files[0], fixturePerson))...)
	}
	for _, ref := range []string{"unmask_hr_laptop_shipment", "unmask_corr_remote_access_person"} {
		if got := byDetector(sigs, MustEntry(t, s, ref).meta.ID); len(got) > 0 {
			t.Errorf("%s reported on its own: %+v", ref, got)
		}
	}
	if got := byDetector(sigs, o9.meta.ID); len(got) != 1 || got[0].Indicator != "O-09" || got[0].Severity != unmask.SeverityCritical {
		t.Errorf("O-09 signals = %+v, want one critical O-09 signal", got)
	}
}

// TestDetectorSignal checks every field of one detection signal and one correlation
// signal.
func TestDetectorSignal(t *testing.T) {
	s := MustLoad(t, Options{})
	d := NewDetector(s)
	ev := anydesk()
	got := detectAll(t, d, ev)
	ra := MustEntry(t, s, "unmask_ra_anydesk").meta.ID
	person := MustEntry(t, s, "unmask_corr_remote_access_person").meta.ID
	want := []unmask.Signal{{
		PersonID: "P-1", Indicator: "§3.1", Detector: "sigma:" + ra, Severity: unmask.SeverityMedium,
		Weight: 0.5, EventIDs: []string{"ev-anydesk"}, Key: ra + "@P-1", Time: FixtureTime, LastSeen: FixtureTime, Count: 1,
		Explanation: `AnyDesk remote-access tool on an endpoint: process C:\Program Files (x86)\AnyDesk\AnyDesk.exe started on host LAPTOP-7 (rule unmask_ra_anydesk).`,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("signals (-want +got):\n%s", diff)
	}
	if len(byDetector(got, person)) != 0 {
		t.Errorf("the intermediate correlation reported: %+v", got)
	}

	rust := anydesk()
	rust.ID, rust.Time = "ev-rustdesk", FixtureTime.Add(time.Hour)
	rust.Fields = map[string]string{"EventID": "1", "Image": `C:\Users\jdoe\rustdesk.exe`}
	multi := MustEntry(t, s, "unmask_corr_multi_remote_access_host").meta.ID
	corr := byDetector(detectAll(t, d, rust), multi)
	wantCorr := []unmask.Signal{{
		PersonID: "P-1", Indicator: "§3.1", Detector: "sigma:" + multi, Severity: unmask.SeverityHigh,
		Weight: 0.75, EventIDs: []string{"ev-rustdesk"}, Key: multi + "@P-1|host.name=LAPTOP-7",
		Time: rust.Time, LastSeen: rust.Time, Count: 1,
		Explanation: `Several different remote-access tools on one host within 7 days: 2 of its 11 rules matched within 7 days for host.name LAPTOP-7; the last was process C:\Users\jdoe\rustdesk.exe started on host LAPTOP-7 (rule unmask_corr_multi_remote_access_host).`,
	}}
	if diff := cmp.Diff(wantCorr, corr); diff != "" {
		t.Errorf("correlation signals (-want +got):\n%s", diff)
	}
}

// TestDetectorSkips checks that events without a person raise nothing and that disabled
// rules, by the store or by the options, raise nothing while others still do.
func TestDetectorSkips(t *testing.T) {
	s := MustLoad(t, Options{Disabled: []string{"9e1c0f00-0000-4000-8000-000000000000"}})
	ra := MustEntry(t, s, "unmask_ra_anydesk").meta.ID
	unresolved := anydesk()
	unresolved.PersonID = ""
	if got := detectAll(t, NewDetector(s), unresolved); len(got) != 0 {
		t.Errorf("unresolved event raised %+v", got)
	}
	s.SetEnabled(ra, false)
	if s.Enabled(ra) {
		t.Fatal("SetEnabled(false) left the rule enabled")
	}
	if got := detectAll(t, NewDetector(s), anydesk()); len(got) != 0 {
		t.Errorf("disabled rule raised %+v", got)
	}
	s.SetEnabled(ra, true)
	if got := byDetector(detectAll(t, NewDetector(s), anydesk()), ra); len(got) != 1 {
		t.Errorf("re-enabled rule raised %d signals, want 1", len(got))
	}

	off := MustLoad(t, Options{Disabled: []string{ra}})
	off.SetEnabled(ra, true) // the options win
	if got := detectAll(t, NewDetector(off), anydesk()); len(got) != 0 {
		t.Errorf("rule disabled by options raised %+v", got)
	}
	if m, _ := off.Rule(ra); m.Enabled {
		t.Errorf("metadata of a rule disabled by options says enabled")
	}
}

// TestDetectorDisabledStillCorrelates checks that a disabled rule keeps feeding the
// correlations that reference it.
func TestDetectorDisabledStillCorrelates(t *testing.T) {
	s := MustLoad(t, Options{})
	s.SetEnabled(MustEntry(t, s, "unmask_ra_anydesk").meta.ID, false)
	s.SetEnabled(MustEntry(t, s, "unmask_ra_rustdesk").meta.ID, false)
	rust := anydesk()
	rust.Fields = map[string]string{"Image": `C:\x\rustdesk.exe`}
	got := detectAll(t, NewDetector(s), anydesk(), rust)
	if len(got) != 1 || got[0].Detector != "sigma:"+MustEntry(t, s, "unmask_corr_multi_remote_access_host").meta.ID {
		t.Errorf("signals = %+v, want only the multi-tool correlation", got)
	}
}

// TestDetectorConcurrent drives one detector from many goroutines, one person each, while
// rules are toggled and the set is read: every person's O-09 sequence fires exactly once.
func TestDetectorConcurrent(t *testing.T) {
	s := MustLoad(t, Options{})
	o9 := MustEntry(t, s, "unmask_corr_remote_access_after_delivery").meta.ID
	files, _ := rules.Fixtures(o9, rules.TruePositive)
	seq := MustFixture(t, files[0])
	tv := MustEntry(t, s, "unmask_ra_teamviewer").meta.ID
	d := NewDetector(s)
	const workers, people = 8, 25
	counts := make([]int, workers*people)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	go func() {
		for on := false; ; on = !on {
			select {
			case <-stop:
				return
			default:
				s.SetEnabled(tv, on)
				_ = s.Metadata()
			}
		}
	}()
	for w := range workers {
		wg.Go(func() {
			for p := range people {
				person := fmt.Sprintf("P-%d-%d", w, p)
				for _, fe := range seq {
					e := toEvent(fe, files[0], "")
					e.PersonID = person
					sigs, err := d.Detect(t.Context(), e)
					if err != nil {
						t.Error(err)
					}
					counts[w*people+p] += len(byDetector(sigs, o9))
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	for i, n := range counts {
		if n != 1 {
			t.Errorf("person %d: O-09 fired %d times, want 1", i, n)
		}
	}
}

// TestDetectorReload swaps the set while events are matched; the detector follows it.
func TestDetectorReload(t *testing.T) {
	s := MustLoad(t, Options{})
	d := NewDetector(s)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				e := anydesk()
				e.PersonID = fmt.Sprintf("P-%d-%d", w, i)
				if got := detectAll(t, d, e); len(got) == 0 {
					t.Errorf("no signal for %s", e.PersonID)
				}
			}
		})
	}
	for range 3 {
		if err := s.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// BenchmarkDetect measures Detector.Detect per event over the whole pack.
func BenchmarkDetect(b *testing.B) {
	s := MustLoad(b, Options{})
	benign := anydesk()
	benign.Fields = map[string]string{"EventID": "1", "Channel": "Microsoft-Windows-Sysmon/Operational",
		"Image": `C:\Windows\System32\notepad.exe`, "CommandLine": `notepad.exe C:\Users\a\todo.txt`,
		"ParentImage": `C:\Windows\explorer.exe`}
	dns := &unmask.Event{ID: "ev-dns", Time: FixtureTime, Source: "zeek", Kind: unmask.KindDNS, PersonID: "P-1",
		SourceIP: "10.0.0.1", Fields: map[string]string{"query": "login.microsoftonline.com", "id.resp_p": "53"}}
	for _, bm := range []struct {
		name string
		e    *unmask.Event
	}{{"benign_process", benign}, {"anydesk_process", anydesk()}, {"zeek_dns", dns}} {
		b.Run(bm.name, func(b *testing.B) {
			d := NewDetector(s)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Detect(b.Context(), bm.e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
