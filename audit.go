package unmask

import (
	"context"
	"time"
)

// AuditEntry records who saw or changed what. The audit trail is append-only.
type AuditEntry struct {
	ID      string    `json:"id"`
	Time    time.Time `json:"time"`
	ActorID string    `json:"actor_id"` // user id, or "system"
	Actor   string    `json:"actor"`    // username at the time
	// Action is a verb on an object type: "person.view", "case.update", "token.create".
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id,omitempty"`
	// Detail says what changed; it never holds secrets or raw HR values.
	Detail     string `json:"detail,omitempty"`
	RemoteAddr string `json:"remote_addr,omitempty"`
}

// Validate reports whether a is complete enough to store.
func (a *AuditEntry) Validate() error {
	if a.ActorID == "" || a.Action == "" || a.ObjectType == "" {
		return Errorf(EINVALID, "Audit entry actor, action and object type required.")
	}
	return nil
}

// AuditFilter selects audit entries. Nil fields do not filter.
type AuditFilter struct {
	ActorID    *string
	Action     *string
	ObjectType *string
	ObjectID   *string
	Since      *time.Time
	Until      *time.Time
	Page
}

// AuditService stores the audit trail. There is no update or delete: entries are kept.
type AuditService interface {
	// CreateAuditEntry assigns ID and, when zero, Time.
	CreateAuditEntry(ctx context.Context, a *AuditEntry) error
	// FindAuditEntries returns matching entries, newest first, and the total count.
	FindAuditEntries(ctx context.Context, filter AuditFilter) ([]*AuditEntry, int, error)
}

// NewAuditEntry returns an entry for the acting user and the client address in ctx.
func NewAuditEntry(ctx context.Context, action, objectType, objectID, detail string) *AuditEntry {
	a := &AuditEntry{Action: action, ObjectType: objectType, ObjectID: objectID, Detail: detail, RemoteAddr: RemoteAddrFromContext(ctx)}
	if u := UserFromContext(ctx); u != nil {
		a.ActorID, a.Actor = u.ID, u.Username
	}
	return a
}
