package ruleset

import (
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// fixturePerson is the person given to true-positive fixture lines that name none (network
// records the resolver has not attributed), so that the detector path sees them.
const fixturePerson = "P-FIXTURE"

// MustLoad loads a set and fails on any load problem.
func MustLoad(tb testing.TB, opts Options) *Set {
	tb.Helper()
	s, err := Load(opts)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	for _, p := range s.Problems() {
		tb.Errorf("load problem: %v", p)
	}
	return s
}

// MustEntry returns the entry of a rule by id or name.
func MustEntry(tb testing.TB, s *Set, ref string) *entry {
	tb.Helper()
	en := s.cur.Load().byRef[ref]
	if en == nil {
		tb.Fatalf("no rule %s", ref)
	}
	return en
}

// closureSet loads a set of only the pack files of r and the rules it references, as
// rules_test.go compiles each rule's fixtures.
func closureSet(tb testing.TB, pack *Set, r *sigma.Rule) *Set {
	tb.Helper()
	sub := fstest.MapFS{}
	for _, d := range pack.cur.Load().index.closure(r, true) {
		data, err := fs.ReadFile(rules.FS, d.Path)
		if err != nil {
			tb.Fatal(err)
		}
		sub[d.Path] = &fstest.MapFile{Data: data}
	}
	return MustLoad(tb, Options{Bundled: sub})
}

// MustFixture reads a fixture file of the pack.
func MustFixture(tb testing.TB, p string) []rules.FixtureEvent {
	tb.Helper()
	data, err := fs.ReadFile(rules.FS, p)
	if err != nil {
		tb.Fatal(err)
	}
	evs, err := rules.ParseFixture(data, FixtureTime)
	if err != nil || len(evs) == 0 {
		tb.Fatalf("fixture %s: %d events, %v", p, len(evs), err)
	}
	return evs
}

// toEvent turns a fixture line into the domain event the detection stage would see: the
// pseudo-fields become the standard fields, the rest stay Fields. person fills PersonID
// when the line has no person.id.
func toEvent(fe rules.FixtureEvent, file, person string) *unmask.Event {
	e := &unmask.Event{ID: fmt.Sprintf("%s#%d", file, fe.Line), Time: fe.Time, Fields: map[string]string{}}
	for k, v := range fe.Fields {
		switch k {
		case FieldSource:
			e.Source = v
		case FieldKind:
			e.Kind = unmask.EventKind(v)
		case FieldAction:
			e.Action = v
		case FieldUser:
			e.Actor = v
		case FieldPerson:
			e.PersonID = v
		case FieldHost:
			e.Host = v
		case FieldIP:
			e.SourceIP = v
		case FieldSerial:
			e.Serial = v
		default:
			e.Fields[k] = v
		}
	}
	if e.PersonID == "" {
		e.PersonID = person
	}
	return e
}

// detectAll runs events through d in order and returns the signals.
func detectAll(tb testing.TB, d *Detector, evs ...*unmask.Event) []unmask.Signal {
	tb.Helper()
	var out []unmask.Signal
	for _, e := range evs {
		sigs, err := d.Detect(tb.Context(), e)
		if err != nil {
			tb.Fatalf("Detect: %v", err)
		}
		for _, s := range sigs {
			if err := s.Validate(); err != nil {
				tb.Errorf("signal %+v: %v", s, err)
			}
		}
		out = append(out, sigs...)
	}
	return out
}

// byDetector returns the signals raised by one rule.
func byDetector(sigs []unmask.Signal, ruleID string) []unmask.Signal {
	var out []unmask.Signal
	for _, s := range sigs {
		if s.Detector == DetectorPrefix+ruleID {
			out = append(out, s)
		}
	}
	return out
}

// anydesk is a Sysmon process start of AnyDesk for person P-1.
func anydesk() *unmask.Event {
	return &unmask.Event{ID: "ev-anydesk", Time: FixtureTime, Source: "sysmon", Kind: unmask.KindProcessStart,
		Action: "1", Actor: `CORP\jdoe`, PersonID: "P-1", Host: "LAPTOP-7",
		Fields: map[string]string{"EventID": "1", "Channel": "Microsoft-Windows-Sysmon/Operational",
			"Image": `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`, "Company": "AnyDesk Software GmbH"}}
}
