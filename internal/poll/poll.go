// Package poll pulls logs from vendor APIs — the Okta System Log, the GitHub audit log, the
// Google Workspace Reports API and Microsoft Graph sign-ins — page by page, with each
// vendor's paging and rate-limit rules. A Source walks pages from a cursor; the Runner hands
// each page to the ingest pipeline and saves the page's cursor only after the page is stored,
// so a restart resumes where it stopped: no gap, and no duplicate (a page fetched twice after
// a crash yields events whose stable ids are already stored).
package poll

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Page is one page of records as the vendor sent them, and the cursor to resume after it.
type Page struct {
	Body   []byte
	Cursor string
}

// PageFunc handles a page; an error stops the fetch without advancing the cursor.
type PageFunc func(ctx context.Context, p Page) error

// Source is one vendor log API.
type Source interface {
	// Name names the source and its checkpoint, e.g. "okta".
	Name() string
	// Fetch calls page for every page available after cursor ("" for the first poll),
	// oldest first where the API allows, and returns when there are no more for now.
	Fetch(ctx context.Context, cursor string, page PageFunc) error
}

// Checkpoints keeps cursors; unmask.CheckpointService implements it.
type Checkpoints interface {
	FindCheckpoint(ctx context.Context, name string) (string, error)
	SaveCheckpoint(ctx context.Context, name, cursor string) error
}

// Client sends vendor requests: it adds credentials, retries rate-limited requests after the
// wait the vendor asks for, and caps response sizes.
type Client struct {
	HTTP *http.Client
	// Sleep waits; tests replace it. It returns early with ctx's error.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxWait caps one rate-limit wait; 0 means 5 minutes.
	MaxWait time.Duration
	// MaxBody caps a response body; 0 means 64 MiB.
	MaxBody int64
	// Now is the clock for reset times; nil means time.Now.
	Now func() time.Time
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: time.Minute}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// maxAttempts bounds retries of one request.
const maxAttempts = 6

// Get fetches rawURL with the given headers and returns the body and response headers.
func (c *Client) Get(ctx context.Context, rawURL string, header http.Header) ([]byte, http.Header, error) {
	sleep := c.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	maxBody := c.MaxBody
	if maxBody <= 0 {
		maxBody = 64 << 20
	}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header = header.Clone()
		req.Header.Set("Accept", "application/json")
		resp, err := c.httpClient().Do(req)
		if err != nil {
			return nil, nil, unmask.WrapError(unmask.EUNAVAILABLE, err, "Cannot reach %s.", redactURL(rawURL))
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err != nil {
			return nil, nil, unmask.WrapError(unmask.EUNAVAILABLE, err, "Reading %s failed.", redactURL(rawURL))
		}
		if int64(len(body)) > maxBody {
			return nil, nil, unmask.Errorf(unmask.ETOOLARGE, "Response from %s is over %d bytes.", redactURL(rawURL), maxBody)
		}
		if resp.StatusCode/100 == 2 {
			return body, resp.Header, nil
		}
		wait, retry := c.retryAfter(resp)
		if !retry || attempt == maxAttempts {
			return nil, resp.Header, statusError(rawURL, resp.StatusCode, body)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, nil, err
		}
	}
}

// retryAfter says whether a failed response should be retried and after how long: rate
// limits wait for the vendor's reset time or Retry-After, server errors back off briefly.
func (c *Client) retryAfter(resp *http.Response) (time.Duration, bool) {
	maxWait := c.MaxWait
	if maxWait <= 0 {
		maxWait = 5 * time.Minute
	}
	limited := resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode == http.StatusForbidden && resp.Header.Get("X-Ratelimit-Remaining") == "0"
	switch {
	case limited:
		return min(c.resetWait(resp.Header), maxWait), true
	case resp.StatusCode >= 500:
		return min(2*time.Second, maxWait), true
	}
	return 0, false
}

// resetWait reads how long to wait from Retry-After or the vendors' reset headers (Unix
// seconds: Okta X-Rate-Limit-Reset, GitHub X-RateLimit-Reset).
func (c *Client) resetWait(h http.Header) time.Duration {
	if s := h.Get("Retry-After"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(s); err == nil {
			return max(time.Until(t), time.Second)
		}
	}
	for _, k := range []string{"X-Rate-Limit-Reset", "X-Ratelimit-Reset"} {
		if n, err := strconv.ParseInt(h.Get(k), 10, 64); err == nil {
			return max(time.Unix(n, 0).Sub(c.now())+time.Second, time.Second)
		}
	}
	return 30 * time.Second
}

// statusError describes a failed request without echoing secrets.
func statusError(rawURL string, status int, body []byte) error {
	code := unmask.EUNAVAILABLE
	switch status {
	case http.StatusUnauthorized:
		code = unmask.EUNAUTHORIZED
	case http.StatusForbidden:
		code = unmask.EFORBIDDEN
	case http.StatusBadRequest, http.StatusNotFound:
		code = unmask.EINVALID
	}
	snippet := strings.TrimSpace(string(body))
	if len(snippet) > 200 {
		snippet = snippet[:200] + "…"
	}
	return &unmask.Error{Code: code, Message: fmt.Sprintf("%s answered %d.", redactURL(rawURL), status), Err: errors.New(snippet)}
}

// redactURL drops the query, which may carry cursors or keys, from a URL for messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the vendor API"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}

// nextLink returns the URL of the rel="next" link in a Link header, or "".
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for part := range strings.SplitSeq(v, ",") {
			seg := strings.Split(part, ";")
			if len(seg) < 2 {
				continue
			}
			target := strings.Trim(strings.TrimSpace(seg[0]), "<>")
			for _, p := range seg[1:] {
				if strings.ReplaceAll(strings.TrimSpace(p), " ", "") == `rel="next"` {
					return target
				}
			}
		}
	}
	return ""
}

// RunnerOptions configures a Runner.
type RunnerOptions struct {
	Source      Source
	Checkpoints Checkpoints
	// Ingest stores one page's records; it must return only after they are durable.
	Ingest func(ctx context.Context, source string, body []byte) error
	// Interval is the pause between polls; 0 means one minute.
	Interval time.Duration
	Logger   *slog.Logger
}

// Runner polls one source until its context ends.
type Runner struct {
	opts RunnerOptions
	log  *slog.Logger
}

// NewRunner returns a Runner.
func NewRunner(opts RunnerOptions) *Runner {
	if opts.Interval <= 0 {
		opts.Interval = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Runner{opts: opts, log: opts.Logger.With("source", opts.Source.Name())}
}

// checkpointName is where a source's cursor is kept.
func checkpointName(source string) string { return "poll:" + source }

// PollOnce fetches every page available now, storing each and then its cursor.
func (r *Runner) PollOnce(ctx context.Context) error {
	name := checkpointName(r.opts.Source.Name())
	cursor, err := r.opts.Checkpoints.FindCheckpoint(ctx, name)
	if err != nil {
		return err
	}
	return r.opts.Source.Fetch(ctx, cursor, func(ctx context.Context, p Page) error {
		if len(p.Body) > 0 {
			if err := r.opts.Ingest(ctx, r.opts.Source.Name(), p.Body); err != nil {
				return err
			}
		}
		if p.Cursor == "" || p.Cursor == cursor {
			return nil
		}
		cursor = p.Cursor
		return r.opts.Checkpoints.SaveCheckpoint(ctx, name, p.Cursor)
	})
}

// Run polls every Interval until ctx is done; a failed poll is logged and retried at the
// next interval.
func (r *Runner) Run(ctx context.Context) error {
	for {
		if err := r.PollOnce(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("poll failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.opts.Interval):
		}
	}
}
