package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

// TestReviewMovesLiveScore records a refused spot check through the served API and checks
// that the person's live risk score rises at once (the signal went through detection, not
// only into the store), falls to nothing when a case closes the matter as legitimate, and
// comes back when the case is reopened.
func TestReviewMovesLiveScore(t *testing.T) {
	dir := t.TempDir()
	m := NewMain()
	m.Getenv = env(filepath.Join(dir, "unused"))
	m.Stdout, m.Stderr, m.Stdin = io.Discard, io.Discard, strings.NewReader("")
	defer m.Close()
	_, p, err := m.prepareDemo(t.Context(), filepath.Join(dir, "demo"), genFlags{employees: 60, applicants: 20, days: 3, seed: 5, start: "recent"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := adminContext(t.Context())
	admin := &unmask.User{Username: "ops", Role: unmask.RoleAdmin}
	if err := m.authenticator().CreateUser(ctx, admin, "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := m.authenticator().CreateToken(ctx, admin, "t", unmask.RoleAnalyst, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var person *unmask.Person
	people, _, err := m.db.FindPeople(ctx, unmask.PersonFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range people {
		if s, _ := p.risk.Score(q.ID); q.Kind == unmask.PersonEmployee && s.Score == 0 {
			person = q
			break
		}
	}
	if person == nil {
		t.Fatal("no employee without risk in the company")
	}
	h := httpapi.New(m.serverOptions(p, nil)).Handler()
	call := func(method, path, body string, want int) map[string]any {
		t.Helper()
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Fatalf("%s %s = %d %s; want %d", method, path, rec.Code, rec.Body, want)
		}
		var out map[string]any
		json.Unmarshal(rec.Body.Bytes(), &out)
		return out
	}
	due := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	sc := call("POST", "/api/v1/spotchecks", `{"person_id":"`+person.ID+`","due_at":"`+due+`","reason":"manual"}`, http.StatusCreated)
	call("POST", "/api/v1/spotchecks/"+sc["id"].(string)+"/result", `{"status":"refused","notes":"declined to turn the camera on"}`, http.StatusOK)
	score, _ := p.risk.Score(person.ID)
	if score.Score <= 0 || len(score.Reasons) == 0 {
		t.Fatalf("after a refused spot check the live score is %+v; want it raised", score)
	}
	stored, err := m.db.FindRiskScore(ctx, person.ID)
	if err != nil || stored.Score != score.Score {
		t.Errorf("stored score %+v (%v); want the live %.1f", stored, err, score.Score)
	}
	t.Logf("refused spot check: score %.1f (%s), reason %s", score.Score, score.Band, score.Reasons[0].Explanation)

	// The refusal is reviewed and found legitimate: closing the case so clears the signal,
	// and the live and stored scores drop; reopening the case restores them.
	c := call("POST", "/api/v1/cases", `{"person_id":"`+person.ID+`","title":"Refused spot check","assignee":"`+admin.ID+`"}`, http.StatusCreated)
	caseURL := "/api/v1/cases/" + c["id"].(string)
	call("PATCH", caseURL, `{"status":"closed","disposition":"legitimate","note":"Camera broken; verified in person."}`, http.StatusOK)
	cleared, _ := p.risk.Score(person.ID)
	stored, err = m.db.FindRiskScore(ctx, person.ID)
	if cleared.Score != 0 || err != nil || stored.Score != 0 {
		t.Errorf("after a legitimate close: live %.1f, stored %+v (%v); want 0", cleared.Score, stored, err)
	}
	call("PATCH", caseURL, `{"status":"investigating","note":"Reopened."}`, http.StatusOK)
	if again, _ := p.risk.Score(person.ID); again.Score != score.Score {
		t.Errorf("after reopening the case the live score is %.1f; want %.1f back", again.Score, score.Score)
	}
}
