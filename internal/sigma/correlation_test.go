package sigma

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// baseRules are the detection rules the correlation tests reference by name.
const baseRules = `title: failed login
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
name: failed_login
logsource: {product: okta}
detection:
  sel:
    Outcome: failure
  condition: sel
---
title: successful login
name: successful_login
logsource: {product: okta}
detection:
  sel:
    Outcome: success
  condition: sel
---
title: mfa reset
name: mfa_reset
logsource: {product: okta}
detection:
  sel:
    Action: mfa.reset
  condition: sel
`

// step is one event of a correlation scenario: seconds after the start, and fields.
type step struct {
	at     int
	fields Map
}

// MustRunSteps matches steps in order and returns "rule@second:count" for every hit.
func MustRunSteps(tb testing.TB, e *Engine, steps []step) []string {
	tb.Helper()
	m := e.NewMatcher()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	out := []string{}
	for _, s := range steps {
		m.MatchFields(s.fields, start.Add(time.Duration(s.at)*time.Second), func(h Hit) {
			out = append(out, fmt.Sprintf("%s@%d:%d", h.Rule.Ref(), s.at, h.Count))
		})
	}
	return out
}

func fail(user string) Map    { return Map{"Outcome": "failure", "User": user} }
func success(user string) Map { return Map{"Outcome": "success", "User": user} }

// TestCorrelations checks each correlation type in event time with group-by and
// timespan eviction.
func TestCorrelations(t *testing.T) {
	tests := []struct {
		name  string
		corr  string
		steps []step
		want  []string
	}{
		{
			name:  "event_count_fires",
			corr:  "type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 5m\n  condition: {gte: 3}",
			steps: []step{{0, fail("a")}, {60, fail("a")}, {61, fail("b")}, {120, fail("a")}},
			want:  []string{"c1@120:3"},
		},
		{
			name:  "event_count_window_slides",
			corr:  "type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 5m\n  condition: {gte: 3}",
			steps: []step{{0, fail("a")}, {200, fail("a")}, {400, fail("a")}, {450, fail("a")}},
			want:  []string{"c1@450:3"},
		},
		{
			name:  "event_count_by_rule_id",
			corr:  "type: event_count\n  rules: [5638f7c0-ac70-491d-8465-2a65075e0d86]\n  group-by: [User]\n  timespan: 1h\n  condition: {gt: 1}",
			steps: []step{{0, fail("a")}, {10, fail("a")}},
			want:  []string{"c1@10:2"},
		},
		{
			name:  "event_count_range",
			corr:  "type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1h\n  condition: {gt: 1, lte: 2}",
			steps: []step{{0, fail("a")}, {10, fail("a")}},
			want:  []string{"c1@10:2"},
		},
		{
			name:  "event_count_no_group_by",
			corr:  "type: event_count\n  rules: [failed_login]\n  timespan: 1h\n  condition: {gte: 2}",
			steps: []step{{0, fail("a")}, {10, fail("b")}},
			want:  []string{"c1@10:2"},
		},
		{
			name:  "value_count_fires",
			corr:  "type: value_count\n  rules: [failed_login]\n  group-by: [Host]\n  timespan: 10m\n  condition: {field: User, gte: 3}",
			steps: []step{{0, Map{"Outcome": "failure", "Host": "h", "User": "a"}}, {1, Map{"Outcome": "failure", "Host": "h", "User": "a"}}, {2, Map{"Outcome": "failure", "Host": "h", "User": "b"}}, {3, Map{"Outcome": "failure", "Host": "h", "User": "c"}}},
			want:  []string{"c1@3:3"},
		},
		{
			name:  "value_count_old_values_expire",
			corr:  "type: value_count\n  rules: [failed_login]\n  group-by: [Host]\n  timespan: 10m\n  condition: {field: User, gte: 3}",
			steps: []step{{0, Map{"Outcome": "failure", "Host": "h", "User": "a"}}, {700, Map{"Outcome": "failure", "Host": "h", "User": "b"}}, {701, Map{"Outcome": "failure", "Host": "h", "User": "c"}}},
			want:  []string{},
		},
		{
			name:  "value_sum",
			corr:  "type: value_sum\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1h\n  condition: {field: Bytes, gt: 100}",
			steps: []step{{0, Map{"Outcome": "failure", "User": "a", "Bytes": "60"}}, {1, Map{"Outcome": "failure", "User": "a", "Bytes": "x"}}, {2, Map{"Outcome": "failure", "User": "a", "Bytes": "50.5"}}},
			want:  []string{"c1@2:110"},
		},
		{
			name:  "value_avg",
			corr:  "type: value_avg\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1h\n  condition: {field: Bytes, gte: 10}",
			steps: []step{{0, Map{"Outcome": "failure", "User": "a", "Bytes": "4"}}, {1, Map{"Outcome": "failure", "User": "a", "Bytes": "20"}}},
			want:  []string{"c1@1:12"},
		},
		{
			name:  "temporal_any_order",
			corr:  "type: temporal\n  rules: [successful_login, mfa_reset]\n  group-by: [User]\n  timespan: 10m",
			steps: []step{{0, Map{"Action": "mfa.reset", "User": "a"}}, {30, success("b")}, {60, success("a")}},
			want:  []string{"c1@60:2"},
		},
		{
			name:  "temporal_too_far_apart",
			corr:  "type: temporal\n  rules: [successful_login, mfa_reset]\n  group-by: [User]\n  timespan: 10m",
			steps: []step{{0, Map{"Action": "mfa.reset", "User": "a"}}, {601, success("a")}},
			want:  []string{},
		},
		{
			name:  "temporal_ordered_in_order",
			corr:  "type: temporal_ordered\n  rules: [mfa_reset, successful_login]\n  group-by: [User]\n  timespan: 10m",
			steps: []step{{0, Map{"Action": "mfa.reset", "User": "a"}}, {60, success("a")}},
			want:  []string{"c1@60:2"},
		},
		{
			name:  "temporal_ordered_wrong_order",
			corr:  "type: temporal_ordered\n  rules: [mfa_reset, successful_login]\n  group-by: [User]\n  timespan: 10m",
			steps: []step{{0, success("a")}, {60, Map{"Action": "mfa.reset", "User": "a"}}},
			want:  []string{},
		},
		{
			name:  "generate_keeps_base_hits",
			corr:  "type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 5m\n  condition: {gte: 2}\n  generate: true",
			steps: []step{{0, fail("a")}, {1, fail("a")}},
			want:  []string{"5638f7c0-ac70-491d-8465-2a65075e0d86@0:1", "5638f7c0-ac70-491d-8465-2a65075e0d86@1:1", "c1@1:2"},
		},
		{
			name:  "late_event_ignored",
			corr:  "type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1m\n  condition: {gte: 2}",
			steps: []step{{600, fail("a")}, {0, fail("a")}},
			want:  []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustEngine(t, nil, baseRules+"---\ntitle: corr\nid: c1\ncorrelation:\n  "+tt.corr+"\n")
			if diff := cmp.Diff(tt.want, MustRunSteps(t, e, tt.steps)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCorrelationChainAndAliases checks a correlation over a correlation (many failed
// logins then a success) and group-by aliases across rules with different field names.
func TestCorrelationChainAndAliases(t *testing.T) {
	src := baseRules + `---
title: many failed
name: many_failed
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [User]
  timespan: 1h
  condition: {gte: 2}
---
title: brute force then success
id: chain
correlation:
  type: temporal_ordered
  rules: [many_failed, successful_login]
  group-by: [User]
  timespan: 1h
---
title: reset and login by same person
id: alias
correlation:
  type: temporal
  rules: [mfa_reset, successful_login]
  group-by: [person]
  aliases:
    person:
      mfa_reset: Target
      successful_login: User
  timespan: 1h
`
	e := MustEngine(t, nil, src)
	steps := []step{
		{0, fail("a")}, {10, fail("a")}, {20, success("a")},
		{30, Map{"Action": "mfa.reset", "Target": "z"}}, {40, success("z")},
	}
	want := []string{"chain@20:2", "alias@40:2"}
	if diff := cmp.Diff(want, MustRunSteps(t, e, steps)); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

// TestCorrelationStateCaps checks that the group cap holds and evicts the least
// recently seen group.
func TestCorrelationStateCaps(t *testing.T) {
	rules := MustParse(t, baseRules+"---\ntitle: c\nid: c1\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1h\n  condition: {gte: 2}\n")
	e, err := NewEngine(Options{Rules: rules, MaxGroups: 2})
	if err != nil {
		t.Fatal(err)
	}
	m := e.NewMatcher()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var hits []string
	for i, u := range []string{"a", "b", "c", "a"} {
		m.MatchFields(fail(u), start.Add(time.Duration(i)*time.Second), func(h Hit) { hits = append(hits, h.Group["User"]) })
		if n := len(m.corr[0].groups); n > 2 {
			t.Fatalf("after %d events %d groups, cap is 2", i+1, n)
		}
	}
	if len(hits) != 0 {
		t.Errorf("hits %v: group a should have been evicted before its second event", hits)
	}
	if m.corr[0].evicted != 2 {
		t.Errorf("evicted %d groups, want 2", m.corr[0].evicted)
	}
}

// TestCorrelationSweep checks that groups older than the timespan are dropped.
func TestCorrelationSweep(t *testing.T) {
	e := MustEngine(t, nil, baseRules+"---\ntitle: c\nid: c1\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1m\n  condition: {gte: 100}\n")
	m := e.NewMatcher()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i := range 5000 {
		m.MatchFields(fail(fmt.Sprint(i)), start.Add(time.Duration(i)*time.Second), func(Hit) {})
	}
	if n := len(m.corr[0].groups); n > 1000 {
		t.Errorf("%d groups kept, want at most the sweep interval plus one window", n)
	}
}

// TestCorrelationGroupsKeepTheirValues feeds one event to two correlations grouped by
// different fields: each hit must report its own group's values, not the other's.
func TestCorrelationGroupsKeepTheirValues(t *testing.T) {
	e := MustEngine(t, nil, baseRules+`---
title: failures per host
name: by_host
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [Host]
  timespan: 10m
  condition: {gte: 2}
---
title: failures per user
name: by_user
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [User]
  timespan: 10m
  condition: {gte: 2}
`)
	m := e.NewMatcher()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	got := map[string]map[string]string{}
	for i := range 2 {
		m.MatchFields(Map{"Outcome": "failure", "User": "U1", "Host": "H1"}, start.Add(time.Duration(i)*time.Second), func(h Hit) {
			if h.Rule.Kind == KindCorrelation {
				got[h.Rule.Name] = h.Group
			}
		})
	}
	want := map[string]map[string]string{"by_host": {"Host": "H1"}, "by_user": {"User": "U1"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}
