// Package postgres is Unmask's scale-out store: the domain services on PostgreSQL through
// pgx v5, with the same migrations contract as the embedded SQLite store (embedded goose
// migrations) and the same conformance suite (internal/storetest).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open PostgreSQL store.
type DB struct {
	*sqlstore.Store
	db *sql.DB
}

// Options tunes the connection pool.
type Options struct {
	// MaxConns caps open connections; 0 means 16.
	MaxConns int
}

// Open connects to the database named by a postgres:// DSN. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "Invalid PostgreSQL DSN.")
	}
	db := stdlib.OpenDB(*cfg)
	conns := opts.MaxConns
	if conns <= 0 {
		conns = 16
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, unmask.WrapError(unmask.EUNAVAILABLE, err, "Cannot connect to PostgreSQL at %s:%d.", cfg.Host, cfg.Port)
	}
	return &DB{db: db, Store: sqlstore.New(db, db, dialect)}, nil
}

// dialect is what sqlstore needs to know of PostgreSQL.
var dialect = sqlstore.Dialect{
	Name:                  "postgres",
	DollarPlaceholders:    true,
	IsUniqueViolation:     isCode("23505"),
	IsForeignKeyViolation: isCode("23503"),
}

func isCode(code string) func(error) bool {
	return func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == code
	}
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrations()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate postgres database: %w", err)
	}
	return nil
}

// migrations returns the goose provider of the database's migrations.
func (db *DB) migrations() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.db, sub, goose.WithGoMigrations(goMigrations()...))
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// goMigrations are the migrations written in Go, numbered after the SQL files before them.
// 4 gives stored events the time-ordered ids of unmask.EventID; it cannot be undone.
func goMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(4, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			return sqlstore.MigrateEventIDs(ctx, tx, dialect)
		}}, nil),
	}
}

// Close closes the pool.
func (db *DB) Close() error { return db.db.Close() }
