package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

// hook is an httptest server that records requests and answers with fail for the first
// failures requests, then 200.
type hook struct {
	*httptest.Server
	mu       sync.Mutex // guards following
	bodies   []string
	headers  []http.Header
	failures int
	fail     func(w http.ResponseWriter)
}

// MustHook starts a recording webhook server that fails the first failures requests.
func MustHook(tb testing.TB, failures int, fail func(w http.ResponseWriter)) *hook {
	tb.Helper()
	h := &hook{failures: failures, fail: fail}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		h.headers = append(h.headers, r.Header.Clone())
		n := len(h.bodies)
		h.mu.Unlock()
		if n <= h.failures {
			h.fail(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	tb.Cleanup(h.Close)
	return h
}

// Header returns the headers of the i-th request.
func (h *hook) Header(i int) http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.headers[i]
}

// Bodies returns the bodies received so far.
func (h *hook) Bodies() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies...)
}

func status(code int, header ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
	}
}

const wantJSONBody = `{"id":"m-1","time":"2026-06-01T12:00:00Z","kind":"alert","severity":"high",` +
	`"title":"Astrill VPN sign-in – new hire","text":"Seen \"twice\" [a]\\b <!channel> & more",` +
	`"person_id":"p-1","alert_id":"a-1","concern":"N-01","link":"https://unmask.example/alerts/a-1"}`

const wantSlackBody = `{"text":"[HIGH] Astrill VPN sign-in – new hire","blocks":[{"type":"section","text":{"type":"mrkdwn",` +
	`"text":"*[HIGH] Astrill VPN sign-in – new hire*\nSeen \"twice\" [a]\\b &lt;!channel&gt; &amp; more\n` +
	"Person: `p-1` · Alert: `a-1`\\n<https://unmask.example/alerts/a-1|Open in Unmask>\"}}]}"

func TestWebhookPayload(t *testing.T) {
	tests := []struct {
		name   string
		format string
		want   string
	}{
		{"json", FormatJSON, wantJSONBody},
		{"default-is-json", "", wantJSONBody},
		{"slack", FormatSlack, wantSlackBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := MustHook(t, 0, nil)
			w, err := NewWebhook(WebhookOptions{URL: h.URL + "/hook", Format: tt.format, Headers: map[string]string{"Authorization": "Bearer t0ken"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Notify(t.Context(), testMessage()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tt.want}, h.Bodies()); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			got := map[string]string{
				"Authorization": h.Header(0).Get("Authorization"),
				"Content-Type":  h.Header(0).Get("Content-Type"),
			}
			want := map[string]string{"Authorization": "Bearer t0ken", "Content-Type": "application/json"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWebhookSignature(t *testing.T) {
	h := MustHook(t, 0, nil)
	secret := []byte("shared-secret")
	w, err := NewWebhook(WebhookOptions{URL: h.URL, Secret: secret, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Notify(t.Context(), testMessage()); err != nil {
		t.Fatal(err)
	}
	// Recompute the signature the way a receiver would, independently of Sign.
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("1780315200." + wantJSONBody))
	want := map[string]string{
		HeaderTimestamp: "1780315200",
		HeaderSignature: "sha256=" + hex.EncodeToString(mac.Sum(nil)),
	}
	got := map[string]string{
		HeaderTimestamp: h.Header(0).Get(HeaderTimestamp),
		HeaderSignature: h.Header(0).Get(HeaderSignature),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("signature headers (-want +got):\n%s", diff)
	}
	unsigned, err := NewWebhook(WebhookOptions{URL: h.URL})
	if err != nil {
		t.Fatal(err)
	}
	if err := unsigned.Notify(t.Context(), testMessage()); err != nil {
		t.Fatal(err)
	}
	if v := h.Header(1).Get(HeaderSignature); v != "" {
		t.Errorf("unsigned webhook sent signature %q", v)
	}
}

func TestWebhookStatus(t *testing.T) {
	tests := []struct {
		name          string
		answer        func(w http.ResponseWriter)
		wantPermanent bool
		wantAfter     time.Duration // 0: no Retry-After
	}{
		{"bad-request", status(http.StatusBadRequest), true, 0},
		{"not-found", status(http.StatusNotFound), true, 0},
		{"request-timeout", status(http.StatusRequestTimeout), false, 0},
		{"too-many-requests", status(http.StatusTooManyRequests, "Retry-After", "30"), false, 30 * time.Second},
		{"unavailable", status(http.StatusServiceUnavailable), false, 0},
		{"redirect-not-followed", status(http.StatusFound, "Location", "http://169.254.169.254/"), true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := MustHook(t, 1, tt.answer)
			w, err := NewWebhook(WebhookOptions{URL: h.URL})
			if err != nil {
				t.Fatal(err)
			}
			err = w.Notify(t.Context(), testMessage())
			if err == nil || IsPermanent(err) != tt.wantPermanent {
				t.Fatalf("Notify() = %v, want permanent %v", err, tt.wantPermanent)
			}
			after, _ := retryAfter(err)
			if after != tt.wantAfter {
				t.Errorf("Retry-After %v, want %v", after, tt.wantAfter)
			}
			if n := len(h.Bodies()); n != 1 {
				t.Errorf("server saw %d requests, want 1", n)
			}
		})
	}
}

func TestWebhookRedirectTargetNeverContacted(t *testing.T) {
	var hits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	defer target.Close()
	h := MustHook(t, 1, status(http.StatusTemporaryRedirect, "Location", target.URL))
	w, err := NewWebhook(WebhookOptions{URL: h.URL, Client: &http.Client{}}) // a caller's client too
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Notify(t.Context(), testMessage()); !IsPermanent(err) {
		t.Fatalf("Notify() = %v, want a permanent error", err)
	}
	if hits.Load() != 0 {
		t.Fatal("the webhook followed a redirect")
	}
}

func TestNewWebhookValidates(t *testing.T) {
	tests := []struct {
		name string
		opts WebhookOptions
	}{
		{"empty", WebhookOptions{}},
		{"relative", WebhookOptions{URL: "/hook"}},
		{"ftp", WebhookOptions{URL: "ftp://hooks.example/x"}},
		{"credentials", WebhookOptions{URL: "https://user:pass@hooks.example/x"}},
		{"format", WebhookOptions{URL: "https://hooks.example/x", Format: "xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewWebhook(tt.opts); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("NewWebhook() = %v, want EINVALID", err)
			}
		})
	}
}

// TestDispatchRetriesWebhook runs the dispatcher against a server that fails the first
// three requests with 503.
func TestDispatchRetriesWebhook(t *testing.T) {
	h := MustHook(t, 3, status(http.StatusServiceUnavailable))
	w, err := NewWebhook(WebhookOptions{URL: h.URL})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{now: t0}
	var dead []Undelivered
	d, err := NewDispatcher(DispatcherOptions{
		Destinations: []Destination{{Name: "soc-hook", Notifier: w}},
		BaseDelay:    time.Second,
		Sleep:        rec.Sleep,
		Now:          rec.Now,
		DeadLetter:   func(_ context.Context, u Undelivered) { dead = append(dead, u) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Dispatch(t.Context(), testMessage()); err != nil {
		t.Fatalf("Dispatch() = %v, want success on the fourth try", err)
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, rec.Sleeps()); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
	bodies := h.Bodies()
	if len(bodies) != 4 || bodies[0] != bodies[3] {
		t.Errorf("server saw %d requests, want 4 identical ones", len(bodies))
	}
	if len(dead) != 0 {
		t.Errorf("%d dead letters, want none", len(dead))
	}
}

func TestWebhookErrorHidesURLToken(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens any more: the request fails in the client
	const token = "T000/B000/XXXXSECRETXXXX"
	w, err := NewWebhook(WebhookOptions{URL: addr + "/services/" + token, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = w.Notify(t.Context(), testMessage())
	if err == nil {
		t.Fatal("Notify to a closed server succeeded")
	}
	if strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), strings.TrimPrefix(addr, "http://")) {
		t.Errorf("error %q: want the host and no token", err)
	}
}
