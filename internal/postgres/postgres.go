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
	return &DB{db: db, Store: sqlstore.New(db, db, sqlstore.Dialect{
		Name:                  "postgres",
		DollarPlaceholders:    true,
		IsUniqueViolation:     isCode("23505"),
		IsForeignKeyViolation: isCode("23503"),
	})}, nil
}

func isCode(code string) func(error) bool {
	return func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == code
	}
}

// Migrate applies every pending migration.
func (db *DB) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.db, sub)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate postgres database: %w", err)
	}
	return nil
}

// Close closes the pool.
func (db *DB) Close() error { return db.db.Close() }
