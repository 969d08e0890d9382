package auth_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/auth"
	"github.com/unmask/unmask/internal/password"
	"github.com/unmask/unmask/internal/sqlite"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// MustAuth returns an Authenticator on a fresh SQLite store with a movable clock.
func MustAuth(tb testing.TB) (*auth.Authenticator, *sqlite.DB, *clock) {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "u.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	a := auth.New(auth.Options{Store: db, MaxFailures: 3, LockFor: 10 * time.Minute, Now: c.now,
		Params: password.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}})
	return a, db, c
}

func TestLoginAndLockout(t *testing.T) {
	a, db, c := MustAuth(t)
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	u := &unmask.User{Username: "alice", Role: unmask.RoleAnalyst}
	if err := a.CreateUser(ctx, u, "short"); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Fatalf("short password: %v", err)
	}
	if err := a.CreateUser(ctx, u, "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	got, err := a.Login(ctx, "alice", "a long enough passphrase")
	if err != nil || got.ID != u.ID || got.LastLoginAt.IsZero() {
		t.Fatalf("login: %v %+v", err, got)
	}
	for _, tt := range []struct{ name, user, pw string }{
		{"UnknownUser", "mallory", "a long enough passphrase"},
		{"WrongPassword", "alice", "wrong"},
	} {
		if _, err := a.Login(ctx, tt.user, tt.pw); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	a.Login(ctx, "alice", "wrong")
	a.Login(ctx, "alice", "wrong") // third failure locks
	if _, err := a.Login(ctx, "alice", "a long enough passphrase"); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("locked account logged in: %v", err)
	}
	c.t = c.t.Add(11 * time.Minute)
	if _, err := a.Login(ctx, "alice", "a long enough passphrase"); err != nil {
		t.Errorf("lock did not expire: %v", err)
	}
	disabled := true
	if _, err := db.UpdateUser(ctx, u.ID, unmask.UserUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Login(ctx, "alice", "a long enough passphrase"); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("disabled account logged in: %v", err)
	}
	entries, _, err := db.FindAuditEntries(ctx, unmask.AuditFilter{ObjectID: &u.ID})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range entries {
		seen[e.Action]++
	}
	for action, want := range map[string]int{"user.create": 1, "user.login": 2, "user.login_failed": 3, "user.login_refused": 2} {
		if seen[action] != want {
			t.Errorf("audit %s = %d, want %d (all: %v)", action, seen[action], want, seen)
		}
	}
}

func TestTokens(t *testing.T) {
	a, db, c := MustAuth(t)
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	hr := &unmask.User{Username: "hana", Role: unmask.RoleHR}
	if err := a.CreateUser(ctx, hr, "another long passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.CreateToken(ctx, hr, "too-strong", unmask.RoleAdmin, 0); unmask.ErrorCode(err) != unmask.EFORBIDDEN {
		t.Errorf("hr issued an admin token: %v", err)
	}
	tok, secret, err := a.CreateToken(ctx, hr, "ats", unmask.RoleViewer, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.FindTokenByID(ctx, tok.ID)
	if err != nil || stored.Hash == secret || stored.Hash != auth.HashToken(secret) {
		t.Fatalf("token stored in the clear or not at all: %v", err)
	}
	acting, _, err := a.VerifyToken(ctx, secret)
	if err != nil || acting.ID != hr.ID || acting.Role != unmask.RoleViewer {
		t.Fatalf("VerifyToken = %+v, %v", acting, err)
	}
	for name, s := range map[string]string{"Garbage": "nope", "UnknownSecret": auth.TokenPrefix + "aaaa"} {
		if _, _, err := a.VerifyToken(ctx, s); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
			t.Errorf("%s: %v", name, err)
		}
	}
	c.t = c.t.Add(25 * time.Hour)
	if _, _, err := a.VerifyToken(ctx, secret); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("expired token accepted: %v", err)
	}
	tok2, secret2, err := a.CreateToken(ctx, hr, "ats2", "", 0)
	if err != nil || tok2.Role != unmask.RoleHR {
		t.Fatalf("default role = %v, %v", tok2, err)
	}
	if err := a.RevokeToken(ctx, tok2.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.VerifyToken(ctx, secret2); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("revoked token accepted: %v", err)
	}
}
