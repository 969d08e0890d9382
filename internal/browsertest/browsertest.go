// Package browsertest starts a real headless Chromium for the tests of the web UI. It is
// imported only by tests. Without a browser installed the tests skip, saying how to
// install one; with UNMASK_TEST_BROWSER set (as CI does) a missing browser fails them.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium returns the browser binary, or skips (or, when UNMASK_TEST_BROWSER is set,
// fails) the test when none is installed.
func Chromium(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("UNMASK_TEST_BROWSER") != "" {
		tb.Fatal("UNMASK_TEST_BROWSER is set but no chromium is installed (apt-get install -y chromium)")
	}
	tb.Skip("browser tests skipped: chromium is not installed (apt-get install -y chromium, or set UNMASK_TEST_BROWSER=1 to make this a failure)")
	return ""
}

// MustChrome starts a headless Chromium for one test, with a window of width×height, and
// returns its context; the browser stops when the test ends.
func MustChrome(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(tb)), chromedp.NoSandbox, chromedp.Headless, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(tb.TempDir()), chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	tb.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	return ctx
}
