package casework

import (
	"context"
	"fmt"
	"slices"

	"github.com/unmask/unmask"
)

// Assign sets the case's assignee; "" unassigns it.
func (s *Service) Assign(ctx context.Context, caseID, assignee string) (*unmask.Case, error) {
	if _, err := responder(ctx); err != nil {
		return nil, err
	}
	c, err := s.cases.FindCaseByID(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("find case %s: %w", caseID, err)
	}
	if c.Assignee == assignee {
		return c, nil
	}
	if err := s.checkAssignee(ctx, assignee); err != nil {
		return nil, err
	}
	next, err := s.cases.UpdateCase(ctx, caseID, unmask.CaseUpdate{Assignee: &assignee})
	if err != nil {
		return nil, fmt.Errorf("assign case %s: %w", caseID, err)
	}
	detail := fmt.Sprintf("assignee %q → %q", c.Assignee, assignee)
	return next, s.record(ctx, "case.assign", caseID, detail)
}

// AddNote adds a note by the acting user. Notes may be added to closed cases too.
func (s *Service) AddNote(ctx context.Context, caseID, body string) (*unmask.CaseNote, error) {
	u, err := responder(ctx)
	if err != nil {
		return nil, err
	}
	if body == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "A note needs text.")
	}
	if _, err := s.cases.FindCaseByID(ctx, caseID); err != nil {
		return nil, fmt.Errorf("find case %s: %w", caseID, err)
	}
	n, err := s.addNote(ctx, caseID, u.ID, body)
	if err != nil {
		return nil, err
	}
	return n, s.record(ctx, "case.note", caseID, fmt.Sprintf("note %s added (%d characters)", n.ID, len([]rune(body))))
}

// AttachEvidence attaches signal and event ids to a case that is not closed. Each id must
// name a signal of the case's person or an event that is theirs or unresolved; ids already
// attached are skipped.
func (s *Service) AttachEvidence(ctx context.Context, caseID string, ids ...string) (*unmask.Case, error) {
	if _, err := responder(ctx); err != nil {
		return nil, err
	}
	c, err := s.cases.FindCaseByID(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("find case %s: %w", caseID, err)
	}
	if c.Status == unmask.CaseClosed {
		return nil, unmask.Errorf(unmask.ECONFLICT, "Case %s is closed; reopen it to attach evidence.", caseID)
	}
	evidence, err := s.resolveEvidence(ctx, c.PersonID, slices.Clone(c.Evidence), ids)
	if err != nil {
		return nil, err
	}
	added := len(evidence) - len(c.Evidence)
	if added == 0 {
		return c, nil
	}
	next, err := s.cases.UpdateCase(ctx, caseID, unmask.CaseUpdate{Evidence: evidence})
	if err != nil {
		return nil, fmt.Errorf("attach evidence to case %s: %w", caseID, err)
	}
	detail := fmt.Sprintf("%d evidence items attached: %v", added, evidence[len(c.Evidence):])
	return next, s.record(ctx, "case.evidence", caseID, detail)
}

// resolveEvidence returns have followed by the ids of add that it lacks, after checking
// that each new id is evidence about the person.
func (s *Service) resolveEvidence(ctx context.Context, personID string, have, add []string) ([]string, error) {
	for _, id := range add {
		if id == "" || slices.Contains(have, id) {
			continue
		}
		if err := s.checkEvidence(ctx, personID, id); err != nil {
			return nil, err
		}
		have = append(have, id)
	}
	return have, nil
}

// checkEvidence returns EINVALID unless id names a signal of the person or an event that
// is the person's or unresolved.
func (s *Service) checkEvidence(ctx context.Context, personID, id string) error {
	sig, err := s.signals.FindSignalByID(ctx, id)
	if err == nil {
		if sig.PersonID != personID {
			return unmask.Errorf(unmask.EINVALID, "Signal %s is about another person.", id)
		}
		return nil
	}
	if unmask.ErrorCode(err) != unmask.ENOTFOUND {
		return fmt.Errorf("find signal %s: %w", id, err)
	}
	ev, err := s.events.FindEventByID(ctx, id)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		return unmask.Errorf(unmask.EINVALID, "Evidence %s is neither a signal nor an event.", id)
	}
	if err != nil {
		return fmt.Errorf("find event %s: %w", id, err)
	}
	if ev.PersonID != "" && ev.PersonID != personID {
		return unmask.Errorf(unmask.EINVALID, "Event %s belongs to another person.", id)
	}
	return nil
}
