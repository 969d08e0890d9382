package unmask_test

import (
	"context"
	"testing"

	"github.com/unmask/unmask"
)

func TestNewAuditEntryRecordsActorAndAddress(t *testing.T) {
	u := &unmask.User{ID: "u1", Username: "ana", Role: unmask.RoleAnalyst}
	ctx := unmask.NewContextWithRemoteAddr(unmask.NewContextWithUser(context.Background(), u), "192.0.2.7")
	e := unmask.NewAuditEntry(ctx, "case.close", "case", "c1", "disposition=legitimate")
	if e.ActorID != "u1" || e.Actor != "ana" || e.RemoteAddr != "192.0.2.7" || e.Action != "case.close" {
		t.Errorf("entry = %+v", e)
	}
	if e := unmask.NewAuditEntry(context.Background(), "x.y", "x", "", ""); e.RemoteAddr != "" || e.ActorID != "" {
		t.Errorf("entry without user or address = %+v", e)
	}
}
