package httpapi

import (
	"context"
	"io"
	"time"

	"github.com/unmask/unmask"
)

// Authenticator checks passwords and manages local users and API tokens;
// internal/auth.Authenticator implements it over the raw store. The server puts
// internal/authz in front of every management call, so only administrators reach them.
type Authenticator interface {
	// Login returns the user for a username and password, or EUNAUTHORIZED (the same
	// answer for a wrong password, an unknown user and a locked account).
	Login(ctx context.Context, username, password string) (*unmask.User, error)
	CreateUser(ctx context.Context, u *unmask.User, password string) error
	SetPassword(ctx context.Context, userID, password string) error
	// CreateToken returns the token and its secret, shown once.
	CreateToken(ctx context.Context, user *unmask.User, name string, role unmask.Role, ttl time.Duration) (*unmask.APIToken, string, error)
	RevokeToken(ctx context.Context, id string) error
}

// Ingester stores records pushed to POST /api/v1/ingest/{source}; the lead implements it
// over the ingest pipeline. It must be safe for concurrent use.
type Ingester interface {
	// Ingest decodes body (NDJSON or a JSON array, already gunzipped by the server: the
	// body is always plain) as source's format and stores it, returning counts and
	// per-record errors. An unknown source is ENOTFOUND; a body that cannot be read at
	// all is EINVALID; a full pipeline is EUNAVAILABLE.
	Ingest(ctx context.Context, source string, body io.Reader) (*IngestResult, error)
}

// IngestResult counts what one ingest request did.
type IngestResult struct {
	Accepted   int           `json:"accepted"`
	Duplicates int           `json:"duplicates"`
	Rejected   int           `json:"rejected"`
	Errors     []RecordError `json:"errors,omitempty"`
}

// RecordError says why one record was rejected (it is also kept as a dead letter).
type RecordError struct {
	Line   int    `json:"line"`
	Offset int64  `json:"offset"`
	Reason string `json:"reason"`
}

// RiskPreviewer shows what other risk weights would do; the lead implements it with
// internal/risk. It never saves scores.
type RiskPreviewer interface {
	// RiskWeights returns the weight of each indicator ID or family now in force.
	RiskWeights() map[string]float64
	// PreviewRisk rescores people with weights overriding the current ones and returns the
	// new scores, highest first, at most limit of them. Unknown keys are EINVALID.
	PreviewRisk(ctx context.Context, weights map[string]float64, limit int) ([]*unmask.RiskScore, error)
}

// RuleTester runs one rule against a pasted event; the lead implements it with the Sigma
// engine.
type RuleTester interface {
	// TestRule reports whether the rule matches event (one JSON object, as the source
	// sends it, or a normalised unmask.Event). A rule that does not exist is ENOTFOUND;
	// an event that does not parse is EINVALID.
	TestRule(ctx context.Context, ruleID string, event []byte) (*RuleTestResult, error)
}

// RuleTestResult is the outcome of RuleTester.TestRule.
type RuleTestResult struct {
	Matched bool `json:"matched"`
	// Detail says which selections matched or why none did.
	Detail string `json:"detail,omitempty"`
}

// Notification is a configured notification destination, shown read-only in settings.
// Target must already be redacted of secrets (a webhook URL without its token).
type Notification struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"` // webhook, slack, email, syslog
	Target string `json:"target"`
	// MinSeverity is the lowest alert severity sent.
	MinSeverity unmask.Severity `json:"min_severity,omitempty"`
}

// Screener screens an applicant who is not stored against everyone Unmask knows, for
// POST /api/v1/screen; the lead implements it with internal/screen. It must be safe for
// concurrent use and must not store the applicant.
type Screener interface {
	// ScreenApplicant reads raw (a Greenhouse candidate, a Greenhouse webhook holding one,
	// or an Unmask applicant JSON object) and screens it. A body that is not one of these,
	// or an applicant without a name and an e-mail or phone, is EINVALID.
	ScreenApplicant(ctx context.Context, raw []byte) (*ScreenResult, error)
}

// ScreenResult is the answer to a screening: a risk score and band, and the reasons.
type ScreenResult struct {
	Score   float64         `json:"score"`
	Band    unmask.RiskBand `json:"band"`
	Reasons []ScreenReason  `json:"reasons"`
}

// ScreenReason is one finding of a screening.
type ScreenReason struct {
	// Indicator is the THREAT.md indicator ID (H-02, H-03, ...).
	Indicator string  `json:"indicator"`
	Points    float64 `json:"points"`
	// Explanation is a sentence a recruiter understands; it names no identifier in the clear.
	Explanation string           `json:"explanation"`
	Evidence    []ScreenEvidence `json:"evidence,omitempty"`
}

// ScreenEvidence is one stored person an applicant shares an identifier with.
type ScreenEvidence struct {
	PersonID   string                `json:"person_id"`
	Name       string                `json:"name"`
	Kind       unmask.PersonKind     `json:"kind"`
	Identifier unmask.IdentifierKind `json:"identifier"`
	// Display is the shared identifier in masked form (j***@gmail.com).
	Display string `json:"display"`
}

// FeedStatus is the state of one threat-intelligence or IP-intelligence feed, shown
// read-only in settings. Error must not carry secrets (a feed URL's token).
type FeedStatus struct {
	Name    string    `json:"name"`
	Kind    string    `json:"kind"`
	Entries int       `json:"entries"`
	Loaded  time.Time `json:"loaded"`  // zero: never loaded
	Checked time.Time `json:"checked"` // the last fetch, changed or not
	Error   string    `json:"error,omitempty"`
}

// Suppression is an alert suppression as settings and the rules page show it: what it
// matches, why, whose it is, until when, and how much it silenced.
type Suppression struct {
	ID          string    `json:"id"`
	Indicator   string    `json:"indicator,omitempty"`
	Detector    string    `json:"detector,omitempty"`
	Rule        string    `json:"rule,omitempty"`
	Reason      string    `json:"reason"`
	Owner       string    `json:"owner"`
	ExpiresAt   time.Time `json:"expires_at"`
	Active      bool      `json:"active"`
	Suppressed  int       `json:"suppressed"`
	LastMatched time.Time `json:"last_matched,omitzero"`
}

// SourceHealth is what one input source delivered since the server started.
type SourceHealth struct {
	Source     string    `json:"source"`
	Accepted   int       `json:"accepted"`
	Duplicates int       `json:"duplicates"`
	Rejected   int       `json:"rejected"`
	Last       time.Time `json:"last"` // when its latest input ended
}
