package storetest

import (
	"fmt"
	"testing"

	"github.com/unmask/unmask"
)

func testPerson(t *testing.T, s Store) {
	ctx := ctx(t)
	p := &unmask.Person{
		Kind: unmask.PersonEmployee, Status: unmask.StatusActive, DisplayName: "Dana Reyes",
		Department: "Engineering", Title: "Backend Engineer", ExternalSource: "hris", ExternalID: "E-1001",
		Location: unmask.Location{Country: "US", Region: "TX", City: "Austin"},
		TimeZone: "America/Chicago", HireDate: day,
	}
	must(t, s.CreatePerson(ctx, p))
	if p.ID == "" || p.CreatedAt.IsZero() {
		t.Fatalf("CreatePerson did not assign id and timestamps: %+v", p)
	}
	got, err := s.FindPersonByID(ctx, p.ID)
	must(t, err)
	diff(t, "FindPersonByID", p, got)

	t.Run("Conflict", func(t *testing.T) {
		dup := &unmask.Person{Kind: unmask.PersonEmployee, Status: unmask.StatusActive, DisplayName: "Other", ExternalSource: "hris", ExternalID: "E-1001"}
		wantCode(t, s.CreatePerson(ctx, dup), unmask.ECONFLICT)
	})
	t.Run("Invalid", func(t *testing.T) {
		wantCode(t, s.CreatePerson(ctx, &unmask.Person{Kind: "alien", Status: unmask.StatusActive, DisplayName: "X"}), unmask.EINVALID)
		wantCode(t, s.CreatePerson(ctx, &unmask.Person{Kind: unmask.PersonEmployee, Status: unmask.StatusActive}), unmask.EINVALID)
		_, err := s.UpdatePerson(ctx, p.ID, unmask.PersonUpdate{Status: ptr(unmask.PersonStatus("gone"))})
		wantCode(t, err, unmask.EINVALID)
	})
	t.Run("Update", func(t *testing.T) {
		loc := unmask.Location{Country: "US", Region: "WA", City: "Seattle"}
		upd, err := s.UpdatePerson(ctx, p.ID, unmask.PersonUpdate{Title: new("Staff Engineer"), Location: &loc, TimeZone: new("America/Los_Angeles")})
		must(t, err)
		if upd.Title != "Staff Engineer" || upd.Location != loc || upd.TimeZone != "America/Los_Angeles" || upd.DisplayName != p.DisplayName {
			t.Errorf("UpdatePerson = %+v", upd)
		}
		_, err = s.UpdatePerson(ctx, "missing", unmask.PersonUpdate{Title: new("x")})
		wantCode(t, err, unmask.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		must(t, s.DeletePerson(ctx, p.ID))
		_, err := s.FindPersonByID(ctx, p.ID)
		wantCode(t, err, unmask.ENOTFOUND)
		wantCode(t, s.DeletePerson(ctx, p.ID), unmask.ENOTFOUND)
	})
}

func testPersonFilterPaging(t *testing.T, s Store) {
	ctx := ctx(t)
	var want []string
	for i := range 7 {
		kind := unmask.PersonEmployee
		if i%2 == 1 {
			kind = unmask.PersonApplicant
		}
		p := MustCreatePerson(t, ctx, s, fmt.Sprintf("Person %02d", i), kind)
		if kind == unmask.PersonEmployee {
			want = append(want, p.ID)
		}
	}
	got, total, err := s.FindPeople(ctx, unmask.PersonFilter{Kind: ptr(unmask.PersonEmployee)})
	must(t, err)
	if total != 4 {
		t.Errorf("total employees = %d, want 4", total)
	}
	diff(t, "employees by name", want, ids(got, func(p *unmask.Person) string { return p.ID }))

	page, total, err := s.FindPeople(ctx, unmask.PersonFilter{Page: unmask.Page{Offset: 2, Limit: 3}})
	must(t, err)
	if total != 7 || len(page) != 3 || page[0].DisplayName != "Person 02" || page[2].DisplayName != "Person 04" {
		t.Errorf("page = %v (total %d)", ids(page, func(p *unmask.Person) string { return p.DisplayName }), total)
	}
	q, total, err := s.FindPeople(ctx, unmask.PersonFilter{Query: new("son 0")})
	must(t, err)
	if total != 7 || len(q) != 7 {
		t.Errorf("query matched %d of 7", total)
	}
	q, total, err = s.FindPeople(ctx, unmask.PersonFilter{Query: new("PERSON 03")})
	must(t, err)
	if total != 1 || q[0].DisplayName != "Person 03" {
		t.Errorf("case-insensitive query = %v", ids(q, func(p *unmask.Person) string { return p.DisplayName }))
	}
	literal := MustCreatePerson(t, ctx, s, "Batch 0_x", unmask.PersonContractor)
	for _, q := range []string{"0_", "h 0_x", "%0_%"} {
		got, total, err := s.FindPeople(ctx, unmask.PersonFilter{Query: new(q)})
		must(t, err)
		wantN := 1
		if q == "%0_%" {
			wantN = 0 // the % signs are literal too
		}
		if total != wantN || (wantN == 1 && got[0].ID != literal.ID) {
			t.Errorf("query %q matched %v, want only the literal match", q, ids(got, func(p *unmask.Person) string { return p.DisplayName }))
		}
	}
}
