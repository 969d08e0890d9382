package unmask

import "context"

type contextKey int

const (
	userContextKey contextKey = iota
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

// SystemUser is the acting user for background jobs and for the local administrator's CLI.
var SystemUser = &User{ID: "system", Username: "system", Role: RoleAdmin}
