package sqlstore

import (
	"context"
	"time"

	"github.com/unmask/unmask"
)

var _ unmask.SessionService = (*Store)(nil)

const sessionCols = "hash, user_id, remote_addr, user_agent, created_at, last_seen_at, expires_at"

func scanSession(r scanner) (*unmask.Session, error) {
	var s unmask.Session
	var created, seen, expires int64
	if err := r.Scan(&s.Hash, &s.UserID, &s.RemoteAddr, &s.UserAgent, &created, &seen, &expires); err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromTS(created), fromTS(seen), fromTS(expires)
	return &s, nil
}

// FindSessionByHash returns the session with a secret hash.
func (s *Store) FindSessionByHash(ctx context.Context, hash string) (*unmask.Session, error) {
	return one(ctx, s, "FindSessionByHash", "Session", "SELECT "+sessionCols+" FROM sessions WHERE hash = ?", scanSession, hash)
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, sess *unmask.Session) error {
	if err := sess.Validate(); err != nil {
		return err
	}
	sess.CreatedAt = s.now()
	if sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = sess.CreatedAt
	}
	_, err := s.exec(ctx, "INSERT INTO sessions ("+sessionCols+") VALUES (?,?,?,?,?,?,?)",
		sess.Hash, sess.UserID, sess.RemoteAddr, sess.UserAgent, ts(sess.CreatedAt), ts(sess.LastSeenAt), ts(sess.ExpiresAt))
	return s.classify("CreateSession", err)
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, hash string, t time.Time) error {
	res, err := s.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE hash = ?", ts(t), hash)
	if err != nil {
		return s.classify("TouchSession", err)
	}
	return s.classify("TouchSession", checkAffected("TouchSession", "Session", res))
}

// DeleteSession removes a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	res, err := s.exec(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
	if err != nil {
		return s.classify("DeleteSession", err)
	}
	return s.classify("DeleteSession", checkAffected("DeleteSession", "Session", res))
}

// DeleteUserSessions removes every session of a user.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) (int, error) {
	return s.deleteSessions(ctx, "DeleteUserSessions", "DELETE FROM sessions WHERE user_id = ?", userID)
}

// DeleteSessionsBefore removes expired and idle sessions.
func (s *Store) DeleteSessionsBefore(ctx context.Context, expiredBefore, idleBefore time.Time) (int, error) {
	return s.deleteSessions(ctx, "DeleteSessionsBefore", "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?",
		ts(expiredBefore), ts(idleBefore))
}

func (s *Store) deleteSessions(ctx context.Context, op, q string, args ...any) (int, error) {
	res, err := s.exec(ctx, q, args...)
	if err != nil {
		return 0, s.classify(op, err)
	}
	n, err := res.RowsAffected()
	return int(n), s.classify(op, err)
}
