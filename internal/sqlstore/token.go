package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const tokenCols = "id, user_id, name, role, prefix, hash, expires_at, revoked_at, last_used_at, created_at"

func scanToken(r scanner) (*unmask.APIToken, error) {
	var t unmask.APIToken
	var expires, revoked, used, created int64
	err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.Role, &t.Prefix, &t.Hash, &expires, &revoked, &used, &created)
	if err != nil {
		return nil, err
	}
	t.ExpiresAt, t.RevokedAt, t.LastUsedAt, t.CreatedAt = fromTS(expires), fromTS(revoked), fromTS(used), fromTS(created)
	return &t, nil
}

// FindTokenByID returns one token.
func (s *Store) FindTokenByID(ctx context.Context, id string) (*unmask.APIToken, error) {
	return one(ctx, s, "FindTokenByID", "Token", "SELECT "+tokenCols+" FROM api_tokens WHERE id = ?", scanToken, id)
}

// FindTokenByHash returns the token with a secret hash.
func (s *Store) FindTokenByHash(ctx context.Context, hash string) (*unmask.APIToken, error) {
	return one(ctx, s, "FindTokenByHash", "Token", "SELECT "+tokenCols+" FROM api_tokens WHERE hash = ?", scanToken, hash)
}

// FindTokens returns matching tokens, newest first.
func (s *Store) FindTokens(ctx context.Context, f unmask.TokenFilter) ([]*unmask.APIToken, int, error) {
	var w where
	eq(&w, "user_id", f.UserID)
	eq(&w, "name", f.Name)
	if f.Revoked != nil {
		if *f.Revoked {
			w.add("revoked_at <> 0")
		} else {
			w.add("revoked_at = 0")
		}
	}
	return list(ctx, s, "FindTokens", tokenCols, "api_tokens", w, "created_at DESC, id", f.Page, scanToken)
}

// CreateToken stores a new token.
func (s *Store) CreateToken(ctx context.Context, t *unmask.APIToken) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.ID == "" {
		t.ID = newID()
	}
	t.CreatedAt = s.now()
	_, err := s.exec(ctx, "INSERT INTO api_tokens ("+tokenCols+") VALUES (?,?,?,?,?,?,?,?,?,?)",
		t.ID, t.UserID, t.Name, t.Role, t.Prefix, t.Hash, ts(t.ExpiresAt), ts(t.RevokedAt),
		ts(t.LastUsedAt), ts(t.CreatedAt))
	return s.classify("CreateToken", err)
}

// UpdateToken changes a token.
func (s *Store) UpdateToken(ctx context.Context, id string, upd unmask.TokenUpdate) (*unmask.APIToken, error) {
	var u set
	sett(&u, "revoked_at", upd.RevokedAt)
	sett(&u, "last_used_at", upd.LastUsedAt)
	if err := s.update(ctx, "UpdateToken", "Token", "api_tokens", id, &u); err != nil {
		return nil, err
	}
	return s.FindTokenByID(ctx, id)
}

// DeleteToken removes a token.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteToken", "Token", "api_tokens", id)
}
