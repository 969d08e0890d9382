package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unmask/unmask/internal/browsertest"
	"github.com/unmask/unmask/internal/gen"
)

// TestDemoInBrowser follows a newcomer through `unmask demo` in headless Chromium: sign in
// with the printed one-time password, open People, find a planted worker at the top and
// read why on their page. With UNMASK_SCREENSHOTS=1 it saves the screens to
// docs/screenshots/demo-*.png.
func TestDemoInBrowser(t *testing.T) {
	browsertest.Chromium(t) // skip early without a browser
	dir := filepath.Join(t.TempDir(), "demo")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	m := NewMain()
	m.Getenv = env(filepath.Join(dir, "unused"))
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"demo", "--dir", dir, "--addr", "127.0.0.1:0", "--employees", "80", "--applicants", "60", "--days", "14", "--seed", "7"},
			strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	url, password := demoLoginLines(t, pr)
	go io.Copy(io.Discard, pr)
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo returned %v after shutdown", err)
		}
		m.Close()
	}()
	man := readManifest(t, filepath.Join(dir, "company", "manifest.json"))

	b := browsertest.MustChrome(t, 1280, 900)
	row := chromedp.CSS(`table.ranked tbody tr:first-child td:nth-child(2) a`)
	err := chromedp.Do(b,
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), demoUser),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dist-h`)),
		shoot("dashboard"),
		chromedp.Navigate(url+"/people?kind=employee"),
		chromedp.WaitVisible(chromedp.CSS(`table.ranked`)),
		shoot("people"),
	)
	if err != nil {
		t.Fatal(err)
	}
	top := mustRun(t, b, chromedp.Text(row))
	href := mustRun(t, b, chromedp.AttributeValue(row, "href")).Value
	planted := plantedByName(man, top)
	if planted == nil {
		t.Fatalf("the top of People is %q, not a planted worker", top)
	}
	if err := chromedp.Do(b, chromedp.Navigate(url+href), chromedp.WaitVisible(chromedp.CSS(`ol.reasons`)), shoot("person")); err != nil {
		t.Fatal(err)
	}
	reasons := mustRun(t, b, chromedp.Text(chromedp.CSS(`ol.reasons`)))
	named := false
	for _, id := range planted.Indicators {
		if regexp.MustCompile(`\b` + regexp.QuoteMeta(id) + `\b`).MatchString(reasons) {
			named = true
		}
	}
	if !named {
		t.Errorf("%s (%s, planted %v): the person page's reasons name none of them:\n%s", top, planted.Scenario, planted.Indicators, reasons)
	}
}

// demoLoginLines reads the demo's output up to the URL and the one-time password.
func demoLoginLines(t *testing.T, r io.Reader) (url, password string) {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if u, ok := strings.CutPrefix(line, "Unmask is serving on "); ok {
			url = u
		}
		if _, rest, ok := strings.Cut(line, "one-time password "); ok {
			password, _, _ = strings.Cut(rest, " ")
			return url, password
		}
	}
	t.Fatalf("the demo ended before printing its login: %v", sc.Err())
	return "", ""
}

func readManifest(t *testing.T, path string) *gen.Manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var man gen.Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatal(err)
	}
	return &man
}

func plantedByName(man *gen.Manifest, name string) *gen.Planted {
	for i := range man.Fraud {
		if man.Fraud[i].Name == strings.TrimSpace(name) {
			return &man.Fraud[i]
		}
	}
	return nil
}

// mustRun runs one browser action and returns its result.
func mustRun[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// shoot saves a screenshot as docs/screenshots/demo-NAME.png when UNMASK_SCREENSHOTS=1.
func shoot(name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if os.Getenv("UNMASK_SCREENSHOTS") != "1" {
			return chromedp.Void{}, nil
		}
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", "demo-"+name+".png"), png, 0o644)
	}
}
