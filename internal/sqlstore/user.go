package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const userCols = "id, username, display_name, role, password_hash, disabled, failed_logins, locked_until, last_login_at, created_at, updated_at"

func scanUser(r scanner) (*unmask.User, error) {
	var u unmask.User
	var locked, last, created, updated int64
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.PasswordHash, &u.Disabled,
		&u.FailedLogins, &locked, &last, &created, &updated)
	if err != nil {
		return nil, err
	}
	u.LockedUntil, u.LastLoginAt, u.CreatedAt, u.UpdatedAt = fromTS(locked), fromTS(last), fromTS(created), fromTS(updated)
	return &u, nil
}

// FindUserByID returns one user.
func (s *Store) FindUserByID(ctx context.Context, id string) (*unmask.User, error) {
	return one(ctx, s, "FindUserByID", "User", "SELECT "+userCols+" FROM users WHERE id = ?", scanUser, id)
}

// FindUserByUsername returns the user with a username.
func (s *Store) FindUserByUsername(ctx context.Context, username string) (*unmask.User, error) {
	return one(ctx, s, "FindUserByUsername", "User", "SELECT "+userCols+" FROM users WHERE username = ?", scanUser, username)
}

// FindUsers returns matching users ordered by username.
func (s *Store) FindUsers(ctx context.Context, f unmask.UserFilter) ([]*unmask.User, int, error) {
	var w where
	eq(&w, "id", f.ID)
	eq(&w, "username", f.Username)
	eq(&w, "role", f.Role)
	eq(&w, "disabled", f.Disabled)
	return list(ctx, s, "FindUsers", userCols, "users", w, "username, id", f.Page, scanUser)
}

// CreateUser stores a new user.
func (s *Store) CreateUser(ctx context.Context, u *unmask.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ID == "" {
		u.ID = newID()
	}
	now := s.now()
	u.CreatedAt, u.UpdatedAt = now, now
	_, err := s.exec(ctx, "INSERT INTO users ("+userCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		u.ID, u.Username, u.DisplayName, u.Role, u.PasswordHash, u.Disabled, u.FailedLogins,
		ts(u.LockedUntil), ts(u.LastLoginAt), ts(u.CreatedAt), ts(u.UpdatedAt))
	if unmask.ErrorCode(s.classify("CreateUser", err)) == unmask.ECONFLICT {
		return unmask.Errorf(unmask.ECONFLICT, "Username %q is taken.", u.Username)
	}
	return s.classify("CreateUser", err)
}

// UpdateUser changes a user.
func (s *Store) UpdateUser(ctx context.Context, id string, upd unmask.UserUpdate) (*unmask.User, error) {
	if upd.Role != nil && !upd.Role.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Role %q is not one of admin, analyst, hr, viewer.", *upd.Role)
	}
	var u set
	setv(&u, "display_name", upd.DisplayName)
	setv(&u, "role", upd.Role)
	setv(&u, "password_hash", upd.PasswordHash)
	setv(&u, "disabled", upd.Disabled)
	setv(&u, "failed_logins", upd.FailedLogins)
	sett(&u, "locked_until", upd.LockedUntil)
	sett(&u, "last_login_at", upd.LastLoginAt)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateUser", "User", "users", id, &u); err != nil {
		return nil, err
	}
	return s.FindUserByID(ctx, id)
}

// DeleteUser removes a user and their tokens.
func (s *Store) DeleteUser(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteUser", "User", "users", id)
}
