package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/screen"
)

// screenAdapter answers POST /api/v1/screen with the identity screener. The screener
// reads the raw store (the server has already checked the caller may see HR data, and
// audits what the answer shows).
type screenAdapter struct{ s *screen.Screener }

var _ httpapi.Screener = screenAdapter{}

// ScreenApplicant parses a Greenhouse candidate, webhook or applicant and screens it.
func (a screenAdapter) ScreenApplicant(ctx context.Context, raw []byte) (*httpapi.ScreenResult, error) {
	app, err := screen.ParseApplicant(raw)
	if err != nil {
		return nil, err
	}
	res, err := a.s.ScreenApplicant(ctx, app)
	if err != nil {
		return nil, err
	}
	return screenResult(res), nil
}

// screenResult converts a screening to its API form.
func screenResult(res *screen.Result) *httpapi.ScreenResult {
	out := &httpapi.ScreenResult{Score: res.Score, Band: res.Band, Reasons: make([]httpapi.ScreenReason, 0, len(res.Reasons))}
	for _, r := range res.Reasons {
		reason := httpapi.ScreenReason{Indicator: r.Indicator, Points: r.Points, Explanation: r.Explanation}
		for _, ev := range r.Evidence {
			reason.Evidence = append(reason.Evidence, httpapi.ScreenEvidence{PersonID: ev.PersonID, Name: ev.Name, Kind: ev.Kind,
				Identifier: ev.Identifier, Display: ev.Display})
		}
		out.Reasons = append(out.Reasons, reason)
	}
	return out
}

// auditScreen records a screening from the CLI, and a view of every stored person its
// evidence names, as the API does.
func auditScreen(ctx context.Context, svc unmask.AuditService, res *screen.Result) error {
	var people []string
	for _, r := range res.Reasons {
		for _, ev := range r.Evidence {
			if !slices.Contains(people, ev.PersonID) {
				people = append(people, ev.PersonID)
			}
		}
	}
	if err := svc.CreateAuditEntry(ctx, unmask.NewAuditEntry(ctx, "applicant.screen", "applicant", "",
		fmt.Sprintf("via=cli band=%s reasons=%d people=%d", res.Band, len(res.Reasons), len(people)))); err != nil {
		return fmt.Errorf("audit applicant.screen: %w", err)
	}
	for _, id := range people {
		if err := svc.CreateAuditEntry(ctx, unmask.NewAuditEntry(ctx, "person.view", "person", id, "via=screen")); err != nil {
			return fmt.Errorf("audit person.view: %w", err)
		}
	}
	return nil
}
