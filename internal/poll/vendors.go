package poll

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TokenFunc returns a current bearer token (for OAuth sources whose tokens expire).
type TokenFunc func(ctx context.Context) (string, error)

// StaticToken returns a TokenFunc that always returns token.
func StaticToken(token string) TokenFunc {
	return func(context.Context) (string, error) { return token, nil }
}

// common holds what every source needs.
type common struct {
	base     string
	client   *Client
	lookback time.Duration
	now      func() time.Time
}

func newCommon(base string, c *Client, lookback time.Duration, now func() time.Time) common {
	if c == nil {
		c = &Client{}
	}
	if lookback <= 0 {
		lookback = 24 * time.Hour
	}
	if now == nil {
		now = time.Now
	}
	return common{base: strings.TrimRight(base, "/"), client: c, lookback: lookback, now: now}
}

// start is where a first poll begins.
func (c common) start() time.Time { return c.now().Add(-c.lookback).UTC() }

// OktaOptions configures the Okta System Log source.
type OktaOptions struct {
	BaseURL  string // https://example.okta.com
	Token    string // an Okta API token, sent as "SSWS <token>"
	Limit    int    // events per page; 0 means 1000
	Lookback time.Duration
	Client   *Client
	Now      func() time.Time
}

// Okta polls /api/v1/logs: the first request asks for events since the lookback, later ones
// follow the opaque "after" cursor of the rel="next" Link, which Okta keeps valid for
// polling even when a page comes back empty.
type Okta struct {
	common
	token string
	limit int
}

// NewOkta returns the Okta source.
func NewOkta(o OktaOptions) *Okta {
	if o.Limit <= 0 {
		o.Limit = 1000
	}
	return &Okta{common: newCommon(o.BaseURL, o.Client, o.Lookback, o.Now), token: o.Token, limit: o.Limit}
}

// Name returns "okta".
func (s *Okta) Name() string { return "okta" }

// Fetch walks pages after cursor (an "after" value).
func (s *Okta) Fetch(ctx context.Context, cursor string, page PageFunc) error {
	q := url.Values{"limit": {strconv.Itoa(s.limit)}}
	if cursor != "" {
		q.Set("after", cursor)
	} else {
		q.Set("since", s.start().Format(time.RFC3339))
	}
	next := s.base + "/api/v1/logs?" + q.Encode()
	h := http.Header{"Authorization": {"SSWS " + s.token}}
	for next != "" {
		body, hdr, err := s.client.Get(ctx, next, h)
		if err != nil {
			return err
		}
		link := nextLink(hdr)
		after := cursor
		if u, err := url.Parse(link); err == nil && u.Query().Get("after") != "" {
			after = u.Query().Get("after")
		}
		empty := isEmptyArray(body)
		if err := page(ctx, Page{Body: body, Cursor: after}); err != nil {
			return err
		}
		cursor = after
		if empty || link == "" {
			return nil
		}
		next = link
	}
	return nil
}

func isEmptyArray(b []byte) bool {
	var arr []json.RawMessage
	return json.Unmarshal(b, &arr) == nil && len(arr) == 0
}

// GitHubOptions configures the GitHub audit-log source.
type GitHubOptions struct {
	BaseURL    string // https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server
	Org        string // an organisation, or
	Enterprise string // an enterprise slug
	Token      string // a token with read:audit_log
	Lookback   time.Duration
	Client     *Client
	Now        func() time.Time
}

// GitHub polls the organisation or enterprise audit log oldest first, from the newest
// @timestamp already stored (inclusive: the boundary events come again and are dropped as
// duplicates by their stable ids).
type GitHub struct {
	common
	path  string
	token string
}

// NewGitHub returns the GitHub source.
func NewGitHub(o GitHubOptions) (*GitHub, error) {
	path := "/orgs/" + url.PathEscape(o.Org) + "/audit-log"
	switch {
	case o.Enterprise != "" && o.Org == "":
		path = "/enterprises/" + url.PathEscape(o.Enterprise) + "/audit-log"
	case o.Org == "" || o.Enterprise != "":
		return nil, fmt.Errorf("github poller: set exactly one of org and enterprise")
	}
	if o.BaseURL == "" {
		o.BaseURL = "https://api.github.com"
	}
	return &GitHub{common: newCommon(o.BaseURL, o.Client, o.Lookback, o.Now), path: path, token: o.Token}, nil
}

// Name returns "github".
func (s *GitHub) Name() string { return "github" }

// Fetch walks pages created at or after cursor (Unix milliseconds).
func (s *GitHub) Fetch(ctx context.Context, cursor string, page PageFunc) error {
	since := s.start()
	if ms, err := strconv.ParseInt(cursor, 10, 64); err == nil {
		since = time.UnixMilli(ms).UTC()
	}
	q := url.Values{"include": {"all"}, "order": {"asc"}, "per_page": {"100"},
		"phrase": {"created:>=" + since.Format("2006-01-02T15:04:05.000Z")}}
	next := s.base + s.path + "?" + q.Encode()
	h := http.Header{"Authorization": {"Bearer " + s.token}, "X-Github-Api-Version": {"2022-11-28"}}
	for next != "" {
		body, hdr, err := s.client.Get(ctx, next, h)
		if err != nil {
			return err
		}
		var entries []struct {
			Timestamp int64 `json:"@timestamp"`
		}
		if err := json.Unmarshal(body, &entries); err != nil {
			return fmt.Errorf("github audit log page: %w", err)
		}
		for _, e := range entries {
			if c, _ := strconv.ParseInt(cursor, 10, 64); e.Timestamp > c {
				cursor = strconv.FormatInt(e.Timestamp, 10)
			}
		}
		if err := page(ctx, Page{Body: body, Cursor: cursor}); err != nil {
			return err
		}
		next = nextLink(hdr)
	}
	return nil
}

// newestFirst walks the pages of an API that lists newest first (Google Reports, Graph): the
// cursor only advances, to the newest time seen, with the last page, so a fetch cut short
// is repeated whole.
func newestFirst(ctx context.Context, cursor string, page PageFunc, first string, get func(ctx context.Context, u string) (body []byte, newest time.Time, next string, err error)) error {
	newest, _ := time.Parse(time.RFC3339Nano, cursor)
	for u := first; u != ""; {
		body, t, next, err := get(ctx, u)
		if err != nil {
			return err
		}
		if t.After(newest) {
			newest = t
		}
		c := cursor
		if next == "" && !newest.IsZero() {
			c = newest.UTC().Format(time.RFC3339Nano)
		}
		if err := page(ctx, Page{Body: body, Cursor: c}); err != nil {
			return err
		}
		u = next
	}
	return nil
}

// GoogleOptions configures the Google Workspace Reports source.
type GoogleOptions struct {
	BaseURL     string // https://admin.googleapis.com
	Application string // login, drive, admin, token, ...
	Token       TokenFunc
	Lookback    time.Duration
	Client      *Client
	Now         func() time.Time
}

// Google polls the Admin SDK Reports activities of one application.
type Google struct {
	common
	app   string
	token TokenFunc
}

// NewGoogle returns the Google source.
func NewGoogle(o GoogleOptions) *Google {
	if o.BaseURL == "" {
		o.BaseURL = "https://admin.googleapis.com"
	}
	return &Google{common: newCommon(o.BaseURL, o.Client, o.Lookback, o.Now), app: o.Application, token: o.Token}
}

// Name returns "google:<application>".
func (s *Google) Name() string { return "google:" + s.app }

// Fetch walks the activities at or after cursor (RFC 3339).
func (s *Google) Fetch(ctx context.Context, cursor string, page PageFunc) error {
	start := cursor
	if start == "" {
		start = s.start().Format(time.RFC3339)
	}
	base := s.base + "/admin/reports/v1/activity/users/all/applications/" + url.PathEscape(s.app)
	q := url.Values{"startTime": {start}, "maxResults": {"1000"}}
	return newestFirst(ctx, cursor, page, base+"?"+q.Encode(), func(ctx context.Context, u string) ([]byte, time.Time, string, error) {
		tok, err := s.token(ctx)
		if err != nil {
			return nil, time.Time{}, "", err
		}
		body, _, err := s.client.Get(ctx, u, http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			return nil, time.Time{}, "", err
		}
		var resp struct {
			Items []struct {
				ID struct {
					Time time.Time `json:"time"`
				} `json:"id"`
			} `json:"items"`
			NextPageToken string `json:"nextPageToken"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			return nil, time.Time{}, "", fmt.Errorf("google reports page: %w", err)
		}
		var newest time.Time
		for _, it := range resp.Items {
			if it.ID.Time.After(newest) {
				newest = it.ID.Time
			}
		}
		next := ""
		if resp.NextPageToken != "" {
			nq := url.Values{"startTime": {start}, "maxResults": {"1000"}, "pageToken": {resp.NextPageToken}}
			next = base + "?" + nq.Encode()
		}
		return body, newest, next, nil
	})
}

// GraphOptions configures the Microsoft Graph sign-ins source.
type GraphOptions struct {
	BaseURL  string // https://graph.microsoft.com
	Token    TokenFunc
	Lookback time.Duration
	Client   *Client
	Now      func() time.Time
}

// Graph polls /v1.0/auditLogs/signIns, following @odata.nextLink.
type Graph struct {
	common
	token TokenFunc
}

// NewGraph returns the Graph source.
func NewGraph(o GraphOptions) *Graph {
	if o.BaseURL == "" {
		o.BaseURL = "https://graph.microsoft.com"
	}
	return &Graph{common: newCommon(o.BaseURL, o.Client, o.Lookback, o.Now), token: o.Token}
}

// Name returns "entra".
func (s *Graph) Name() string { return "entra" }

// Fetch walks the sign-ins created at or after cursor (RFC 3339).
func (s *Graph) Fetch(ctx context.Context, cursor string, page PageFunc) error {
	start := cursor
	if start == "" {
		start = s.start().Format(time.RFC3339)
	}
	q := url.Values{"$filter": {"createdDateTime ge " + start}, "$top": {"1000"}}
	first := s.base + "/v1.0/auditLogs/signIns?" + q.Encode()
	return newestFirst(ctx, cursor, page, first, func(ctx context.Context, u string) ([]byte, time.Time, string, error) {
		tok, err := s.token(ctx)
		if err != nil {
			return nil, time.Time{}, "", err
		}
		body, _, err := s.client.Get(ctx, u, http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			return nil, time.Time{}, "", err
		}
		var resp struct {
			Value []struct {
				Created time.Time `json:"createdDateTime"`
			} `json:"value"`
			Next string `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			return nil, time.Time{}, "", fmt.Errorf("graph sign-ins page: %w", err)
		}
		var newest time.Time
		for _, v := range resp.Value {
			if v.Created.After(newest) {
				newest = v.Created
			}
		}
		return body, newest, resp.Next, nil
	})
}
