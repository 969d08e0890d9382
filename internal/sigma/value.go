package sigma

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// compileValue compiles one YAML value under the modifiers m into one or more matchers
// (encodings and windash expand a value into several, joined by OR).
func compileValue(m modifiers, v *yaml.Node, opts parseOptions) ([]vmatch, error) {
	isNull := v.Tag == "!!null"
	raw := v.Value
	switch {
	case m.exists:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, fmt.Errorf("modifier exists needs true or false, got %q", raw)
		}
		return []vmatch{{kind: mExists, want: b}}, nil
	case isNull:
		return []vmatch{{kind: mNull}}, nil
	case m.fieldref:
		return []vmatch{fieldRefMatch(m, raw)}, nil
	case m.re:
		return regexMatch(m, raw)
	case m.cidr:
		return cidrMatch(raw)
	case m.timePart != "":
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, fmt.Errorf("modifier %s needs a number, got %q", m.timePart, raw)
		}
		return []vmatch{{kind: mTime, part: m.timePart, op: m.cmp, num: f}}, nil
	case m.cmp != "":
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, fmt.Errorf("modifier %s needs a number, got %q", m.cmp, raw)
		}
		return []vmatch{{kind: mCmp, op: m.cmp, num: f}}, nil
	}
	return stringMatches(m, v, opts)
}

func fieldRefMatch(m modifiers, ref string) vmatch {
	vm := vmatch{kind: mFieldRef, part: ref, cased: m.cased, refOp: mEq}
	switch {
	case m.contains:
		vm.refOp = mContains
	case m.startswith:
		vm.refOp = mPrefix
	case m.endswith:
		vm.refOp = mSuffix
	}
	return vm
}

func regexMatch(m modifiers, raw string) ([]vmatch, error) {
	expr := raw
	if m.reFlags != "" {
		expr = "(?" + m.reFlags + ")" + raw
	}
	if _, err := regexp.Compile(expr); err != nil {
		return nil, fmt.Errorf("regular expression: %v", err)
	}
	re, err := regexp.Compile(matchOnly(expr))
	if err != nil {
		return nil, fmt.Errorf("regular expression: %v", err)
	}
	vm := vmatch{kind: mRegex, re: re, cased: true}
	cs := regexConjuncts(expr)
	if lits, ok := bestSet(cs); ok {
		vm.needs = lits
	}
	vm.gateLits = gateConjuncts(cs)
	return []vmatch{vm}, nil
}

func cidrMatch(raw string) ([]vmatch, error) {
	p, err := netip.ParsePrefix(raw)
	if err != nil {
		a, aerr := netip.ParseAddr(raw)
		if aerr != nil {
			return nil, fmt.Errorf("modifier cidr: %v", err)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	return []vmatch{{kind: mCIDR, prefix: p.Masked()}}, nil
}

// stringMatches compiles a string value: placeholders, escapes and wildcards, encodings,
// then contains/startswith/endswith.
func stringMatches(m modifiers, v *yaml.Node, opts parseOptions) ([]vmatch, error) {
	var vals []sstring
	switch {
	case m.expand:
		ex, err := expandPlaceholders(v.Value, opts.placeholders)
		if err != nil {
			return nil, err
		}
		vals = ex
	case v.Tag == "!!str" || v.Tag == "":
		vals = []sstring{parseSString(v.Value)}
	default:
		vals = []sstring{literalSString(v.Value)}
	}
	for _, t := range m.transforms {
		var err error
		if vals, err = applyTransform(t, vals); err != nil {
			return nil, err
		}
	}
	out := make([]vmatch, 0, len(vals))
	for _, s := range vals {
		s = s.wrap(m.contains || m.endswith, m.contains || m.startswith)
		out = append(out, patternMatch(s, m.cased))
	}
	return out, nil
}

// patternMatch picks the cheapest matcher for a Sigma string.
func patternMatch(s sstring, cased bool) vmatch {
	low := func(x string) []byte {
		if cased {
			return []byte(x)
		}
		return []byte(lowerString(x))
	}
	vm := vmatch{cased: cased}
	lead := len(s) > 0 && s[0].kind == tokStar
	trail := len(s) > 0 && s[len(s)-1].kind == tokStar
	inner := s
	if lead {
		inner = inner[1:]
	}
	if trail && len(inner) > 0 {
		inner = inner[:len(inner)-1]
	}
	lit, plain := inner.plain()
	switch {
	case !plain:
		vm.kind = mGlob
		vm.pat, vm.kinds = globBytes(s, cased)
		if l := longestLiteral(s); l != "" {
			vm.needs = []string{lowerString(l)}
		}
		vm.gateLits = gateConjuncts(globConjuncts(s))
		return vm
	case lead && trail:
		vm.kind = mContains
	case lead:
		vm.kind = mSuffix
	case trail:
		vm.kind = mPrefix
	default:
		vm.kind = mEq
	}
	vm.lit = low(lit)
	if lit != "" {
		vm.needs = []string{lowerString(lit)}
	}
	return vm
}

// globConjuncts returns the literal runs of a glob, each of which every match holds
// (lowercased, as the gate tests the lowercased value).
func globConjuncts(s sstring) [][]string {
	var out [][]string
	for _, t := range s {
		if t.kind == tokLit {
			out = append(out, []string{lowerString(t.s)})
		}
	}
	return out
}

// longestLiteral returns the longest literal run of s.
func longestLiteral(s sstring) string {
	best := ""
	for _, t := range s {
		if t.kind == tokLit && len(t.s) > len(best) {
			best = t.s
		}
	}
	return strings.Clone(best)
}
