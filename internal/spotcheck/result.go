package spotcheck

import (
	"context"
	"fmt"
	"time"

	"github.com/unmask/unmask"
)

// Result is what a checker records for a check.
type Result struct {
	// Status is done or refused.
	Status unmask.SpotCheckStatus
	// Attestation is what the checker confirmed; ignored for a refusal.
	Attestation unmask.Attestation
	// Notes are the checker's notes; they are stored, never audited or logged.
	Notes string
}

// Record stores the result of a scheduled check, with the acting user as checker, and
// raises the signals the outcome calls for (see Signals). It returns the check as stored
// and the indicators raised. A check that is not scheduled gives ECONFLICT.
func (s *Service) Record(ctx context.Context, checkID string, r Result) (*unmask.SpotCheck, []string, error) {
	u, err := responder(ctx)
	if err != nil {
		return nil, nil, err
	}
	if r.Status != unmask.SpotCheckDone && r.Status != unmask.SpotCheckRefused {
		return nil, nil, unmask.Errorf(unmask.EINVALID, "A spot-check result is done or refused, not %q.", r.Status)
	}
	return s.complete(ctx, u, checkID, r)
}

// Miss records, with the acting user as checker, that the worker did not attend a scheduled
// check, and raises the missed-check signal (see Signals) at once instead of after the
// grace period in which Step waits for a result. It returns the check as stored and the
// indicators raised. A check that is not scheduled gives ECONFLICT.
func (s *Service) Miss(ctx context.Context, checkID, notes string) (*unmask.SpotCheck, []string, error) {
	u, err := responder(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.complete(ctx, u, checkID, Result{Status: unmask.SpotCheckMissed, Notes: notes})
}

// complete stores a result (done, refused or missed) of a scheduled check by u and raises
// its signals.
func (s *Service) complete(ctx context.Context, u *unmask.User, checkID string, r Result) (*unmask.SpotCheck, []string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.checks.FindSpotCheckByID(ctx, checkID)
	if err != nil {
		return nil, nil, fmt.Errorf("find spot check %s: %w", checkID, err)
	}
	if c.Status != unmask.SpotCheckScheduled {
		return nil, nil, unmask.Errorf(unmask.ECONFLICT, "Spot check %s is %s; only a scheduled check takes a result.", checkID, c.Status)
	}
	if r.Status != unmask.SpotCheckDone {
		r.Attestation = unmask.Attestation{}
	}
	next := *c
	next.Status, next.Attestation, next.Notes = r.Status, r.Attestation, r.Notes
	next.CompletedAt, next.Checker = s.now().UTC(), u.ID
	// Signals first: if storing the result then fails, a retry finds them and adds none.
	raised, err := s.raise(ctx, &next)
	if err != nil {
		return nil, nil, err
	}
	stored, err := s.checks.UpdateSpotCheck(ctx, checkID, unmask.SpotCheckUpdate{
		Status: &next.Status, CompletedAt: &next.CompletedAt, Checker: &next.Checker,
		Attestation: &next.Attestation, Notes: &next.Notes,
	})
	if err != nil {
		return nil, raised, fmt.Errorf("record spot check %s: %w", checkID, err)
	}
	return stored, raised, s.record(ctx, "spot_check.update", checkID, resultDetail(&next, raised))
}

// resultDetail says what a result recorded, without the notes.
func resultDetail(c *unmask.SpotCheck, raised []string) string {
	if c.Status != unmask.SpotCheckDone {
		return fmt.Sprintf("%s; signals %v%s", c.Status, raised, notesDetail(c.Notes))
	}
	a := c.Attestation
	return fmt.Sprintf("done: id matched %s, same laptop %s, location consistent %s; signals %v%s",
		yesNo(a.IDMatched), yesNo(a.SameLaptop), yesNo(a.LocationConsistent), raised, notesDetail(c.Notes))
}

func notesDetail(notes string) string {
	if notes == "" {
		return ""
	}
	return fmt.Sprintf("; notes (%d characters)", len([]rune(notes)))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Schedule creates a manual check for a worker, due at the given time (which must be in the
// future). It returns EINVALID for someone who is not an eligible worker.
func (s *Service) Schedule(ctx context.Context, personID string, due time.Time) (*unmask.SpotCheck, error) {
	if _, err := responder(ctx); err != nil {
		return nil, err
	}
	if !due.After(s.now()) {
		return nil, unmask.Errorf(unmask.EINVALID, "A spot check must be due in the future.")
	}
	p, err := s.people.FindPersonByID(ctx, personID)
	if err != nil {
		return nil, fmt.Errorf("find person %s: %w", personID, err)
	}
	if !Eligible(p) {
		return nil, unmask.Errorf(unmask.EINVALID, "Person %s is not a hired or active employee or contractor.", personID)
	}
	c := &unmask.SpotCheck{PersonID: personID, Reason: ReasonManual, Status: unmask.SpotCheckScheduled, DueAt: due.UTC()}
	if err := s.checks.CreateSpotCheck(ctx, c); err != nil {
		return nil, fmt.Errorf("create spot check for %s: %w", personID, err)
	}
	return c, s.record(ctx, "spot_check.create", c.ID, createDetail(c))
}

// Cancel cancels a scheduled check. A check that is not scheduled gives ECONFLICT.
func (s *Service) Cancel(ctx context.Context, checkID string) (*unmask.SpotCheck, error) {
	if _, err := responder(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.checks.FindSpotCheckByID(ctx, checkID)
	if err != nil {
		return nil, fmt.Errorf("find spot check %s: %w", checkID, err)
	}
	if c.Status != unmask.SpotCheckScheduled {
		return nil, unmask.Errorf(unmask.ECONFLICT, "Spot check %s is %s; only a scheduled check can be cancelled.", checkID, c.Status)
	}
	if err := s.setStatus(ctx, checkID, unmask.SpotCheckCancelled, "cancelled by a responder"); err != nil {
		return nil, err
	}
	return s.checks.FindSpotCheckByID(ctx, checkID)
}
