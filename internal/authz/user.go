package authz

import (
	"context"

	"github.com/unmask/unmask"
)

// shapeUser returns a copy of u without its password hash, which never leaves the store
// through this layer.
func shapeUser(u *unmask.User) *unmask.User {
	c := *u
	c.PasswordHash = ""
	return &c
}

// FindUserByID returns a user; responders may look users up (to assign cases).
func (s *Service) FindUserByID(ctx context.Context, id string) (*unmask.User, error) {
	if _, err := require(ctx, "view users", responder); err != nil {
		return nil, err
	}
	u, err := s.s.FindUserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return shapeUser(u), nil
}

// FindUserByUsername returns a user; responders only.
func (s *Service) FindUserByUsername(ctx context.Context, username string) (*unmask.User, error) {
	if _, err := require(ctx, "view users", responder); err != nil {
		return nil, err
	}
	u, err := s.s.FindUserByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	return shapeUser(u), nil
}

// FindUsers lists users; responders only.
func (s *Service) FindUsers(ctx context.Context, f unmask.UserFilter) ([]*unmask.User, int, error) {
	if _, err := require(ctx, "list users", responder); err != nil {
		return nil, 0, err
	}
	list, total, err := s.s.FindUsers(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for i, u := range list {
		list[i] = shapeUser(u)
	}
	return list, total, nil
}

// CreateUser stores a user; administrators only.
func (s *Service) CreateUser(ctx context.Context, u *unmask.User) error {
	if _, err := require(ctx, "create users", administers); err != nil {
		return err
	}
	if err := s.s.CreateUser(ctx, u); err != nil {
		return err
	}
	return s.audit(ctx, "user.create", "user", u.ID, "role="+string(u.Role))
}

// UpdateUser changes a user; administrators only.
func (s *Service) UpdateUser(ctx context.Context, id string, upd unmask.UserUpdate) (*unmask.User, error) {
	if _, err := require(ctx, "change users", administers); err != nil {
		return nil, err
	}
	u, err := s.s.UpdateUser(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	detail := changes(map[string]bool{"display_name": upd.DisplayName != nil, "password": upd.PasswordHash != nil,
		"disabled": upd.Disabled != nil, "lockout": upd.LockedUntil != nil || upd.FailedLogins != nil})
	if upd.Role != nil {
		detail = "role=" + string(*upd.Role) + " " + detail
	}
	return shapeUser(u), s.audit(ctx, "user.update", "user", id, detail)
}

// DeleteUser removes a user; administrators only, and not themselves.
func (s *Service) DeleteUser(ctx context.Context, id string) error {
	u, err := require(ctx, "delete users", administers)
	if err != nil {
		return err
	}
	if u.ID == id {
		return unmask.Errorf(unmask.EINVALID, "You cannot delete your own account.")
	}
	if err := s.s.DeleteUser(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "user.delete", "user", id, "")
}

// FindTokenByID returns a token; administrators only.
func (s *Service) FindTokenByID(ctx context.Context, id string) (*unmask.APIToken, error) {
	if _, err := require(ctx, "view tokens", administers); err != nil {
		return nil, err
	}
	return s.s.FindTokenByID(ctx, id)
}

// FindTokenByHash returns a token; administrators only (authentication uses the store).
func (s *Service) FindTokenByHash(ctx context.Context, hash string) (*unmask.APIToken, error) {
	if _, err := require(ctx, "look tokens up", administers); err != nil {
		return nil, err
	}
	return s.s.FindTokenByHash(ctx, hash)
}

// FindTokens lists tokens; administrators only.
func (s *Service) FindTokens(ctx context.Context, f unmask.TokenFilter) ([]*unmask.APIToken, int, error) {
	if _, err := require(ctx, "list tokens", administers); err != nil {
		return nil, 0, err
	}
	return s.s.FindTokens(ctx, f)
}

// CreateToken stores a token; administrators only.
func (s *Service) CreateToken(ctx context.Context, t *unmask.APIToken) error {
	if _, err := require(ctx, "create tokens", administers); err != nil {
		return err
	}
	if err := s.s.CreateToken(ctx, t); err != nil {
		return err
	}
	return s.audit(ctx, "token.create", "token", t.ID, "role="+string(t.Role))
}

// UpdateToken revokes a token; administrators only.
func (s *Service) UpdateToken(ctx context.Context, id string, upd unmask.TokenUpdate) (*unmask.APIToken, error) {
	if _, err := require(ctx, "change tokens", administers); err != nil {
		return nil, err
	}
	t, err := s.s.UpdateToken(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	return t, s.audit(ctx, "token.update", "token", id, changes(map[string]bool{"revoked": upd.RevokedAt != nil}))
}

// DeleteToken removes a token; administrators only.
func (s *Service) DeleteToken(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete tokens", administers); err != nil {
		return err
	}
	if err := s.s.DeleteToken(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "token.delete", "token", id, "")
}
