package resume

import (
	"strings"
	"unicode"

	"github.com/unmask/unmask/internal/minhash"
	"golang.org/x/text/unicode/norm"
)

// ShingleSize is the number of words per shingle.
const ShingleSize = 5

// Words returns the words of text for shingling: lower-cased, without diacritics, split on
// anything that is not a letter or digit.
func Words(text string) []string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range norm.NFKD.String(text) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// Shingles returns the 5-word shingle hashes of text.
func Shingles(text string) []uint64 { return minhash.Shingles(Words(text), ShingleSize) }

// Corpus counts in how many documents each shingle appears, to find boilerplate. It is not
// safe for concurrent use. Counts are plain values (DocFreq, SetDocFreq) so a store can
// persist them; signatures made before a shingle became boilerplate keep it until the
// document is signed again.
type Corpus struct {
	df    map[uint64]int
	maxDF int
}

// NewCorpus returns an empty corpus in which a shingle seen in more than maxDF documents
// is boilerplate; maxDF < 1 means 20.
func NewCorpus(maxDF int) *Corpus {
	if maxDF < 1 {
		maxDF = 20
	}
	return &Corpus{df: make(map[uint64]int), maxDF: maxDF}
}

// Add counts one document's shingles (duplicates within it count once).
func (c *Corpus) Add(shingles []uint64) {
	seen := make(map[uint64]struct{}, len(shingles))
	for _, s := range shingles {
		if _, dup := seen[s]; !dup {
			seen[s] = struct{}{}
			c.df[s]++
		}
	}
}

// DocFreq returns the number of documents that contain shingle s.
func (c *Corpus) DocFreq(s uint64) int { return c.df[s] }

// SetDocFreq sets the count of shingle s, for loading persisted counts.
func (c *Corpus) SetDocFreq(s uint64, n int) { c.df[s] = n }

// Boilerplate reports whether shingle s appears in more than maxDF documents.
func (c *Corpus) Boilerplate(s uint64) bool { return c.df[s] > c.maxDF }

// Filter returns shingles without the boilerplate ones.
func (c *Corpus) Filter(shingles []uint64) []uint64 {
	out := make([]uint64, 0, len(shingles))
	for _, s := range shingles {
		if !c.Boilerplate(s) {
			out = append(out, s)
		}
	}
	return out
}
