//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sqlite"
)

// TestIngestSurvivesKill streams HTTP ingest requests at the real binary from several
// clients, kills the server with SIGKILL mid-stream, restarts it, and checks that every
// event of every request answered 2xx is in the store: the server acknowledges only what
// it has committed, and a commit survives the process dying (WAL, synchronous=NORMAL).
func TestIngestSurvivesKill(t *testing.T) {
	bin := buildUnmask(t)
	dir := t.TempDir()
	env := subprocessEnv(dir)
	runBin(t, bin, env, "a very long passphrase\n", "user", "add", "ops", "--role", "admin", "--password-stdin")
	out := runBin(t, bin, env, "", "token", "create", "--user", "ops", "--name", "durability")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]

	srv := startServer(t, bin, env)
	const clients, perRequest = 4, 200 // the server takes 4 ingest requests at once
	var (
		mu    sync.Mutex
		acked [][]string // event ids of each request answered 2xx
		sent  int
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for r := 0; ; r++ {
				select {
				case <-stop:
					return
				default:
				}
				body, ids := oktaRequest(c, r, perRequest)
				mu.Lock()
				sent++
				mu.Unlock()
				res, code, err := postIngest(srv.url, token, body)
				if err != nil || code == http.StatusTooManyRequests {
					continue // not acknowledged: the server died under it, or asked to retry
				}
				if code/100 != 2 {
					t.Errorf("client %d request %d: status %d", c, r, code)
					return
				}
				if res.Accepted+res.Duplicates != perRequest || res.Rejected != 0 {
					t.Errorf("client %d request %d: %+v, want %d accepted", c, r, res, perRequest)
				}
				mu.Lock()
				acked = append(acked, ids)
				mu.Unlock()
			}
		})
	}
	// Kill once requests are being acknowledged and more are in flight.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.kill(t)
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no request was acknowledged before the kill")
	}
	t.Logf("%d of %d requests (%d events each) acknowledged before SIGKILL", len(acked), sent, perRequest)

	// The restarted server recovers the store and takes ingest again.
	srv = startServer(t, bin, env)
	body, ids := oktaRequest(clients, 0, perRequest)
	if res, code, err := postIngest(srv.url, token, body); err != nil || code != http.StatusOK || res.Accepted != perRequest {
		t.Fatalf("ingest after restart: %+v, %d, %v", res, code, err)
	}
	acked = append(acked, ids)
	srv.kill(t)

	db, err := sqlite.Open(t.Context(), filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want []string
	for _, ids := range acked {
		want = append(want, ids...)
	}
	missing := 0
	for start := 0; start < len(want); start += 500 {
		chunk := want[start:min(start+500, len(want))]
		found, _, err := db.FindEvents(t.Context(), unmask.EventFilter{IDs: chunk, Page: unmask.Page{Limit: len(chunk)}})
		if err != nil {
			t.Fatal(err)
		}
		have := make(map[string]bool, len(found))
		for _, e := range found {
			have[e.ID] = true
		}
		for _, id := range chunk {
			if !have[id] {
				missing++
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged events are not in the store after SIGKILL", missing, len(want))
	}
}

// server is a running `unmask serve`.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan error
}

// startServer starts `unmask serve` on a free port and waits until it serves.
func startServer(t *testing.T, bin string, env []string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	t.Cleanup(func() { s.kill(t) })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "Unmask is serving on "); ok {
				urls <- strings.TrimSpace(u)
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	select {
	case s.url = <-urls:
	case err := <-s.done:
		s.done <- err
		t.Fatalf("serve exited before serving: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start\n%s", stderr.String())
	}
	return s
}

// kill sends SIGKILL to the server and waits for it to exit.
func (s *server) kill(t *testing.T) {
	t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGKILL) // fails only when it has exited already
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(20 * time.Second):
		t.Fatal("server did not exit after SIGKILL")
	}
}

// ingestResult is the body of a POST /api/v1/ingest answer.
type ingestResult struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
}

// postIngest posts an Okta NDJSON body and returns the answer.
func postIngest(url, token string, body []byte) (ingestResult, int, error) {
	var res ingestResult
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/ingest/okta", bytes.NewReader(body))
	if err != nil {
		return res, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return res, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return res, 0, err // the answer was cut off: not acknowledged
	}
	if resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(data, &res); err != nil {
			return res, 0, fmt.Errorf("decode answer %q: %w", data, err)
		}
	}
	return res, resp.StatusCode, nil
}

// oktaRequest returns an NDJSON body of n Okta events distinct to client c's request r,
// and the ids the store gives them.
func oktaRequest(c, r, n int) ([]byte, []string) {
	var b bytes.Buffer
	ids := make([]string, 0, n)
	base := time.Now().UTC().Truncate(time.Hour).Add(-24 * time.Hour) // within retention
	for i := range n {
		start := b.Len()
		at := base.Add(time.Duration(r*n+i) * time.Second)
		fmt.Fprintf(&b, `{"uuid":"kill-%d-%d-%d","published":%q,"eventType":"user.session.start","severity":"INFO",`+
			`"actor":{"id":"00u%d","type":"User","alternateId":"user%d@contoso.example"},"client":{"ipAddress":"198.51.100.%d"},`+
			`"outcome":{"result":"SUCCESS"},"transaction":{"type":"WEB","id":"W%d-%d-%d"}}`,
			c, r, i, at.Format(time.RFC3339), i%50, i%50, i%250, c, r, i)
		ids = append(ids, unmask.EventID("okta", at, b.Bytes()[start:]))
		b.WriteByte('\n')
	}
	return b.Bytes(), ids
}
