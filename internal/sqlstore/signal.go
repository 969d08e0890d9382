package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const signalCols = "id, person_id, indicator, detector, severity, weight, event_ids, explanation, dedupe_key, time, last_seen, count, created_at, cleared_at, cleared_by, updated_at"

func scanSignal(r scanner) (*unmask.Signal, error) {
	var sg unmask.Signal
	var events string
	var t, last, created, cleared, updated int64
	err := r.Scan(&sg.ID, &sg.PersonID, &sg.Indicator, &sg.Detector, &sg.Severity, &sg.Weight,
		&events, &sg.Explanation, &sg.Key, &t, &last, &sg.Count, &created, &cleared, &sg.ClearedBy, &updated)
	if err != nil {
		return nil, err
	}
	sg.Time, sg.LastSeen, sg.CreatedAt, sg.ClearedAt = fromTS(t), fromTS(last), fromTS(created), fromTS(cleared)
	sg.UpdatedAt = fromTS(updated)
	return &sg, fromJSON(events, &sg.EventIDs)
}

// FindSignalByID returns one signal.
func (s *Store) FindSignalByID(ctx context.Context, id string) (*unmask.Signal, error) {
	return one(ctx, s, "FindSignalByID", "Signal", "SELECT "+signalCols+" FROM signals WHERE id = ?", scanSignal, id)
}

// FindSignals returns matching signals, newest first.
func (s *Store) FindSignals(ctx context.Context, f unmask.SignalFilter) ([]*unmask.Signal, int, error) {
	var w where
	eq(&w, "person_id", f.PersonID)
	eq(&w, "indicator", f.Indicator)
	eq(&w, "detector", f.Detector)
	eq(&w, "dedupe_key", f.Key)
	if f.Since != nil {
		w.add("last_seen >= ?", ts(*f.Since))
	}
	if f.UpdatedSince != nil {
		w.add("updated_at >= ?", ts(*f.UpdatedSince))
	}
	return list(ctx, s, "FindSignals", signalCols, "signals", w, "last_seen DESC, id", f.Page, scanSignal)
}

// CreateSignal stores a new signal.
func (s *Store) CreateSignal(ctx context.Context, sg *unmask.Signal) error {
	if err := sg.Validate(); err != nil {
		return err
	}
	if sg.ID == "" {
		sg.ID = newID()
	}
	if sg.LastSeen.IsZero() {
		sg.LastSeen = sg.Time
	}
	sg.Count = max(sg.Count, 1)
	sg.CreatedAt = s.now()
	sg.UpdatedAt = sg.CreatedAt
	_, err := s.exec(ctx, "INSERT INTO signals ("+signalCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		sg.ID, sg.PersonID, sg.Indicator, sg.Detector, sg.Severity, sg.Weight, jsonText(orEmpty(sg.EventIDs)),
		sg.Explanation, sg.Key, ts(sg.Time), ts(sg.LastSeen), sg.Count, ts(sg.CreatedAt), ts(sg.ClearedAt), sg.ClearedBy, ts(sg.UpdatedAt))
	return s.classify("CreateSignal", err)
}

// UpdateSignal changes a signal.
func (s *Store) UpdateSignal(ctx context.Context, id string, upd unmask.SignalUpdate) (*unmask.Signal, error) {
	if upd.Severity != nil && !upd.Severity.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Signal severity %q is not valid.", *upd.Severity)
	}
	if upd.Weight != nil && (*upd.Weight < 0 || *upd.Weight > 1) {
		return nil, unmask.Errorf(unmask.EINVALID, "Signal weight %v is outside 0..1.", *upd.Weight)
	}
	var u set
	setv(&u, "severity", upd.Severity)
	setv(&u, "weight", upd.Weight)
	if upd.EventIDs != nil {
		u.add("event_ids", jsonText(upd.EventIDs))
	}
	setv(&u, "explanation", upd.Explanation)
	sett(&u, "last_seen", upd.LastSeen)
	setv(&u, "count", upd.Count)
	sett(&u, "cleared_at", upd.ClearedAt)
	setv(&u, "cleared_by", upd.ClearedBy)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateSignal", "Signal", "signals", id, &u); err != nil {
		return nil, err
	}
	return s.FindSignalByID(ctx, id)
}

// DeleteSignal removes a signal.
func (s *Store) DeleteSignal(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteSignal", "Signal", "signals", id)
}

// orEmpty returns a non-nil slice so that lists are stored as [] rather than null.
func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
