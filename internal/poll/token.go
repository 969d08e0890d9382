package poll

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/jwt"

	"github.com/unmask/unmask"
)

// ClientCredentials returns a TokenFunc for the OAuth 2.0 client-credentials grant, as the
// Microsoft identity platform issues Graph tokens to an app registration. Tokens are cached
// until a minute before they expire. tokenURL defaults to
// https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.
func ClientCredentials(client *http.Client, tokenURL, tenant, clientID, secret, scope string) TokenFunc {
	if tokenURL == "" {
		tokenURL = "https://login.microsoftonline.com/" + url.PathEscape(tenant) + "/oauth2/v2.0/token"
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	var mu sync.Mutex
	var token string
	var expires time.Time
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if token != "" && time.Now().Before(expires) {
			return token, nil
		}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "scope": {scope}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
		if err != nil {
			return "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return "", unmask.WrapError(unmask.EUNAVAILABLE, err, "Cannot reach the token endpoint.")
		}
		defer resp.Body.Close()
		var body struct {
			AccessToken string `json:"access_token"`
			ExpiresIn   int    `json:"expires_in"`
		}
		if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&body) != nil || body.AccessToken == "" {
			return "", unmask.Errorf(unmask.EUNAUTHORIZED, "The token endpoint refused the client credentials (status %d).", resp.StatusCode)
		}
		token, expires = body.AccessToken, time.Now().Add(time.Duration(body.ExpiresIn)*time.Second-time.Minute)
		return token, nil
	}
}

// GoogleReportsScope is the OAuth scope of the Admin SDK Reports API.
const GoogleReportsScope = "https://www.googleapis.com/auth/admin.reports.audit.readonly"

// ServiceAccount returns a TokenFunc for a Google service account with domain-wide
// delegation: it signs a JWT with the key in keyJSON (the JSON key file Google Cloud
// issues), asks the key's token_uri for an access token of scope acting as subject (a
// Workspace administrator), and caches it until shortly before it expires, so a poller
// keeps working past the hour an access token lives. Requests go through client (nil: a
// 30-second timeout).
func ServiceAccount(client *http.Client, keyJSON []byte, subject, scope string) (TokenFunc, error) {
	var key struct {
		Type         string `json:"type"`
		ClientEmail  string `json:"client_email"`
		PrivateKey   string `json:"private_key"`
		PrivateKeyID string `json:"private_key_id"`
		TokenURI     string `json:"token_uri"`
	}
	if err := json.Unmarshal(keyJSON, &key); err != nil {
		return nil, unmask.Errorf(unmask.EINVALID, "The Google service account key is not JSON: %s.", err)
	}
	switch {
	case key.Type != "service_account":
		return nil, unmask.Errorf(unmask.EINVALID, "The Google key file is of type %q; want a service_account key.", key.Type)
	case key.ClientEmail == "" || key.PrivateKey == "":
		return nil, unmask.Errorf(unmask.EINVALID, "The Google service account key lacks client_email or private_key.")
	case subject == "":
		return nil, unmask.Errorf(unmask.EINVALID, "A Google service account needs a subject: the administrator it acts as.")
	}
	if key.TokenURI == "" {
		key.TokenURI = "https://oauth2.googleapis.com/token"
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	cfg := &jwt.Config{Email: key.ClientEmail, PrivateKey: []byte(key.PrivateKey), PrivateKeyID: key.PrivateKeyID,
		Subject: subject, Scopes: []string{scope}, TokenURL: key.TokenURI}
	// The token source keeps this context for every refresh: it carries only the client.
	ts := oauth2.ReuseTokenSource(nil, cfg.TokenSource(context.WithValue(context.Background(), oauth2.HTTPClient, client)))
	return func(context.Context) (string, error) {
		t, err := ts.Token()
		if err != nil {
			var re *oauth2.RetrieveError
			if errors.As(err, &re) {
				return "", unmask.Errorf(unmask.EUNAUTHORIZED, "Google refused the service account (status %d).", re.Response.StatusCode)
			}
			return "", unmask.WrapError(unmask.EUNAVAILABLE, err, "Cannot get a Google access token.")
		}
		return t.AccessToken, nil
	}, nil
}
