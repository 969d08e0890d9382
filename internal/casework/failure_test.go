package casework_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

// failingAlerts fails every alert update.
type failingAlerts struct{ casework.AlertStore }

func (failingAlerts) UpdateAlert(context.Context, string, unmask.AlertUpdate) (*unmask.Alert, error) {
	return nil, errors.New("disk full")
}

// failingIndicators fails every indicator creation.
type failingIndicators struct{ casework.IndicatorStore }

func (failingIndicators) CreateIndicator(context.Context, *unmask.Indicator) error {
	return unmask.Errorf(unmask.EUNAVAILABLE, "Indicator store unavailable.")
}

// TestPartialFailureIsAudited checks that a change the store kept is audited even when a
// later step of the same action fails.
func TestPartialFailureIsAudited(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	e.identifier(t, p.ID, unmask.IdentEmail, "jdoe@example.com")
	a := e.alert(t, p.ID, "N-01", unmask.SeverityHigh, e.signal(t, p.ID, "N-01"))
	svc, err := casework.NewService(casework.Options{
		Cases: e.db, Alerts: failingAlerts{e.db}, Signals: e.db, Events: e.db, Identifiers: e.db,
		Indicators: failingIndicators{e.db}, Audit: e.db, People: e.db, Now: e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := e.as(unmask.RoleAnalyst)

	c, err := svc.OpenFromAlert(ctx, a.ID, casework.OpenRequest{})
	if err == nil || c == nil {
		t.Fatalf("OpenFromAlert with a failing alert store = %v, %v; want the case and an error", c, err)
	}
	audit := e.auditOf(t, c.ID)
	if len(audit) != 1 || !strings.Contains(audit[0].Detail, "not linked") || !strings.Contains(audit[0].Detail, "not completed") {
		t.Errorf("audit = %+v, want the creation with the failed link", audit)
	}

	_, err = svc.Close(ctx, c.ID, unmask.DispositionConfirmedFraud, "")
	if unmask.ErrorCode(err) != unmask.EUNAVAILABLE {
		t.Errorf("close with a failing indicator store: %v, want unavailable", err)
	}
	if got := e.findCase(t, c.ID); got.Status != unmask.CaseClosed {
		t.Errorf("case is %s, want closed", got.Status)
	}
	audit = e.auditOf(t, c.ID)
	if len(audit) != 2 || audit[1].Action != "case.close" || !strings.HasSuffix(audit[1].Detail, "not completed: Indicator store unavailable.") {
		t.Errorf("close audit = %+v", audit[len(audit)-1])
	}
}
