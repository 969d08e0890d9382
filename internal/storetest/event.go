package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/unmask/unmask"
)

// MustEvent returns an event of source at t whose raw record is raw.
func MustEvent(source string, kind unmask.EventKind, actor string, t time.Time, raw string) *unmask.Event {
	return &unmask.Event{
		ID: unmask.EventID(source, t, []byte(raw)), Time: t, Source: source, Kind: kind, Actor: actor,
		Raw: []byte(raw),
	}
}

func testEvent(t *testing.T, s Store) {
	ctx := ctx(t)
	raw := `{"eventType":"user.session.start","actor":{"alternateId":"dana@corp.example"}}`
	e := MustEvent("okta", unmask.KindSignIn, "dana@corp.example", day, raw)
	e.Action, e.Outcome, e.SourceIP, e.UserAgent, e.SessionID = "user.session.start", unmask.OutcomeSuccess, "198.51.100.7", "Mozilla/5.0", "idx1"
	e.Geo = &unmask.GeoPoint{Country: "US", City: "Austin", Lat: 30.27, Lon: -97.74, ASN: 7018, ASOrg: "AT&T"}
	e.Fields = map[string]string{"client.device": "Computer", "outcome.result": "SUCCESS"}
	n, err := s.CreateEvents(ctx, []*unmask.Event{e})
	must(t, err)
	if n != 1 {
		t.Fatalf("created %d, want 1", n)
	}
	got, err := s.FindEventByID(ctx, e.ID)
	must(t, err)
	diff(t, "FindEventByID", e, got, cmpopts.IgnoreFields(unmask.Event{}, "IngestedAt"))
	if string(got.Raw) != raw || got.IngestedAt.IsZero() {
		t.Errorf("raw = %q, ingested %v", got.Raw, got.IngestedAt)
	}

	t.Run("Idempotent", func(t *testing.T) {
		again := MustEvent("okta", unmask.KindSignIn, "dana@corp.example", day, raw)
		other := MustEvent("okta", unmask.KindSignIn, "dana@corp.example", day.Add(time.Minute), raw+" ")
		n, err := s.CreateEvents(ctx, []*unmask.Event{again, other})
		must(t, err)
		if n != 1 {
			t.Errorf("re-ingest created %d, want only the new one", n)
		}
	})
	t.Run("Invalid", func(t *testing.T) {
		bad := &unmask.Event{ID: "x", Source: "okta", Kind: unmask.KindSignIn}
		_, err := s.CreateEvents(ctx, []*unmask.Event{bad})
		wantCode(t, err, unmask.EINVALID)
	})
	t.Run("ResolveAndUpdate", func(t *testing.T) {
		p := MustCreatePerson(t, ctx, s, "Dana Reyes", unmask.PersonEmployee)
		n, err := s.ResolveActor(ctx, "okta", "dana@corp.example", p.ID)
		must(t, err)
		if n != 2 {
			t.Errorf("resolved %d events, want 2", n)
		}
		mine, total, err := s.FindEvents(ctx, unmask.EventFilter{PersonID: &p.ID})
		must(t, err)
		if total != 2 || mine[0].Time.Before(mine[1].Time) {
			t.Errorf("resolved events = %d, want 2 newest first", total)
		}
		upd, err := s.UpdateEvent(ctx, e.ID, unmask.EventUpdate{PersonID: new("")})
		must(t, err)
		if upd.PersonID != "" {
			t.Errorf("unresolve = %q", upd.PersonID)
		}
		_, total, err = s.FindEvents(ctx, unmask.EventFilter{Unresolved: true})
		must(t, err)
		if total != 1 {
			t.Errorf("unresolved = %d, want 1", total)
		}
		_, err = s.UpdateEvent(ctx, "missing", unmask.EventUpdate{PersonID: &p.ID})
		wantCode(t, err, unmask.ENOTFOUND)
	})
	t.Run("InsertReturnsNew", func(t *testing.T) {
		a := MustEvent("okta", unmask.KindSignIn, "a", day, `{"a":1}`)
		b := MustEvent("okta", unmask.KindSignIn, "b", day, `{"b":1}`)
		dupInBatch := MustEvent("okta", unmask.KindSignIn, "b", day, `{"b":1}`)
		created, err := s.InsertEvents(ctx, []*unmask.Event{e, a, b, dupInBatch})
		must(t, err)
		if len(created) != 2 || created[0] != a || created[1] != b {
			t.Errorf("InsertEvents returned %d events, want the new a and b once each", len(created))
		}
	})
	t.Run("Delete", func(t *testing.T) {
		must(t, s.DeleteEvent(ctx, e.ID))
		_, err := s.FindEventByID(ctx, e.ID)
		wantCode(t, err, unmask.ENOTFOUND)
		wantCode(t, s.DeleteEvent(ctx, e.ID), unmask.ENOTFOUND)
	})
}

func testEventFilterPaging(t *testing.T, s Store) {
	ctx := ctx(t)
	var events []*unmask.Event
	for i := range 1200 { // more than one insert batch
		kind := unmask.KindProcessStart
		if i%3 == 0 {
			kind = unmask.KindDNS
		}
		events = append(events, MustEvent("sysmon", kind, "host\\user", day.Add(time.Duration(i)*time.Second), fmt.Sprintf(`{"n":%d}`, i)))
	}
	n, err := s.CreateEvents(ctx, events)
	must(t, err)
	if n != 1200 {
		t.Fatalf("created %d, want 1200", n)
	}
	dns, total, err := s.FindEvents(ctx, unmask.EventFilter{Kind: ptr(unmask.KindDNS), Page: unmask.Page{Limit: 5}})
	must(t, err)
	if total != 400 || len(dns) != 5 || !dns[0].Time.Equal(day.Add(1197*time.Second)) {
		t.Errorf("dns total %d, first %v", total, dns[0].Time)
	}
	since, until := day.Add(10*time.Second), day.Add(20*time.Second)
	window, total, err := s.FindEvents(ctx, unmask.EventFilter{Since: &since, Until: &until, Page: unmask.Page{Offset: 8}})
	must(t, err)
	if total != 10 || len(window) != 2 || !window[1].Time.Equal(since) {
		t.Errorf("window total %d, page %d", total, len(window))
	}
	byID, total, err := s.FindEvents(ctx, unmask.EventFilter{IDs: []string{events[5].ID, events[7].ID, "missing"}})
	must(t, err)
	if total != 2 || byID[0].ID != events[7].ID {
		t.Errorf("by ids = %d", total)
	}
	_, total, err = s.FindEvents(ctx, unmask.EventFilter{IDs: []string{}})
	must(t, err)
	if total != 0 {
		t.Errorf("an empty id list matched %d", total)
	}
	// More than one of the store's deletion batches, two of them held.
	hold := []string{events[3].ID, events[1050].ID, events[1150].ID, "missing"}
	cut := day.Add(1100 * time.Second)
	deleted, err := s.DeleteEventsBefore(ctx, cut, hold)
	must(t, err)
	if deleted != 1098 {
		t.Errorf("retention deleted %d, want 1098", deleted)
	}
	left, total, err := s.FindEvents(ctx, unmask.EventFilter{Until: &cut})
	must(t, err)
	if total != 2 || left[0].ID != events[1050].ID || left[1].ID != events[3].ID {
		t.Errorf("retention kept %d old events, want the 2 held", total)
	}
	if _, err := s.FindEventByID(ctx, events[1100].ID); err != nil {
		t.Errorf("retention deleted an event at its cut-off: %v", err)
	}
}

// testEventBatches stores batches larger than one insert statement, repeating ids within
// a batch, across its statements and from earlier batches, and values that need escaping.
func testEventBatches(t *testing.T, s Store) {
	ctx := ctx(t)
	mk := func(i int) *unmask.Event {
		e := MustEvent("zeek", unmask.KindDNS, fmt.Sprintf("host-%d", i%7), day.Add(time.Duration(i)*time.Second), fmt.Sprintf(`{"uid":%d}`, i))
		e.Fields = map[string]string{"query": fmt.Sprintf("h%d.example", i), "n": fmt.Sprint(i)}
		return e
	}
	first := make([]*unmask.Event, 0, 700)
	for i := range 700 {
		first = append(first, mk(i))
	}
	created, err := s.InsertEvents(ctx, first)
	must(t, err)
	if len(created) != 700 {
		t.Fatalf("first batch created %d, want 700", len(created))
	}
	// 300 stored already, 1,100 new, each new one twice: once in the first statement's
	// rows and again after the 500th row.
	var second, want []*unmask.Event
	for i := 400; i < 1500; i++ {
		second = append(second, mk(i))
	}
	for i := 700; i < 1500; i++ {
		second = append(second, mk(i))
	}
	for _, e := range second[:1100] {
		if e.Time.Sub(day) >= 700*time.Second {
			want = append(want, e)
		}
	}
	created, err = s.InsertEvents(ctx, second)
	must(t, err)
	if len(created) != len(want) {
		t.Fatalf("second batch created %d, want %d", len(created), len(want))
	}
	for i := range want {
		if created[i] != want[i] {
			t.Fatalf("created[%d] is %s, want the first copy of %s in batch order", i, created[i].ID, want[i].ID)
		}
	}
	_, total, err := s.FindEvents(ctx, unmask.EventFilter{Source: ptr("zeek")})
	must(t, err)
	if total != 1500 {
		t.Errorf("stored %d events, want 1500", total)
	}

	odd := MustEvent("zeek", unmask.KindDNS, "odd", day, `{"odd":true}`)
	odd.Geo = &unmask.GeoPoint{Country: `Côte d'Ivoire "CI"`, City: "a\\b\tc\u2028", Lat: -1e-7, Lon: 179.99999999, ASN: 1, ASOrg: "<&>"}
	odd.Fields = map[string]string{"quote\"key": "line\nbreak", "ctl": "\x00\x1f\x7f", "emoji": "🙂", "sep": "\u2029", "": "empty key"}
	_, err = s.InsertEvents(ctx, []*unmask.Event{odd})
	must(t, err)
	got, err := s.FindEventByID(ctx, odd.ID)
	must(t, err)
	diff(t, "escaped values", odd, got, cmpopts.IgnoreFields(unmask.Event{}, "IngestedAt"))
}
