package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

const eventCols = "id, time, source, kind, action, outcome, actor, person_id, source_ip, user_agent, session_id, device_id, serial, host, target, geo, fields, raw, ingested_at"

// eventColCount is the number of columns in eventCols.
const eventColCount = 19

// eventBatch is the most rows one INSERT carries (19 columns × 500 rows stays under both
// engines' bound-parameter limits).
const eventBatch = 500

func scanEvent(r scanner) (*unmask.Event, error) {
	var e unmask.Event
	var t, ingested int64
	var geo, fields string
	err := r.Scan(&e.ID, &t, &e.Source, &e.Kind, &e.Action, &e.Outcome, &e.Actor, &e.PersonID,
		&e.SourceIP, &e.UserAgent, &e.SessionID, &e.DeviceID, &e.Serial, &e.Host, &e.Target,
		&geo, &fields, &e.Raw, &ingested)
	if err != nil {
		return nil, err
	}
	e.Time, e.IngestedAt = fromTS(t), fromTS(ingested)
	if geo != "" {
		e.Geo = new(unmask.GeoPoint)
		if err := fromJSON(geo, e.Geo); err != nil {
			return nil, err
		}
	}
	if err := fromJSON(fields, &e.Fields); err != nil {
		return nil, err
	}
	return &e, nil
}

// FindEventByID returns one event.
func (s *Store) FindEventByID(ctx context.Context, id string) (*unmask.Event, error) {
	return one(ctx, s, "FindEventByID", "Event", "SELECT "+eventCols+" FROM events WHERE id = ?", scanEvent, id)
}

// FindEvents returns matching events, newest first.
func (s *Store) FindEvents(ctx context.Context, f unmask.EventFilter) ([]*unmask.Event, int, error) {
	var w where
	in(&w, "id", f.IDs)
	eq(&w, "person_id", f.PersonID)
	eq(&w, "source", f.Source)
	eq(&w, "kind", f.Kind)
	eq(&w, "actor", f.Actor)
	eq(&w, "source_ip", f.SourceIP)
	if f.Unresolved {
		w.add("person_id = ''")
	}
	if f.Since != nil {
		w.add("time >= ?", ts(*f.Since))
	}
	if f.Until != nil {
		w.add("time < ?", ts(*f.Until))
	}
	return list(ctx, s, "FindEvents", eventCols, "events", w, "time DESC, id", f.Page, scanEvent)
}

// CreateEvents stores events in one transaction, skipping ids already stored.
func (s *Store) CreateEvents(ctx context.Context, events []*unmask.Event) (int, error) {
	created, err := s.InsertEvents(ctx, events)
	return len(created), err
}

// InsertEvents stores events in one transaction and returns those that were new.
func (s *Store) InsertEvents(ctx context.Context, events []*unmask.Event) ([]*unmask.Event, error) {
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return nil, err
		}
	}
	if len(events) == 0 {
		return nil, nil
	}
	var stmt *sql.Stmt
	if s.d.InsertRowByRow || len(events) >= eventBatch {
		// Prepared on the pool before the transaction begins: the SQLite write pool has one
		// connection, which the transaction then holds.
		var err error
		if stmt, err = s.insertEventsStmt(ctx); err != nil {
			return nil, s.classify("InsertEvents", err)
		}
	}
	now := ts(s.now())
	var created []*unmask.Event
	err := s.inTx(ctx, func(tx *sqlTx) error {
		ins := eventInserter{s: s, tx: tx, now: now}
		if stmt != nil {
			ins.stmt = tx.StmtContext(ctx, stmt) // reuses the statement prepared on this connection
			defer ins.stmt.Close()
		}
		var err error
		if s.d.InsertRowByRow {
			created, err = ins.insertRows(ctx, events, created[:0])
			return err
		}
		created = created[:0]
		for start := 0; start < len(events); start += eventBatch {
			chunk := events[start:min(start+eventBatch, len(events))]
			newIDs, err := ins.insertChunk(ctx, chunk)
			if err != nil {
				return err
			}
			for _, e := range chunk {
				if _, ok := newIDs[e.ID]; ok {
					delete(newIDs, e.ID) // a batch repeating an id keeps its first copy
					created = append(created, e)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.classify("InsertEvents", err)
	}
	return created, nil
}

// insertEventsStmt returns the prepared insert of events, preparing it once: of one event
// when the dialect inserts row by row, else of a full chunk of eventBatch events.
func (s *Store) insertEventsStmt(ctx context.Context) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if s.insertEvents != nil {
		return s.insertEvents, nil
	}
	q := insertEventsFull
	if s.d.InsertRowByRow {
		q = insertEventRow
	}
	st, err := s.write.PrepareContext(ctx, s.rebind(q))
	if err != nil {
		return nil, err
	}
	s.insertEvents = st
	return st, nil
}

var (
	// insertEventsFull is the insert of a full chunk of eventBatch events.
	insertEventsFull = insertEventsSQL(eventBatch)
	// insertEventRow is the insert of one event, which does nothing for a stored id.
	insertEventRow = "INSERT INTO events (" + eventCols + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?,", eventColCount), ",") + ") ON CONFLICT (id) DO NOTHING"
)

// eventInserter inserts events in one transaction, reusing its buffers.
type eventInserter struct {
	s    *Store
	tx   *sqlTx
	stmt *sql.Stmt // insertEventsStmt's statement on tx, or nil
	now  int64
	args []any
	buf  []byte
	keys []string
}

// insertRows inserts events one by one with the prepared insert of one event, appending
// those that were new to created. The geo and fields columns, a quarter of an insert's
// CPU, are encoded ahead on another goroutine (encodeAhead) while SQLite inserts.
func (ins *eventInserter) insertRows(ctx context.Context, events, created []*unmask.Event) ([]*unmask.Event, error) {
	defer clear(ins.args)
	cols, ready, stop := encodeAhead(events)
	defer close(stop)
	// The driver watches a cancellable context with a goroutine of its own for every
	// statement; the rows go without, and the context is checked between chunks.
	exec := context.WithoutCancel(ctx)
	for c := 0; c < len(events); c += encodeChunk {
		<-ready
		if err := ctx.Err(); err != nil {
			return created, err
		}
		for i := c; i < min(c+encodeChunk, len(events)); i++ {
			e := events[i]
			ins.args = appendEventArgs(ins.args[:0], e, cols[i].geo, cols[i].fields, ins.now)
			cols[i] = encodedCols{} // let the strings go once bound
			res, err := ins.stmt.ExecContext(exec, ins.args...)
			if err != nil {
				return created, err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return created, err
			}
			if n > 0 { // a batch repeating an id keeps its first copy
				created = append(created, e)
			}
		}
	}
	return created, nil
}

// encodedCols are an event's geo and fields columns.
type encodedCols struct{ geo, fields string }

// encodeChunk is the events encodeAhead encodes between signals; encodeWindow the chunks
// it may be ahead of the inserts, which bounds the encoded text held at once.
const (
	encodeChunk  = 128
	encodeWindow = 4
)

// encodeAhead encodes the geo and fields columns of events into cols on a new goroutine,
// sending on ready after each encodeChunk events (and the last, shorter chunk). It stops
// early when stop is closed.
func encodeAhead(events []*unmask.Event) (cols []encodedCols, ready <-chan struct{}, stop chan<- struct{}) {
	cols = make([]encodedCols, len(events))
	readyc, stopc := make(chan struct{}, encodeWindow), make(chan struct{})
	go func() {
		var buf []byte
		var keys []string
		for c := 0; c < len(events); c += encodeChunk {
			for i := c; i < min(c+encodeChunk, len(events)); i++ {
				cols[i], buf, keys = encodeCols(events[i], buf, keys)
			}
			select {
			case readyc <- struct{}{}:
			case <-stopc:
				return
			}
		}
	}()
	return cols, readyc, stopc
}

// insertChunk inserts up to eventBatch events in one statement and returns the ids that
// were new.
func (ins *eventInserter) insertChunk(ctx context.Context, chunk []*unmask.Event) (map[string]struct{}, error) {
	ins.args = ins.args[:0]
	for _, e := range chunk {
		ins.args = ins.appendArgs(ins.args, e)
	}
	defer clear(ins.args)
	var rows *sql.Rows
	var err error
	if len(chunk) == eventBatch && ins.stmt != nil {
		rows, err = ins.stmt.QueryContext(ctx, ins.args...)
	} else {
		rows, err = ins.tx.QueryContext(ctx, ins.s.rebind(insertEventsSQL(len(chunk))), ins.args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string]struct{}, len(chunk))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids[id] = struct{}{}
	}
	return ids, rows.Err()
}

// insertEventsSQL returns a multi-row insert of n events that skips stored ids and returns
// the ids it inserted.
func insertEventsSQL(n int) string {
	var b strings.Builder
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", eventColCount), ",") + ")"
	b.Grow(64 + n*(len(row)+1))
	b.WriteString("INSERT INTO events (" + eventCols + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(" ON CONFLICT (id) DO NOTHING RETURNING id")
	return b.String()
}

// appendArgs appends the column values of e, in eventCols order, to args.
func (ins *eventInserter) appendArgs(args []any, e *unmask.Event) []any {
	var cols encodedCols
	cols, ins.buf, ins.keys = encodeCols(e, ins.buf, ins.keys)
	return appendEventArgs(args, e, cols.geo, cols.fields, ins.now)
}

// encodeCols encodes the geo and fields columns of e; buf and keys are scratch space,
// returned for reuse.
func encodeCols(e *unmask.Event, buf []byte, keys []string) (encodedCols, []byte, []string) {
	var c encodedCols
	if e.Geo != nil {
		buf = appendGeo(buf[:0], e.Geo)
		c.geo = string(buf)
	}
	if len(e.Fields) > 0 {
		buf, keys = appendFields(buf[:0], e.Fields, keys)
		c.fields = string(buf)
	}
	return c, buf, keys
}

// appendEventArgs appends the column values of e with its encoded geo and fields, in
// eventCols order, to args.
func appendEventArgs(args []any, e *unmask.Event, geo, fields string, ingestedAt int64) []any {
	raw := e.Raw
	if raw == nil {
		raw = []byte{}
	}
	return append(args, e.ID, ts(e.Time), e.Source, string(e.Kind), e.Action, e.Outcome, e.Actor,
		e.PersonID, e.SourceIP, e.UserAgent, e.SessionID, e.DeviceID, e.Serial, e.Host, e.Target,
		geo, fields, raw, ingestedAt)
}

// UpdateEvent changes an event's resolution.
func (s *Store) UpdateEvent(ctx context.Context, id string, upd unmask.EventUpdate) (*unmask.Event, error) {
	var u set
	setv(&u, "person_id", upd.PersonID)
	if err := s.update(ctx, "UpdateEvent", "Event", "events", id, &u); err != nil {
		return nil, err
	}
	return s.FindEventByID(ctx, id)
}

// ResolveActor attributes the unresolved events of an actor to a person.
func (s *Store) ResolveActor(ctx context.Context, source, actor, personID string) (int, error) {
	q := "UPDATE events SET person_id = ? WHERE person_id = '' AND actor = ?"
	args := []any{personID, actor}
	if source != "" {
		q += " AND source = ?"
		args = append(args, source)
	}
	res, err := s.exec(ctx, q, args...)
	if err != nil {
		return 0, s.classify("ResolveActor", err)
	}
	n, err := res.RowsAffected()
	return int(n), s.classify("ResolveActor", err)
}

// DeleteEvent removes an event.
func (s *Store) DeleteEvent(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteEvent", "Event", "events", id)
}

// DeleteEventsBefore removes events older than t except those in hold, deleteBatch at a
// time in id order.
func (s *Store) DeleteEventsBefore(ctx context.Context, t time.Time, hold []string) (int, error) {
	held := make(map[string]bool, len(hold))
	for _, id := range hold {
		held[id] = true
	}
	deleted, after := 0, ""
	for {
		ids, last, err := s.expiredEvents(ctx, t, after, held)
		if err != nil {
			return deleted, s.classify("DeleteEventsBefore", err)
		}
		if last == "" {
			return deleted, nil
		}
		if len(ids) > 0 {
			var w where
			in(&w, "id", ids)
			res, err := s.exec(ctx, "DELETE FROM events"+w.sql(), w.args...)
			if err != nil {
				return deleted, s.classify("DeleteEventsBefore", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return deleted, s.classify("DeleteEventsBefore", err)
			}
			deleted += int(n)
		}
		after = last
	}
}

// deleteBatch is how many events one retention transaction looks at.
const deleteBatch = 1000

// expiredEvents returns the ids after id after, in id order, of up to deleteBatch events
// older than t, less those held, and the last id it looked at ("" when there were none).
func (s *Store) expiredEvents(ctx context.Context, t time.Time, after string, held map[string]bool) ([]string, string, error) {
	rows, err := s.query(ctx, "SELECT id FROM events WHERE time < ? AND id > ? ORDER BY id LIMIT ?", ts(t), after, deleteBatch)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var ids []string
	last := ""
	for rows.Next() {
		if err := rows.Scan(&last); err != nil {
			return nil, "", err
		}
		if !held[last] {
			ids = append(ids, last)
		}
	}
	return ids, last, rows.Err()
}
