package ingest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// RecordDecoder decodes one framed record, appending its events to dst and returning the
// extended slice. A record may yield no event (a page envelope without records) or several
// (a Google activity with several events[]). Decoders leave Source, ID and Raw empty: the
// Emitter fills them. The error becomes the reject reason, so it must name what is wrong
// without quoting field values.
type RecordDecoder func(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error)

// Emitter turns framed records into accepted events or rejects. It is used by the framings
// in this package and by formats with their own framing (TSV, CSV).
type Emitter struct {
	source string
	sink   Sink
	decode RecordDecoder
	evs    []*unmask.Event
}

// NewEmitter returns an Emitter that decodes records of source with decode into sink.
func NewEmitter(source string, sink Sink, decode RecordDecoder) *Emitter {
	return &Emitter{source: source, sink: sink, decode: decode}
}

// Record decodes rec and passes its events or its reject to the sink. Records that are
// not valid UTF-8, fail to decode or give an event that does not validate are rejected
// whole. Only a sink error is returned.
func (em *Emitter) Record(ctx context.Context, rec Record) error {
	if i := invalidUTF8(rec.Raw); i >= 0 {
		return em.Reject(ctx, rec, fmt.Sprintf("invalid UTF-8 at byte %d of the record", i))
	}
	evs, err := em.decode(rec.Raw, em.evs[:0])
	defer func() { clear(evs); em.evs = evs[:0] }()
	if err != nil {
		return em.Reject(ctx, rec, err.Error())
	}
	keep := rec.Raw
	if rec.Keep != nil {
		keep = rec.Keep
	}
	if len(evs) == 0 {
		return nil
	}
	// One allocation holds the events' copy of the record and, before it, the source and
	// the 0 byte that unmask.EventID hashes ahead of the record, so that the first event's
	// ID is hashed without another copy.
	idIn := make([]byte, len(em.source)+1+len(keep))
	copy(idIn, em.source)
	copy(idIn[len(em.source)+1:], keep)
	raw := idIn[len(em.source)+1:]
	for i, e := range evs {
		if e.Source == "" {
			e.Source = em.source
		}
		if e.ID == "" {
			if i == 0 && e.Source == em.source {
				e.ID = hexID(e.Time, idIn) // StableID(e.Source, e.Time, keep, 0)
			} else {
				e.ID = StableID(e.Source, e.Time, keep, i)
			}
		}
		if err := e.Validate(); err != nil {
			return em.Reject(ctx, rec, fmt.Sprintf("event %d of record: %s", i, unmask.ErrorMessage(err)))
		}
	}
	for _, e := range evs {
		e.Raw = raw
		if err := em.sink.Accept(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// hexID returns the id of an event at t whose source, 0 byte and record are b, as
// unmask.EventID makes it.
func hexID(t time.Time, b []byte) string {
	sum := sha256.Sum256(b)
	return unmask.EventIDFromHash(t, sum[:])
}

// Reject passes rec to the sink as rejected for reason, capping its raw bytes.
func (em *Emitter) Reject(ctx context.Context, rec Record, reason string) error {
	return em.reject(ctx, rec, reason, false)
}

// RejectOver rejects rec, of which only the first limit bytes were kept, as over the
// size limit.
func (em *Emitter) RejectOver(ctx context.Context, rec Record, limit int) error {
	return em.reject(ctx, rec, fmt.Sprintf("record exceeds the %d-byte limit", limit), true)
}

func (em *Emitter) reject(ctx context.Context, rec Record, reason string, cut bool) error {
	raw := rec.Raw
	if rec.Keep != nil {
		raw = rec.Keep
	}
	if len(raw) > unmask.MaxDeadLetterRaw {
		raw, cut = raw[:unmask.MaxDeadLetterRaw], true
	}
	return em.sink.Reject(ctx, &Reject{Line: rec.Line, Offset: rec.Offset, Reason: reason, Raw: raw, Truncated: cut})
}

// invalidUTF8 returns the index of the first invalid UTF-8 byte in b, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}
