// Package sqlite is Unmask's embedded default store: the domain services on one SQLite file
// (pure-Go driver modernc.org/sqlite, so the binary needs nothing installed), in WAL mode with
// a busy timeout and foreign keys, migrated by embedded goose migrations.
//
// Writes go through a single connection that takes the write lock when a transaction begins,
// so concurrent writers in the process queue instead of failing with "database is locked";
// reads use a separate pool that WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open SQLite store.
type DB struct {
	*sqlstore.Store
	write, read *sql.DB
	// Path is the database file.
	Path string
}

// Open opens (creating if needed) the database file at path and its directory. It does not
// migrate; call Migrate.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "SQLite database path required.")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	// Create the file owner-only: it holds HR evidence. SQLite gives its WAL files the same mode.
	if f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	} else {
		return nil, fmt.Errorf("create database file: %w", err)
	}
	write, err := openPool(path, writePragmas, 1)
	if err != nil {
		return nil, err
	}
	read, err := openPool(path, "&_query_only=1", max(4, runtime.GOMAXPROCS(0)))
	if err != nil {
		write.Close()
		return nil, err
	}
	db := &DB{write: write, read: read, Path: path}
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	db.Store = sqlstore.New(write, read, dialect)
	return db, nil
}

// dialect is what sqlstore needs to know of SQLite.
var dialect = sqlstore.Dialect{
	Name:                  "sqlite",
	InsertRowByRow:        true,
	IsUniqueViolation:     isCode(sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY),
	IsForeignKeyViolation: isCode(sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY),
}

// openPool opens a connection pool on path with the common pragmas plus extra DSN text.
//
// The driver runs the _pragma list sorted by name, then the shorthand keys: journal mode
// is a key, not a _pragma, so that page_size applies before WAL mode fixes the page size
// of a new database. A database created earlier keeps its page size.
func openPool(path, extra string, conns int) (*sql.DB, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=page_size(" + strconv.Itoa(pageSize) + ")&_journal_mode=WAL" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" + extra
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite database %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// Storage settings, chosen for ingest (see BenchmarkInsertEvents):
//   - pageSize: an event row (raw record, fields, columns) is about 2 KB, and ingest
//     appends them: the WAL and the checkpoint write pages, one system call each, so
//     32 KiB pages write the same rows in a quarter of the calls of 8 KiB ones
//     (BenchmarkInsertEvents 40k → 60-69k events/s, a 256 MiB Okta file 34k → 43-50k).
//     64 KiB pages were no faster and took half as much memory again (peak RSS 250 →
//     375 MiB). A database created earlier keeps its page size;
//   - writeCacheKiB: the writer's page cache holds more of the pages a large insert
//     transaction changes (the default is 2 MiB); the driver's allocator rounds each
//     cached page up, so the cache takes about twice this in memory;
//   - checkpointPages: SQLite copies the WAL back into the database file (and syncs both)
//     after a commit leaves this many pages in it, 32 MiB rather than 1,000 pages; a page
//     changed by many transactions is copied once per checkpoint;
//   - walLimit: what is left of the WAL file after a checkpoint is truncated to this.
//
// synchronous=NORMAL in WAL mode syncs only at checkpoints: a commit is in the WAL, in
// the operating system's cache, when it returns, so it survives the process being killed;
// a power cut may lose the last commits, never the database.
const (
	pageSize        = 32768
	writeCacheKiB   = 16 << 10
	checkpointPages = 32 << 20 / pageSize
	walLimit        = 64 << 20
)

// writePragmas are the DSN settings of the write pool.
var writePragmas = "&_txlock=immediate&_pragma=cache_size(-" + strconv.Itoa(writeCacheKiB) + ")" +
	"&_pragma=wal_autocheckpoint(" + strconv.Itoa(checkpointPages) + ")" +
	"&_pragma=journal_size_limit(" + strconv.Itoa(walLimit) + ")"

func isCode(codes ...int) func(error) bool {
	return func(err error) bool {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return false
		}
		for _, c := range codes {
			if e.Code() == c {
				return true
			}
		}
		return false
	}
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate sqlite database: %w", err)
	}
	return nil
}

// migrations returns the goose provider of the database's migrations.
func (db *DB) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db.write, sub, goose.WithGoMigrations(goMigrations()...))
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// goMigrations are the migrations written in Go, numbered after the SQL files before them.
// 5 gives stored events the time-ordered ids of unmask.EventID; it cannot be undone.
func goMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(5, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			return sqlstore.MigrateEventIDs(ctx, tx, dialect)
		}}, nil),
	}
}

// Close closes the database.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}
