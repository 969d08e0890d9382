package ruleset

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// TestResult is the outcome of TestRule.
type TestResult struct {
	Matched bool
	// Detail says, in a sentence or two, what matched or why nothing did.
	Detail string
}

// eventKeys are the JSON keys of unmask.Event; an object with only these keys and a kind
// is a normalised event.
var eventKeys = map[string]bool{
	"id": true, "time": true, "source": true, "kind": true, "action": true, "outcome": true,
	"actor": true, "person_id": true, "source_ip": true, "user_agent": true, "session_id": true,
	"device_id": true, "serial": true, "host": true, "target": true, "geo": true, "fields": true,
	"ingested_at": true,
}

// testEvent is a pasted event, ready to match.
type testEvent struct {
	at     time.Time
	fields sigma.FieldRanger // a normalised event; nil for raw JSON
	raw    []byte            // raw JSON, when fields is nil
	keys   map[string]bool   // the field names the event has
}

// TestRule matches one pasted event against a rule (by id or name) and the rules it
// references, in a fresh matcher. The event is a normalised unmask.Event as JSON, or a
// raw JSON object as a source sends it (nested objects are read by dotted paths, and
// "@timestamp" gives its time). A rule that does not exist is ENOTFOUND; an event that
// is not a JSON object is EINVALID. Disabled rules are tested too.
func (s *Set) TestRule(_ context.Context, ruleID string, event []byte) (*TestResult, error) {
	st := s.cur.Load()
	en := st.byRef[ruleID]
	if en == nil {
		return nil, unmask.Errorf(unmask.ENOTFOUND, "Rule %s not found.", ruleID)
	}
	ev, err := parseTestEvent(event, s.opts.Now)
	if err != nil {
		return nil, err
	}
	eng, err := st.closureEngine(en.rule)
	if err != nil {
		return nil, unmask.WrapError(unmask.EINTERNAL, err, "Rule %s cannot be compiled.", ruleID)
	}
	var hits []sigma.Hit
	emit := func(h sigma.Hit) { hits = append(hits, h) }
	m := eng.NewMatcher()
	if ev.fields != nil {
		m.MatchFields(ev.fields, ev.at, emit)
	} else if err := m.MatchJSON(ev.raw, ev.at, emit); err != nil {
		return nil, err
	}
	res := &TestResult{}
	var others []string
	for _, h := range hits {
		if h.Rule == en.rule {
			res.Matched = true
		} else {
			others = append(others, label(h.Rule))
		}
	}
	res.Detail = testDetail(en, ev, res.Matched, others)
	if !s.Enabled(en.meta.ID) {
		res.Detail += " The rule is disabled, so it raises no signals."
	}
	return res, nil
}

// parseTestEvent reads a pasted event.
func parseTestEvent(data []byte, now func() time.Time) (*testEvent, error) {
	data = bytes.TrimSpace(data)
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "The event is not a JSON object.")
	}
	ev := &testEvent{at: now(), keys: map[string]bool{}}
	if isNormalised(obj) {
		var e unmask.Event
		if err := json.Unmarshal(data, &e); err != nil {
			return nil, unmask.WrapError(unmask.EINVALID, err, "The event looks like an Unmask event but does not decode: %v", err)
		}
		if !e.Time.IsZero() {
			ev.at = e.Time
		}
		ev.fields = eventFields{&e}
		ev.fields.RangeFields(func(name, _ string) bool { ev.keys[name] = true; return true })
		return ev, nil
	}
	var tree map[string]any
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "The event is not a JSON object.")
	}
	flattenKeys("", tree, ev.keys)
	if ts, ok := tree[rules.TimeField].(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
			ev.at = t
		}
	}
	ev.raw = data
	return ev, nil
}

// isNormalised reports whether a JSON object is an unmask.Event: it has a kind and no
// key an Event does not have.
func isNormalised(obj map[string]json.RawMessage) bool {
	if _, ok := obj["kind"]; !ok {
		return false
	}
	for k := range obj {
		if !eventKeys[k] {
			return false
		}
	}
	return true
}

// flattenKeys records the dotted path of every value of a JSON object.
func flattenKeys(prefix string, v map[string]any, out map[string]bool) {
	for k, x := range v {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		out[p] = true
		if m, ok := x.(map[string]any); ok {
			flattenKeys(p, m, out)
		}
	}
}

// testDetail explains a TestRule outcome.
func testDetail(en *entry, ev *testEvent, matched bool, others []string) string {
	r := en.rule
	if matched {
		return fmt.Sprintf("The event matches rule %s (%s).", label(r), r.Title)
	}
	if r.Correlation != nil {
		d := fmt.Sprintf("Rule %s is a %s correlation of %d rules within %s; one event did not complete it.",
			label(r), r.Correlation.Type, len(r.Correlation.Rules), humanSpan(r.Correlation.Timespan))
		if len(others) > 0 {
			d += " Rules it builds on that matched: " + strings.Join(others, ", ") + "."
		}
		return d
	}
	var have, missing []string
	for _, f := range r.Fields() {
		if ev.keys[f] {
			have = append(have, f)
		} else {
			missing = append(missing, f)
		}
	}
	switch {
	case len(have) == 0 && len(missing) > 0:
		return fmt.Sprintf("The event does not match rule %s: it has none of the fields the rule reads (%s).",
			label(r), list(missing))
	case len(have) == 0:
		return fmt.Sprintf("The event does not match rule %s.", label(r))
	case len(missing) > 0:
		return fmt.Sprintf("The event does not match rule %s: its values of %s satisfy no selection of the condition (fields it lacks: %s).",
			label(r), list(have), list(missing))
	}
	return fmt.Sprintf("The event does not match rule %s: its values of %s satisfy no selection of the condition.",
		label(r), list(have))
}

// list joins names with commas, the first 8 of them.
func list(names []string) string {
	const show = 8
	if len(names) <= show {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:show], ", "), len(names)-show)
}

// label names a rule in messages: its name, else its id.
func label(r *sigma.Rule) string {
	if r.Name != "" {
		return r.Name
	}
	return r.Ref()
}
