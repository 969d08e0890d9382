package identity

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

func TestIndexScreen(t *testing.T) {
	x := NewIndex(4)
	x.Add(applicant("a1", "John Smith"), []Ident{id("", unmask.IdentEmail, "e1"), id("", unmask.IdentPhone, "p1")})
	x.Add(employee("e1", "Wei Zhang"), []Ident{id("", unmask.IdentPhone, "p2")})
	tests := []struct {
		name   string
		person *unmask.Person
		ids    []Ident
		want   []sig
	}{
		{name: "new_name_reuses_email", person: applicant("n1", "Ivan Petrov"), ids: []Ident{id("", unmask.IdentEmail, "e1")},
			want: []sig{{"n1", "H-02", unmask.SeverityHigh, 1}, {"a1", "H-02", unmask.SeverityHigh, 1}}},
		{name: "same_person_reapplies", person: applicant("n2", "Smith, John"), ids: []Ident{id("", unmask.IdentPhone, "p1")}},
		{name: "fresh_identifiers", person: applicant("n3", "Ana Silva"), ids: []Ident{id("", unmask.IdentEmail, "e9")}},
		{name: "shares_with_employee", person: applicant("n4", "Tom Brown"), ids: []Ident{id("", unmask.IdentPhone, "p2")},
			want: []sig{{"n4", "H-02", unmask.SeverityHigh, 1}, {"e1", "H-02", unmask.SeverityHigh, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := x.Screen(tt.person, tt.ids, Options{Now: fixedNow})
			if diff := cmp.Diff(tt.want, project(got)); diff != "" {
				t.Errorf("Screen mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff([]string{"a1", "n1"}, x.Holders(unmask.IdentEmail, "e1")); diff != "" {
		t.Errorf("Holders after screening (-want +got):\n%s", diff)
	}
	if x.Len() != 6 {
		t.Errorf("Len = %d, want 6", x.Len())
	}
}
