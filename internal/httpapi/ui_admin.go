package httpapi

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
)

func (s *Server) pageRules(w http.ResponseWriter, r *http.Request) error {
	rules, _, err := s.svc.FindRules(r.Context(), unmask.RuleFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "rules", "rules", pageData{D: map[string]any{"Rules": rules, "Result": nil, "Suppressions": s.suppressions()}})
}

func (s *Server) postRuleToggle(w http.ResponseWriter, r *http.Request) error {
	rule, err := s.svc.FindRuleByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	rule, err = s.svc.UpdateRule(r.Context(), rule.ID, unmask.RuleUpdate{Enabled: new(!rule.Enabled)})
	if err != nil {
		return err
	}
	if !isFragment(r) {
		return redirect(w, r, "/rules")
	}
	return s.fragment(w, r, http.StatusOK, "rules", "rulefrag", pageData{D: map[string]any{"U": unmask.UserFromContext(r.Context()), "R": rule}})
}

// ruleTestView is the outcome of a rule test as the page shows it.
type ruleTestView struct {
	Res *RuleTestResult
	Err string
}

func (s *Server) postRuleTest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	res, err := s.testRule(r, r.PostFormValue("rule_id"), []byte(r.PostFormValue("event")))
	view := &ruleTestView{Res: res}
	status := http.StatusOK
	if code := unmask.ErrorCode(err); code == unmask.EINVALID || code == unmask.EUNAVAILABLE {
		view.Err, status = unmask.ErrorMessage(err), statusOf[code]
	} else if err != nil {
		return err
	}
	if isFragment(r) {
		return s.fragment(w, r, status, "rules", "testfrag", pageData{D: view})
	}
	rules, _, ferr := s.svc.FindRules(r.Context(), unmask.RuleFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if ferr != nil {
		return ferr
	}
	return s.render(w, r, status, "rules", "rules", pageData{D: map[string]any{"Rules": rules, "Result": view}})
}

func (s *Server) pageIndicators(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindIndicators(r.Context(), unmask.IndicatorFilter{Page: p})
	if err != nil {
		return err
	}
	types := []unmask.IndicatorType{unmask.IOCEmail, unmask.IOCPhone, unmask.IOCGitHubLogin, unmask.IOCDomain, unmask.IOCIP, unmask.IOCCIDR,
		unmask.IOCURL, unmask.IOCWallet, unmask.IOCAddress, unmask.IOCBankAccount, unmask.IOCFileHash}
	d := map[string]any{"Rows": list, "Types": types, "Pager": newPager(r, p, len(list), total)}
	return s.render(w, r, http.StatusOK, "indicators", "indicators", pageData{D: d})
}

func (s *Server) postIndicator(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	conf, err := strconv.Atoi(cmp.Or(r.PostFormValue("confidence"), "50"))
	if err != nil {
		return unmask.Errorf(unmask.EINVALID, "Confidence must be a number from 0 to 100.")
	}
	i := &unmask.Indicator{Type: unmask.IndicatorType(r.PostFormValue("type")), Value: strings.TrimSpace(r.PostFormValue("value")),
		Source: strings.TrimSpace(r.PostFormValue("source")), Description: r.PostFormValue("description"), Confidence: conf}
	if err := s.svc.CreateIndicator(r.Context(), i); err != nil {
		return err
	}
	return redirect(w, r, "/indicators")
}

func (s *Server) postIndicatorDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteIndicator(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/indicators")
}

func (s *Server) pageDeadLetters(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	source := r.URL.Query().Get("source")
	d := map[string]any{"Source": source}
	if source != "" {
		list, total, err := s.svc.FindDeadLetters(r.Context(), unmask.DeadLetterFilter{Source: &source, Page: p})
		if err != nil {
			return err
		}
		d["Rows"], d["Pager"] = list, newPager(r, p, len(list), total)
	} else if _, _, err := s.svc.FindDeadLetters(r.Context(), unmask.DeadLetterFilter{Page: unmask.Page{Limit: 1}}); err != nil {
		return err // the role may not read dead letters
	}
	counts, err := s.svc.CountDeadLetters(r.Context())
	if err != nil {
		return err
	}
	d["Counts"] = sortedCounts(counts)
	return s.render(w, r, http.StatusOK, "deadletters", "deadletters", pageData{D: d})
}

// weight is one risk weight for the settings page.
type weight struct {
	Key   string
	Value float64
}

// settingsData gathers the settings page; users and tokens only for administrators.
func (s *Server) settingsData(r *http.Request) (map[string]any, error) {
	d := map[string]any{"Notifications": s.opts.Notifications, "Roles": unmask.Roles}
	if s.opts.Feeds != nil {
		d["Feeds"] = s.opts.Feeds()
	}
	if s.opts.Risk != nil {
		var ws []weight
		for k, v := range s.opts.Risk.RiskWeights() {
			ws = append(ws, weight{k, v})
		}
		slices.SortFunc(ws, func(a, b weight) int { return strings.Compare(a.Key, b.Key) })
		d["Weights"] = ws
	}
	if u := unmask.UserFromContext(r.Context()); u.Role.CanAdminister() {
		users, _, err := s.svc.FindUsers(r.Context(), unmask.UserFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, err
		}
		tokens, _, err := s.svc.FindTokens(r.Context(), unmask.TokenFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
		if err != nil {
			return nil, err
		}
		owners := map[string]string{}
		for _, u := range users {
			owners[u.ID] = u.Username
		}
		d["Users"], d["Tokens"], d["Owners"] = users, tokens, owners
	}
	return d, nil
}

func (s *Server) pageSettings(w http.ResponseWriter, r *http.Request) error {
	d, err := s.settingsData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "settings", "settings", pageData{D: d, Flash: r.URL.Query().Get("done")})
}

func (s *Server) postUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, err := s.createUser(r, userRequest{Username: r.PostFormValue("username"), Role: unmask.Role(r.PostFormValue("role")), Password: r.PostFormValue("password")})
	if err != nil {
		return err
	}
	return redirect(w, r, "/settings?done="+url.QueryEscape("User "+u.Username+" added."))
}

func (s *Server) postToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	days, err := strconv.Atoi(cmp.Or(r.PostFormValue("ttl_days"), "0"))
	if err != nil || days < 0 {
		return unmask.Errorf(unmask.EINVALID, "Give the validity in whole days.")
	}
	_, secret, err := s.createToken(r, tokenRequest{Name: r.PostFormValue("name"), Role: unmask.Role(r.PostFormValue("role")), TTLHours: 24 * days})
	if err != nil {
		return err
	}
	d, err := s.settingsData(r)
	if err != nil {
		return err
	}
	d["Secret"] = secret
	return s.render(w, r, http.StatusCreated, "settings", "settings", pageData{D: d})
}

func (s *Server) postTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	if s.accounts == nil {
		return unmask.Errorf(unmask.EUNAVAILABLE, "Token management is not configured.")
	}
	if err := s.accounts.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/settings?done=Token+revoked.")
}

// previewRow compares a person's score now with the what-if score.
type previewRow struct {
	PersonID, Name string
	Before, After  float64
	Band           unmask.RiskBand
}

func (s *Server) postPreview(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	req := previewRequest{Weights: map[string]float64{}, Limit: 20}
	for k, vs := range r.PostForm {
		key, ok := strings.CutPrefix(k, "w:")
		if !ok || len(vs) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(vs[0], 64)
		if err != nil {
			return unmask.Errorf(unmask.EINVALID, "Weight of %q is not a number.", key)
		}
		req.Weights[key] = v
	}
	scores, err := s.previewRisk(r, req)
	if err != nil {
		return err
	}
	rows, err := s.previewRows(r, scores)
	if err != nil {
		return err
	}
	return s.fragment(w, r, http.StatusOK, "settings", "preview", pageData{D: rows})
}

func (s *Server) previewRows(r *http.Request, scores []*unmask.RiskScore) ([]previewRow, error) {
	var ids []string
	for _, sc := range scores {
		ids = append(ids, sc.PersonID)
	}
	names, err := s.names(r.Context(), ids...)
	if err != nil {
		return nil, err
	}
	rows := make([]previewRow, len(scores))
	for i, sc := range scores {
		rows[i] = previewRow{PersonID: sc.PersonID, Name: names[sc.PersonID], After: sc.Score, Band: sc.Band}
		if cur, err := s.svc.FindRiskScore(r.Context(), sc.PersonID); err == nil {
			rows[i].Before = cur.Score
		}
	}
	return rows, nil
}

func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	f := unmask.AuditFilter{Action: query(r, "action"), ObjectID: query(r, "object_id"), Page: p}
	list, total, err := s.svc.FindAuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	d := map[string]any{"Rows": list, "Action": r.URL.Query().Get("action"), "ObjectID": r.URL.Query().Get("object_id"),
		"Pager": newPager(r, p, len(list), total)}
	return s.render(w, r, http.StatusOK, "audit", "audit", pageData{D: d})
}
