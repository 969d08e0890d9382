package spotcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/unmask/unmask"
)

// Run plans and applies checks every Interval until ctx is done, and returns ctx's error.
// A failed pass is logged and retried at the next interval. It acts as the user in ctx, or
// as unmask.SystemUser when there is none.
func (s *Service) Run(ctx context.Context) error {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		if _, err := s.Step(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "spot-check pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Step runs one scheduling pass: it reads every person, risk band and check, plans with
// Policy.Plan and applies the plan, marking overdue checks missed (raising their
// signals), cancelling checks of people who left and creating new ones. It writes an audit
// entry for each change and one for the pass, and returns the plan as applied, with ids.
func (s *Service) Step(ctx context.Context) (Plan, error) {
	if unmask.UserFromContext(ctx) == nil {
		ctx = unmask.NewContextWithUser(ctx, unmask.SystemUser)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, err := s.input(ctx)
	if err != nil {
		return Plan{}, err
	}
	plan := s.policy.Plan(in)
	done := Plan{}
	err = s.apply(ctx, plan, &done)
	detail := fmt.Sprintf("read %d people, %d risk scores and %d checks; created %d, missed %d, cancelled %d",
		len(in.People), len(in.Bands), len(in.Checks), len(done.Create), len(done.Miss), len(done.Cancel))
	s.log.InfoContext(ctx, "spot-check pass", "created", len(done.Create), "missed", len(done.Miss), "cancelled", len(done.Cancel))
	if aerr := s.record(ctx, "spot_check.plan", "", detail); err == nil {
		err = aerr
	}
	return done, err
}

// input reads what Plan needs.
func (s *Service) input(ctx context.Context) (Input, error) {
	in := Input{Now: s.now(), Seed: s.seed, Bands: make(map[string]unmask.RiskBand)}
	var err error
	if in.People, err = listAll(func(p unmask.Page) ([]*unmask.Person, int, error) {
		return s.people.FindPeople(ctx, unmask.PersonFilter{Page: p})
	}); err != nil {
		return in, fmt.Errorf("find people: %w", err)
	}
	scores, err := listAll(func(p unmask.Page) ([]*unmask.RiskScore, int, error) {
		return s.risk.FindRiskScores(ctx, unmask.RiskFilter{Page: p})
	})
	if err != nil {
		return in, fmt.Errorf("find risk scores: %w", err)
	}
	for _, sc := range scores {
		in.Bands[sc.PersonID] = sc.Band
	}
	if in.Checks, err = listAll(func(p unmask.Page) ([]*unmask.SpotCheck, int, error) {
		return s.checks.FindSpotChecks(ctx, unmask.SpotCheckFilter{Page: p})
	}); err != nil {
		return in, fmt.Errorf("find spot checks: %w", err)
	}
	return in, nil
}

// apply carries out a plan, adding what it did to done.
func (s *Service) apply(ctx context.Context, plan Plan, done *Plan) error {
	for _, c := range plan.Miss {
		missed := *c
		missed.Status = unmask.SpotCheckMissed
		raised, err := s.raise(ctx, &missed)
		if err != nil {
			return err
		}
		if err := s.setStatus(ctx, c.ID, unmask.SpotCheckMissed, fmt.Sprintf("missed: no result by %s; signals %v", c.DueAt.Add(time.Duration(s.policy.GraceHours)*time.Hour).Format(time.RFC3339), raised)); err != nil {
			return err
		}
		done.Miss = append(done.Miss, &missed)
	}
	for _, c := range plan.Cancel {
		if err := s.setStatus(ctx, c.ID, unmask.SpotCheckCancelled, "cancelled: the person is no longer an active worker"); err != nil {
			return err
		}
		done.Cancel = append(done.Cancel, c)
	}
	for _, c := range plan.Create {
		if err := s.checks.CreateSpotCheck(ctx, c); err != nil {
			return fmt.Errorf("create spot check for %s: %w", c.PersonID, err)
		}
		if err := s.record(ctx, "spot_check.create", c.ID, createDetail(c)); err != nil {
			return err
		}
		done.Create = append(done.Create, c)
	}
	return nil
}

// setStatus changes a check's status and audits it.
func (s *Service) setStatus(ctx context.Context, id string, st unmask.SpotCheckStatus, detail string) error {
	if _, err := s.checks.UpdateSpotCheck(ctx, id, unmask.SpotCheckUpdate{Status: &st}); err != nil {
		return fmt.Errorf("mark spot check %s %s: %w", id, st, err)
	}
	return s.record(ctx, "spot_check.update", id, detail)
}

func createDetail(c *unmask.SpotCheck) string {
	return fmt.Sprintf("scheduled for person %s (reason %s), due %s", c.PersonID, c.Reason, c.DueAt.UTC().Format(time.RFC3339))
}
