package sigma

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A conjunct is a set of lowercase literals of which one occurs, lowercased, in every
// string a regular expression matches. A regex has several: the literals of a
// concatenation must all occur. The prefilter uses the most selective one (bestSet) to
// decide which rules to evaluate, and the useful ones (gateConjuncts) to gate the regex
// itself.

// regexConjuncts returns the conjuncts of expr.
func regexConjuncts(expr string) [][]string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	return conjuncts(re.Simplify())
}

func conjuncts(re *syntax.Regexp) [][]string {
	if alts, ok := literalAlternatives(re); ok {
		return [][]string{alts}
	}
	switch re.Op {
	case syntax.OpLiteral:
		return foldPieces(re.Rune)
	case syntax.OpCapture, syntax.OpPlus:
		return conjuncts(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return conjuncts(re.Sub[0])
		}
	case syntax.OpConcat:
		return concatConjuncts(re.Sub)
	case syntax.OpAlternate:
		// A match matches some branch, so it holds that branch's best conjunct.
		var set []string
		for _, s := range re.Sub {
			best, ok := bestSet(conjuncts(s))
			if !ok {
				return nil
			}
			set = append(set, best...)
		}
		return [][]string{set}
	}
	return nil
}

// maxLiteralProduct bounds the strings a run of literals, small classes and
// alternations multiplies out to.
const maxLiteralProduct = 16

// concatConjuncts merges runs of adjacent literal parts, multiplied out ("-(u|-user)"
// needs "-u" or "--user"); every other child's conjuncts hold too.
func concatConjuncts(subs []*syntax.Regexp) [][]string {
	var out [][]string
	run := []string{""}
	flush := func() {
		if run[0] != "" {
			out = append(out, run)
		}
		run = []string{""}
	}
	for _, s := range subs {
		if alts, ok := literalAlternatives(s); ok {
			if next, ok := product(run, alts); ok {
				run = next
				continue
			}
		}
		flush()
		out = append(out, conjuncts(s)...)
	}
	flush()
	return out
}

// product returns every a+b, unless there would be more than maxLiteralProduct.
func product(as, bs []string) ([]string, bool) {
	if len(as)*len(bs) > maxLiteralProduct {
		return nil, false
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out, true
}

// literalAlternatives returns the lowercase strings re matches when it matches only a
// few fixed, non-empty ones: a literal, a small character class, or concatenations and
// alternations of those.
func literalAlternatives(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 && slices.ContainsFunc(re.Rune, foldUnsafe) {
			return nil, false
		}
		return []string{lowerString(string(re.Rune))}, true
	case syntax.OpCharClass:
		return classAlternatives(re.Rune)
	case syntax.OpCapture:
		return literalAlternatives(re.Sub[0])
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			alts, ok := literalAlternatives(s)
			if !ok {
				return nil, false
			}
			if out, ok = product(out, alts); !ok {
				return nil, false
			}
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			alts, ok := literalAlternatives(s)
			if !ok || len(out)+len(alts) > maxLiteralProduct {
				return nil, false
			}
			out = append(out, alts...)
		}
		return out, true
	}
	return nil, false
}

// classAlternatives returns the lowercase runes of a small character class ([Rr] is
// "r"), given as inclusive ranges.
func classAlternatives(ranges []rune) ([]string, bool) {
	var out []string
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i+1]-ranges[i] > 4 {
			return nil, false
		}
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if l := lowerString(string(r)); !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out, len(out) > 0 && len(out) <= 4
}

// foldUnsafe reports whether under (?i) r also matches a rune that lowercases
// differently (s matches the long s, which lowercases to itself): then the lowercased
// value need not hold the lowercased literal.
func foldUnsafe(r rune) bool {
	low := unicode.ToLower(r)
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if unicode.ToLower(f) != low {
			return true
		}
	}
	return false
}

// foldPieces returns, for a case-folded literal with fold-unsafe runes, the pieces
// between them, each of which every match holds.
func foldPieces(runes []rune) [][]string {
	var out [][]string
	start := 0
	for i := 0; i <= len(runes); i++ {
		if i == len(runes) || foldUnsafe(runes[i]) {
			if i > start {
				out = append(out, []string{lowerString(string(runes[start:i]))})
			}
			start = i + 1
		}
	}
	return out
}

// bestSet returns the most selective conjunct: the longest shortest literal, then the
// fewest literals.
func bestSet(cs [][]string) ([]string, bool) {
	var best []string
	for _, c := range cs {
		if best == nil || betterStrings(c, best) {
			best = c
		}
	}
	return best, best != nil
}

func betterStrings(a, b []string) bool {
	ma, mb := minRunes(a), minRunes(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minRunes(ls []string) int {
	m := 1 << 30
	for _, l := range ls {
		m = min(m, utf8.RuneCountInString(l))
	}
	return m
}

// gateConjuncts returns the conjuncts worth gating a regex with, most selective first
// and at most maxGates: a conjunct with a literal that occurs in most values (a single
// letter, digit, space or common path and option punctuation) filters nothing, while
// every report of it costs a step of the automata.
func gateConjuncts(cs [][]string) [][]string {
	var out [][]string
	for _, c := range cs {
		if !slices.ContainsFunc(c, commonLiteral) && !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, c) }) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b []string) int {
		switch {
		case betterStrings(a, b):
			return -1
		case betterStrings(b, a):
			return 1
		}
		return 0
	})
	return out[:min(len(out), maxGates)]
}

// maxGates bounds the conjuncts a regex is gated with.
const maxGates = 4

// commonLiteral reports whether l is empty or a single byte that most command lines,
// paths and names hold.
func commonLiteral(l string) bool {
	if len(l) != 1 {
		return len(l) == 0
	}
	c := l[0]
	return c <= ' ' || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || strings.IndexByte(`-/\:._=,"'`, c) >= 0
}
