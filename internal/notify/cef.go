package notify

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
)

// CEFDevice names the device in CEF headers.
type CEFDevice struct {
	Vendor  string
	Product string
	Version string
}

// CEF renders m as an ArcSight Common Event Format (version 0) record:
//
//	CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|Extension
//
// Header fields escape '\' and '|'; extension values escape '\' and '=' and write line
// breaks as \n and \r, so the record is always one line.
func CEF(dev CEFDevice, m Message) string {
	sig := cmp.Or(m.Kind, "notification")
	if m.Concern != "" {
		sig += ":" + m.Concern
	}
	header := []string{
		"CEF:0",
		cefHeader(cmp.Or(dev.Vendor, "Unmask")),
		cefHeader(cmp.Or(dev.Product, "Unmask")),
		cefHeader(cmp.Or(dev.Version, "1.0")),
		cefHeader(sig),
		cefHeader(m.Title),
		strconv.Itoa(cefSeverity(m.Severity)),
	}
	var ext []string
	if !m.Time.IsZero() {
		ext = append(ext, "rt="+strconv.FormatInt(m.Time.UnixMilli(), 10))
	}
	for _, kv := range [][3]string{
		{"externalId", "", m.ID},
		{"cs1", "personId", m.PersonID},
		{"cs2", "alertId", m.AlertID},
		{"cs3", "caseId", m.CaseID},
		{"cs4", "concern", m.Concern},
		{"request", "", m.Link},
		{"msg", "", m.Text},
	} {
		if kv[2] == "" {
			continue
		}
		if kv[1] != "" {
			ext = append(ext, kv[0]+"Label="+kv[1])
		}
		ext = append(ext, kv[0]+"="+cefValue(kv[2]))
	}
	return strings.Join(header, "|") + "|" + strings.Join(ext, " ")
}

// cefSeverity maps a severity to CEF's 0–10 scale.
func cefSeverity(s unmask.Severity) int {
	switch s {
	case unmask.SeverityCritical:
		return 10
	case unmask.SeverityHigh:
		return 8
	case unmask.SeverityMedium:
		return 5
	case unmask.SeverityLow:
		return 3
	}
	return 1
}

var (
	cefHeaderEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`, "\r\n", " ", "\n", " ", "\r", " ")
	cefValueEscaper  = strings.NewReplacer(`\`, `\\`, `=`, `\=`, "\r\n", `\n`, "\n", `\n`, "\r", `\r`)
)

func cefHeader(s string) string { return cefHeaderEscaper.Replace(s) }

func cefValue(s string) string { return cefValueEscaper.Replace(s) }
