package photo

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/fullname"
)

// DetectorName names the detector of photo-reuse signals.
const DetectorName = "photo:reuse"

// DefaultMaxDistance is the pHash Hamming distance under which two photos are taken as the
// same picture (resized, recompressed or lightly edited).
const DefaultMaxDistance = 8

// Photo is one indexed photo.
type Photo struct {
	ID       string
	PersonID string
	// Name is the holder's name, used only to tell one person's records apart from another
	// identity.
	Name    string
	EventID string
	PHash   uint64
}

// Match is an indexed photo near a query.
type Match struct {
	Photo    Photo
	Distance int
}

// Index finds near-duplicate photos. It is safe for concurrent use.
type Index struct {
	maxDist int
	now     func() time.Time

	mu     sync.RWMutex // guards the fields below
	photos []Photo
	mih    multiIndex
}

// NewIndex returns an empty index; maxDist ≤ 0 means DefaultMaxDistance, nil now means
// time.Now.
func NewIndex(maxDist int, now func() time.Time) *Index {
	if maxDist <= 0 {
		maxDist = DefaultMaxDistance
	}
	if now == nil {
		now = time.Now
	}
	return &Index{maxDist: maxDist, now: now}
}

// Add indexes a photo.
func (x *Index) Add(p Photo) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.photos = append(x.photos, p)
	x.mih.add(p.PHash)
}

// Len returns the number of photos indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.photos)
}

// Search returns indexed photos within the index's distance of hash, nearest first.
func (x *Index) Search(hash uint64) []Match {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []Match
	x.mih.search(hash, x.maxDist, func(item, dist int) {
		out = append(out, Match{Photo: x.photos[item], Distance: dist})
	})
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Distance, b.Distance), cmp.Compare(a.Photo.ID, b.Photo.ID))
	})
	return out
}

// Screen searches for p, then indexes it. It returns H-08 signals for p's holder and for
// each other holder when the same picture is held under a different name; a match under
// the same name (an applicant and the employee record they became) is ignored.
func (x *Index) Screen(p Photo) []unmask.Signal {
	var out []unmask.Signal
	for _, m := range x.Search(p.PHash) {
		o := m.Photo
		if o.PersonID == p.PersonID || fullname.Compare(o.Name, p.Name) >= fullname.Partial {
			continue
		}
		out = append(out, x.signal(p, o, m.Distance), x.signal(o, p, m.Distance))
	}
	x.Add(p)
	return out
}

func (x *Index) signal(self, other Photo, dist int) unmask.Signal {
	now := x.now()
	var events []string
	for _, e := range []string{self.EventID, other.EventID} {
		if e != "" {
			events = append(events, e)
		}
	}
	return unmask.Signal{
		PersonID:  self.PersonID,
		Indicator: "H-08",
		Detector:  DetectorName,
		Severity:  unmask.SeverityHigh,
		Weight:    0.8 - 0.3*float64(dist)/float64(x.maxDist+1),
		EventIDs:  events,
		// The other holder is named on the person page; the sentence carries no identifiers.
		Explanation: fmt.Sprintf("Photo matches a photo held by another person under a different name (%d of 64 hash bits apart).", dist),
		Key:         "photo:" + other.ID,
		Time:        now,
		LastSeen:    now,
		Count:       1,
	}
}
