package httpapi_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/browsertest"
	"github.com/unmask/unmask/internal/httpapi"
)

// MustChrome starts a headless Chromium for one test, with a window of width×height.
func MustChrome(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	return browsertest.MustChrome(tb, width, height)
}

// MustSite serves w over a real listener for the browser.
func MustSite(tb testing.TB, w *world, mod ...func(*httpapi.Options)) *httptest.Server {
	tb.Helper()
	ts := httptest.NewServer(MustServer(tb, w, mod...).Handler())
	tb.Cleanup(ts.Close)
	return ts
}

// signIn fills in the sign-in form as role and waits for the dashboard.
func signIn(ctx context.Context, base string, role unmask.Role) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), string(role)),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dist-h`)),
	)
}

// text returns the text of the first element matching sel.
func text(tb testing.TB, ctx context.Context, sel string) string {
	tb.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func TestBrowserSignIn(t *testing.T) {
	ctx := MustChrome(t, 1280, 900)
	ts := MustSite(t, MustWorld(t))
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/people"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), "analyst"),
		chromedp.SendKeys(chromedp.ID("password"), "wrong password entirely"),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.error`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "p.error"); !strings.Contains(got, "Wrong username or password") {
		t.Errorf("error after a wrong password = %q", got)
	}
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.ranked`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `location.pathname`); got != "/people" {
		t.Errorf("after sign-in at %q, want back at /people", got)
	}
	if !eval[bool](t, ctx, `typeof htmx === "object" && htmx.version.startsWith("2.")`) {
		t.Error("htmx 2 did not load under the Content-Security-Policy")
	}
	if got := eval[string](t, ctx, `document.cookie`); strings.Contains(got, "unmask_session") {
		t.Errorf("session cookie readable from script: %q", got)
	}
}

func TestBrowserRankedList(t *testing.T) {
	ctx := MustChrome(t, 1280, 900)
	w := MustWorld(t)
	ts := MustSite(t, w)
	if err := signIn(ctx, ts.URL, unmask.RoleAnalyst); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/people"), chromedp.WaitVisible(chromedp.CSS("table.ranked"))); err != nil {
		t.Fatal(err)
	}
	names := eval[[]string](t, ctx, `[...document.querySelectorAll("table.ranked tbody tr td:nth-child(2) a")].map(a => a.textContent)`)
	want := []string{"Jordan Reyes", "Mei Tanaka", "Sam Okafor", "Lee Warren"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("ranked names = %v, want %v", names, want)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`select[name=kind]`), "applicant"),
		chromedp.Click(chromedp.CSS(`form.filters button`)),
		chromedp.Poll[chromedp.Void](`location.search.includes("kind=applicant") && document.querySelectorAll("table.ranked tbody tr").length === 2`,
			chromedp.WithPollingTimeout(5*time.Second)),
	); err != nil {
		t.Fatalf("filter by kind: %v (at %s)", err, eval[string](t, ctx, `location.href`))
	}
	names = eval[[]string](t, ctx, `[...document.querySelectorAll("table.ranked tbody tr td:nth-child(2) a")].map(a => a.textContent)`)
	if strings.Join(names, ",") != "Mei Tanaka,Lee Warren" {
		t.Errorf("applicants = %v", names)
	}
}

func TestBrowserPerson(t *testing.T) {
	ctx := MustChrome(t, 1280, 900)
	w := MustWorld(t)
	ts := MustSite(t, w)
	if err := signIn(ctx, ts.URL, unmask.RoleAnalyst); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/people/"+w.people["jordan"].ID), chromedp.WaitVisible(chromedp.CSS("svg.graph"))); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("svg.heatmap rect[class^=h]").length`); n != 2*168 {
		t.Errorf("heatmap cells = %d, want 336 (two zones × 168 hours)", n)
	}
	captions := eval[[]string](t, ctx, `[...document.querySelectorAll(".heatmaps figcaption")].map(f => f.textContent)`)
	if len(captions) != 2 || !strings.Contains(captions[0], "America/Chicago") || !strings.Contains(captions[1], "UTC+09:00") {
		t.Errorf("heatmap captions = %q", captions)
	}
	others := eval[[]string](t, ctx, `[...document.querySelectorAll("svg.graph .node-other text")].map(t => t.textContent)`)
	if strings.Join(others, ",") != "Lee Warren" {
		t.Errorf("linked people = %v, want Lee Warren (shares the Dallas ship-to address)", others)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`svg.graph a`)), chromedp.WaitVisible(chromedp.CSS(`#why-h`))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "h1"); got != "Lee Warren" {
		t.Errorf("graph link led to %q", got)
	}
}

func TestBrowserCaseWorkflow(t *testing.T) {
	ctx := MustChrome(t, 1280, 900)
	w := MustWorld(t)
	ts := MustSite(t, w)
	if err := signIn(ctx, ts.URL, unmask.RoleAnalyst); err != nil {
		t.Fatal(err)
	}
	row := `#alert-` + w.alert.ID
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/alerts"),
		chromedp.Click(chromedp.CSS(row+` button[hx-post$="/acknowledge"]`)),
		chromedp.WaitVisible(chromedp.CSS(row+` .status-acknowledged`)),
		chromedp.Click(chromedp.CSS(row+` form[action="/cases"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#case-status`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := text(t, ctx, "h1"); got != "Sign-ins from Astrill VPN" {
		t.Errorf("case opened from the alert is titled %q", got)
	}
	steps := []struct {
		name, status string
		// wantStatus is the badge after the change; wantError the refusal shown instead.
		wantStatus, wantError string
	}{
		{"CloseWithoutDisposition", "closed", "", "A closed case needs a disposition"},
		{"Investigate", "investigating", "investigating", ""},
		{"BackToOpen", "open", "", "A case cannot move from investigating to open."},
		{"Escalate", "escalated", "escalated", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			done := `document.querySelector("#case-status p .status").textContent === ` + jsString(st.wantStatus) +
				` && !document.querySelector("#case-status .error")`
			if st.wantError != "" {
				done = `(document.querySelector("#case-status .error") || {textContent: ""}).textContent.includes(` + jsString(st.wantError) + `)`
			}
			// Mark the panel, so that the wait below sees the swapped-in one.
			err := chromedp.Do(ctx,
				chromedp.SetAttributeValue(chromedp.CSS(`#case-status`), "data-old", "1"),
				chromedp.SetValue(chromedp.CSS(`#case-status select[name=status]`), st.status),
				chromedp.Click(chromedp.CSS(`#case-status form[action$="/status"] button`)),
				chromedp.Poll[chromedp.Void](`!document.querySelector("#case-status[data-old]") && `+done, chromedp.WithPollingTimeout(5*time.Second)),
			)
			if err != nil {
				t.Errorf("after moving to %s: %v; panel says %q", st.status, err, text(t, ctx, "#case-status"))
			}
		})
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("note-body"), "Spot check booked for Tuesday."),
		chromedp.Click(chromedp.CSS(`form[action$="/notes"] button`)),
		chromedp.WaitVisible(chromedp.Search(`//ol[@id="notes"]/li[p[contains(., "Spot check booked")]]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.getElementById("note-body").value`); got != "" {
		t.Errorf("note form not reset: %q", got)
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func TestBrowserRoles(t *testing.T) {
	w := MustWorld(t)
	ts := MustSite(t, w)
	tests := []struct {
		role   unmask.Role
		absent []string
		want   []string
	}{
		{unmask.RoleViewer, []string{"Jordan Reyes", "jordan", "j***@gmail.com", "E-10442", "Chicago, IL", "AnyDesk", "203.0.113.77"}, []string{"Person ", "hidden"}},
		{unmask.RoleHR, []string{"AnyDesk", "203.0.113.77", "JREYES-MBP", "142.214.202.2"}, []string{"Jordan Reyes", "j***@gmail.com"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			ctx := MustChrome(t, 1280, 900)
			if err := signIn(ctx, ts.URL, tt.role); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/people/"+w.people["jordan"].ID), chromedp.WaitVisible(chromedp.CSS("#tl-h"))); err != nil {
				t.Fatal(err)
			}
			body := eval[string](t, ctx, `document.body.innerText`)
			for _, s := range tt.absent {
				if strings.Contains(body, s) {
					t.Errorf("%s sees %q", tt.role, s)
				}
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("%s does not see %q", tt.role, s)
				}
			}
		})
	}
}
