// Package sqlstore implements the domain services over database/sql for both of Unmask's SQL
// stores. The adapters internal/sqlite and internal/postgres open the connection, run their
// own embedded migrations and hand the database here with a Dialect; the SQL below is the
// portable subset both engines share (ON CONFLICT, partial indexes, integer timestamps), so
// the two stores cannot drift apart. Timestamps are stored as Unix nanoseconds (0 for none)
// and lists as JSON text.
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/unmask/unmask"
)

// Dialect describes what differs between the SQL engines.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// DollarPlaceholders rewrites ? placeholders to $1, $2, ...
	DollarPlaceholders bool
	// InsertRowByRow inserts a batch of events one prepared single-row statement at a
	// time rather than in multi-row statements: cheaper for an embedded engine, where a
	// statement costs no round trip and a multi-row one keeps a statement journal.
	InsertRowByRow bool
	// IsUniqueViolation and IsForeignKeyViolation classify driver errors.
	IsUniqueViolation     func(error) bool
	IsForeignKeyViolation func(error) bool
}

// Store implements every domain service on a SQL database.
type Store struct {
	write *sql.DB // serialised writes (SQLite allows one writer)
	read  *sql.DB
	d     Dialect

	stmtMu       sync.Mutex           // guards the prepared statements below
	insertEvents *sql.Stmt            // see insertEventsStmt
	readStmts    map[string]*sql.Stmt // see readStmt

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// Compile-time checks that Store implements every service.
var (
	_ unmask.PersonService     = (*Store)(nil)
	_ unmask.IdentifierService = (*Store)(nil)
	_ unmask.DeviceService     = (*Store)(nil)
	_ unmask.EventService      = (*Store)(nil)
	_ unmask.SignalService     = (*Store)(nil)
	_ unmask.RiskService       = (*Store)(nil)
	_ unmask.AlertService      = (*Store)(nil)
	_ unmask.CaseService       = (*Store)(nil)
	_ unmask.SpotCheckService  = (*Store)(nil)
	_ unmask.IndicatorService  = (*Store)(nil)
	_ unmask.RuleService       = (*Store)(nil)
	_ unmask.UserService       = (*Store)(nil)
	_ unmask.TokenService      = (*Store)(nil)
	_ unmask.AuditService      = (*Store)(nil)
	_ unmask.DeadLetterService = (*Store)(nil)
	_ unmask.CheckpointService = (*Store)(nil)
)

// New returns a store that writes through write and reads through read (which may be the
// same pool).
func New(write, read *sql.DB, d Dialect) *Store {
	return &Store{write: write, read: read, d: d, Now: time.Now}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return unmask.WrapError(unmask.EUNAVAILABLE, err, "Database unavailable.")
	}
	return nil
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// rebind rewrites ? placeholders for dialects that number them.
func (s *Store) rebind(q string) string { return s.d.rebind(q) }

// rebind rewrites ? placeholders when the dialect numbers them.
func (d Dialect) rebind(q string) string {
	if !d.DollarPlaceholders {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.write.ExecContext(ctx, s.rebind(q), args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.read.QueryContext(ctx, s.rebind(q), args...)
}

// inTx runs fn in a write transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *sqlTx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *Store) txExec(ctx context.Context, tx *sqlTx, q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, s.rebind(q), args...)
}

// classify turns driver errors into coded domain errors.
func (s *Store) classify(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case unmask.ErrorCode(err) != unmask.EINTERNAL:
		return err
	case errors.Is(err, sql.ErrNoRows):
		return &unmask.Error{Code: unmask.ENOTFOUND, Message: "Not found.", Op: op}
	case s.d.IsUniqueViolation != nil && s.d.IsUniqueViolation(err):
		return &unmask.Error{Code: unmask.ECONFLICT, Message: "Already exists.", Op: op, Err: err}
	case s.d.IsForeignKeyViolation != nil && s.d.IsForeignKeyViolation(err):
		return &unmask.Error{Code: unmask.EINVALID, Message: "Refers to something that does not exist.", Op: op, Err: err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &unmask.Error{Code: unmask.EUNAVAILABLE, Message: "Request cancelled or timed out.", Op: op, Err: err}
	}
	return &unmask.Error{Code: unmask.EINTERNAL, Op: op, Err: err}
}

// notFound returns the ENOTFOUND error for a kind of entity.
func notFound(op, what string) error {
	return &unmask.Error{Code: unmask.ENOTFOUND, Message: what + " not found.", Op: op}
}

// checkAffected returns ENOTFOUND when an update or delete touched no row.
func checkAffected(op, what string, res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(op, what)
	}
	return nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// ts converts a time to stored Unix nanoseconds; the zero time is stored as 0.
func ts(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromTS converts stored Unix nanoseconds to a UTC time; 0 gives the zero time.
func fromTS(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// jsonText marshals v as JSON text for storage.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqlstore: marshal %T: %v", v, err)) // only plain data types are stored
	}
	return string(b)
}

// fromJSON unmarshals stored JSON text; empty text leaves v unchanged.
func fromJSON(text string, v any) error {
	if text == "" {
		return nil
	}
	return json.Unmarshal([]byte(text), v)
}

// where builds a WHERE clause from optional conditions.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// eq adds "col = v" when v is not nil.
func eq[T any](w *where, col string, v *T) {
	if v != nil {
		w.add(col+" = ?", *v)
	}
}

// in adds "col IN (...)" when vs is not nil; an empty non-nil list matches nothing.
func in(w *where, col string, vs []string) {
	if vs == nil {
		return
	}
	if len(vs) == 0 {
		w.add("1 = 0")
		return
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(vs)), ",")
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = v
	}
	w.add(col+" IN ("+ph+")", args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// set builds the SET clause of an UPDATE from optional fields.
type set struct {
	cols []string
	args []any
}

func (u *set) add(col string, v any) {
	u.cols = append(u.cols, col+" = ?")
	u.args = append(u.args, v)
}

// setv adds "col = v" when v is not nil.
func setv[T any](u *set, col string, v *T) {
	if v != nil {
		u.add(col, *v)
	}
}

// sett adds a time column when v is not nil.
func sett(u *set, col string, v *time.Time) {
	if v != nil {
		u.add(col, ts(*v))
	}
}

func (u *set) empty() bool { return len(u.cols) == 0 }

func (u *set) sql() string { return strings.Join(u.cols, ", ") }

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// list runs a paged query and, unless the page shows the total, its count.
func list[T any](ctx context.Context, s *Store, op, cols, from string, w where, order string, p unmask.Page, scan func(scanner) (*T, error)) ([]*T, int, error) {
	offset, limit := p.Window()
	// LIMIT and OFFSET are written out, not bound: SQLite re-prepares a statement whose
	// LIMIT parameter is bound anew, on every run. Only first pages are kept prepared.
	q := "SELECT " + cols + " FROM " + from + w.sql() + " ORDER BY " + order +
		" LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)
	query := s.queryCached
	if offset > 0 {
		query = s.query
	}
	rows, err := query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, s.classify(op, err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, s.classify(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, s.classify(op, err)
	}
	if out == nil {
		out = []*T{}
	}
	// A first page that is not full holds every match: no need to count them.
	if offset == 0 && len(out) < limit {
		return out, len(out), nil
	}
	var total int
	if err := s.queryRowCached(ctx, "SELECT COUNT(*) FROM "+from+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, s.classify(op, err)
	}
	return out, total, nil
}

// one runs a query expected to return one row.
func one[T any](ctx context.Context, s *Store, op, what, q string, scan func(scanner) (*T, error), args ...any) (*T, error) {
	v, err := scan(s.queryRowCached(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(op, what)
	}
	if err != nil {
		return nil, s.classify(op, err)
	}
	return v, nil
}

// maxReadStmts bounds the read statements kept prepared; queries past it are prepared
// each time they run.
const maxReadStmts = 256

// readStmt returns q prepared on the read pool, preparing it on first use: parsing a
// statement costs SQLite about as much as running a small lookup.
func (s *Store) readStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	st, ok := s.readStmts[q]
	full := len(s.readStmts) >= maxReadStmts
	s.stmtMu.Unlock()
	if ok || full {
		return st, nil
	}
	st, err := s.read.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if prev, ok := s.readStmts[q]; ok { // prepared meanwhile by another caller
		st.Close()
		return prev, nil
	}
	if s.readStmts == nil {
		s.readStmts = make(map[string]*sql.Stmt)
	}
	s.readStmts[q] = st
	return st, nil
}

// queryCached runs a read query through a prepared statement.
func (s *Store) queryCached(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = s.rebind(q)
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return s.read.QueryContext(ctx, q, args...)
	}
	return st.QueryContext(ctx, args...)
}

// queryRowCached runs a one-row read query through a prepared statement.
func (s *Store) queryRowCached(ctx context.Context, q string, args ...any) scanner {
	q = s.rebind(q)
	st, err := s.readStmt(ctx, q)
	if err != nil {
		return errRow{err}
	}
	if st == nil {
		return s.read.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// errRow is a row whose query could not be prepared.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// deleteByID deletes one row by id.
func (s *Store) deleteByID(ctx context.Context, op, what, table, id string) error {
	res, err := s.exec(ctx, "DELETE FROM "+table+" WHERE id = ?", id)
	if err != nil {
		return s.classify(op, err)
	}
	return s.classify(op, checkAffected(op, what, res))
}

// update applies u to the row with id in table.
func (s *Store) update(ctx context.Context, op, what, table, id string, u *set) error {
	if u.empty() {
		return nil
	}
	res, err := s.exec(ctx, "UPDATE "+table+" SET "+u.sql()+" WHERE id = ?", append(u.args, id)...)
	if err != nil {
		return s.classify(op, err)
	}
	return s.classify(op, checkAffected(op, what, res))
}

// sqlTx is a write transaction.
type sqlTx = sql.Tx
