package sigma

import (
	"bytes"
	"net/netip"
	"regexp"
	"strconv"
	"time"
	"unsafe"
)

// Value states of a field in a record.
const (
	stAbsent  = iota // the event has no such field
	stPresent        // the field has a value
	stNull           // the field is JSON null
)

// fieldVal is the value of one needed field in the current event. raw and low alias the
// input or the matcher's arena and are valid only during one match call.
type fieldVal struct {
	raw, low []byte // low is set on first use (record.low)
	lowered  bool
	state    uint8
	prio     uint8 // index of the path that filled it; lower wins
	scanned  bool  // the prefilter automaton ran over low
	next     int32 // 1 + index in record.extra of the next array element; 0 none
}

// Match kinds of a compiled value.
const (
	mEq = iota
	mPrefix
	mSuffix
	mContains
	mGlob
	mRegex
	mCIDR
	mCmp
	mNull
	mExists
	mFieldRef
	mTime
)

// vmatch is one compiled value of a detection item.
type vmatch struct {
	kind   uint8
	cased  bool
	want   bool // mExists: the field must exist
	lit    []byte
	pat    []byte
	kinds  []uint8
	re     *regexp.Regexp // mRegex: the matchOnly form of the expression, for Match alone
	prefix netip.Prefix
	op     string
	num    float64
	ref    int   // mFieldRef: slot of the referenced field
	refOp  uint8 // mFieldRef: mEq, mPrefix, mSuffix or mContains
	part   string
	group  int      // index of the rule value this was expanded from
	acID   int32    // 1 + the prefilter literal id that answers this value; 0 none
	needs  []string // lowercase literals of which every match contains one (prefilter)
	// mRegex, mGlob: conjuncts worth gating with (regexConjuncts, globConjuncts), and
	// their prefilter literal ids; a conjunct none of whose literals occurred means no
	// match.
	gateLits [][]string
	gates    [][]int32
}

// match reports whether v satisfies m. r gives access to other fields (fieldref).
func (m *vmatch) match(v *fieldVal, r *record) bool {
	switch m.kind {
	case mNull:
		return v.state != stPresent
	case mExists:
		return (v.state != stAbsent) == m.want
	}
	if v.state != stPresent {
		return false
	}
	if m.acID > 0 && v.scanned {
		return r.seen.has(m.acID - 1)
	}
	s := v.raw
	if !m.cased {
		s = r.low(v)
	}
	switch m.kind {
	case mEq:
		return bytes.Equal(s, m.lit)
	case mPrefix:
		return bytes.HasPrefix(s, m.lit)
	case mSuffix:
		return bytes.HasSuffix(s, m.lit)
	case mContains:
		return bytes.Contains(s, m.lit)
	case mGlob:
		if v.scanned && !r.gatesPass(m.gates) {
			return false
		}
		return globMatch(m.pat, m.kinds, s)
	case mRegex:
		if v.scanned && !r.gatesPass(m.gates) {
			return false
		}
		return m.re.Match(v.raw)
	case mCIDR:
		return matchCIDR(m.prefix, v.raw)
	case mCmp:
		f, err := strconv.ParseFloat(bytesString(bytes.TrimSpace(v.raw)), 64)
		return err == nil && compare(f, m.op, m.num)
	case mTime:
		f, ok := timePart(v.raw, m.part)
		return ok && compare(f, m.op, m.num)
	case mFieldRef:
		return m.matchRef(s, r)
	}
	return false
}

func (m *vmatch) matchRef(s []byte, r *record) bool {
	o := &r.vals[m.ref]
	if o.state != stPresent {
		return false
	}
	t := o.raw
	if !m.cased {
		t = r.low(o)
	}
	switch m.refOp {
	case mPrefix:
		return bytes.HasPrefix(s, t)
	case mSuffix:
		return bytes.HasSuffix(s, t)
	case mContains:
		return bytes.Contains(s, t)
	}
	return bytes.Equal(s, t)
}

// compare applies a numeric comparison operator; "" and "eq" mean equality.
func compare(a float64, op string, b float64) bool {
	switch op {
	case "gt":
		return a > b
	case "gte":
		return a >= b
	case "lt":
		return a < b
	case "lte":
		return a <= b
	case "neq":
		return a != b
	}
	return a == b
}

func matchCIDR(p netip.Prefix, raw []byte) bool {
	a, err := netip.ParseAddr(bytesString(bytes.TrimSpace(raw)))
	if err != nil {
		return false
	}
	return p.Contains(a.Unmap())
}

// timeLayouts are the date forms the time modifiers understand.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

// timePart extracts a numeric part (minute, hour, ...) from a date value.
func timePart(raw []byte, part string) (float64, bool) {
	s := bytesString(bytes.TrimSpace(raw))
	for _, l := range timeLayouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		switch part {
		case "minute":
			return float64(t.Minute()), true
		case "hour":
			return float64(t.Hour()), true
		case "day":
			return float64(t.Day()), true
		case "week":
			_, w := t.ISOWeek()
			return float64(w), true
		case "month":
			return float64(t.Month()), true
		default:
			return float64(t.Year()), true
		}
	}
	return 0, false
}

// bytesString views b as a string without copying; the string must not outlive b.
func bytesString(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// stringBytes views s as bytes without copying; the bytes must not be modified.
func stringBytes(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// item is one detection item: a field (or keyword search when keyword is set) with its
// values, joined by OR, or by AND with the all modifier; neq negates the result.
type item struct {
	field   string
	keyword bool
	slot    int
	all     bool
	neq     bool
	vals    []vmatch
	// For a value the prefilter scanned, an item joining its values by OR checks the
	// literals of its answered values (ans, by id) together, then evaluates the rest
	// (indices into vals); split says whether this applies (splitAnswers).
	split bool
	ans   []int32
	rest  []int32
}

// eval reports whether the item holds for r.
func (it *item) eval(r *record) bool {
	var res bool
	if it.keyword {
		res = it.evalKeyword(r)
	} else if v := &r.vals[it.slot]; v.next == 0 {
		res = it.evalValue(v, r)
	} else {
		res = it.evalElems(v, r)
	}
	return res != it.neq
}

// evalElems evaluates an array value: each value (each group, with all) must match
// some element.
func (it *item) evalElems(v *fieldVal, r *record) bool {
	for start := 0; start < len(it.vals); {
		end := start + 1
		for it.all && end < len(it.vals) && it.vals[end].group == it.vals[start].group {
			end++
		}
		if !it.all {
			end = len(it.vals)
		}
		found := false
		for e := v; e != nil && !found; e = r.nextElem(e) {
			for i := start; i < end && !found; i++ {
				found = it.vals[i].match(e, r)
			}
		}
		if !found {
			return false
		}
		if !it.all {
			return true
		}
		start = end
	}
	return len(it.vals) > 0
}

func (it *item) evalValue(v *fieldVal, r *record) bool {
	if it.split && v.scanned {
		if r.anySeen(it.ans) {
			return true
		}
		for _, i := range it.rest {
			if it.vals[i].match(v, r) {
				return true
			}
		}
		return false
	}
	if it.all {
		ok := false
		for i := range it.vals {
			if i > 0 && it.vals[i].group != it.vals[i-1].group {
				if !ok {
					return false
				}
				ok = false
			}
			if !ok && it.vals[i].match(v, r) {
				ok = true
			}
		}
		return ok
	}
	for i := range it.vals {
		if it.vals[i].match(v, r) {
			return true
		}
	}
	return false
}

// evalKeyword searches every value of the event. With all, each value must occur in
// some field.
func (it *item) evalKeyword(r *record) bool {
	r.lowerLeaves()
	ok := false
	for i := range it.vals {
		if it.all && i > 0 && it.vals[i].group != it.vals[i-1].group {
			if !ok {
				return false
			}
			ok = false
		}
		if ok {
			continue
		}
		for j := range r.leaves {
			if it.vals[i].match(&r.leaves[j], r) {
				ok = true
				break
			}
		}
		if ok && !it.all {
			return true
		}
	}
	return ok
}
