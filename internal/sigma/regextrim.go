package sigma

import (
	"regexp/syntax"
	"slices"
)

// A rule's regex only answers whether it matches somewhere in a value, and for that
// question the ends of an unanchored expression that may match the empty string are
// dead weight: some substring matches AB, with B able to match empty, exactly when some
// substring matches A. SigmaHQ writes bounds such as \w{1,64} and optional tails, which
// Go's regexp compiles into long programs that cost per byte; matchOnly drops them.

// matchOnly returns an expression that matches somewhere in the same strings as expr
// (Regexp.Match answers the same), with the parts trimmed that cannot change that; it
// returns expr when it cannot parse it.
func matchOnly(expr string) string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return expr
	}
	if nullable(re) {
		return "" // it matches at the start of every string
	}
	return trim(trim(re, true), false).String()
}

// nullable reports whether re matches the empty string without an empty-width
// assertion (^, $, \b, \B, which depend on the surroundings).
func nullable(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpStar, syntax.OpQuest:
		return true
	case syntax.OpRepeat:
		return re.Min == 0 || nullable(re.Sub[0])
	case syntax.OpPlus, syntax.OpCapture:
		return nullable(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !nullable(s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		if slices.ContainsFunc(re.Sub, nullable) {
			return true
		}
	}
	return false
}

// trim returns an expression, not nullable like re, that matches somewhere exactly
// where re does, with the nullable pieces at its end dropped (at its start when end is
// false). A group, repetition or alternative is trimmed inside, as its outermost
// piece ends the match.
func trim(re *syntax.Regexp, end bool) *syntax.Regexp {
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return trim(re.Sub[0], end) // x+ matches where x does
	case syntax.OpRepeat:
		if re.Min == 1 {
			return trim(re.Sub[0], end)
		}
		cp := *re // x{m,n} is x{m} and a nullable rest
		cp.Max = re.Min
		return &cp
	case syntax.OpAlternate:
		cp := *re // somewhere one of the alternatives matches
		cp.Sub = make([]*syntax.Regexp, len(re.Sub))
		for i, s := range re.Sub {
			cp.Sub[i] = trim(s, end)
		}
		return &cp
	case syntax.OpConcat:
		return trimConcat(re, end)
	}
	return re
}

// trimConcat trims a concatenation: its nullable pieces at that end go, and the
// outermost piece left is trimmed in turn.
func trimConcat(re *syntax.Regexp, end bool) *syntax.Regexp {
	subs := re.Sub
	for nullable(subs[edge(subs, end)]) { // re is not nullable, so a piece is not
		if end {
			subs = subs[:len(subs)-1]
		} else {
			subs = subs[1:]
		}
	}
	subs = append([]*syntax.Regexp(nil), subs...)
	i := edge(subs, end)
	subs[i] = trim(subs[i], end)
	if len(subs) == 1 {
		return subs[0]
	}
	cp := *re
	cp.Sub = subs
	return &cp
}

// edge returns the index of the last piece of subs, or of the first when end is false.
func edge(subs []*syntax.Regexp, end bool) int {
	if end {
		return len(subs) - 1
	}
	return 0
}
