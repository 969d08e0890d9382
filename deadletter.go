package unmask

import (
	"context"
	"time"
)

// MaxDeadLetterRaw caps the raw bytes kept with a dead letter.
const MaxDeadLetterRaw = 64 << 10

// DeadLetter is a rejected input record, kept with the reason so that nothing is lost
// silently.
type DeadLetter struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	// File names the input: a path, "-" for standard input, or "http" for a request.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Offset int64  `json:"offset"`
	Reason string `json:"reason"`
	// Raw holds the record's bytes, capped at MaxDeadLetterRaw; Truncated says if cut.
	Raw       []byte    `json:"raw"`
	Truncated bool      `json:"truncated,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// DeadLetterFilter selects dead letters. Nil fields do not filter.
type DeadLetterFilter struct {
	Source *string
	File   *string
	Page
}

// DeadLetterService stores rejected records.
type DeadLetterService interface {
	FindDeadLetterByID(ctx context.Context, id string) (*DeadLetter, error)
	// FindDeadLetters returns matching dead letters, newest first, and the total count.
	FindDeadLetters(ctx context.Context, filter DeadLetterFilter) ([]*DeadLetter, int, error)
	// CreateDeadLetters stores records in one transaction, capping Raw.
	CreateDeadLetters(ctx context.Context, dls []*DeadLetter) error
	DeleteDeadLetter(ctx context.Context, id string) error
	// CountDeadLetters returns the number of dead letters per source.
	CountDeadLetters(ctx context.Context) (map[string]int, error)
}

// CheckpointService keeps the cursors of pollers so that a restart resumes with no gap and
// no duplicate.
type CheckpointService interface {
	// FindCheckpoint returns the cursor saved under name, or "" if none.
	FindCheckpoint(ctx context.Context, name string) (string, error)
	// SaveCheckpoint stores cursor under name.
	SaveCheckpoint(ctx context.Context, name, cursor string) error
}
