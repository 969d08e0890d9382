package ruleset

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/unmask/unmask"
)

func TestTestRule(t *testing.T) {
	s := MustLoad(t, Options{})
	normalised, err := json.Marshal(anydesk())
	if err != nil {
		t.Fatal(err)
	}
	flat := `{"event.kind":"process_start","host.name":"h1","Image":"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"}`
	nested := `{"@timestamp":"2026-03-16T10:00:00Z","event":{"kind":"process_start"},"host":{"name":"h1"},"Image":"C:\\x\\AnyDesk.exe"}`
	notepad := `{"event.kind":"process_start","Image":"C:\\Windows\\notepad.exe","ParentImage":"C:\\Windows\\explorer.exe"}`
	tests := []struct {
		name, rule, event string
		code              string // the error code, or "" for a result
		matched           bool
		detail            string // a substring of Detail
	}{
		{name: "unknown_rule", rule: "no-such-rule", event: flat, code: unmask.ENOTFOUND},
		{name: "bad_json", rule: "unmask_ra_anydesk", event: `{"Image":`, code: unmask.EINVALID},
		{name: "not_an_object", rule: "unmask_ra_anydesk", event: `["Image"]`, code: unmask.EINVALID},
		{name: "bad_event_time", rule: "unmask_ra_anydesk", event: `{"kind":"dns","time":"yesterday"}`, code: unmask.EINVALID},
		{name: "flat_by_name", rule: "unmask_ra_anydesk", event: flat, matched: true, detail: "The event matches rule unmask_ra_anydesk (AnyDesk remote-access tool on an endpoint)."},
		{name: "flat_by_id", rule: "4d8f81fe-48c8-4dcf-b922-de1aaec53e26", event: flat, matched: true},
		{name: "nested", rule: "unmask_ra_anydesk", event: nested, matched: true},
		{name: "normalised_event", rule: "unmask_ra_anydesk", event: string(normalised), matched: true},
		{name: "other_tool", rule: "unmask_ra_teamviewer", event: flat, detail: "its values of event.kind, Image satisfy no selection"},
		{name: "benign", rule: "unmask_ra_anydesk", event: notepad, detail: "fields it lacks: NewProcessName, OriginalFileName"},
		{name: "no_fields", rule: "unmask_ra_anydesk", event: `{"hello":"world"}`, detail: "it has none of the fields the rule reads (event.kind, Image,"},
		{name: "correlation_needs_sequence", rule: "unmask_corr_remote_access_after_delivery", event: flat,
			detail: "is a temporal_ordered correlation of 2 rules within 10 days; one event did not complete it."},
		{name: "correlation_of_one", rule: "unmask_corr_remote_access_person", event: flat, matched: true},
		{name: "multi_tool_partial", rule: "unmask_corr_multi_remote_access_host", event: flat, detail: "Rules it builds on that matched: unmask_ra_anydesk."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.TestRule(t.Context(), tt.rule, []byte(tt.event))
			if tt.code != "" {
				if unmask.ErrorCode(err) != tt.code {
					t.Fatalf("TestRule = %+v, %v; want code %s", res, err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Matched != tt.matched || !strings.Contains(res.Detail, tt.detail) {
				t.Errorf("TestRule = %+v, want matched %v with %q", res, tt.matched, tt.detail)
			}
		})
	}

	s.SetEnabled("4d8f81fe-48c8-4dcf-b922-de1aaec53e26", false)
	res, err := s.TestRule(t.Context(), "unmask_ra_anydesk", []byte(flat))
	if err != nil || !res.Matched || !strings.HasSuffix(res.Detail, "The rule is disabled, so it raises no signals.") {
		t.Errorf("disabled rule: %+v, %v", res, err)
	}
}

// FuzzTestRule checks that no pasted event makes TestRule fail other than with EINVALID.
func FuzzTestRule(f *testing.F) {
	s := MustLoad(f, Options{})
	for _, seed := range []string{`{"event.kind":"process_start","Image":"AnyDesk.exe"}`, `{"kind":"dns","fields":{"query":"x"}}`,
		`{"a":{"b":[1,{"c":null}]}}`, `[]`, `null`, ``} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, event string) {
		res, err := s.TestRule(t.Context(), "unmask_corr_multi_remote_access_host", []byte(event))
		if err != nil && unmask.ErrorCode(err) != unmask.EINVALID || err == nil && res.Detail == "" {
			t.Errorf("TestRule(%q) = %+v, %v", event, res, err)
		}
	})
}
