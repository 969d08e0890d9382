package poll_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/poll"
)

func TestClientCredentials(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		r.ParseForm()
		if r.Form.Get("grant_type") != "client_credentials" || r.Form.Get("client_secret") != "s3cret" || r.Form.Get("scope") != "https://graph.microsoft.com/.default" {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		}
		w.Write([]byte(`{"token_type":"Bearer","expires_in":3599,"access_token":"graph-token"}`))
	}))
	defer srv.Close()
	tok := poll.ClientCredentials(nil, srv.URL, "tenant", "app", "s3cret", "https://graph.microsoft.com/.default")
	for range 3 {
		got, err := tok(t.Context())
		if err != nil || got != "graph-token" {
			t.Fatalf("token = %q, %v", got, err)
		}
	}
	if calls != 1 {
		t.Errorf("token endpoint called %d times; the token should be cached", calls)
	}
	bad := poll.ClientCredentials(nil, srv.URL, "tenant", "app", "wrong", "https://graph.microsoft.com/.default")
	if _, err := bad(t.Context()); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("wrong secret: %v", err)
	}
}
