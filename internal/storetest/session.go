package storetest

import (
	"testing"
	"time"

	"github.com/unmask/unmask"
)

func testSession(t *testing.T, s Store) {
	ss, ok := s.(unmask.SessionService)
	if !ok {
		t.Fatalf("%T does not implement unmask.SessionService", s)
	}
	ctx := ctx(t)
	u := &unmask.User{Username: "sam", Role: unmask.RoleAnalyst}
	must(t, s.CreateUser(ctx, u))
	other := &unmask.User{Username: "olga", Role: unmask.RoleHR}
	must(t, s.CreateUser(ctx, other))
	sess := &unmask.Session{Hash: "sha256:01", UserID: u.ID, RemoteAddr: "192.0.2.7", UserAgent: "test", ExpiresAt: day.Add(12 * time.Hour)}
	must(t, ss.CreateSession(ctx, sess))
	got, err := ss.FindSessionByHash(ctx, "sha256:01")
	must(t, err)
	diff(t, "FindSessionByHash", sess, got)
	wantCode(t, ss.CreateSession(ctx, &unmask.Session{Hash: "sha256:01", UserID: u.ID, ExpiresAt: day}), unmask.ECONFLICT)
	wantCode(t, ss.CreateSession(ctx, &unmask.Session{Hash: "sha256:02", UserID: u.ID}), unmask.EINVALID)
	wantCode(t, ss.CreateSession(ctx, &unmask.Session{Hash: "sha256:03", UserID: "nobody", ExpiresAt: day}), unmask.EINVALID)
	_, err = ss.FindSessionByHash(ctx, "sha256:ff")
	wantCode(t, err, unmask.ENOTFOUND)

	seen := day.Add(time.Hour)
	must(t, ss.TouchSession(ctx, "sha256:01", seen))
	got, err = ss.FindSessionByHash(ctx, "sha256:01")
	must(t, err)
	if !got.LastSeenAt.Equal(seen) {
		t.Errorf("LastSeenAt = %v, want %v", got.LastSeenAt, seen)
	}
	wantCode(t, ss.TouchSession(ctx, "sha256:ff", seen), unmask.ENOTFOUND)

	must(t, ss.CreateSession(ctx, &unmask.Session{Hash: "sha256:04", UserID: u.ID, ExpiresAt: day.Add(time.Minute), LastSeenAt: day}))
	must(t, ss.CreateSession(ctx, &unmask.Session{Hash: "sha256:05", UserID: other.ID, ExpiresAt: day.Add(48 * time.Hour), LastSeenAt: day}))
	n, err := ss.DeleteSessionsBefore(ctx, day.Add(2*time.Minute), day.Add(-time.Minute))
	must(t, err)
	if n != 1 {
		t.Errorf("DeleteSessionsBefore removed %d, want 1 (the expired one)", n)
	}
	n, err = ss.DeleteUserSessions(ctx, u.ID)
	must(t, err)
	if n != 1 {
		t.Errorf("DeleteUserSessions removed %d, want 1", n)
	}
	must(t, ss.DeleteSession(ctx, "sha256:05"))
	wantCode(t, ss.DeleteSession(ctx, "sha256:05"), unmask.ENOTFOUND)
	must(t, ss.CreateSession(ctx, &unmask.Session{Hash: "sha256:06", UserID: other.ID, ExpiresAt: day}))
	must(t, s.DeleteUser(ctx, other.ID))
	_, err = ss.FindSessionByHash(ctx, "sha256:06")
	wantCode(t, err, unmask.ENOTFOUND)
}
