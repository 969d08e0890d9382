package httpapi_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

// TestScreenshots regenerates docs/screenshots/*.png from the fixture world when
// UNMASK_SCREENSHOTS=1 (see docs/screenshots/README.md).
func TestScreenshots(t *testing.T) {
	if os.Getenv("UNMASK_SCREENSHOTS") != "1" {
		t.Skip("set UNMASK_SCREENSHOTS=1 to regenerate docs/screenshots")
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w := MustWorld(t)
	ts := MustSite(t, w, func(o *httpapi.Options) { o.LoginsPerMinute = 100 }) // one sign-in per shot
	shots := []struct {
		name   string
		role   unmask.Role
		width  int
		path   string
		wait   string
		height int
	}{
		{"login", "", 1280, "/login", "#username", 700},
		{"dashboard", unmask.RoleAnalyst, 1280, "/", "#dist-h", 900},
		{"people", unmask.RoleAnalyst, 1280, "/people", "table.ranked", 700},
		{"person", unmask.RoleAnalyst, 1280, "/people/" + w.people["jordan"].ID, "svg.graph", 900},
		{"person-viewer", unmask.RoleViewer, 1280, "/people/" + w.people["jordan"].ID, "#tl-h", 900},
		{"person-narrow", unmask.RoleAnalyst, 390, "/people/" + w.people["jordan"].ID, "svg.graph", 844},
		{"alerts", unmask.RoleAnalyst, 1280, "/alerts", "table", 600},
		{"case", unmask.RoleAnalyst, 1280, "/cases/" + w.kase.ID, "#case-status", 800},
		{"clusters", unmask.RoleHR, 1280, "/clusters", "h1", 600},
		{"spotchecks", unmask.RoleHR, 1280, "/spotchecks", "table", 600},
		{"rules", unmask.RoleAnalyst, 1280, "/rules", "table", 700},
		{"settings", unmask.RoleAdmin, 1280, "/settings", "#w-h", 900},
		{"audit", unmask.RoleAdmin, 1280, "/audit", "table", 700},
	}
	for _, sh := range shots {
		t.Run(sh.name, func(t *testing.T) {
			ctx := MustChrome(t, sh.width, sh.height)
			if sh.role != "" {
				if err := signIn(ctx, ts.URL, sh.role); err != nil {
					t.Fatal(err)
				}
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+sh.path), chromedp.WaitVisible(chromedp.CSS(sh.wait))); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, sh.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}
