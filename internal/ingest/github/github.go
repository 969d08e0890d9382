// Package github decodes the GitHub organization and enterprise audit log: REST API
// responses (GET /orgs/{org}/audit-log, /enterprises/{e}/audit-log, JSON arrays), JSON
// exports and audit-log streaming (one JSON object per line). git.* actions are Kind git,
// configuration changes (repo.*, org.*, public_key.*, team.*, ...) admin, the rest other.
package github

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// Source is the Event.Source of GitHub audit events.
const Source = "github"

// Format decodes GitHub audit log events.
type Format struct {
	opts ingest.JSONOptions
}

var _ ingest.Format = (*Format)(nil)

// New returns a Format whose records are capped at maxRecord bytes (0: the default).
func New(maxRecord int) *Format {
	return &Format{opts: ingest.JSONOptions{MaxRecord: maxRecord}}
}

// Source returns "github".
func (f *Format) Source() string { return Source }

// Decode reads audit events from r.
func (f *Format) Decode(ctx context.Context, r io.Reader, sink ingest.Sink) error {
	return ingest.DecodeJSON(ctx, r, Source, f.opts, sink, decodeRecord)
}

// auditEvent is the subset of an audit log entry that Unmask uses.
type auditEvent struct {
	Action        string      `json:"action"`
	Actor         string      `json:"actor"`
	ActorID       ingest.Text `json:"actor_id"`
	ActorIP       string      `json:"actor_ip"`
	ActorIsBot    ingest.Text `json:"actor_is_bot"`
	ActorLocation *struct {
		CountryCode string `json:"country_code"`
		CountryName string `json:"country_name"`
	} `json:"actor_location"`
	Timestamp   ingest.Time                `json:"@timestamp"`
	CreatedAt   ingest.Time                `json:"created_at"`
	DocumentID  string                     `json:"_document_id"`
	Business    string                     `json:"business"`
	Org         string                     `json:"org"`
	Repo        string                     `json:"repo"`
	Repository  string                     `json:"repository"`
	User        string                     `json:"user"`
	Team        string                     `json:"team"`
	UserAgent   string                     `json:"user_agent"`
	Transport   string                     `json:"transport_protocol_name"`
	RepoPublic  ingest.Text                `json:"repository_public"`
	PublicRepo  ingest.Text                `json:"public_repo"`
	Visibility  string                     `json:"visibility"`
	Operation   string                     `json:"operation_type"`
	Category    string                     `json:"request_category"`
	HashedToken string                     `json:"hashed_token"`
	TokenID     ingest.Text                `json:"token_id"`
	TokenScopes string                     `json:"token_scopes"`
	Programatic string                     `json:"programmatic_access_type"`
	Route       string                     `json:"route"`
	Method      string                     `json:"request_method"`
	StatusCode  ingest.Text                `json:"status_code"`
	Fingerprint string                     `json:"fingerprint"`
	Data        map[string]json.RawMessage `json:"data"`
}

func decodeRecord(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	var a auditEvent
	if err := json.Unmarshal(raw, &a); err != nil {
		return dst, fmt.Errorf("decode github audit event: %w", err)
	}
	if a.Action == "" {
		return dst, fmt.Errorf("decode github audit event: action missing")
	}
	t := a.Timestamp.Time
	if t.IsZero() {
		t = a.CreatedAt.Time
	}
	e := &unmask.Event{Time: t, Kind: Kind(a.Action), Action: a.Action, Actor: a.Actor, SourceIP: a.ActorIP,
		UserAgent: a.UserAgent, Target: first(a.Repo, a.Repository, a.Team, a.User, a.Org, a.Business)}
	if l := a.ActorLocation; l != nil && l.CountryCode != "" {
		e.Geo = &unmask.GeoPoint{Country: l.CountryCode}
	}
	e.Fields = fields(&a)
	return append(dst, e), nil
}

// Kind maps an audit log action to an event kind.
func Kind(action string) unmask.EventKind {
	if strings.HasPrefix(action, "git.") {
		return unmask.KindGit
	}
	for _, p := range adminPrefixes {
		if strings.HasPrefix(action, p) {
			return unmask.KindAdmin
		}
	}
	return unmask.KindOther
}

// adminPrefixes are the action prefixes of configuration and access changes.
var adminPrefixes = []string{"repo.", "org.", "public_key.", "team.", "protected_branch.", "hook.", "business.",
	"integration_installation", "oauth_", "personal_access_token.", "repository_", "ssh_certificate_authority.",
	"org_credential_authorization.", "environment.", "organization_", "enterprise.", "role.", "deploy_key.",
	"members_can_", "audit_log_streaming."}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func fields(a *auditEvent) map[string]string {
	m := make(map[string]string, 16+len(a.Data))
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("action", a.Action)
	put("actor", a.Actor)
	put("actor_id", string(a.ActorID))
	put("actor_is_bot", string(a.ActorIsBot))
	put("_document_id", a.DocumentID)
	put("business", a.Business)
	put("org", a.Org)
	put("repo", first(a.Repo, a.Repository))
	put("user", a.User)
	put("team", a.Team)
	put("transport_protocol_name", a.Transport)
	put("repository_public", first(string(a.RepoPublic), string(a.PublicRepo)))
	put("visibility", a.Visibility)
	put("operation_type", a.Operation)
	put("request_category", a.Category)
	put("hashed_token", a.HashedToken)
	put("token_id", string(a.TokenID))
	put("token_scopes", a.TokenScopes)
	put("programmatic_access_type", a.Programatic)
	put("route", a.Route)
	put("request_method", a.Method)
	put("status_code", string(a.StatusCode))
	put("fingerprint", a.Fingerprint)
	if l := a.ActorLocation; l != nil {
		put("actor_location.country_code", l.CountryCode)
	}
	for k, v := range a.Data {
		put("data."+k, ingest.JSONText(v))
	}
	return m
}
