package contact

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// LineInfo is what a carrier lookup says about a number.
type LineInfo struct {
	Type    LineType `json:"type"`
	Carrier string   `json:"carrier,omitempty"`
}

// LineTypeLookup tells the line type of an E.164 number from a carrier database. Numbering
// plans cannot tell US and Canadian VoIP numbers from mobile ones, so H-01 needs one.
// Implementations are safe for concurrent use and return EUNAVAILABLE when the provider
// cannot be reached.
type LineTypeLookup interface {
	LookupLineType(ctx context.Context, e164 string) (LineInfo, error)
}

var _ LineTypeLookup = (*HTTPLookup)(nil)

// maxLookupBody bounds a provider response.
const maxLookupBody = 64 << 10

// HTTPLookupOptions configures an HTTPLookup.
type HTTPLookupOptions struct {
	// BaseURL is the provider endpoint; the number is appended as a path segment
	// ("https://lookups.example/v2/PhoneNumbers/" + "+12025550142").
	BaseURL string
	// APIKey is sent as a bearer token when set.
	APIKey string
	// Query is appended as the URL query, e.g. "Fields=line_type_intelligence".
	Query string
	// Client is the HTTP client; nil uses one with Timeout.
	Client *http.Client
	// Timeout bounds one lookup when Client is nil; zero means 5 s.
	Timeout time.Duration
}

// HTTPLookup is a LineTypeLookup over a JSON HTTP API. It understands responses with a
// top-level "line_type" (and optional "carrier") and Twilio Lookup v2's
// "line_type_intelligence": {"type", "carrier_name"}.
type HTTPLookup struct {
	base   *url.URL
	key    string
	query  string
	client *http.Client
}

// NewHTTPLookup returns a lookup for the provider in opts.
func NewHTTPLookup(opts HTTPLookupOptions) (*HTTPLookup, error) {
	u, err := url.Parse(opts.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "Line-type lookup base URL %q is not an http(s) URL.", opts.BaseURL)
	}
	c := opts.Client
	if c == nil {
		t := opts.Timeout
		if t == 0 {
			t = 5 * time.Second
		}
		c = &http.Client{Timeout: t}
	}
	return &HTTPLookup{base: u, key: opts.APIKey, query: opts.Query, client: c}, nil
}

type lookupResponse struct {
	LineType string `json:"line_type"`
	Carrier  string `json:"carrier"`
	Twilio   *struct {
		Type        string `json:"type"`
		CarrierName string `json:"carrier_name"`
	} `json:"line_type_intelligence"`
}

// LookupLineType asks the provider about e164.
func (l *HTTPLookup) LookupLineType(ctx context.Context, e164 string) (LineInfo, error) {
	if !strings.HasPrefix(e164, "+") || len(onlyDigits(e164)) != len(e164)-1 {
		return LineInfo{}, unmask.Errorf(unmask.EINVALID, "Number %q is not in E.164 form.", e164)
	}
	u := l.base.JoinPath(e164)
	u.RawQuery = l.query
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return LineInfo{}, fmt.Errorf("build line-type request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if l.key != "" {
		req.Header.Set("Authorization", "Bearer "+l.key)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return LineInfo{}, unmask.WrapError(unmask.EUNAVAILABLE, err, "Line-type provider is unavailable.")
	}
	defer resp.Body.Close()
	return decodeLookup(resp)
}

func decodeLookup(resp *http.Response) (LineInfo, error) {
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return LineInfo{}, unmask.Errorf(unmask.ENOTFOUND, "Line-type provider does not know the number.")
	case resp.StatusCode == http.StatusTooManyRequests:
		return LineInfo{}, unmask.Errorf(unmask.ELIMITED, "Line-type provider rate limit reached.")
	case resp.StatusCode >= 500:
		return LineInfo{}, unmask.Errorf(unmask.EUNAVAILABLE, "Line-type provider returned status %d.", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return LineInfo{}, unmask.Errorf(unmask.EINTERNAL, "Line-type provider returned status %d.", resp.StatusCode)
	}
	var body lookupResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxLookupBody)).Decode(&body); err != nil {
		return LineInfo{}, unmask.WrapError(unmask.EUNAVAILABLE, err, "Line-type provider response is not valid JSON.")
	}
	info := LineInfo{Type: providerLineType(body.LineType), Carrier: body.Carrier}
	if body.Twilio != nil {
		info = LineInfo{Type: providerLineType(body.Twilio.Type), Carrier: body.Twilio.CarrierName}
	}
	return info, nil
}

// providerLineType maps provider vocabularies (Twilio, Telesign, numverify and plain words)
// onto LineType.
func providerLineType(s string) LineType {
	k := strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
	switch k {
	case "voip", "fixedvoip", "nonfixedvoip":
		return LineVoIP
	case "mobile", "cellular", "wireless":
		return LineMobile
	case "landline", "fixed", "fixedline":
		return LineFixed
	case "tollfree":
		return LineTollFree
	case "premium", "premiumrate":
		return LinePremium
	case "sharedcost":
		return LineSharedCost
	case "personal":
		return LinePersonal
	case "pager":
		return LinePager
	case "uan":
		return LineUAN
	case "voicemail":
		return LineVoicemail
	}
	return LineUnknown
}
