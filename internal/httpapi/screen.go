package httpapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/unmask/unmask"
)

// maxScreenBody caps a screening request, as internal/screen does.
const maxScreenBody = 1 << 20

// handleScreen screens an applicant who is not stored: POST /api/v1/screen with a
// Greenhouse candidate (or webhook) or an Unmask applicant. Screening reads HR data of
// the people the applicant shares identifiers with, so it needs HR access and is audited
// like a view of each of them.
func (s *Server) handleScreen(w http.ResponseWriter, r *http.Request) error {
	u := actor(r)
	if u == nil || !u.Role.CanSeeHR() {
		return unmask.Errorf(unmask.EFORBIDDEN, "Only HR, analyst and admin tokens may screen applicants.")
	}
	if s.opts.Screener == nil {
		return unmask.Errorf(unmask.EUNAVAILABLE, "Screening is not configured.")
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return unmask.Errorf(unmask.EINVALID, "Send the applicant as application/json.")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxScreenBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return err
		}
		return unmask.WrapError(unmask.EINVALID, err, "Cannot read the request body.")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return unmask.Errorf(unmask.EINVALID, "Send a Greenhouse candidate or an applicant as the JSON body.")
	}
	res, err := s.opts.Screener.ScreenApplicant(r.Context(), body)
	if err != nil {
		return err
	}
	if res.Reasons == nil {
		res.Reasons = []ScreenReason{}
	}
	if err := s.auditScreen(r, u, res); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// auditScreen records the screening, and a view of every stored person its evidence
// names, as authz records a view of a person.
func (s *Server) auditScreen(r *http.Request, u *unmask.User, res *ScreenResult) error {
	ctx, addr := r.Context(), s.clientAddr(r)
	var people []string
	for _, reason := range res.Reasons {
		for _, ev := range reason.Evidence {
			if ev.PersonID != "" && !slices.Contains(people, ev.PersonID) {
				people = append(people, ev.PersonID)
			}
		}
	}
	e := unmask.NewAuditEntry(ctx, "applicant.screen", "applicant", "",
		fmt.Sprintf("role=%s band=%s reasons=%d people=%d", u.Role, res.Band, len(res.Reasons), len(people)))
	e.Time, e.RemoteAddr = s.now(), addr
	if err := s.svc.CreateAuditEntry(ctx, e); err != nil {
		return fmt.Errorf("audit applicant.screen: %w", err)
	}
	for _, id := range people {
		v := unmask.NewAuditEntry(ctx, "person.view", "person", id, "role="+string(u.Role)+" via=screen")
		v.Time, v.RemoteAddr = s.now(), addr
		if err := s.svc.CreateAuditEntry(ctx, v); err != nil {
			return fmt.Errorf("audit person.view: %w", err)
		}
	}
	return nil
}
