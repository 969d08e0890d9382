package sigma

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

// TestEventFields checks matching a domain event through its fields and standard fields.
func TestEventFields(t *testing.T) {
	src := detectionRule("proc", "  sel:\n    Image|endswith: '\\certutil.exe'\n    actor: alice\n  condition: sel") +
		"---\n" + detectionRule("kw", "  keywords:\n    - 'ws-042'\n  condition: keywords") +
		"---\n" + detectionRule("ip", "  sel:\n    source_ip|cidr: 203.0.113.0/24\n  condition: sel")
	e := MustEngine(t, nil, src)
	ev := &unmask.Event{
		ID: "e1", Time: time.Unix(0, 0), Source: "sysmon", Kind: unmask.KindProcessStart,
		Actor: "Alice", Host: "WS-042", SourceIP: "203.0.113.9",
		Fields: map[string]string{"Image": `C:\Windows\System32\certutil.exe`},
	}
	var got []string
	e.NewMatcher().MatchFields(EventFields(ev), ev.Time, func(h Hit) { got = append(got, h.Rule.Ref()) })
	if diff := cmp.Diff([]string{"proc", "kw", "ip"}, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}
