// Package auth authenticates Unmask's users: local passwords (argon2id) with lock-out after
// repeated failures, and API tokens, whose secrets are shown once and stored only as hashes.
// Every login, failure and lock-out is audited; a token use updates its last-used time.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/password"
)

// Store is what authentication needs from the store.
type Store interface {
	unmask.UserService
	unmask.TokenService
	unmask.AuditService
}

// Options configures an Authenticator.
type Options struct {
	Store Store
	// MaxFailures locks an account after this many consecutive failed logins; 0 means 5.
	MaxFailures int
	// LockFor is how long a lock-out lasts; 0 means 15 minutes.
	LockFor time.Duration
	// Params are the argon2id costs for new password hashes; zero means DefaultParams.
	Params password.Params
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Authenticator checks credentials.
type Authenticator struct {
	store       Store
	maxFailures int
	lockFor     time.Duration
	params      password.Params
	now         func() time.Time
}

// New returns an Authenticator.
func New(opts Options) *Authenticator {
	a := &Authenticator{store: opts.Store, maxFailures: opts.MaxFailures, lockFor: opts.LockFor, params: opts.Params, now: opts.Now}
	if a.maxFailures <= 0 {
		a.maxFailures = 5
	}
	if a.lockFor <= 0 {
		a.lockFor = 15 * time.Minute
	}
	if a.params == (password.Params{}) {
		a.params = password.DefaultParams
	}
	if a.now == nil {
		a.now = time.Now
	}
	return a
}

// errBadLogin is the one answer to every failed login, so that a caller cannot tell a wrong
// password from an unknown, disabled or locked account.
var errBadLogin = unmask.Errorf(unmask.EUNAUTHORIZED, "Wrong username or password, or the account is locked.")

// CreateUser stores a new local user with a hashed password.
func (a *Authenticator) CreateUser(ctx context.Context, u *unmask.User, pw string) error {
	if err := password.Check(pw); err != nil {
		return unmask.Errorf(unmask.EINVALID, "%s.", capitalize(err.Error()))
	}
	h, err := password.Hash(pw, a.params)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	if err := a.store.CreateUser(ctx, u); err != nil {
		return err
	}
	return a.audit(ctx, "user.create", u.ID, "role="+string(u.Role))
}

// SetPassword replaces a user's password.
func (a *Authenticator) SetPassword(ctx context.Context, userID, pw string) error {
	if err := password.Check(pw); err != nil {
		return unmask.Errorf(unmask.EINVALID, "%s.", capitalize(err.Error()))
	}
	h, err := password.Hash(pw, a.params)
	if err != nil {
		return err
	}
	zero := 0
	if _, err := a.store.UpdateUser(ctx, userID, unmask.UserUpdate{PasswordHash: &h, FailedLogins: &zero, LockedUntil: new(time.Time)}); err != nil {
		return err
	}
	return a.audit(ctx, "user.password", userID, "")
}

// Login checks a username and password and returns the user.
func (a *Authenticator) Login(ctx context.Context, username, pw string) (*unmask.User, error) {
	u, err := a.store.FindUserByUsername(ctx, username)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		_ = password.Verify(pw, dummyHash()) // spend the same time as a real check
		return nil, errBadLogin
	}
	if err != nil {
		return nil, err
	}
	now := a.now()
	if u.Disabled || u.PasswordHash == "" || now.Before(u.LockedUntil) {
		_ = password.Verify(pw, dummyHash())
		_ = a.auditAs(ctx, u, "user.login_refused", u.ID, "disabled, locked or without password")
		return nil, errBadLogin
	}
	if err := password.Verify(pw, u.PasswordHash); err != nil {
		if !errors.Is(err, password.ErrMismatch) {
			return nil, unmask.WrapError(unmask.EINTERNAL, err, "Stored password hash is unreadable.")
		}
		return nil, a.recordFailure(ctx, u, now)
	}
	zero := 0
	u, err = a.store.UpdateUser(ctx, u.ID, unmask.UserUpdate{FailedLogins: &zero, LastLoginAt: &now})
	if err != nil {
		return nil, err
	}
	return u, a.auditAs(ctx, u, "user.login", u.ID, "")
}

// recordFailure counts a failed login and locks the account at the limit.
func (a *Authenticator) recordFailure(ctx context.Context, u *unmask.User, now time.Time) error {
	n := u.FailedLogins + 1
	upd := unmask.UserUpdate{FailedLogins: &n}
	detail := "wrong password"
	if n >= a.maxFailures {
		until := now.Add(a.lockFor)
		zero := 0
		upd = unmask.UserUpdate{FailedLogins: &zero, LockedUntil: &until}
		detail = "locked after repeated failures"
	}
	if _, err := a.store.UpdateUser(ctx, u.ID, upd); err != nil {
		return err
	}
	if err := a.auditAs(ctx, u, "user.login_failed", u.ID, detail); err != nil {
		return err
	}
	return errBadLogin
}

// dummyHash is verified for unknown users so that timing does not reveal which exist.
var dummyHash = sync.OnceValue(func() string {
	h, _ := password.Hash("unmask-dummy-password", password.DefaultParams)
	return h
})

// TokenPrefix starts every API token secret.
const TokenPrefix = "umk_"

// HashToken returns the stored form of a token secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// CreateToken issues a token for user with role (no more than the user's own) and returns
// the token and its secret, which is not stored and cannot be shown again.
func (a *Authenticator) CreateToken(ctx context.Context, user *unmask.User, name string, role unmask.Role, ttl time.Duration) (*unmask.APIToken, string, error) {
	if role == "" {
		role = user.Role
	}
	if !user.Role.Covers(role) {
		return nil, "", unmask.Errorf(unmask.EFORBIDDEN, "A %s cannot issue a token with role %s.", user.Role, role)
	}
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", err
	}
	secret := TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	t := &unmask.APIToken{UserID: user.ID, Name: name, Role: role, Prefix: secret[:len(TokenPrefix)+6], Hash: HashToken(secret)}
	if ttl > 0 {
		t.ExpiresAt = a.now().Add(ttl)
	}
	if err := a.store.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, a.audit(ctx, "token.create", t.ID, "user="+user.Username+" role="+string(role))
}

// RevokeToken revokes a token.
func (a *Authenticator) RevokeToken(ctx context.Context, id string) error {
	now := a.now()
	if _, err := a.store.UpdateToken(ctx, id, unmask.TokenUpdate{RevokedAt: &now}); err != nil {
		return err
	}
	return a.audit(ctx, "token.revoke", id, "")
}

// VerifyToken returns the acting user for a token secret: the owner with the token's role.
func (a *Authenticator) VerifyToken(ctx context.Context, secret string) (*unmask.User, *unmask.APIToken, error) {
	bad := unmask.Errorf(unmask.EUNAUTHORIZED, "Invalid, expired or revoked API token.")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, nil, bad
	}
	t, err := a.store.FindTokenByHash(ctx, HashToken(secret))
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, err
	}
	now := a.now()
	if !t.Active(now) {
		return nil, nil, bad
	}
	u, err := a.store.FindUserByID(ctx, t.UserID)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.store.UpdateToken(ctx, t.ID, unmask.TokenUpdate{LastUsedAt: &now}); err != nil {
		return nil, nil, err
	}
	acting := *u
	acting.Role = t.Role
	return &acting, t, nil
}

func (a *Authenticator) audit(ctx context.Context, action, id, detail string) error {
	e := unmask.NewAuditEntry(ctx, action, objectType(action), id, detail)
	if e.ActorID == "" {
		e.ActorID, e.Actor = unmask.SystemUser.ID, unmask.SystemUser.Username
	}
	return a.store.CreateAuditEntry(ctx, e)
}

// auditAs records an entry whose actor is u (a login has no acting user yet).
func (a *Authenticator) auditAs(ctx context.Context, u *unmask.User, action, id, detail string) error {
	return a.audit(unmask.NewContextWithUser(ctx, u), action, id, detail)
}

func objectType(action string) string {
	t, _, _ := strings.Cut(action, ".")
	return t
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
