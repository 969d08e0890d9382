package postgres

import (
	"context"

	"github.com/unmask/unmask/internal/sqlstore"
)

// MigrateEventIDsAgain runs the migration to time-ordered event ids once more (see
// sqlstore.MigrateEventIDsAgain).
func (db *DB) MigrateEventIDsAgain(ctx context.Context) error {
	return sqlstore.MigrateEventIDsAgain(ctx, db.db, dialect)
}
