package storetest

import (
	"testing"

	"github.com/unmask/unmask"
)

func testIndicator(t *testing.T, s Store) {
	ctx := ctx(t)
	i := &unmask.Indicator{Type: unmask.IOCEmail, Value: "devops.star@example.net", Source: "fbi-2025", Description: "Persona e-mail", Confidence: 80, ValidUntil: day}
	must(t, s.CreateIndicator(ctx, i))
	got, err := s.FindIndicatorByID(ctx, i.ID)
	must(t, err)
	diff(t, "FindIndicatorByID", i, got)
	wantCode(t, s.CreateIndicator(ctx, &unmask.Indicator{Type: unmask.IOCEmail, Value: "devops.star@example.net", Source: "fbi-2025"}), unmask.ECONFLICT)
	wantCode(t, s.CreateIndicator(ctx, &unmask.Indicator{Type: "mood", Value: "x", Source: "y"}), unmask.EINVALID)
	must(t, s.CreateIndicator(ctx, &unmask.Indicator{Type: unmask.IOCEmail, Value: "devops.star@example.net", Source: "case:1", CaseID: "1", Confidence: 100}))
	must(t, s.CreateIndicator(ctx, &unmask.Indicator{Type: unmask.IOCGitHubLogin, Value: "octo-dev", Source: "fbi-2025"}))

	list, total, err := s.FindIndicators(ctx, unmask.IndicatorFilter{Value: new("devops.star@example.net")})
	must(t, err)
	if total != 2 || list[0].Type != unmask.IOCEmail {
		t.Errorf("by value = %d", total)
	}
	list, total, err = s.FindIndicators(ctx, unmask.IndicatorFilter{Source: new("fbi-2025"), Page: unmask.Page{Limit: 1}})
	must(t, err)
	if total != 2 || len(list) != 1 || list[0].Type != unmask.IOCEmail {
		t.Errorf("by source, first by type = %+v", list)
	}
	_, total, err = s.FindIndicators(ctx, unmask.IndicatorFilter{CaseID: new("1"), Type: ptr(unmask.IOCEmail)})
	must(t, err)
	if total != 1 {
		t.Errorf("by case = %d", total)
	}
	upd, err := s.UpdateIndicator(ctx, i.ID, unmask.IndicatorUpdate{Confidence: new(95)})
	must(t, err)
	if upd.Confidence != 95 || upd.Description != i.Description {
		t.Errorf("UpdateIndicator = %+v", upd)
	}
	_, err = s.UpdateIndicator(ctx, i.ID, unmask.IndicatorUpdate{Confidence: new(101)})
	wantCode(t, err, unmask.EINVALID)
	must(t, s.DeleteIndicator(ctx, i.ID))
	wantCode(t, s.DeleteIndicator(ctx, i.ID), unmask.ENOTFOUND)
}

func testRule(t *testing.T, s Store) {
	ctx := ctx(t)
	r := &unmask.Rule{ID: "5f0c2f0e-0000-4000-8000-000000000001", Title: "AnyDesk on a managed laptop",
		Level: unmask.SeverityHigh, Status: "stable", Indicators: []string{"§3.1", "O-09"},
		Tags: []string{"attack.t1219"}, Origin: unmask.RuleBundled, Path: "rules/rmm/anydesk.yml", Enabled: true}
	must(t, s.CreateRule(ctx, r))
	got, err := s.FindRuleByID(ctx, r.ID)
	must(t, err)
	diff(t, "FindRuleByID", r, got)
	wantCode(t, s.CreateRule(ctx, &unmask.Rule{ID: r.ID, Title: "dup", Origin: unmask.RuleUser}), unmask.ECONFLICT)
	wantCode(t, s.CreateRule(ctx, &unmask.Rule{ID: "x", Title: "bad", Origin: "elsewhere"}), unmask.EINVALID)
	must(t, s.CreateRule(ctx, &unmask.Rule{ID: "user-1", Title: "Astrill VPN process", Indicators: []string{"N-01"}, Origin: unmask.RuleUser, Enabled: false}))

	list, total, err := s.FindRules(ctx, unmask.RuleFilter{Enabled: new(true)})
	must(t, err)
	if total != 1 || list[0].ID != r.ID {
		t.Errorf("enabled = %d", total)
	}
	list, total, err = s.FindRules(ctx, unmask.RuleFilter{Indicator: new("N-01")})
	must(t, err)
	if total != 1 || list[0].ID != "user-1" {
		t.Errorf("by indicator = %d", total)
	}
	page, total, err := s.FindRules(ctx, unmask.RuleFilter{Page: unmask.Page{Limit: 1}})
	must(t, err)
	if total != 2 || page[0].ID != r.ID {
		t.Errorf("first by title = %+v", page)
	}
	upd, err := s.UpdateRule(ctx, r.ID, unmask.RuleUpdate{Enabled: new(false)})
	must(t, err)
	if upd.Enabled {
		t.Error("rule still enabled")
	}
	must(t, s.DeleteRule(ctx, r.ID))
	wantCode(t, s.DeleteRule(ctx, r.ID), unmask.ENOTFOUND)
}
