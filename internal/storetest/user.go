package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

func testUser(t *testing.T, s Store) {
	ctx := ctx(t)
	u := &unmask.User{Username: "alice", DisplayName: "Alice Analyst", Role: unmask.RoleAnalyst, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}
	must(t, s.CreateUser(ctx, u))
	got, err := s.FindUserByID(ctx, u.ID)
	must(t, err)
	diff(t, "FindUserByID", u, got)
	if got.PasswordHash != u.PasswordHash {
		t.Error("password hash not kept")
	}
	byName, err := s.FindUserByUsername(ctx, "alice")
	must(t, err)
	if byName.ID != u.ID {
		t.Error("FindUserByUsername returned another user")
	}
	_, err = s.FindUserByUsername(ctx, "mallory")
	wantCode(t, err, unmask.ENOTFOUND)
	wantCode(t, s.CreateUser(ctx, &unmask.User{Username: "alice", Role: unmask.RoleViewer}), unmask.ECONFLICT)
	wantCode(t, s.CreateUser(ctx, &unmask.User{Username: "bob", Role: "root"}), unmask.EINVALID)
	for i := range 3 {
		must(t, s.CreateUser(ctx, &unmask.User{Username: fmt.Sprintf("hr%d", i), Role: unmask.RoleHR}))
	}
	list, total, err := s.FindUsers(ctx, unmask.UserFilter{Role: ptr(unmask.RoleHR), Page: unmask.Page{Offset: 1, Limit: 1}})
	must(t, err)
	if total != 3 || list[0].Username != "hr1" {
		t.Errorf("hr users page = %+v (total %d)", list, total)
	}
	lock := day.Add(15 * time.Minute)
	upd, err := s.UpdateUser(ctx, u.ID, unmask.UserUpdate{Disabled: new(true), FailedLogins: new(5), LockedUntil: &lock})
	must(t, err)
	if !upd.Disabled || upd.FailedLogins != 5 || !upd.LockedUntil.Equal(lock) || upd.Role != unmask.RoleAnalyst {
		t.Errorf("UpdateUser = %+v", upd)
	}
	_, total, err = s.FindUsers(ctx, unmask.UserFilter{Disabled: new(true)})
	must(t, err)
	if total != 1 {
		t.Errorf("disabled = %d", total)
	}
	_, err = s.UpdateUser(ctx, u.ID, unmask.UserUpdate{Role: ptr(unmask.Role("god"))})
	wantCode(t, err, unmask.EINVALID)
	must(t, s.DeleteUser(ctx, u.ID))
	wantCode(t, s.DeleteUser(ctx, u.ID), unmask.ENOTFOUND)
}

func testToken(t *testing.T, s Store) {
	ctx := ctx(t)
	u := &unmask.User{Username: "ci-bot", Role: unmask.RoleAnalyst}
	must(t, s.CreateUser(ctx, u))
	tok := &unmask.APIToken{UserID: u.ID, Name: "ingest", Role: unmask.RoleAnalyst, Prefix: "umk_ab12", Hash: "sha256:aa", ExpiresAt: day.Add(90 * 24 * time.Hour)}
	must(t, s.CreateToken(ctx, tok))
	got, err := s.FindTokenByHash(ctx, "sha256:aa")
	must(t, err)
	diff(t, "FindTokenByHash", tok, got)
	if got.Hash != tok.Hash {
		t.Error("hash not kept")
	}
	_, err = s.FindTokenByHash(ctx, "sha256:zz")
	wantCode(t, err, unmask.ENOTFOUND)
	wantCode(t, s.CreateToken(ctx, &unmask.APIToken{UserID: u.ID, Name: "ingest", Role: unmask.RoleViewer, Hash: "sha256:bb"}), unmask.ECONFLICT)
	wantCode(t, s.CreateToken(ctx, &unmask.APIToken{UserID: "nobody", Name: "x", Role: unmask.RoleViewer, Hash: "sha256:cc"}), unmask.EINVALID)
	second := &unmask.APIToken{UserID: u.ID, Name: "read", Role: unmask.RoleViewer, Hash: "sha256:dd"}
	must(t, s.CreateToken(ctx, second))
	revoked, err := s.UpdateToken(ctx, tok.ID, unmask.TokenUpdate{RevokedAt: new(day)})
	must(t, err)
	if revoked.Active(day.Add(time.Second)) {
		t.Error("revoked token still active")
	}
	active, total, err := s.FindTokens(ctx, unmask.TokenFilter{UserID: &u.ID, Revoked: new(false)})
	must(t, err)
	if total != 1 || active[0].ID != second.ID {
		t.Errorf("active tokens = %d", total)
	}
	_, total, err = s.FindTokens(ctx, unmask.TokenFilter{Revoked: new(true), Page: unmask.Page{Limit: 1}})
	must(t, err)
	if total != 1 {
		t.Errorf("revoked tokens = %d", total)
	}
	must(t, s.DeleteToken(ctx, second.ID))
	wantCode(t, s.DeleteToken(ctx, second.ID), unmask.ENOTFOUND)
	must(t, s.DeleteUser(ctx, u.ID))
	_, err = s.FindTokenByID(ctx, tok.ID)
	wantCode(t, err, unmask.ENOTFOUND)
}
