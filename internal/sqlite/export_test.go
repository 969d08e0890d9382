package sqlite

import (
	"context"

	"github.com/unmask/unmask/internal/sqlstore"
)

// MigrateEventIDsAgain runs the migration to time-ordered event ids once more, in a
// transaction of its own, over what the store holds now: tests store events with the old
// ids through today's schema, then migrate them.
func (db *DB) MigrateEventIDsAgain(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := sqlstore.MigrateEventIDs(ctx, tx, dialect); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
