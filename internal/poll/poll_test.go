package poll_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/poll"
)

var t0 = time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)

// memCheckpoints is an in-memory checkpoint store.
type memCheckpoints struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *memCheckpoints) FindCheckpoint(_ context.Context, name string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[name], nil
}

func (c *memCheckpoints) SaveCheckpoint(_ context.Context, name, cursor string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[name] = cursor
	return nil
}

// sink records the ids of ingested records and can fail on demand.
type sink struct {
	ids    []string
	seen   map[string]bool
	failOn int // fail the n-th page (1-based); 0 never
	pages  int
}

func (s *sink) ingest(ids func([]byte) []string) func(context.Context, string, []byte) error {
	return func(_ context.Context, _ string, body []byte) error {
		s.pages++
		if s.pages == s.failOn {
			return errors.New("store unavailable")
		}
		for _, id := range ids(body) {
			if !s.seen[id] { // the store drops duplicates by stable id
				s.seen[id] = true
				s.ids = append(s.ids, id)
			}
		}
		return nil
	}
}

func newSink() *sink { return &sink{seen: map[string]bool{}} }

// oktaServer serves /api/v1/logs like Okta: pages of limit events with rel="next" links
// carrying an opaque after cursor (here the index), and an empty page at the end.
type oktaServer struct {
	mu        sync.Mutex
	events    []map[string]any
	limited   int // answer 429 this many times first
	sawTokens []string
	srv       *httptest.Server
}

func newOktaServer(t *testing.T) *oktaServer {
	o := &oktaServer{}
	o.srv = httptest.NewServer(http.HandlerFunc(o.serve))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *oktaServer) add(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for range n {
		i := len(o.events)
		o.events = append(o.events, map[string]any{
			"uuid": fmt.Sprintf("okta-%03d", i), "published": t0.Add(time.Duration(i) * time.Minute).Format(time.RFC3339Nano),
			"eventType": "user.session.start", "actor": map[string]any{"alternateId": "alex@contoso.example", "type": "User"},
			"client": map[string]any{"ipAddress": "198.51.100.7"}, "outcome": map[string]any{"result": "SUCCESS"},
		})
	}
}

func (o *oktaServer) serve(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sawTokens = append(o.sawTokens, r.Header.Get("Authorization"))
	if r.Header.Get("Authorization") != "SSWS okta-secret" {
		http.Error(w, `{"errorCode":"E0000011","errorSummary":"Invalid token provided"}`, http.StatusUnauthorized)
		return
	}
	if o.limited > 0 {
		o.limited--
		w.Header().Set("X-Rate-Limit-Limit", "60")
		w.Header().Set("X-Rate-Limit-Remaining", "0")
		w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(t0.Add(7*time.Second).Unix(), 10))
		http.Error(w, `{"errorCode":"E0000047"}`, http.StatusTooManyRequests)
		return
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	start := 0
	if a := r.URL.Query().Get("after"); a != "" {
		start, _ = strconv.Atoi(a)
	} else if r.URL.Query().Get("since") == "" {
		http.Error(w, "since or after required", http.StatusBadRequest)
		return
	}
	end := min(start+limit, len(o.events))
	page := o.events[start:end]
	w.Header().Add("Link", fmt.Sprintf(`<%s/api/v1/logs?limit=%d>; rel="self"`, o.srv.URL, limit))
	w.Header().Add("Link", fmt.Sprintf(`<%s/api/v1/logs?after=%d&limit=%d>; rel="next"`, o.srv.URL, end, limit))
	json.NewEncoder(w).Encode(page)
}

func oktaIDs(body []byte) []string {
	var evs []struct{ UUID string }
	json.Unmarshal(body, &evs)
	var out []string
	for _, e := range evs {
		out = append(out, e.UUID)
	}
	return out
}

func TestOktaResumesWithoutGapOrDuplicate(t *testing.T) {
	o := newOktaServer(t)
	o.add(25)
	var slept []time.Duration
	client := &poll.Client{Now: func() time.Time { return t0 }, Sleep: func(_ context.Context, d time.Duration) error {
		slept = append(slept, d)
		return nil
	}}
	src := poll.NewOkta(poll.OktaOptions{BaseURL: o.srv.URL, Token: "okta-secret", Limit: 10, Client: client, Now: func() time.Time { return t0 }})
	cps := &memCheckpoints{m: map[string]string{}}
	s := newSink()
	s.failOn = 2 // the store fails on the second page
	r := poll.NewRunner(poll.RunnerOptions{Source: src, Checkpoints: cps, Ingest: s.ingest(oktaIDs)})
	if err := r.PollOnce(t.Context()); err == nil {
		t.Fatal("a failing store must fail the poll")
	}
	if len(s.ids) != 10 || cps.m["poll:okta"] != "10" {
		t.Fatalf("after a failure: %d ingested, checkpoint %q", len(s.ids), cps.m["poll:okta"])
	}
	s.failOn = 0
	o.limited = 1
	if err := r.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(s.ids) != 25 || s.ids[10] != "okta-010" || s.ids[24] != "okta-024" {
		t.Fatalf("resumed poll: %d ids %v", len(s.ids), s.ids)
	}
	if len(slept) != 1 || slept[0] != 8*time.Second {
		t.Errorf("rate-limit waits = %v, want one of 8s (reset in 7s, plus a second)", slept)
	}
	o.add(3)
	if err := r.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(s.ids) != 28 || cps.m["poll:okta"] != "28" {
		t.Errorf("next poll: %d ids, checkpoint %q", len(s.ids), cps.m["poll:okta"])
	}
	for _, tok := range o.sawTokens {
		if tok != "SSWS okta-secret" {
			t.Errorf("request without the API token: %q", tok)
		}
	}
}

func TestOktaBadToken(t *testing.T) {
	o := newOktaServer(t)
	src := poll.NewOkta(poll.OktaOptions{BaseURL: o.srv.URL, Token: "wrong"})
	err := src.Fetch(t.Context(), "", func(context.Context, poll.Page) error { return nil })
	if unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("bad token: %v", err)
	}
}

// githubServer serves an audit log in ascending order, paged with Link headers.
func githubServer(t *testing.T, entries []map[string]any) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/orgs/contoso/audit-log" || r.Header.Get("Authorization") != "Bearer gh-secret" {
			http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
			return
		}
		var since time.Time
		if p := r.URL.Query().Get("phrase"); len(p) > len("created:>=") {
			since, _ = time.Parse("2006-01-02T15:04:05.000Z", p[len("created:>="):])
		}
		if r.URL.Query().Get("order") != "asc" {
			http.Error(w, "want order=asc", http.StatusBadRequest)
			return
		}
		var match []map[string]any
		for _, e := range entries {
			if e["@timestamp"].(int64) >= since.UnixMilli() {
				match = append(match, e)
			}
		}
		from, _ := strconv.Atoi(r.URL.Query().Get("after"))
		end := min(from+4, len(match))
		if end < len(match) {
			q := r.URL.Query()
			q.Set("after", strconv.Itoa(end))
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?%s>; rel="next"`, srv.URL, r.URL.Path, q.Encode()))
		}
		json.NewEncoder(w).Encode(match[from:end])
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestGitHub(t *testing.T) {
	var entries []map[string]any
	for i := range 10 {
		entries = append(entries, map[string]any{"@timestamp": t0.Add(time.Duration(i) * time.Second).UnixMilli(),
			"_document_id": fmt.Sprintf("gh-%02d", i), "action": "git.clone", "actor": "akim-dev", "repo": "contoso/payments"})
	}
	srv := githubServer(t, entries)
	src, err := poll.NewGitHub(poll.GitHubOptions{BaseURL: srv.URL, Org: "contoso", Token: "gh-secret", Now: func() time.Time { return t0.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(body []byte) []string {
		var es []struct {
			ID string `json:"_document_id"`
		}
		json.Unmarshal(body, &es)
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	cps := &memCheckpoints{m: map[string]string{}}
	s := newSink()
	r := poll.NewRunner(poll.RunnerOptions{Source: src, Checkpoints: cps, Ingest: s.ingest(ids)})
	if err := r.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(s.ids) != 10 || cps.m["poll:github"] != strconv.FormatInt(t0.Add(9*time.Second).UnixMilli(), 10) {
		t.Fatalf("ingested %d, checkpoint %q", len(s.ids), cps.m["poll:github"])
	}
	pages := s.pages
	if err := r.PollOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(s.ids) != 10 || s.pages != pages+1 {
		t.Errorf("a poll with nothing new re-ingested %d records over %d pages", len(s.ids)-10, s.pages-pages)
	}
	if _, err := poll.NewGitHub(poll.GitHubOptions{Org: "a", Enterprise: "b"}); err == nil {
		t.Error("org and enterprise together accepted")
	}
}

// newestFirstServer serves items newest first in pages of three, Google- or Graph-style.
func newestFirstServer(t *testing.T, n int, graph bool) (*httptest.Server, *int) {
	limited := new(int)
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer oauth-token" {
			http.Error(w, `{"error":{"code":401}}`, http.StatusUnauthorized)
			return
		}
		if *limited > 0 {
			*limited--
			w.Header().Set("Retry-After", "3")
			http.Error(w, `{"error":{"code":"TooManyRequests"}}`, http.StatusTooManyRequests)
			return
		}
		var since time.Time
		if graph {
			f := r.URL.Query().Get("$filter")
			since, _ = time.Parse(time.RFC3339, f[len("createdDateTime ge "):])
		} else {
			since, _ = time.Parse(time.RFC3339Nano, r.URL.Query().Get("startTime"))
		}
		var times []time.Time
		for i := n - 1; i >= 0; i-- {
			if tm := t0.Add(time.Duration(i) * time.Minute); !tm.Before(since) {
				times = append(times, tm)
			}
		}
		from := 0
		if graph {
			from, _ = strconv.Atoi(r.URL.Query().Get("skip"))
		} else {
			from, _ = strconv.Atoi(r.URL.Query().Get("pageToken"))
		}
		end := min(from+3, len(times))
		items := []map[string]any{}
		for _, tm := range times[from:end] {
			id := fmt.Sprintf("rec-%s", tm.Format("1504"))
			if graph {
				items = append(items, map[string]any{"id": id, "createdDateTime": tm.Format(time.RFC3339), "userPrincipalName": "alex@contoso.example"})
			} else {
				items = append(items, map[string]any{"kind": "admin#reports#activity", "id": map[string]any{"time": tm.Format(time.RFC3339Nano), "uniqueQualifier": id, "applicationName": "login"}, "actor": map[string]any{"email": "alex@contoso.example"}})
			}
		}
		resp := map[string]any{}
		if graph {
			resp["value"] = items
			if end < len(times) {
				q := r.URL.Query()
				q.Set("skip", strconv.Itoa(end))
				resp["@odata.nextLink"] = srv.URL + r.URL.Path + "?" + q.Encode()
			}
		} else {
			resp["kind"] = "admin#reports#activities"
			resp["items"] = items
			if end < len(times) {
				resp["nextPageToken"] = strconv.Itoa(end)
			}
		}
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	return srv, limited
}

func TestNewestFirstSources(t *testing.T) {
	for _, graph := range []bool{false, true} {
		t.Run(map[bool]string{false: "Google", true: "Graph"}[graph], func(t *testing.T) {
			srv, limited := newestFirstServer(t, 8, graph)
			*limited = 1
			now := func() time.Time { return t0.Add(2 * time.Hour) }
			var slept []time.Duration
			client := &poll.Client{Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
			var src poll.Source = poll.NewGoogle(poll.GoogleOptions{BaseURL: srv.URL, Application: "login", Token: poll.StaticToken("oauth-token"), Client: client, Now: now})
			if graph {
				src = poll.NewGraph(poll.GraphOptions{BaseURL: srv.URL, Token: poll.StaticToken("oauth-token"), Client: client, Now: now})
			}
			ids := func(body []byte) []string {
				var resp struct {
					Items []struct {
						ID struct{ UniqueQualifier string } `json:"id"`
					} `json:"items"`
					Value []struct{ ID string } `json:"value"`
				}
				json.Unmarshal(body, &resp)
				var out []string
				for _, it := range resp.Items {
					out = append(out, it.ID.UniqueQualifier)
				}
				for _, v := range resp.Value {
					out = append(out, v.ID)
				}
				return out
			}
			cps := &memCheckpoints{m: map[string]string{}}
			s := newSink()
			r := poll.NewRunner(poll.RunnerOptions{Source: src, Checkpoints: cps, Ingest: s.ingest(ids)})
			if err := r.PollOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			want := t0.Add(7 * time.Minute).Format(time.RFC3339Nano)
			if len(s.ids) != 8 || cps.m["poll:"+src.Name()] != want {
				t.Fatalf("ingested %d, checkpoint %q want %q", len(s.ids), cps.m["poll:"+src.Name()], want)
			}
			if len(slept) != 1 || slept[0] != 3*time.Second {
				t.Errorf("Retry-After waits = %v", slept)
			}
			if err := r.PollOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			if len(s.ids) != 8 {
				t.Errorf("second poll added %d duplicates past the store", len(s.ids)-8)
			}
		})
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	o := newOktaServer(t)
	src := poll.NewOkta(poll.OktaOptions{BaseURL: o.srv.URL, Token: "okta-secret"})
	s := newSink()
	r := poll.NewRunner(poll.RunnerOptions{Source: src, Checkpoints: &memCheckpoints{m: map[string]string{}}, Ingest: s.ingest(oktaIDs), Interval: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}
