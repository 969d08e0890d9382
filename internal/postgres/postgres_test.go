package postgres_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/postgres"
	"github.com/unmask/unmask/internal/storetest"
)

// server is the throwaway PostgreSQL server the tests start, or nil with skipReason set.
var (
	server     *pgServer
	skipReason string
)

func TestMain(m *testing.M) {
	s, err := startServer()
	switch {
	case err != nil && os.Getenv("UNMASK_TEST_POSTGRES") != "":
		fmt.Fprintf(os.Stderr, "UNMASK_TEST_POSTGRES is set but no PostgreSQL server could be started: %v\n", err)
		os.Exit(1)
	case err != nil:
		skipReason = fmt.Sprintf("PostgreSQL tests skipped: %v (install the postgresql package, or set UNMASK_TEST_POSTGRES=1 to make this fatal)", err)
	default:
		server = s
	}
	code := m.Run()
	if server != nil {
		server.stop()
	}
	os.Exit(code)
}

// pgServer is a PostgreSQL cluster in a temporary directory on a loopback port.
type pgServer struct {
	bin, dir string
	port     int
	asUser   string // run server tools as this user ("" for the current one)
	next     atomic.Int64
}

// findBin returns the directory holding initdb and pg_ctl.
func findBin() (string, error) {
	if dir := os.Getenv("UNMASK_PG_BIN"); dir != "" {
		return dir, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		if p, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
		return "", fmt.Errorf("initdb not found in /usr/lib/postgresql/*/bin or PATH")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

func startServer() (*pgServer, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &pgServer{bin: bin}
	if os.Geteuid() == 0 { // initdb refuses to run as root
		s.asUser = "postgres"
	}
	if s.dir, err = os.MkdirTemp("", "unmask-pg-"); err != nil {
		return nil, err
	}
	if err := s.chown(s.dir); err != nil {
		return nil, err
	}
	if s.port, err = freePort(); err != nil {
		return nil, err
	}
	data := filepath.Join(s.dir, "data")
	if out, err := s.run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", s.port, s.dir)
	if out, err := s.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "start"); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	if err := s.createTemplate(); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *pgServer) chown(dir string) error {
	if s.asUser == "" {
		return nil
	}
	u, err := user.Lookup(s.asUser)
	if err != nil {
		return fmt.Errorf("look up user %s: %w", s.asUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(dir, uid, gid)
}

func (s *pgServer) run(tool string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, tool)
	cmd := exec.Command(path, args...)
	if s.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.asUser, "--", path}, args...)...)
	}
	return cmd.CombinedOutput()
}

func (s *pgServer) stop() {
	s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(s.dir)
}

func (s *pgServer) dsn(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// createTemplate makes a migrated database that each test copies.
func (s *pgServer) createTemplate() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.exec(ctx, "CREATE DATABASE unmask_template"); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, s.dsn("unmask_template"), postgres.Options{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Migrate(ctx)
}

// exec runs one statement on the maintenance database.
func (s *pgServer) exec(ctx context.Context, stmt string) error {
	out, err := s.run("psql", "-h", s.dir, "-p", strconv.Itoa(s.port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", stmt)
	if err != nil {
		return fmt.Errorf("psql %q: %v: %s", stmt, err, out)
	}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// MustOpenDB returns a store on a fresh database copied from the migrated template.
func MustOpenDB(tb testing.TB) *postgres.DB {
	tb.Helper()
	if server == nil {
		tb.Skip(skipReason)
	}
	name := fmt.Sprintf("unmask_test_%d", server.next.Add(1))
	ctx := context.Background()
	if err := server.exec(ctx, "CREATE DATABASE "+name+" TEMPLATE unmask_template"); err != nil {
		tb.Fatal(err)
	}
	db, err := postgres.Open(ctx, server.dsn(name), postgres.Options{MaxConns: 8})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Store { return MustOpenDB(tb) })
}

func TestMigrateIsIdempotent(t *testing.T) {
	db := MustOpenDB(t)
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, dsn, code string
	}{
		{"BadDSN", "postgres://[::1", unmask.EINVALID},
		{"Unreachable", "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", unmask.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := postgres.Open(t.Context(), tt.dsn, postgres.Options{})
			if got := unmask.ErrorCode(err); got != tt.code {
				t.Errorf("code = %q (%v), want %q", got, err, tt.code)
			}
		})
	}
}

func TestMigrateEventIDs(t *testing.T) {
	db := MustOpenDB(t)
	storetest.EventIDMigration(t, db, func() error { return db.MigrateEventIDsAgain(t.Context()) })
}
