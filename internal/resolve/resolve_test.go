package resolve_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/resolve"
	"github.com/unmask/unmask/internal/sqlite"
)

// countingStore counts identifier lookups.
type countingStore struct {
	resolve.Store
	n int
}

func (c *countingStore) FindIdentifiers(ctx context.Context, f unmask.IdentifierFilter) ([]*unmask.Identifier, int, error) {
	c.n++
	return c.Store.FindIdentifiers(ctx, f)
}

func TestResolve(t *testing.T) {
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	h, _ := idhash.New([]byte(strings.Repeat("k", 32)))
	alex := &unmask.Person{DisplayName: "Alex Kim", Kind: unmask.PersonContractor, Status: unmask.StatusActive}
	twin := &unmask.Person{DisplayName: "Sam Kim", Kind: unmask.PersonEmployee, Status: unmask.StatusActive}
	for _, p := range []*unmask.Person{alex, twin} {
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []*unmask.Identifier{
		h.Identifier(alex.ID, unmask.IdentIdPLogin, "alex.kim@contoso.example", "hris"),
		h.Identifier(alex.ID, unmask.IdentGitHubLogin, "akim-dev", "hris"),
		h.Identifier(alex.ID, unmask.IdentDeviceSerial, "C02XK1Q9MD6T", "hris"),
		h.Identifier(alex.ID, unmask.IdentHostname, "shared-host", "jamf"),
		h.Identifier(twin.ID, unmask.IdentHostname, "shared-host", "jamf"),
	} {
		if err := db.CreateIdentifier(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	store := &countingStore{Store: db}
	r := resolve.New(resolve.Options{Store: store, Hasher: h})
	tests := []struct {
		name string
		e    unmask.Event
		want string
	}{
		{"OktaLoginAnyCase", unmask.Event{Source: "okta", Actor: "Alex.Kim@Contoso.example"}, alex.ID},
		{"GitHubLogin", unmask.Event{Source: "github", Actor: "akim-dev"}, alex.ID},
		{"GitHubLoginElsewhereIsNotAnIdPLogin", unmask.Event{Source: "okta", Actor: "akim-dev"}, ""},
		{"SerialWithDashes", unmask.Event{Source: "osquery", Serial: "c02xk1-q9md6t"}, alex.ID},
		{"WindowsDomainUser", unmask.Event{Source: "sysmon", Actor: `CONTOSO\alex.kim@contoso.example`}, alex.ID},
		{"SharedHostResolvesNoOne", unmask.Event{Source: "sysmon", Host: "SHARED-HOST.corp.example"}, ""},
		{"Unknown", unmask.Event{Source: "okta", Actor: "mallory@evil.example"}, ""},
		{"AlreadyResolved", unmask.Event{Source: "okta", Actor: "mallory@evil.example", PersonID: "p0"}, "p0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e
			if err := r.Resolve(ctx, &e); err != nil {
				t.Fatal(err)
			}
			if e.PersonID != tt.want {
				t.Errorf("PersonID = %q, want %q", e.PersonID, tt.want)
			}
		})
	}
	before := store.n
	for range 100 {
		e := unmask.Event{Source: "okta", Actor: "mallory@evil.example"}
		r.Resolve(ctx, &e)
		e = unmask.Event{Source: "okta", Actor: "alex.kim@contoso.example"}
		r.Resolve(ctx, &e)
	}
	if store.n != before {
		t.Errorf("cached lookups queried the store %d times", store.n-before)
	}
	// A new identifier is learnt: the cached miss is forgotten.
	mallory := &unmask.Person{DisplayName: "Mallory", Kind: unmask.PersonApplicant, Status: unmask.StatusHired}
	if err := db.CreatePerson(ctx, mallory); err != nil {
		t.Fatal(err)
	}
	id := h.Identifier(mallory.ID, unmask.IdentIdPLogin, "mallory@evil.example", "hris")
	if err := db.CreateIdentifier(ctx, id); err != nil {
		t.Fatal(err)
	}
	r.Learn(id)
	e := unmask.Event{Source: "okta", Actor: "mallory@evil.example"}
	if err := r.Resolve(ctx, &e); err != nil || e.PersonID != mallory.ID {
		t.Errorf("after Learn: %q %v", e.PersonID, err)
	}
}
