package unmask

import (
	"context"
	"time"
)

// APIToken is a credential for the API. Only a hash of the secret is stored; the secret is
// shown once, when the token is created.
type APIToken struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	// Role scopes the token; it never exceeds the owner's role.
	Role Role `json:"role"`
	// Prefix is the first characters of the secret, to tell tokens apart.
	Prefix     string    `json:"prefix"`
	Hash       string    `json:"-"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// Active reports whether the token may be used at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}

// Validate reports whether t is complete enough to store.
func (t *APIToken) Validate() error {
	switch {
	case t.UserID == "" || t.Name == "":
		return Errorf(EINVALID, "Token owner and name required.")
	case t.Hash == "":
		return Errorf(EINVALID, "Token hash required.")
	case !t.Role.Valid():
		return Errorf(EINVALID, "Token role %q is not valid.", t.Role)
	}
	return nil
}

// TokenFilter selects tokens. Nil fields do not filter.
type TokenFilter struct {
	UserID *string
	Name   *string
	// Revoked selects revoked (true) or unrevoked (false) tokens.
	Revoked *bool
	Page
}

// TokenUpdate changes the non-nil fields of a token.
type TokenUpdate struct {
	RevokedAt  *time.Time
	LastUsedAt *time.Time
}

// TokenService stores API tokens.
type TokenService interface {
	FindTokenByID(ctx context.Context, id string) (*APIToken, error)
	// FindTokenByHash returns ENOTFOUND if no token has the hash.
	FindTokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// FindTokens returns matching tokens, newest first.
	FindTokens(ctx context.Context, filter TokenFilter) ([]*APIToken, int, error)
	// CreateToken returns ECONFLICT if the owner has a token of the same name.
	CreateToken(ctx context.Context, t *APIToken) error
	UpdateToken(ctx context.Context, id string, upd TokenUpdate) (*APIToken, error)
	DeleteToken(ctx context.Context, id string) error
}
