package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/unmask/unmask"
)

// TestAlertsAreNotified runs a small demo company with two webhook destinations from the
// configuration: one accepts, one refuses every message. New alerts reach the first;
// the second's messages end as dead letters with their reason.
func TestAlertsAreNotified(t *testing.T) {
	var mu sync.Mutex
	var got []map[string]any
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var msg map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &msg); err != nil {
			t.Errorf("webhook body %q: %v", body, err)
		}
		mu.Lock()
		got = append(got, msg)
		mu.Unlock()
	}))
	defer ok.Close()
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer refuse.Close()

	dir := t.TempDir()
	cfg := filepath.Join(dir, "unmask.yaml")
	yaml := "server:\n  base_url: https://unmask.example\nnotify:\n  min_severity: medium\n  destinations:\n" +
		"    - {name: soc, kind: webhook, url: \"" + ok.URL + "/hook\", signing_secret: s3cret, per_minute: 60000}\n" +
		"    - {name: broken, kind: webhook, url: \"" + refuse.URL + "/hook\", per_minute: 60000}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Getenv = env(filepath.Join(dir, "unused"))
	m.configPath = cfg
	m.Stdout, m.Stderr, m.Stdin = io.Discard, io.Discard, strings.NewReader("")
	_, p, err := m.prepareDemo(t.Context(), filepath.Join(dir, "demo"), genFlags{employees: 60, applicants: 20, days: 7, seed: 3, start: "recent"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := adminContext(t.Context())
	alerts, total, err := m.db.FindAlerts(ctx, unmask.AlertFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p.notifier.Close() // drains the queue: every message was tried
	var notifiable int
	for _, a := range alerts {
		if a.Severity.Rank() >= unmask.SeverityMedium.Rank() {
			notifiable++
		}
	}
	if total == 0 || notifiable == 0 {
		t.Fatalf("the company raised %d alerts, %d of medium severity or more; want some", total, notifiable)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != notifiable {
		t.Errorf("webhook got %d messages; want one per alert of medium severity or more (%d of %d alerts)", len(got), notifiable, total)
	}
	for _, msg := range got {
		if msg["kind"] != "alert" || !strings.HasPrefix(msg["link"].(string), "https://unmask.example/people/") {
			t.Errorf("message %v: want an alert with a link into the UI", msg)
			break
		}
	}
	src := "notify"
	dls, n, err := m.db.FindDeadLetters(ctx, unmask.DeadLetterFilter{Source: &src, Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	if n != notifiable || dls[0].File != "broken" || !strings.Contains(dls[0].Reason, "403") {
		t.Errorf("%d dead letters (first %+v); want %d from destination broken, refused with 403", n, dls[0], notifiable)
	}
}

func TestRedactLocation(t *testing.T) {
	const loc = "https://download.example/geoip?edition=City&license_key=SECRET123"
	got := redactLocation(`fetch `+loc+`: 403 Forbidden (edition=City&license_key=SECRET123)`, loc)
	if strings.Contains(got, "SECRET123") || !strings.Contains(got, "https://download.example/geoip") {
		t.Errorf("redacted = %q", got)
	}
	if got := redactLocation("open /var/lib/x.mmdb: no such file", "/var/lib/x.mmdb"); got != "open /var/lib/x.mmdb: no such file" {
		t.Errorf("a file location changed: %q", got)
	}
}
