package unmask

import (
	"context"
	"slices"
	"time"
)

// Role is what a user may see and do.
type Role string

// Roles.
const (
	RoleAdmin   Role = "admin"   // everything, including users, tokens and settings
	RoleAnalyst Role = "analyst" // triage, cases, rules; all evidence
	RoleHR      Role = "hr"      // applicant and HR data, not endpoint details
	RoleViewer  Role = "viewer"  // read-only, pseudonymised names
)

// Roles lists every role, most privileged first.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleHR, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleAnalyst, RoleHR, RoleViewer:
		return true
	}
	return false
}

// CanAdminister reports whether r manages users, tokens and settings.
func (r Role) CanAdminister() bool { return r == RoleAdmin }

// CanSeeHR reports whether r may see HR and applicant fields in the clear.
func (r Role) CanSeeHR() bool { return r == RoleAdmin || r == RoleAnalyst || r == RoleHR }

// CanSeeEndpoint reports whether r may see endpoint and network details.
func (r Role) CanSeeEndpoint() bool { return r == RoleAdmin || r == RoleAnalyst }

// CanSeeNames reports whether r sees people's real names rather than pseudonyms.
func (r Role) CanSeeNames() bool { return r != RoleViewer }

// CanRespond reports whether r may change alerts, cases and spot checks.
func (r Role) CanRespond() bool { return r == RoleAdmin || r == RoleAnalyst || r == RoleHR }

// roleCovers lists, for each role, the roles whose permissions it includes.
var roleCovers = map[Role][]Role{
	RoleAdmin:   {RoleAdmin, RoleAnalyst, RoleHR, RoleViewer},
	RoleAnalyst: {RoleAnalyst, RoleHR, RoleViewer},
	RoleHR:      {RoleHR, RoleViewer},
	RoleViewer:  {RoleViewer},
}

// Covers reports whether r has every permission of other: a token's role may not exceed
// its owner's.
func (r Role) Covers(other Role) bool { return slices.Contains(roleCovers[r], other) }

// User is a person who operates Unmask.
type User struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name,omitempty"`
	Role        Role   `json:"role"`
	// PasswordHash is a PHC-format argon2id hash; empty for single-sign-on-only users.
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	FailedLogins int       `json:"failed_logins"`
	LockedUntil  time.Time `json:"locked_until,omitzero"`
	LastLoginAt  time.Time `json:"last_login_at,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate reports whether u is complete enough to store.
func (u *User) Validate() error {
	switch {
	case u.Username == "":
		return Errorf(EINVALID, "Username required.")
	case len(u.Username) > 64:
		return Errorf(EINVALID, "Username longer than 64 characters.")
	case !u.Role.Valid():
		return Errorf(EINVALID, "Role %q is not one of admin, analyst, hr, viewer.", u.Role)
	}
	return nil
}

// UserFilter selects users. Nil fields do not filter.
type UserFilter struct {
	ID       *string
	Username *string
	Role     *Role
	Disabled *bool
	Page
}

// UserUpdate changes the non-nil fields of a user.
type UserUpdate struct {
	DisplayName  *string
	Role         *Role
	PasswordHash *string
	Disabled     *bool
	FailedLogins *int
	LockedUntil  *time.Time
	LastLoginAt  *time.Time
}

// UserService stores users.
type UserService interface {
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByUsername returns ENOTFOUND if there is no such user.
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	// FindUsers returns matching users ordered by username.
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, int, error)
	// CreateUser returns ECONFLICT if the username is taken.
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, id string, upd UserUpdate) (*User, error)
	DeleteUser(ctx context.Context, id string) error
}
