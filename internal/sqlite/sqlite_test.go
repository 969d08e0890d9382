package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sqlite"
	"github.com/unmask/unmask/internal/storetest"
)

// MustOpenDB opens and migrates a database in a temporary directory.
func MustOpenDB(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Store {
		return MustOpenDB(tb, filepath.Join(tb.TempDir(), "unmask.db"))
	})
}

func TestMigrateTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "dir", "unmask.db")
	MustOpenDB(t, path)
	db := MustOpenDB(t, path) // already migrated: a no-op
	if _, _, err := db.FindPeople(t.Context(), unmask.PersonFilter{}); err != nil {
		t.Fatal(err)
	}
}

// TestTwoHandlesWriteConcurrently opens the file twice, as the CLI and a running server
// would, and writes from both at once: neither may see "database is locked".
func TestTwoHandlesWriteConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unmask.db")
	handles := []*sqlite.DB{MustOpenDB(t, path), MustOpenDB(t, path)}
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for h, db := range handles {
		for w := range 4 {
			wg.Go(func() {
				for i := range 25 {
					p := &unmask.Person{DisplayName: fmt.Sprintf("h%d-w%d-%d", h, w, i), Kind: unmask.PersonEmployee, Status: unmask.StatusActive}
					if err := db.CreatePerson(ctx, p); err != nil {
						errs <- err
						continue
					}
					if _, err := db.UpdatePerson(ctx, p.ID, unmask.PersonUpdate{Department: new(string)}); err != nil {
						errs <- err
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("write: %v", err)
	}
	_, total, err := handles[0].FindPeople(ctx, unmask.PersonFilter{})
	if err != nil || total != 200 {
		t.Errorf("people = %d (%v), want 200", total, err)
	}
}

func TestOpenEmptyPath(t *testing.T) {
	_, err := sqlite.Open(t.Context(), "")
	if unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("err = %v", err)
	}
}

func TestMigrateEventIDs(t *testing.T) {
	db := MustOpenDB(t, filepath.Join(t.TempDir(), "unmask.db"))
	storetest.EventIDMigration(t, db, func() error { return db.MigrateEventIDsAgain(t.Context()) })
}
