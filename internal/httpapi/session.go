package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/unmask/unmask"
)

// Session defaults.
const (
	defaultSessionIdle   = 30 * time.Minute
	defaultSessionMaxAge = 12 * time.Hour
	// sessionTouchEvery limits how often a session's last activity is written.
	sessionTouchEvery = time.Minute
	defaultLogins     = 10
	// maxLimiterKeys bounds the memory of the login limiter; past it the table restarts.
	maxLimiterKeys = 10000
)

// cookieName returns the session cookie's name: with the __Host- prefix, browsers accept
// it only when Secure, host-only and for path /.
func (s *Server) cookieName() string {
	if s.opts.InsecureCookies {
		return "unmask_session"
	}
	return "__Host-unmask_session"
}

// hashSessionSecret returns the stored form of a session secret.
func hashSessionSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "sha256:" + hex.EncodeToString(sum[:])
}

func (s *Server) sessionIdle() time.Duration {
	if s.opts.SessionIdle > 0 {
		return s.opts.SessionIdle
	}
	return defaultSessionIdle
}

func (s *Server) sessionMaxAge() time.Duration {
	if s.opts.SessionMaxAge > 0 {
		return s.opts.SessionMaxAge
	}
	return defaultSessionMaxAge
}

// startSession stores a new session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *unmask.User) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	secret := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now().UTC()
	sess := &unmask.Session{Hash: hashSessionSecret(secret), UserID: u.ID, RemoteAddr: s.clientAddr(r),
		UserAgent: truncate(r.UserAgent(), 256), LastSeenAt: now, ExpiresAt: now.Add(s.sessionMaxAge())}
	if err := s.opts.Sessions.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	if _, err := s.opts.Sessions.DeleteSessionsBefore(r.Context(), now, now.Add(-s.sessionIdle())); err != nil {
		s.log.Warn("delete stale sessions", "err", err)
	}
	http.SetCookie(w, s.cookie(secret, int(s.sessionMaxAge().Seconds())))
	return nil
}

func (s *Server) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: s.cookieName(), Value: value, Path: "/", MaxAge: maxAge,
		Secure: !s.opts.InsecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// errNoSession is the answer for a missing, unknown, idle or expired session.
var errNoSession = unmask.Errorf(unmask.EUNAUTHORIZED, "Sign in to continue.")

// sessionUser returns the signed-in user of a browser request.
func (s *Server) sessionUser(r *http.Request) (*unmask.User, error) {
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" || s.opts.Sessions == nil {
		return nil, errNoSession
	}
	ctx, hash := r.Context(), hashSessionSecret(c.Value)
	sess, err := s.opts.Sessions.FindSessionByHash(ctx, hash)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		return nil, errNoSession
	} else if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if !now.Before(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.sessionIdle() {
		_ = s.opts.Sessions.DeleteSession(ctx, hash)
		return nil, errNoSession
	}
	u, err := s.opts.Store.FindUserByID(ctx, sess.UserID)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND || (err == nil && u.Disabled) {
		_ = s.opts.Sessions.DeleteSession(ctx, hash)
		return nil, errNoSession
	} else if err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		if err := s.opts.Sessions.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
	}
	acting := *u
	acting.PasswordHash = ""
	return &acting, nil
}

// endSession deletes the request's session, if any, and clears the cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.cookieName()); err == nil && c.Value != "" && s.opts.Sessions != nil {
		if err := s.opts.Sessions.DeleteSession(r.Context(), hashSessionSecret(c.Value)); err != nil && unmask.ErrorCode(err) != unmask.ENOTFOUND {
			s.log.Warn("delete session", "err", err)
		}
	}
	http.SetCookie(w, s.cookie("", -1))
}

// loginLimiter rate-limits sign-in attempts per client address and per username, on top
// of the account lock-out in internal/auth (which an attacker spraying many usernames
// from one address, or one username from many addresses, would not trip alone).
type loginLimiter struct {
	perMinute int
	mu        sync.Mutex // guards following
	byIP      map[string]*rate.Limiter
	byUser    map[string]*rate.Limiter
}

func newLoginLimiter(perMinute int) *loginLimiter {
	if perMinute <= 0 {
		perMinute = defaultLogins
	}
	return &loginLimiter{perMinute: perMinute, byIP: map[string]*rate.Limiter{}, byUser: map[string]*rate.Limiter{}}
}

// allow reports whether one more attempt from ip for username may proceed at now.
func (l *loginLimiter) allow(now time.Time, ip, username string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.limiter(l.byIP, ip).AllowN(now, 1)
	b := l.limiter(l.byUser, strings.ToLower(username)).AllowN(now, 1)
	return a && b
}

// allowAddr reports whether one more attempt from ip may proceed at now, for a sign-in
// without a username yet (the SSO callback).
func (l *loginLimiter) allowAddr(now time.Time, ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limiter(l.byIP, ip).AllowN(now, 1)
}

func (l *loginLimiter) limiter(m map[string]*rate.Limiter, key string) *rate.Limiter {
	lim := m[key]
	if lim == nil {
		if len(m) >= maxLimiterKeys {
			clear(m)
		}
		lim = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.perMinute)
		m[key] = lim
	}
	return lim
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
