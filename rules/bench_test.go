package rules_test

import (
	"testing"

	"github.com/unmask/unmask/internal/sigma"
)

// BenchmarkPackMatch matches one event against the whole compiled pack.
func BenchmarkPackMatch(b *testing.B) {
	benchmarks := []struct {
		name  string
		event sigma.Map
	}{
		{name: "benign_process", event: sigma.Map{"event.source": "sysmon", "event.kind": "process_start",
			"host.name": "h1", "person.id": "P-1", "EventID": "1", "Image": `C:\Windows\System32\notepad.exe`,
			"CommandLine": `notepad.exe C:\Users\a\todo.txt`, "ParentImage": `C:\Windows\explorer.exe`}},
		{name: "anydesk_process", event: sigma.Map{"event.source": "sysmon", "event.kind": "process_start",
			"host.name": "h1", "person.id": "P-1", "EventID": "1", "Image": `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`,
			"CommandLine": `"C:\Program Files (x86)\AnyDesk\AnyDesk.exe"`, "Company": "AnyDesk Software GmbH"}},
		{name: "zeek_dns", event: sigma.Map{"event.source": "zeek", "event.kind": "dns",
			"query": "login.microsoftonline.com", "id.orig_h": "10.0.0.1", "id.resp_p": "53"}},
	}
	all := MustLoadPack(b)
	e := MustEngine(b, all)
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			m := e.NewMatcher()
			hits := 0
			b.ReportAllocs()
			for b.Loop() {
				m.MatchFields(bm.event, defaultTime, func(sigma.Hit) { hits++ })
			}
		})
	}
}
