package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	iocCSV = "type,value,description,confidence\n" +
		"email,John.Doe+jobs@googlemail.com,persona cluster A,90\n" +
		"phone,+1 (202) 555-0199,persona cluster A,70\n" +
		"email,not-an-email,bad row,50\n"
	iocCSVUpdated = "type,value,description,confidence\n" +
		"email,John.Doe+jobs@googlemail.com,persona cluster A,95\n" +
		"phone,+1 (202) 555-0199,persona cluster A,70\n"
	iocJSON = `[{"type": "github_login", "value": "@Fake-Dev-42", "confidence": 80},
		{"type": "wallet", "value": "0xAbCdEf0123456789abcdef0123456789ABCDEF01", "description": "payout\u001b[2J wallet"}]`
	iocSTIX = `{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
		{"type": "indicator", "spec_version": "2.1", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
		 "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": "Front company",
		 "pattern": "[domain-name:value = 'fake-staffing.example']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}]}`
)

func TestIndicatorsCommand(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	csvFile, updated := write("feed.csv", iocCSV), write("feed-v2.csv", iocCSVUpdated)
	jsonFile, stixFile := write("list.json", iocJSON), write("bundle.json", iocSTIX)
	noValue := write("novalue.csv", "type,what\nemail,x@example.com\n")
	applicant := write("applicant.json", `{"first_name":"Pat","last_name":"Roe","email_addresses":[{"value":"j.o.h.n.doe@gmail.com"}]}`)
	onDomain := write("domain.json", `{"name":"Sam Lee","emails":["hr@fake-staffing.example"]}`)
	steps := []struct {
		name     string
		args     []string
		wantCode int
		want     string // substring of stdout, or of stderr when the code is non-zero
		wantErr  string // substring of stderr, also on success
	}{
		{"ImportCSV", []string{"indicators", "import", csvFile, "--source", "feed:acme"}, 0, "2 new, 0 updated, 0 unchanged, 1 skipped", "skipped line 4: "},
		{"ReimportUnchanged", []string{"indicators", "import", csvFile, "--source", "feed:acme"}, 0, "0 new, 0 updated, 2 unchanged", ""},
		{"ReimportUpdated", []string{"indicators", "import", updated, "--source", "feed:acme", "--format", "csv"}, 0, "0 new, 1 updated, 1 unchanged", ""},
		{"ImportJSONGuessed", []string{"indicators", "import", jsonFile}, 0, "from file:list.json (json): 2 new", ""},
		{"ImportSTIXGuessed", []string{"indicators", "import", stixFile, "--source", "stix:isac"}, 0, "(stix): 1 new", ""},
		{"ImportStdin", []string{"indicators", "import", "-", "--format", "json", "--source", "stdin"}, 0, "2 new", ""},
		{"BadFormat", []string{"indicators", "import", csvFile, "--format", "xml"}, 2, `--format "xml"`, ""},
		{"NoValueColumn", []string{"indicators", "import", noValue}, 2, `no "value" column`, ""},
		{"NotSTIX", []string{"indicators", "import", csvFile, "--format", "stix"}, 2, "STIX bundle is not valid", ""},
		{"MissingFile", []string{"indicators", "import", filepath.Join(dir, "nope.csv")}, 2, "Cannot open", ""},
		{"List", []string{"indicators", "list"}, 0, "johndoe@gmail.com", ""},
		{"ListByType", []string{"indicators", "list", "--type", "domain"}, 0, "fake-staffing.example  stix:isac", ""},
		{"ListSafeText", []string{"indicators", "list", "--type", "wallet", "--source", "file:list.json"}, 0, "payout [2J wallet", ""},
		{"ListJSON", []string{"indicators", "list", "--source", "feed:acme", "--json"}, 0, `"total": 2`, ""},
		{"ListBadType", []string{"indicators", "list", "--type", "vibes"}, 2, `--type "vibes"`, ""},
		{"ScreenMatchesEmail", []string{"screen", applicant}, 0, "H-03", ""},
		{"ScreenMatchesDomain", []string{"screen", onDomain}, 0, "is on a domain that matches a threat-intelligence indicator from stix:isac", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			stdin := ""
			if st.name == "ImportStdin" {
				stdin = iocJSON
			}
			code, out, errOut := run(t, e, stdin, st.args...)
			where := out
			if st.wantCode != 0 {
				where = errOut
			}
			if code != st.wantCode || !strings.Contains(where, st.want) || !strings.Contains(errOut, st.wantErr) {
				t.Errorf("unmask %s: exit %d, stdout %q, stderr %q; want exit %d with %q (stderr %q)",
					strings.Join(st.args, " "), code, out, errOut, st.wantCode, st.want, st.wantErr)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("output carries an escape sequence: %q", out)
			}
		})
	}
}
