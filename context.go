package unmask

import "context"

type contextKey int

const (
	userContextKey contextKey = iota
	remoteAddrContextKey
)

// NewContextWithUser returns a copy of ctx that carries the acting user (an analyst, the
// owner of an API token, or a system job).
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userContextKey, u)
}

// UserFromContext returns the acting user, or nil when ctx carries none.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userContextKey).(*User)
	return u
}

// NewContextWithRemoteAddr returns a copy of ctx carrying the client address of the
// request, which audit entries record (NewAuditEntry).
func NewContextWithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteAddrContextKey, addr)
}

// RemoteAddrFromContext returns the client address ctx carries, or "".
func RemoteAddrFromContext(ctx context.Context) string {
	a, _ := ctx.Value(remoteAddrContextKey).(string)
	return a
}

// SystemUser is the acting user for background jobs and for the local administrator's CLI.
var SystemUser = &User{ID: "system", Username: "system", Role: RoleAdmin}
