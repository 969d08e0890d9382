package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Webhook payload formats.
const (
	// FormatJSON posts the Message as JSON.
	FormatJSON = "json"
	// FormatSlack posts a Slack incoming-webhook payload ("text" plus one mrkdwn block);
	// Mattermost and Rocket.Chat accept it too.
	FormatSlack = "slack"
)

// maxResponseBody is how much of a webhook response is read before it is discarded.
const maxResponseBody = 4 << 10

// WebhookOptions configures a Webhook. Every field comes from operator configuration.
type WebhookOptions struct {
	// URL is the http or https endpoint. It must not carry credentials.
	URL string
	// Format is FormatJSON (the default) or FormatSlack.
	Format string
	// Headers are added to every request, e.g. Authorization.
	Headers map[string]string
	// Client sends the requests; nil means a client with Timeout. Redirects are never
	// followed, whatever the client's policy.
	Client *http.Client
	// Timeout bounds one request when Client is nil; 0 means 10 s.
	Timeout time.Duration
	// Secret, if set, signs every request so the receiver can check where it came from
	// and when: X-Unmask-Timestamp is the Unix time in seconds and X-Unmask-Signature is
	// "sha256=" + hex(HMAC-SHA256(Secret, timestamp + "." + body)).
	Secret []byte
	// Now gives the signature timestamp; nil means time.Now.
	Now func() time.Time
}

// Signature headers of signed webhooks.
const (
	HeaderTimestamp = "X-Unmask-Timestamp"
	HeaderSignature = "X-Unmask-Signature"
)

// Webhook posts messages to an HTTP endpoint. 2xx is success; 408, 429 and 5xx may be
// retried (honouring Retry-After); any other status is a permanent failure.
type Webhook struct {
	url     string
	format  string
	headers http.Header
	client  *http.Client
	secret  []byte
	now     func() time.Time
}

var _ Notifier = (*Webhook)(nil)

// NewWebhook returns a webhook notifier, or EINVALID if the options are unusable.
func NewWebhook(opts WebhookOptions) (*Webhook, error) {
	u, err := url.Parse(opts.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, unmask.Errorf(unmask.EINVALID, "Webhook URL must be an absolute http or https URL.")
	case u.User != nil:
		return nil, unmask.Errorf(unmask.EINVALID, "Webhook URL must not contain credentials; use headers.")
	}
	format := opts.Format
	if format == "" {
		format = FormatJSON
	}
	if format != FormatJSON && format != FormatSlack {
		return nil, unmask.Errorf(unmask.EINVALID, "Webhook format %q is not json or slack.", format)
	}
	h := make(http.Header)
	for k, v := range opts.Headers {
		h.Set(k, v)
	}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "unmask-notify")
	var client http.Client
	if opts.Client != nil {
		client = *opts.Client
	} else {
		client.Timeout = cmp.Or(opts.Timeout, 10*time.Second)
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Webhook{url: u.String(), format: format, headers: h, client: &client, secret: bytes.Clone(opts.Secret), now: now}, nil
}

// Notify posts m.
func (w *Webhook) Notify(ctx context.Context, m Message) error {
	body, err := w.payload(m)
	if err != nil {
		return Permanent(fmt.Errorf("encode webhook payload: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return Permanent(fmt.Errorf("build webhook request: %w", err))
	}
	req.Header = w.headers.Clone()
	if len(w.secret) > 0 {
		ts := strconv.FormatInt(w.now().Unix(), 10)
		req.Header.Set(HeaderTimestamp, ts)
		req.Header.Set(HeaderSignature, Sign(w.secret, ts, body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		// A *url.Error names the whole URL, and webhook URLs often carry a token (Slack):
		// keep only the cause, so the error can be logged and kept as a dead letter.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return fmt.Errorf("post webhook to %s: %w", req.URL.Host, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBody))
	return statusError(resp)
}

// Sign returns the X-Unmask-Signature value of a body sent at timestamp ts (Unix
// seconds), for receivers to compare with hmac.Equal.
func Sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// statusError maps a response status to nil, a retryable or a permanent error.
func statusError(resp *http.Response) error {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	err := fmt.Errorf("webhook answered %s", resp.Status)
	if code != http.StatusRequestTimeout && code != http.StatusTooManyRequests && code < 500 {
		return Permanent(err)
	}
	if s, convErr := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); convErr == nil && s >= 0 {
		return &retryAfterError{err: err, after: time.Duration(s) * time.Second}
	}
	return err
}

func (w *Webhook) payload(m Message) ([]byte, error) {
	if w.format == FormatSlack {
		return marshal(slackPayload(m))
	}
	return marshal(m)
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackBlock struct {
	Type string    `json:"type"`
	Text slackText `json:"text"`
}

type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

// slackPayload renders m for a Slack incoming webhook. User text is escaped, so a title
// cannot inject mentions (<!channel>) or links.
func slackPayload(m Message) slackMessage {
	sev := strings.ToUpper(string(cmp.Or(m.Severity, unmask.SeverityInfo)))
	head := fmt.Sprintf("[%s] %s", sev, slackEscape(m.Title))
	var sb strings.Builder
	fmt.Fprintf(&sb, "*%s*", head)
	if m.Text != "" {
		sb.WriteString("\n" + slackEscape(m.Text))
	}
	var ids []string
	for _, kv := range [][2]string{{"Person", m.PersonID}, {"Alert", m.AlertID}, {"Case", m.CaseID}} {
		if kv[1] != "" {
			ids = append(ids, fmt.Sprintf("%s: `%s`", kv[0], slackEscape(strings.ReplaceAll(kv[1], "`", "'"))))
		}
	}
	if len(ids) > 0 {
		sb.WriteString("\n" + strings.Join(ids, " · "))
	}
	if m.Link != "" {
		fmt.Fprintf(&sb, "\n<%s|Open in Unmask>", slackEscape(strings.ReplaceAll(m.Link, "|", "%7C")))
	}
	return slackMessage{
		Text:   head,
		Blocks: []slackBlock{{Type: "section", Text: slackText{Type: "mrkdwn", Text: sb.String()}}},
	}
}

// slackEscape escapes the three characters Slack's mrkdwn treats as control characters.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
