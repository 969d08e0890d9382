package resume

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/fullname"
	"github.com/unmask/unmask/internal/minhash"
)

// DetectorName names the detector of résumé near-duplicate signals.
const DetectorName = "resume:near_duplicate"

// Entry is one applicant's résumé to index or screen.
type Entry struct {
	DocID    string
	PersonID string
	// Name is the applicant's name, used only to tell a re-application from another
	// identity.
	Name    string
	EventID string
	// Shingles are the résumé's shingle hashes (Shingles(text)).
	Shingles []uint64
}

// Options configures a Detector.
type Options struct {
	// Index holds the signatures; nil means an in-memory one, or one over Store.
	Index *minhash.Index
	// Store, when set, persists the index and who owns each document, so that a
	// restarted process finds near-copies of résumés an earlier one indexed. Index must
	// then be nil.
	Store Store
	// Corpus supplies boilerplate counts; nil means no suppression.
	Corpus *Corpus
	// Threshold is the estimated Jaccard similarity that makes a near-duplicate; zero
	// means 0.8.
	Threshold float64
	// MinShingles is the least number of non-boilerplate shingles a résumé needs to be
	// compared; zero means 20 (short texts match by chance).
	MinShingles int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Detector indexes résumés and finds near-copies filed under another name. It is safe for
// concurrent use.
type Detector struct {
	opts Options
	mu   sync.RWMutex // guards owners
	// owners maps a document to its applicant.
	owners map[string]Entry
}

// NewDetector returns a detector.
func NewDetector(opts Options) (*Detector, error) {
	if opts.Index != nil && opts.Store != nil {
		return nil, fmt.Errorf("resume detector: give Index or Store, not both")
	}
	if opts.Index == nil {
		var st minhash.Store = minhash.NewMemoryStore(1024)
		if opts.Store != nil {
			st = indexStore{opts.Store}
		}
		x, err := minhash.NewIndex(minhash.DefaultParams, st)
		if err != nil {
			return nil, err
		}
		opts.Index = x
	}
	if opts.Threshold == 0 {
		opts.Threshold = 0.8
	}
	if opts.MinShingles == 0 {
		opts.MinShingles = 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Detector{opts: opts, owners: make(map[string]Entry)}, nil
}

// Sign returns the signature of r after boilerplate is removed; ok is false when too little
// distinctive text remains to compare.
func (d *Detector) Sign(r Entry) (sig minhash.Signature, ok bool) {
	sh := r.Shingles
	if d.opts.Corpus != nil {
		sh = d.opts.Corpus.Filter(sh)
	}
	if len(sh) < d.opts.MinShingles {
		return sig, false
	}
	return minhash.Sign(sh), true
}

// Screen compares r with every indexed résumé, then indexes it. It returns H-05 signals,
// for r's applicant and for each other applicant, when a near-duplicate belongs to someone
// with a different name; a match with the same name is a re-application and is ignored.
func (d *Detector) Screen(ctx context.Context, r Entry) ([]unmask.Signal, error) {
	sig, ok := d.Sign(r)
	if !ok {
		return nil, nil
	}
	matches, err := d.opts.Index.Query(ctx, &sig, d.opts.Threshold)
	if err != nil {
		return nil, fmt.Errorf("screen résumé %q: %w", r.DocID, err)
	}
	var out []unmask.Signal
	for _, m := range matches {
		if m.DocID == r.DocID {
			continue
		}
		other, known, err := d.owner(ctx, m.DocID)
		if err != nil {
			return nil, fmt.Errorf("screen résumé %q: %w", r.DocID, err)
		}
		if !known || other.PersonID == r.PersonID || fullname.Compare(other.Name, r.Name) >= fullname.Partial {
			continue
		}
		out = append(out, d.signal(r, other, m.Similarity), d.signal(other, r, m.Similarity))
	}
	if err := d.index(ctx, r, &sig); err != nil {
		return nil, err
	}
	return out, nil
}

// owner returns who owns an indexed document: remembered, or read from the Store.
func (d *Detector) owner(ctx context.Context, docID string) (Entry, bool, error) {
	d.mu.RLock()
	e, ok := d.owners[docID]
	d.mu.RUnlock()
	if ok || d.opts.Store == nil {
		return e, ok, nil
	}
	o, ok, err := d.opts.Store.FindResumeOwner(ctx, docID)
	if err != nil || !ok {
		return Entry{}, false, err
	}
	e = Entry{DocID: docID, PersonID: o.PersonID, Name: o.Name, EventID: o.EventID}
	d.Remember(e)
	return e, true, nil
}

// index adds r's signature to the index and records its owner, in the Store too.
func (d *Detector) index(ctx context.Context, r Entry, sig *minhash.Signature) error {
	if d.opts.Store != nil {
		if err := d.opts.Store.SetResumeOwner(ctx, r.DocID, r.PersonID, r.EventID); err != nil {
			return fmt.Errorf("index résumé %q: %w", r.DocID, err)
		}
	}
	if err := d.opts.Index.Add(ctx, r.DocID, sig); err != nil {
		return err
	}
	d.Remember(r)
	return nil
}

// Add indexes r without screening it, for loading existing résumés.
func (d *Detector) Add(ctx context.Context, r Entry) error {
	sig, ok := d.Sign(r)
	if !ok {
		return nil
	}
	return d.index(ctx, r, &sig)
}

// Remember records who owns an already indexed document, for a detector whose Index is
// backed by a persistent Store that outlives the process.
func (d *Detector) Remember(r Entry) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.owners[r.DocID] = Entry{DocID: r.DocID, PersonID: r.PersonID, Name: r.Name, EventID: r.EventID}
}

func (d *Detector) signal(self, other Entry, sim float64) unmask.Signal {
	now := d.opts.Now()
	var events []string
	for _, e := range []string{self.EventID, other.EventID} {
		if e != "" {
			events = append(events, e)
		}
	}
	return unmask.Signal{
		PersonID:  self.PersonID,
		Indicator: "H-05",
		Detector:  DetectorName,
		Severity:  unmask.SeverityHigh,
		Weight:    0.4 + 0.5*sim,
		EventIDs:  events,
		// The other applicant is named on the person page (Key and EventIDs lead there);
		// the sentence carries no identifiers.
		Explanation: fmt.Sprintf("Résumé is a %.0f%% near-copy of the résumé of another applicant under a different name.", 100*sim),
		Key:         "resume:" + other.DocID,
		Time:        now,
		LastSeen:    now,
		Count:       1,
	}
}
