package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/auth"
	"github.com/unmask/unmask/internal/sqlite"
)

// env returns a Getenv that points the data directory at dir, plus extra variables.
func env(dir string, extra ...string) func(string) string {
	vars := map[string]string{"UNMASK_DATA_DIR": dir}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	return func(k string) string { return vars[k] }
}

// openProcessor opens the embedded store in dir and the processing chain over it, as
// `unmask ingest` does; the caller closes m.
func openProcessor(tb testing.TB, dir string) (*Main, *processor) {
	tb.Helper()
	m := NewMain()
	m.Getenv = env(dir)
	m.Stdin, m.Stdout, m.Stderr = bytes.NewReader(nil), io.Discard, io.Discard
	ctx := adminContext(tb.Context())
	if err := m.loadConfig(); err != nil {
		tb.Fatal(err)
	}
	if err := m.openDB(ctx, false); err != nil {
		tb.Fatal(err)
	}
	p, err := m.newProcessor(ctx, nil, nil)
	if err != nil {
		m.Close()
		tb.Fatal(err)
	}
	return m, p
}

// run runs one CLI invocation and returns its exit code and output.
func run(t *testing.T, getenv func(string) string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	m := NewMain()
	m.Getenv = getenv
	var out, errOut bytes.Buffer
	err := m.Run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	m.Close()
	if err != nil {
		printError(&errOut, err)
	}
	return exitCode(err), out.String(), errOut.String()
}

func TestCLI(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	steps := []struct {
		name     string
		getenv   func(string) string
		stdin    string
		args     []string
		wantCode int
		wantOut  string // substring of stdout, or of stderr when the code is non-zero
	}{
		{"Version", e, "", []string{"version"}, 0, "unmask "},
		{"UnknownCommand", e, "", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"UnknownFlag", e, "", []string{"serve", "--port", "1"}, 2, "unknown flag: --port"},
		{"Migrate", e, "", []string{"migrate"}, 0, "is up to date"},
		{"UserAdd", e, "correct horse battery staple\n", []string{"user", "add", "alice", "--role", "admin", "--password-stdin"}, 0, "Created admin alice"},
		{"UserAddTaken", e, "correct horse battery staple\n", []string{"user", "add", "alice", "--password-stdin"}, 4, `Username "alice" is taken`},
		{"UserAddShortPassword", e, "short\n", []string{"user", "add", "bob", "--password-stdin"}, 2, "at least 12 characters"},
		{"UserAddBadRole", e, "correct horse battery staple\n", []string{"user", "add", "bob", "--role", "root", "--password-stdin"}, 2, `Role "root"`},
		{"UserAddGenerated", e, "", []string{"user", "add", "hana", "--role", "hr"}, 0, "Password (shown once): "},
		{"UserList", e, "", []string{"user", "list"}, 0, "hana      hr"},
		{"TokenCreate", e, "", []string{"token", "create", "--user", "hana", "--name", "ats", "--ttl", "30d"}, 0, "umk_"},
		{"TokenTooStrong", e, "", []string{"token", "create", "--user", "hana", "--name", "x", "--role", "admin"}, 5, "cannot issue a token with role admin"},
		{"TokenNeedsName", e, "", []string{"token", "create", "--user", "hana"}, 2, `required flag(s) "name" not set`},
		{"TokenList", e, "", []string{"token", "list", "--user", "hana"}, 0, "ats"},
		{"TokenUnknownUser", e, "", []string{"token", "create", "--user", "nobody", "--name", "x"}, 3, "User not found"},
		{"UserDisable", e, "", []string{"user", "disable", "hana"}, 0, "Disabled hana"},
		{"UserDisableUnknown", e, "", []string{"user", "disable", "nobody"}, 3, "not found"},
		{"ConfigCheckDefaults", e, "", []string{"config", "check"}, 0, "Configuration OK (built-in defaults)"},
		{"ConfigCheckUnknownKey", e, "", []string{"config", "check", "testdata/unknown-key.yaml"}, 2, "line 3: field colour not found"},
		{"ConfigCheckWrongType", e, "", []string{"config", "check", "testdata/wrong-type.yaml"}, 2, "line 2: cannot unmarshal !!seq into int"},
		{"ConfigCheckBadDSN", e, "", []string{"config", "check", "testdata/bad-dsn.yaml"}, 2, "database.dsn: want sqlite:PATH or postgres://"},
		{"ConfigCheckMissingFile", e, "", []string{"config", "check", "testdata/nope.yaml"}, 2, "no such file"},
		{"BadDSNFromEnv", env(dir, "UNMASK_DATABASE_DSN", "oracle://db"), "", []string{"migrate"}, 2, "database.dsn"},
		{"BadEnvType", env(dir, "UNMASK_BUS_PARTITIONS", "many"), "", []string{"serve"}, 2, "UNMASK_BUS_PARTITIONS: want an integer"},
		{"UnreachablePostgres", env(dir, "UNMASK_DATABASE_DSN", "postgres://u@127.0.0.1:1/x?connect_timeout=2"), "", []string{"migrate"}, 6, "Cannot connect to PostgreSQL"},
		{"ConfigShowHidesSecrets", env(dir, "UNMASK_SECURITY_HASH_KEY", strings.Repeat("ab", 32)), "", []string{"config", "show"}, 0, "hash_key: <secret>"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			code, out, errOut := run(t, st.getenv, st.stdin, st.args...)
			where := out
			if st.wantCode != 0 {
				where = errOut
			}
			if code != st.wantCode || !strings.Contains(where, st.wantOut) {
				t.Errorf("unmask %s: exit %d, stdout %q, stderr %q; want exit %d with %q", strings.Join(st.args, " "), code, out, errOut, st.wantCode, st.wantOut)
			}
		})
	}
}

// TestUserAddCanLogIn checks through the service layer that `unmask user add` leaves
// credentials that log in.
func TestUserAddCanLogIn(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, env(dir), "a very long passphrase\n", "user", "add", "dana", "--role", "analyst", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, errOut)
	}
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := auth.New(auth.Options{Store: db})
	u, err := a.Login(t.Context(), "dana", "a very long passphrase")
	if err != nil || u.Role != unmask.RoleAnalyst {
		t.Fatalf("login = %+v, %v", u, err)
	}
	if _, err := a.Login(t.Context(), "dana", "wrong passphrase!!"); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
		t.Errorf("wrong password: %v", err)
	}
}

// TestServe boots the server on a free port, probes it and shuts it down.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	run(t, e, "a very long passphrase\n", "user", "add", "ops", "--role", "admin", "--password-stdin")
	_, out, _ := run(t, e, "", "token", "create", "--user", "ops", "--name", "prometheus")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]

	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	m := NewMain()
	m.Getenv = e
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.TrimSpace(strings.TrimPrefix(line, "Unmask is serving on "))
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 401} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
	}
	req, _ := http.NewRequest("GET", url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("go_goroutines")) {
		t.Errorf("metrics with token = %d", resp.StatusCode)
	}
	// The API, the UI and HTTP ingest are wired to the store.
	for _, c := range []struct {
		method, path, body string
		token              bool
		want               int
		wantBody           string
	}{
		{"GET", "/login", "", false, 200, "<form"},
		{"GET", "/api/v1/people", "", true, 200, `"items"`},
		{"GET", "/api/v1/people", "", false, 401, "unauthorized"},
		{"POST", "/api/v1/ingest/okta", `[{"uuid":"e1","published":"2026-06-01T09:00:00.000Z","eventType":"user.session.start","actor":{"alternateId":"ana@example.com","type":"User"},"client":{"ipAddress":"192.0.2.10"},"outcome":{"result":"SUCCESS"}}, 7]`, true, 200, `"rejected":1`},
		{"GET", "/api/v1/deadletters/okta", "", true, 200, `"items"`},
	} {
		req, _ := http.NewRequest(c.method, url+c.path, strings.NewReader(c.body))
		if c.token {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want || !bytes.Contains(body, []byte(c.wantBody)) {
			t.Errorf("%s %s = %d %.300s; want %d with %s", c.method, c.path, resp.StatusCode, body, c.want, c.wantBody)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
	m.Close()
}
