package poll

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

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
