package sigma_test

import (
	"fmt"
	"time"

	"github.com/unmask/unmask/internal/sigma"
)

// Example compiles one rule for evtx JSON (Sysmon) events and matches an event.
func Example() {
	rules, errs := sigma.ParseFile("certutil.yml", []byte(`
title: Certutil download
id: 2f5b7a1e-6c43-4a51-9d1b-3f0a2e8c7d11
logsource: {product: windows, category: process_creation}
detection:
    selection:
        Image|endswith: '\certutil.exe'
        CommandLine|windash|contains: ' -urlcache '
    condition: selection
`), sigma.ParseOptions{})
	if len(errs) > 0 {
		fmt.Println(errs)
		return
	}
	p, err := sigma.DefaultPipeline("sysmon-evtx")
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := sigma.NewEngine(sigma.Options{Rules: rules, Pipeline: p})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := e.NewMatcher()
	event := []byte(`{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},
		"EventData":{"Image":"C:\\Windows\\System32\\CertUtil.exe","CommandLine":"certutil /urlcache -f http://x/a a.exe"}}}`)
	err = m.MatchJSON(event, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), func(h sigma.Hit) { fmt.Println(h.Rule.Title) })
	fmt.Println(err)
	// Output:
	// Certutil download
	// <nil>
}
