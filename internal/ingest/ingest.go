// Package ingest is the core of Unmask's ingestion: the contract every vendor format
// implements (Format), the sink that receives decoded events and rejected records, the JSON
// framing shared by the JSON formats (NDJSON, arrays, concatenated objects, vendor
// wrappers, gzip), and the Pipeline that batches events into storage and rejects into the
// dead-letter store.
//
// A bad record never stops a file: it becomes a Reject with its line, byte offset and
// reason. Only an unreadable stream (a corrupt gzip member, a failing reader) or a failing
// sink ends decoding, with an error; what was accepted before stays accepted. Offsets and
// lines count the decompressed stream, starting at byte 0 and line 1.
package ingest

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/unmask/unmask"
)

// DefaultMaxRecord is the default cap on the size of one record.
const DefaultMaxRecord = 1 << 20

// Format decodes one vendor format. Implementations are safe for concurrent use: Decode
// keeps its state on the stack.
type Format interface {
	// Source names the source of the events, e.g. "okta"; it is Event.Source.
	Source() string
	// Decode reads r to the end, passing each event and each rejected record to sink. It
	// returns an error only when r cannot be read, ctx is done or sink fails.
	Decode(ctx context.Context, r io.Reader, sink Sink) error
}

// Sink receives the results of decoding. Decoders call it from one goroutine. An error
// from either method stops decoding and is returned by Decode.
type Sink interface {
	// Accept takes ownership of e.
	Accept(ctx context.Context, e *unmask.Event) error
	// Reject receives a record that could not be decoded. r.Raw is only valid during the
	// call.
	Reject(ctx context.Context, r *Reject) error
}

// Reject is a record that could not be decoded, with where it starts in the input.
type Reject struct {
	Line   int    // 1-based line of the record's first byte
	Offset int64  // byte offset of the record's first byte
	Reason string // why it was rejected; never contains field values
	Raw    []byte // the record's bytes, possibly cut (see Truncated)
	// Truncated reports that Raw holds only the start of the record.
	Truncated bool
}

// Record is one framed input record.
type Record struct {
	Raw    []byte // valid only until the callback returns
	Line   int
	Offset int64
	// Keep, if set, is what events and rejects keep instead of Raw, and what the event id
	// hashes: a redacted copy for records that hold secrets (account numbers).
	Keep []byte
}

// StableID returns the id of the n-th event, at t, decoded from one raw record: n = 0 is
// unmask.EventID(source, t, raw), so that records yielding one event keep the domain's
// id, and later events of the same record get distinct, equally stable ids.
func StableID(source string, t time.Time, raw []byte, n int) string {
	if n == 0 {
		return unmask.EventID(source, t, raw)
	}
	return unmask.EventID(source+"#"+strconv.Itoa(n), t, raw)
}
