package sigma

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
)

// modifiers is the parsed modifier chain of one detection key (Field|mod1|mod2).
type modifiers struct {
	contains, startswith, endswith bool
	all, cased, neq                bool
	re, cidr, exists, fieldref     bool
	expand                         bool
	reFlags                        string // i, m, s sub-modifiers of re
	cmp                            string // gt, gte, lt, lte
	timePart                       string // minute, hour, day, week, month, year
	transforms                     []string
}

// parseModifiers parses the modifier names after a field name.
func parseModifiers(names []string) (modifiers, error) {
	var m modifiers
	for _, n := range names {
		switch n {
		case "contains":
			m.contains = true
		case "startswith":
			m.startswith = true
		case "endswith":
			m.endswith = true
		case "all":
			m.all = true
		case "cased":
			m.cased = true
		case "neq":
			m.neq = true
		case "re":
			m.re = true
		case "i", "m", "s":
			if !m.re {
				return m, fmt.Errorf("modifier %q requires re before it", n)
			}
			m.reFlags += n
		case "cidr":
			m.cidr = true
		case "exists":
			m.exists = true
		case "fieldref":
			m.fieldref = true
		case "expand":
			m.expand = true
		case "gt", "gte", "lt", "lte":
			if m.cmp != "" {
				return m, fmt.Errorf("modifiers %q and %q conflict", m.cmp, n)
			}
			m.cmp = n
		case "minute", "hour", "day", "week", "month", "year":
			m.timePart = n
		case "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide", "windash":
			m.transforms = append(m.transforms, n)
		default:
			return m, fmt.Errorf("unknown modifier %q", n)
		}
	}
	return m, m.check()
}

// check rejects modifier combinations that have no meaning.
func (m modifiers) check() error {
	n := 0
	for _, b := range []bool{m.contains, m.startswith, m.endswith} {
		if b {
			n++
		}
	}
	switch {
	case n > 1:
		return fmt.Errorf("modifiers contains, startswith and endswith exclude each other")
	case m.re && (n > 0 || m.cidr || m.cmp != "" || len(m.transforms) > 0):
		return fmt.Errorf("modifier re cannot be combined with string, encoding, cidr or numeric modifiers")
	case m.cidr && (n > 0 || m.cmp != "" || len(m.transforms) > 0):
		return fmt.Errorf("modifier cidr cannot be combined with string, encoding or numeric modifiers")
	case m.exists && (n > 0 || m.re || m.cidr || m.cmp != "" || len(m.transforms) > 0 || m.all):
		return fmt.Errorf("modifier exists cannot be combined with other modifiers")
	case m.cmp != "" && (n > 0 || len(m.transforms) > 0):
		return fmt.Errorf("modifier %s cannot be combined with string or encoding modifiers", m.cmp)
	}
	return nil
}

// windashChars are the characters the windash modifier makes interchangeable.
var windashChars = []string{"-", "/", "\u2013", "\u2014", "\u2015"}

// maxWindashChars bounds the dash characters one value may contain (5^n variants).
const maxWindashChars = 4

// applyTransform applies one encoding or expansion modifier to every value.
func applyTransform(name string, vals []sstring) ([]sstring, error) {
	var out []sstring
	for _, v := range vals {
		if name == "windash" {
			w, err := windash(v)
			if err != nil {
				return nil, err
			}
			out = append(out, w...)
			continue
		}
		p, ok := v.plain()
		if !ok {
			return nil, fmt.Errorf("modifier %s cannot encode a value with wildcards", name)
		}
		for _, e := range encode(name, p) {
			out = append(out, literalSString(e))
		}
	}
	return out, nil
}

// encode returns the encodings of s for one encoding modifier.
func encode(name, s string) []string {
	switch name {
	case "base64":
		return []string{base64.StdEncoding.EncodeToString([]byte(s))}
	case "base64offset":
		return base64Offsets([]byte(s))
	case "utf16le", "wide":
		return []string{utf16String(s, false, false)}
	case "utf16be":
		return []string{utf16String(s, true, false)}
	default: // utf16
		return []string{utf16String(s, false, true)}
	}
}

// base64Offsets returns the three position-independent base64 forms of b, as pySigma
// computes them: b prefixed by 0, 1 or 2 bytes, with the bytes that depend on the unknown
// neighbours cut away.
func base64Offsets(b []byte) []string {
	start := [3]int{0, 2, 3}
	end := [3]int{0, -3, -2}
	out := make([]string, 0, 3)
	for i := range 3 {
		buf := append([]byte(strings.Repeat(" ", i)), b...)
		enc := base64.StdEncoding.EncodeToString(buf)
		e := len(enc)
		if off := end[(len(b)+i)%3]; off != 0 {
			e += off
		}
		if start[i] > e {
			continue
		}
		out = append(out, enc[start[i]:e])
	}
	return out
}

// utf16String encodes s as UTF-16 bytes held in a Go string.
func utf16String(s string, bigEndian, bom bool) string {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return string(b)
}

// windash expands every dash-like character of v into all five variants.
func windash(v sstring) ([]sstring, error) {
	out := []sstring{nil}
	count := 0
	for _, t := range v {
		if t.kind != tokLit {
			for i := range out {
				out[i] = append(out[i], t)
			}
			continue
		}
		parts := splitDashes(t.s)
		for _, part := range parts {
			if !isDash(part) {
				for i := range out {
					out[i] = appendLit(out[i], part)
				}
				continue
			}
			if count++; count > maxWindashChars {
				return nil, fmt.Errorf("modifier windash: value has more than %d dash characters", maxWindashChars)
			}
			next := make([]sstring, 0, len(out)*len(windashChars))
			for _, o := range out {
				for _, d := range windashChars {
					next = append(next, appendLit(append(sstring(nil), o...), d))
				}
			}
			out = next
		}
	}
	return out, nil
}

func isDash(s string) bool {
	return slices.Contains(windashChars, s)
}

// splitDashes splits s into runs of non-dash text and single dash characters.
func splitDashes(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		d := string(r)
		if isDash(d) {
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, d)
			start = i + len(d)
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// appendLit appends literal text to s, merging with a trailing literal.
func appendLit(s sstring, lit string) sstring {
	if n := len(s); n > 0 && s[n-1].kind == tokLit {
		s[n-1].s += lit
		return s
	}
	return append(s, token{kind: tokLit, s: lit})
}

// expandPlaceholders replaces %name% placeholders in raw with every combination of their
// values; \% is a literal percent sign.
func expandPlaceholders(raw string, ph map[string][]string) ([]sstring, error) {
	outs := []string{""}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\\' && i+1 < len(raw) && raw[i+1] == '%' {
			outs = appendAll(outs, `%`)
			i++
			continue
		}
		if c != '%' {
			outs = appendAll(outs, raw[i:i+1])
			continue
		}
		j := strings.IndexByte(raw[i+1:], '%')
		if j < 0 {
			outs = appendAll(outs, "%")
			continue
		}
		name := raw[i+1 : i+1+j]
		vals, ok := ph[name]
		if !ok || len(vals) == 0 {
			return nil, fmt.Errorf("placeholder %%%s%% has no values configured", name)
		}
		next := make([]string, 0, len(outs)*len(vals))
		for _, o := range outs {
			for _, v := range vals {
				next = append(next, o+v)
			}
		}
		outs = next
		i += j + 1
	}
	res := make([]sstring, len(outs))
	for i, o := range outs {
		res[i] = parseSString(o)
	}
	return res, nil
}

func appendAll(outs []string, s string) []string {
	for i := range outs {
		outs[i] += s
	}
	return outs
}
