package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

// tokens is a function-field mock of the token verifier.
type tokens struct {
	verify func(ctx context.Context, secret string) (*unmask.User, *unmask.APIToken, error)
}

func (t tokens) VerifyToken(ctx context.Context, secret string) (*unmask.User, *unmask.APIToken, error) {
	return t.verify(ctx, secret)
}

var analyst = &unmask.User{ID: "u1", Username: "alice", Role: unmask.RoleAnalyst}

func newServer(ready error) *httpapi.Server {
	return httpapi.New(httpapi.Options{
		Registry: prometheus.NewRegistry(),
		Version:  "test",
		Ready:    func(context.Context) error { return ready },
		Tokens: tokens{verify: func(_ context.Context, secret string) (*unmask.User, *unmask.APIToken, error) {
			if secret == "umk_good" {
				return analyst, &unmask.APIToken{ID: "t1"}, nil
			}
			return nil, nil, unmask.Errorf(unmask.EUNAUTHORIZED, "Invalid, expired or revoked API token.")
		}},
	})
}

func TestRoutes(t *testing.T) {
	tests := []struct {
		name       string
		ready      error
		path       string
		token      string
		wantStatus int
		wantBody   string
	}{
		{"Healthz", nil, "/healthz", "", 200, "ok"},
		{"Ready", nil, "/readyz", "", 200, "ready"},
		{"NotReady", errors.New("database down at 10.0.0.5"), "/readyz", "", 503, `"code":"unavailable"`},
		{"MetricsNeedsToken", nil, "/metrics", "", 401, `"code":"unauthorized"`},
		{"MetricsBadToken", nil, "/metrics", "umk_bad", 401, "Invalid, expired or revoked"},
		{"Metrics", nil, "/metrics", "umk_good", 200, "unmask_http_requests_total"},
		{"Version", nil, "/api/v1/version", "umk_good", 200, `"version":"test"`},
		{"VersionNeedsToken", nil, "/api/v1/version", "", 401, "Authentication required"},
		{"Whoami", nil, "/api/v1/whoami", "umk_good", 200, `"username":"alice"`},
		{"UnknownRoute", nil, "/api/v1/nothing", "umk_good", 404, `"code":"not_found"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(tt.ready)
			if tt.name == "Metrics" { // make sure a request has been counted first
				s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
			}
			req := httptest.NewRequest("GET", tt.path, nil)
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("GET %s = %d %q, want %d containing %q", tt.path, rec.Code, body, tt.wantStatus, tt.wantBody)
			}
			if strings.Contains(string(body), "10.0.0.5") {
				t.Errorf("internal detail leaked: %s", body)
			}
			for h, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "same-origin",
			} {
				if got := rec.Header().Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP = %q", rec.Header().Get("Content-Security-Policy"))
			}
			if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if rec.Code >= 400 {
				var e struct{ Error, Code string }
				if err := json.Unmarshal(body, &e); err != nil || e.Error == "" || e.Code == "" {
					t.Errorf("error body %q is not {error, code} JSON", body)
				}
			}
		})
	}
}

func TestOpenAndRun(t *testing.T) {
	s := httpapi.New(httpapi.Options{Addr: "127.0.0.1:0"})
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, 5e9) }()
	resp, err := http.Get(s.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status = %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after shutdown = %v", err)
	}
	other := httpapi.New(httpapi.Options{Addr: "127.0.0.1:0"})
	if err := other.Open(); err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	busy := httpapi.New(httpapi.Options{Addr: strings.TrimPrefix(other.URL(), "http://")})
	if err := busy.Open(); unmask.ErrorCode(err) != unmask.EUNAVAILABLE {
		t.Errorf("listening on a taken port = %v", err)
	}
}
