// Package fullname compares personal names for mismatch checks (résumé vs ID document vs
// payee vs profile), insensitive to case, diacritics, punctuation and word order.
//
// It exists only to tell whether two records name the same person. It never classifies a
// name, and nothing may score a name's origin.
package fullname

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Match is how closely two names agree.
type Match int

// Match levels, weakest first.
const (
	// None: the names share too little to be the same person.
	None Match = iota
	// Partial: one name is the other with words left out or shortened to initials
	// ("Maria Garcia" vs "Maria Elena Garcia Lopez", "J. Smith" vs "John Smith").
	Partial
	// Exact: the same words in any order ("Smith, John" vs "john smith").
	Exact
)

// String returns "none", "partial" or "exact".
func (m Match) String() string {
	switch m {
	case Exact:
		return "exact"
	case Partial:
		return "partial"
	}
	return "none"
}

// Tokens returns the words of name, lower-cased, without diacritics or punctuation, in
// their original order.
func Tokens(name string) []string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(strings.ReplaceAll(b.String(), "ß", "ss"))
}

// Key returns an order-insensitive key: the sorted tokens joined by spaces.
func Key(name string) string {
	t := Tokens(name)
	slices.Sort(t)
	return strings.Join(t, " ")
}

// Compare returns how closely a and b agree. Empty names never match.
func Compare(a, b string) Match { return CompareTokens(Tokens(a), Tokens(b)) }

// CompareTokens is Compare on names already split by Tokens, for callers that compare one
// name with many.
func CompareTokens(ta, tb []string) Match {
	if len(ta) == 0 || len(tb) == 0 {
		return None
	}
	if sameSet(ta, tb) {
		return Exact
	}
	short, long := ta, tb
	if len(short) > len(long) {
		short, long = long, short
	}
	if covered(short, long) && (len(short) >= 2 || len(long) == 1) {
		return Partial
	}
	return None
}

// sameSet reports whether a and b hold the same words, counting repeats.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	return slices.Equal(sa, sb)
}

// covered reports whether every word of short matches a distinct word of long, in full or
// as an initial; at least one match must be a full word.
func covered(short, long []string) bool {
	used := make([]bool, len(long))
	full := false
	for _, s := range short {
		found := false
		for i, l := range long {
			if used[i] {
				continue
			}
			if s == l || (len([]rune(s)) == 1 && strings.HasPrefix(l, s)) || (len([]rune(l)) == 1 && strings.HasPrefix(s, l)) {
				used[i], found = true, true
				full = full || s == l
				break
			}
		}
		if !found {
			return false
		}
	}
	return full
}

// SameSurname reports whether a and b end in the same word, the weak household test used to
// keep a family at one address from looking like strangers sharing it.
func SameSurname(a, b string) bool {
	ta, tb := Tokens(a), Tokens(b)
	if len(ta) < 2 || len(tb) < 2 {
		return false
	}
	return ta[len(ta)-1] == tb[len(tb)-1] || slices.Contains(tb, ta[len(ta)-1]) && slices.Contains(ta, tb[len(tb)-1])
}
