package storetest

import (
	"testing"

	"github.com/unmask/unmask"
)

func testIdentifier(t *testing.T, s Store) {
	ctx := ctx(t)
	a := MustCreatePerson(t, ctx, s, "Applicant A", unmask.PersonApplicant)
	b := MustCreatePerson(t, ctx, s, "Applicant B", unmask.PersonApplicant)
	phone := &unmask.Identifier{PersonID: a.ID, Kind: unmask.IdentPhone, Hash: "h-phone-1", Display: "+1 ***-***-0142", Source: "greenhouse"}
	must(t, s.CreateIdentifier(ctx, phone))
	got, err := s.FindIdentifierByID(ctx, phone.ID)
	must(t, err)
	diff(t, "FindIdentifierByID", phone, got)

	shared := &unmask.Identifier{PersonID: b.ID, Kind: unmask.IdentPhone, Hash: "h-phone-1", Display: "+1 ***-***-0142", Source: "greenhouse"}
	must(t, s.CreateIdentifier(ctx, shared))
	gh := &unmask.Identifier{PersonID: b.ID, Kind: unmask.IdentGitHubLogin, Value: "octo-dev", Hash: "h-gh", Display: "octo-dev"}
	must(t, s.CreateIdentifier(ctx, gh))

	t.Run("Conflict", func(t *testing.T) {
		dup := &unmask.Identifier{PersonID: a.ID, Kind: unmask.IdentPhone, Hash: "h-phone-1"}
		wantCode(t, s.CreateIdentifier(ctx, dup), unmask.ECONFLICT)
	})
	t.Run("Invalid", func(t *testing.T) {
		clear := &unmask.Identifier{PersonID: a.ID, Kind: unmask.IdentEmail, Value: "a@example.com", Hash: "h"}
		wantCode(t, s.CreateIdentifier(ctx, clear), unmask.EINVALID)
		orphan := &unmask.Identifier{PersonID: "nobody", Kind: unmask.IdentGitHubLogin, Value: "x", Hash: "h"}
		wantCode(t, s.CreateIdentifier(ctx, orphan), unmask.EINVALID)
	})
	t.Run("FilterByHash", func(t *testing.T) {
		sharers, total, err := s.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: ptr(unmask.IdentPhone), Hash: new("h-phone-1")})
		must(t, err)
		if total != 2 {
			t.Fatalf("two people share the phone, found %d", total)
		}
		owners := map[string]bool{sharers[0].PersonID: true, sharers[1].PersonID: true}
		if !owners[a.ID] || !owners[b.ID] {
			t.Errorf("sharers = %v", owners)
		}
		byPerson, total, err := s.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &b.ID, Page: unmask.Page{Limit: 1}})
		must(t, err)
		if total != 2 || len(byPerson) != 1 || byPerson[0].Kind != unmask.IdentGitHubLogin {
			t.Errorf("first of b's identifiers by kind = %+v (total %d)", byPerson, total)
		}
	})
	t.Run("UpdateMovesToPerson", func(t *testing.T) {
		emp := MustCreatePerson(t, ctx, s, "Employee A", unmask.PersonEmployee)
		moved, err := s.UpdateIdentifier(ctx, phone.ID, unmask.IdentifierUpdate{PersonID: &emp.ID})
		must(t, err)
		if moved.PersonID != emp.ID || moved.Hash != phone.Hash {
			t.Errorf("moved = %+v", moved)
		}
		_, err = s.UpdateIdentifier(ctx, "missing", unmask.IdentifierUpdate{Source: new("x")})
		wantCode(t, err, unmask.ENOTFOUND)
	})
	t.Run("Delete", func(t *testing.T) {
		must(t, s.DeleteIdentifier(ctx, gh.ID))
		_, err := s.FindIdentifierByID(ctx, gh.ID)
		wantCode(t, err, unmask.ENOTFOUND)
		wantCode(t, s.DeleteIdentifier(ctx, gh.ID), unmask.ENOTFOUND)
	})
}
