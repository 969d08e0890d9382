package httpapi_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/unmask/unmask"
)

// MustCrowd adds n employees with risk scores to w.
func MustCrowd(tb testing.TB, w *world, n int) {
	tb.Helper()
	ctx := w.ctx(tb)
	for i := range n {
		p := &unmask.Person{DisplayName: fmt.Sprintf("Employee %05d", i), Kind: unmask.PersonEmployee, Status: unmask.StatusActive, Department: "Sales"}
		must(tb, w.db.CreatePerson(ctx, p))
		must(tb, w.db.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: p.ID, Score: float64(i % 100), Band: unmask.BandLow, ComputedAt: now,
			Reasons: []unmask.RiskReason{{Indicator: "N-02", Family: unmask.FamilyNetwork, Points: float64(i % 100), Explanation: "hosting egress"}}}))
	}
}

func BenchmarkPeopleList(b *testing.B) {
	w := MustWorld(b)
	MustCrowd(b, w, 2000)
	h := MustServer(b, w).Handler()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/api/v1/people?family=network&limit=50", nil)
		req.Header.Set("Authorization", "Bearer "+w.tokens[unmask.RoleAnalyst])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

func BenchmarkPersonPage(b *testing.B) {
	w := MustWorld(b)
	h := MustServer(b, w).Handler()
	cookie := sessionCookie(b, login(b, h, "192.0.2.1", "analyst", testPassword, "/"))
	path := "/people/" + w.people["jordan"].ID
	for b.Loop() {
		if rec := page(b, h, "GET", path, cookie, nil); rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
