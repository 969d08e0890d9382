package httpapi

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
)

func (s *Server) handleRules(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	f := unmask.RuleFilter{Origin: query(r, "origin"), Indicator: query(r, "indicator"), Page: p}
	if v := r.URL.Query().Get("enabled"); v != "" {
		if v != "true" && v != "false" {
			return unmask.Errorf(unmask.EINVALID, "enabled must be true or false.")
		}
		f.Enabled = new(v == "true")
	}
	list, total, err := s.svc.FindRules(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// handleSuppressions lists the alert suppressions, optionally only the active ones.
func (s *Server) handleSuppressions(w http.ResponseWriter, r *http.Request) error {
	list := s.suppressions()
	if v := r.URL.Query().Get("active"); v != "" {
		if v != "true" && v != "false" {
			return unmask.Errorf(unmask.EINVALID, "active must be true or false.")
		}
		list = slices.DeleteFunc(list, func(x Suppression) bool { return x.Active != (v == "true") })
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": list, "total": len(list)})
}

// suppressions returns the configured suppressions, never nil.
func (s *Server) suppressions() []Suppression {
	if s.opts.Suppressions == nil {
		return []Suppression{}
	}
	return append([]Suppression{}, s.opts.Suppressions()...)
}

func (s *Server) handleUpdateRule(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Enabled *bool `json:"enabled"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Enabled == nil {
		return unmask.Errorf(unmask.EINVALID, "Give enabled: true or false.")
	}
	rule, err := s.svc.UpdateRule(r.Context(), r.PathValue("id"), unmask.RuleUpdate{Enabled: req.Enabled})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rule)
}

// maxRuleTestEvent caps a pasted event.
const maxRuleTestEvent = 256 << 10

func (s *Server) handleTestRule(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRuleTestEvent))
	if err != nil {
		return err
	}
	res, err := s.testRule(r, r.PathValue("id"), body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// testRule checks the caller may read the rule, then runs the tester.
func (s *Server) testRule(r *http.Request, id string, event []byte) (*RuleTestResult, error) {
	if _, err := s.svc.FindRuleByID(r.Context(), id); err != nil {
		return nil, err
	}
	if s.opts.Rules == nil {
		return nil, unmask.Errorf(unmask.EUNAVAILABLE, "Rule testing is not configured.")
	}
	if len(strings.TrimSpace(string(event))) == 0 {
		return nil, unmask.Errorf(unmask.EINVALID, "Paste an event to test the rule against.")
	}
	return s.opts.Rules.TestRule(r.Context(), id, event)
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	typ, err := queryEnum(r, "type", unmask.IndicatorType.Valid)
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindIndicators(r.Context(), unmask.IndicatorFilter{Type: typ, Source: query(r, "source"), Value: query(r, "value"), Page: p})
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// indicatorRequest is the body of POST /api/v1/indicators.
type indicatorRequest struct {
	Type        unmask.IndicatorType `json:"type"`
	Value       string               `json:"value"`
	Source      string               `json:"source"`
	Description string               `json:"description,omitempty"`
	Confidence  int                  `json:"confidence"`
	ValidUntil  time.Time            `json:"valid_until,omitzero"`
}

func (s *Server) handleCreateIndicator(w http.ResponseWriter, r *http.Request) error {
	var req indicatorRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	i := &unmask.Indicator{Type: req.Type, Value: strings.TrimSpace(req.Value), Source: strings.TrimSpace(req.Source),
		Description: req.Description, Confidence: req.Confidence, ValidUntil: req.ValidUntil}
	if err := s.svc.CreateIndicator(r.Context(), i); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, i)
}

func (s *Server) handleDeleteIndicator(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteIndicator(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleDeadLetters(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	source := r.PathValue("source")
	list, total, err := s.svc.FindDeadLetters(r.Context(), unmask.DeadLetterFilter{Source: &source, File: query(r, "file"), Page: p})
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

func (s *Server) handleDeadLetterCounts(w http.ResponseWriter, r *http.Request) error {
	counts, err := s.svc.CountDeadLetters(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, counts)
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	role, err := queryEnum(r, "role", unmask.Role.Valid)
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindUsers(r.Context(), unmask.UserFilter{Role: role, Page: p})
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// requireAdmin refuses non-administrators before a listing that authz allows more widely
// (users are readable by responders, for assignment, but the admin API lists them).
func requireAdmin(r *http.Request) error {
	if u := actor(r); u == nil || !u.Role.CanAdminister() {
		return unmask.Errorf(unmask.EFORBIDDEN, "Administrators only.")
	}
	return nil
}

// userRequest is the body of POST /api/v1/users.
type userRequest struct {
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name,omitempty"`
	Role        unmask.Role `json:"role"`
	Password    string      `json:"password"`
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var req userRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.createUser(r, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

func (s *Server) createUser(r *http.Request, req userRequest) (*unmask.User, error) {
	if s.accounts == nil {
		return nil, unmask.Errorf(unmask.EUNAVAILABLE, "User management is not configured.")
	}
	u := &unmask.User{Username: strings.TrimSpace(req.Username), DisplayName: req.DisplayName, Role: req.Role}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := s.accounts.CreateUser(r.Context(), u, req.Password); err != nil {
		return nil, err
	}
	u.PasswordHash = ""
	return u, nil
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindTokens(r.Context(), unmask.TokenFilter{UserID: query(r, "user"), Page: p})
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// tokenRequest is the body of POST /api/v1/tokens.
type tokenRequest struct {
	UserID   string      `json:"user_id,omitempty"` // default: the caller
	Name     string      `json:"name"`
	Role     unmask.Role `json:"role,omitempty"` // default: the owner's role
	TTLHours int         `json:"ttl_hours,omitempty"`
}

// tokenCreated is the answer to POST /api/v1/tokens: the secret is shown only here.
type tokenCreated struct {
	*unmask.APIToken
	Secret string `json:"secret"`
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t, secret, err := s.createToken(r, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, tokenCreated{APIToken: t, Secret: secret})
}

func (s *Server) createToken(r *http.Request, req tokenRequest) (*unmask.APIToken, string, error) {
	if s.accounts == nil {
		return nil, "", unmask.Errorf(unmask.EUNAVAILABLE, "Token management is not configured.")
	}
	if strings.TrimSpace(req.Name) == "" || req.TTLHours < 0 || (req.Role != "" && !req.Role.Valid()) {
		return nil, "", unmask.Errorf(unmask.EINVALID, "Give a token name, a valid role and a non-negative ttl_hours.")
	}
	if err := requireAdmin(r); err != nil {
		return nil, "", err
	}
	owner := actor(r)
	if req.UserID != "" && req.UserID != owner.ID {
		u, err := s.svc.FindUserByID(r.Context(), req.UserID)
		if err != nil {
			return nil, "", err
		}
		owner = u
	}
	return s.accounts.CreateToken(r.Context(), owner, strings.TrimSpace(req.Name), req.Role, time.Duration(req.TTLHours)*time.Hour)
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if s.accounts == nil {
		return unmask.Errorf(unmask.EUNAVAILABLE, "Token management is not configured.")
	}
	if err := s.accounts.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	since, err := queryTime(r, "since")
	if err != nil {
		return err
	}
	until, err := queryTime(r, "until")
	if err != nil {
		return err
	}
	f := unmask.AuditFilter{ActorID: query(r, "actor"), Action: query(r, "action"), ObjectType: query(r, "object_type"),
		ObjectID: query(r, "object_id"), Since: since, Until: until, Page: p}
	list, total, err := s.svc.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

func (s *Server) handleRiskWeights(w http.ResponseWriter, r *http.Request) error {
	if s.opts.Risk == nil {
		return unmask.Errorf(unmask.EUNAVAILABLE, "Risk preview is not configured.")
	}
	return writeJSON(w, http.StatusOK, s.opts.Risk.RiskWeights())
}

// previewRequest is the body of POST /api/v1/risk/preview.
type previewRequest struct {
	Weights map[string]float64 `json:"weights"`
	Limit   int                `json:"limit,omitempty"`
}

func (s *Server) handleRiskPreview(w http.ResponseWriter, r *http.Request) error {
	var req previewRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	scores, err := s.previewRisk(r, req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"scores": scores})
}

// previewRisk checks the request and the caller, then asks the previewer.
func (s *Server) previewRisk(r *http.Request, req previewRequest) ([]*unmask.RiskScore, error) {
	if u := actor(r); u == nil || !authz.CanTune(u.Role) {
		return nil, unmask.Errorf(unmask.EFORBIDDEN, "Only analysts and administrators preview risk weights.")
	}
	if s.opts.Risk == nil {
		return nil, unmask.Errorf(unmask.EUNAVAILABLE, "Risk preview is not configured.")
	}
	if len(req.Weights) == 0 {
		return nil, unmask.Errorf(unmask.EINVALID, "Give at least one weight.")
	}
	for k, v := range req.Weights {
		if v < 0 || v > 100 {
			return nil, unmask.Errorf(unmask.EINVALID, "Weight of %q must be between 0 and 100.", k)
		}
	}
	if req.Limit <= 0 || req.Limit > maxPageLimit {
		req.Limit = defaultPageLimit
	}
	return s.opts.Risk.PreviewRisk(r.Context(), req.Weights, req.Limit)
}
