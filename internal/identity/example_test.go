package identity_test

import (
	"fmt"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/identity"
)

// Two applicants under different names give the same Gmail mailbox, spelled differently.
// The keys are the normalised values here; in production they are keyed hashes.
func ExampleGraph_SharedSignals() {
	emails := contact.NewEmailNormalizer(nil, nil)
	a, _ := emails.Parse("John.Smith+jobs@gmail.com")
	b, _ := emails.Parse("johnsmith@googlemail.com")
	g := identity.NewGraph(identity.Options{Now: func() time.Time { return time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC) }})
	g.AddPerson(&unmask.Person{ID: "cand-1", DisplayName: "John Smith", Kind: unmask.PersonApplicant})
	g.AddPerson(&unmask.Person{ID: "cand-2", DisplayName: "Ivan Petrov", Kind: unmask.PersonApplicant})
	for _, x := range []struct {
		person string
		email  contact.Email
	}{{"cand-1", a}, {"cand-2", b}} {
		g.AddIdent(identity.Ident{PersonID: x.person, Kind: unmask.IdentEmail, Key: x.email.Canonical,
			Display: identity.Mask(unmask.IdentEmail, x.email.Canonical)})
	}
	for _, s := range g.SharedSignals() {
		fmt.Println(s.PersonID, s.Indicator, s.Severity, s.Explanation)
	}
	// Output:
	// cand-1 H-02 high E-mail j***@gmail.com is also held by 1 other person under a different name.
	// cand-2 H-02 high E-mail j***@gmail.com is also held by 1 other person under a different name.
}
