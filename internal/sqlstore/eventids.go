package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/unmask/unmask"
)

// MigrateEventIDsAgain runs MigrateEventIDs in a transaction of its own on db, over what
// the store holds now: the stores' tests store events with the old ids through today's
// schema, then migrate them.
func MigrateEventIDsAgain(ctx context.Context, db *sql.DB, d Dialect) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := MigrateEventIDs(ctx, tx, d); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// MigrateEventIDs rewrites the event ids stored before ids began with the event's time
// (see unmask.EventID) into that form, in the events table and wherever they are cited:
// signals' event_ids, risk reasons' event_ids and cases' evidence. An old id is 32 hex
// digits of the record's hash; its new form is the 12 hex digits of the event's time
// followed by the first 20 of the old id, which is what unmask.EventID now gives for the
// same record, so that re-ingesting a file after the migration still adds nothing.
// It runs in the migration's transaction tx; d says how to write the time prefix in SQL.
func MigrateEventIDs(ctx context.Context, tx *sql.Tx, d Dialect) error {
	m := idMigration{tx: tx, d: d, ids: map[string]string{}}
	steps := []func(context.Context) error{m.signals, m.riskReasons, m.caseEvidence, m.events}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return fmt.Errorf("migrate event ids: %w", err)
		}
	}
	return nil
}

// idMigration is the state of one MigrateEventIDs.
type idMigration struct {
	tx  *sql.Tx
	d   Dialect
	ids map[string]string // old id → new id, or "" when no event has the old id
}

// newID returns the new form of a cited id: itself when no event has it (a signal id in
// a case's evidence, an event since deleted).
func (m *idMigration) newID(ctx context.Context, id string) (string, error) {
	if n, ok := m.ids[id]; ok {
		return cmp.Or(n, id), nil
	}
	var t int64
	err := sql.ErrNoRows
	if len(id) == 32 {
		err = m.tx.QueryRowContext(ctx, m.d.rebind("SELECT time FROM events WHERE id = ?"), id).Scan(&t)
	}
	switch {
	case err == sql.ErrNoRows:
		m.ids[id] = ""
		return id, nil
	case err != nil:
		return "", err
	}
	n := legacyEventID(id, fromTS(t))
	m.ids[id] = n
	return n, nil
}

// legacyEventID is the new form of old id of an event at t, as the events table's SQL
// rewrite makes it: the time prefix, then the first 20 characters of the old id.
func legacyEventID(old string, t time.Time) string {
	return fmt.Sprintf("%012x%s", unmask.EventIDTimePrefix(t), old[:20])
}

// mapIDs replaces each id in ids by its new form.
func (m *idMigration) mapIDs(ctx context.Context, ids []string) error {
	for i, id := range ids {
		n, err := m.newID(ctx, id)
		if err != nil {
			return err
		}
		ids[i] = n
	}
	return nil
}

// signals rewrites every signal's event_ids.
func (m *idMigration) signals(ctx context.Context) error {
	return m.rewrite(ctx, "signals", "id", "event_ids", m.idList)
}

// idList is the new form of a JSON list of ids.
func (m *idMigration) idList(ctx context.Context, text string) (any, error) {
	var ids []string
	if err := json.Unmarshal([]byte(text), &ids); err != nil {
		return nil, err
	}
	return ids, m.mapIDs(ctx, ids)
}

// riskReasons rewrites the event ids of every stored score's reasons, keeping their other
// members as they are.
func (m *idMigration) riskReasons(ctx context.Context) error {
	return m.rewrite(ctx, "risk_scores", "person_id", "reasons", func(ctx context.Context, text string) (any, error) {
		var reasons []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &reasons); err != nil {
			return nil, err
		}
		for _, r := range reasons {
			raw, ok := r["event_ids"]
			if !ok {
				continue
			}
			var ids []string
			if err := json.Unmarshal(raw, &ids); err != nil {
				return nil, err
			}
			if err := m.mapIDs(ctx, ids); err != nil {
				return nil, err
			}
			r["event_ids"], _ = json.Marshal(ids) // a []string always marshals
		}
		return reasons, nil
	})
}

// caseEvidence rewrites the event ids among every case's evidence.
func (m *idMigration) caseEvidence(ctx context.Context) error {
	return m.rewrite(ctx, "cases", "id", "evidence", m.idList)
}

// rewrite replaces the JSON column col of every row of table (keyed by key) that is not
// an empty array by what change makes of it.
func (m *idMigration) rewrite(ctx context.Context, table, key, col string, change func(context.Context, string) (any, error)) error {
	rows, err := m.tx.QueryContext(ctx, "SELECT "+key+", "+col+" FROM "+table+" WHERE "+col+" <> '[]'")
	if err != nil {
		return err
	}
	type row struct{ key, text string }
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key, &r.text); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range all {
		v, err := change(ctx, r.text)
		if err != nil {
			return fmt.Errorf("%s %s: %s: %w", table, r.key, col, err)
		}
		q := m.d.rebind("UPDATE " + table + " SET " + col + " = ? WHERE " + key + " = ?")
		if _, err := m.tx.ExecContext(ctx, q, jsonText(v), r.key); err != nil {
			return err
		}
	}
	return nil
}

// events gives every stored event its new id, in SQL: the same prefix as
// unmask.EventIDTimePrefix, from the stored Unix nanoseconds.
func (m *idMigration) events(ctx context.Context) error {
	const ms = "((time / 1000000) & 281474976710655)"
	prefix := "printf('%012x', " + ms + ")"
	if m.d.Name == "postgres" {
		prefix = "lpad(to_hex(" + ms + "), 12, '0')"
	}
	_, err := m.tx.ExecContext(ctx, "UPDATE events SET id = "+prefix+" || substr(id, 1, 20)")
	return err
}
