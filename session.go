package unmask

import (
	"context"
	"time"
)

// Session is a signed-in browser session. The store keeps only a hash of the session
// secret that the cookie carries, so a leaked database does not let anyone sign in.
type Session struct {
	// Hash is the hash of the session secret; it identifies the session.
	Hash       string    `json:"-"`
	UserID     string    `json:"user_id"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
	UserAgent  string    `json:"user_agent,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	// ExpiresAt is the absolute end of the session, however active it is.
	ExpiresAt time.Time `json:"expires_at"`
}

// Validate reports whether s is complete enough to store.
func (s *Session) Validate() error {
	switch {
	case s.Hash == "" || s.UserID == "":
		return Errorf(EINVALID, "Session hash and user required.")
	case s.ExpiresAt.IsZero():
		return Errorf(EINVALID, "Session expiry required.")
	}
	return nil
}

// SessionService stores browser sessions.
type SessionService interface {
	// FindSessionByHash returns ENOTFOUND if no session has the hash.
	FindSessionByHash(ctx context.Context, hash string) (*Session, error)
	// CreateSession stores s, setting CreatedAt and, when zero, LastSeenAt.
	CreateSession(ctx context.Context, s *Session) error
	// TouchSession records activity on the session at t; ENOTFOUND if there is none.
	TouchSession(ctx context.Context, hash string, t time.Time) error
	// DeleteSession removes one session (sign-out); DeleteUserSessions every session of a
	// user (password change, disabling) and returns how many.
	DeleteSession(ctx context.Context, hash string) error
	DeleteUserSessions(ctx context.Context, userID string) (int, error)
	// DeleteSessionsBefore removes sessions that expired, or were last seen, before t.
	DeleteSessionsBefore(ctx context.Context, expiredBefore, idleBefore time.Time) (int, error)
}
