package poll_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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

// googleTokenServer is a local Google OAuth token endpoint: it checks the signed JWT
// assertion of a service account (RS256 with pub, issuer, subject, scope, audience) and
// answers an access token that lives expiresIn seconds, numbered by the request.
func googleTokenServer(t *testing.T, pub *rsa.PublicKey, expiresIn int) (*httptest.Server, *int) {
	calls := 0
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		parts := strings.Split(r.Form.Get("assertion"), ".")
		if r.Form.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || len(parts) != 3 {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		var claims struct{ Iss, Sub, Scope, Aud string }
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		json.Unmarshal(payload, &claims)
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig) != nil || claims.Iss != "poller@project.iam.gserviceaccount.com" ||
			claims.Sub != "admin@contoso.example" || claims.Scope != poll.GoogleReportsScope || claims.Aud != srv.URL+"/token" {
			http.Error(w, `{"error":"unauthorized_client"}`, http.StatusUnauthorized)
			return
		}
		calls++
		fmt.Fprintf(w, `{"access_token":"ya29.token-%d","expires_in":%d,"token_type":"Bearer"}`, calls, expiresIn)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// serviceAccountKey returns a service account JSON key file for key, whose token_uri is
// tokenURI.
func serviceAccountKey(t *testing.T, key *rsa.PrivateKey, tokenURI string) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]string{"type": "service_account", "project_id": "project", "private_key_id": "k1",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "client_email": "poller@project.iam.gserviceaccount.com",
		"token_uri": tokenURI})
	return b
}

func TestServiceAccount(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	srv, calls := googleTokenServer(t, &key.PublicKey, 3600)
	tok, err := poll.ServiceAccount(nil, serviceAccountKey(t, key, srv.URL+"/token"), "admin@contoso.example", poll.GoogleReportsScope)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if got, err := tok(t.Context()); err != nil || got != "ya29.token-1" {
			t.Fatalf("token = %q, %v", got, err)
		}
	}
	if *calls != 1 {
		t.Errorf("token endpoint called %d times; the token should be cached", *calls)
	}

	// A token about to expire is replaced: the poller keeps working past its lifetime.
	short, calls := googleTokenServer(t, &key.PublicKey, 1)
	tok, err = poll.ServiceAccount(nil, serviceAccountKey(t, key, short.URL+"/token"), "admin@contoso.example", poll.GoogleReportsScope)
	if err != nil {
		t.Fatal(err)
	}
	first, err1 := tok(t.Context())
	second, err2 := tok(t.Context())
	if err1 != nil || err2 != nil || first == second || *calls != 2 {
		t.Errorf("expiring tokens: %q, %q (%v, %v), %d requests", first, second, err1, err2, *calls)
	}

	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	wrong, err := poll.ServiceAccount(nil, serviceAccountKey(t, other, srv.URL+"/token"), "admin@contoso.example", poll.GoogleReportsScope)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wrong(t.Context()); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("a key Google does not know: %v", err)
	}
	for name, in := range map[string][]byte{
		"NotJSON":    []byte("-----BEGIN PRIVATE KEY-----"),
		"NotService": []byte(`{"type":"authorized_user","client_id":"x"}`),
		"NoKey":      []byte(`{"type":"service_account","client_email":"a@b"}`),
	} {
		if _, err := poll.ServiceAccount(nil, in, "admin@contoso.example", poll.GoogleReportsScope); unmask.ErrorCode(err) != unmask.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := poll.ServiceAccount(nil, serviceAccountKey(t, key, srv.URL), "", poll.GoogleReportsScope); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("no subject: %v", err)
	}
}
