package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const auditCols = "id, time, actor_id, actor, action, object_type, object_id, detail, remote_addr"

func scanAudit(r scanner) (*unmask.AuditEntry, error) {
	var a unmask.AuditEntry
	var t int64
	if err := r.Scan(&a.ID, &t, &a.ActorID, &a.Actor, &a.Action, &a.ObjectType, &a.ObjectID, &a.Detail, &a.RemoteAddr); err != nil {
		return nil, err
	}
	a.Time = fromTS(t)
	return &a, nil
}

// CreateAuditEntry appends to the audit trail.
func (s *Store) CreateAuditEntry(ctx context.Context, a *unmask.AuditEntry) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.ID == "" {
		a.ID = newID()
	}
	if a.Time.IsZero() {
		a.Time = s.now()
	}
	_, err := s.exec(ctx, "INSERT INTO audit_entries ("+auditCols+") VALUES (?,?,?,?,?,?,?,?,?)",
		a.ID, ts(a.Time), a.ActorID, a.Actor, a.Action, a.ObjectType, a.ObjectID, a.Detail, a.RemoteAddr)
	return s.classify("CreateAuditEntry", err)
}

// FindAuditEntries returns matching entries, newest first.
func (s *Store) FindAuditEntries(ctx context.Context, f unmask.AuditFilter) ([]*unmask.AuditEntry, int, error) {
	var w where
	eq(&w, "actor_id", f.ActorID)
	eq(&w, "action", f.Action)
	eq(&w, "object_type", f.ObjectType)
	eq(&w, "object_id", f.ObjectID)
	if f.Since != nil {
		w.add("time >= ?", ts(*f.Since))
	}
	if f.Until != nil {
		w.add("time < ?", ts(*f.Until))
	}
	return list(ctx, s, "FindAuditEntries", auditCols, "audit_entries", w, "time DESC, id DESC", f.Page, scanAudit)
}
