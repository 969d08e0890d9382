package main

import (
	"sort"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/entra"
	"github.com/unmask/unmask/internal/ingest/github"
	"github.com/unmask/unmask/internal/ingest/google"
	"github.com/unmask/unmask/internal/ingest/greenhouse"
	"github.com/unmask/unmask/internal/ingest/hrcsv"
	"github.com/unmask/unmask/internal/ingest/lever"
	"github.com/unmask/unmask/internal/ingest/mdm"
	"github.com/unmask/unmask/internal/ingest/okta"
	"github.com/unmask/unmask/internal/ingest/osquery"
	"github.com/unmask/unmask/internal/ingest/sysmon"
	"github.com/unmask/unmask/internal/ingest/zeek"
)

// sourceSpec is one input format the ingest command and endpoint accept.
type sourceSpec struct {
	about string
	open  func(cfg *config.Config, h *idhash.Hasher) (ingest.Format, error)
}

// sources is the explicit table of input formats, by the name users give.
var sources = map[string]sourceSpec{
	"okta": {"Okta System Log: /api/v1/logs arrays, NDJSON exports, event-hook deliveries",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return okta.New(c.Ingest.MaxRecordBytes), nil
		}},
	"entra": {"Microsoft Entra sign-ins: Graph value[] pages and Azure diagnostic records[]",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return entra.New(c.Ingest.MaxRecordBytes), nil
		}},
	"google": {"Google Workspace Reports activities (login, drive, device)",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return google.New(c.Ingest.MaxRecordBytes), nil
		}},
	"github": {"GitHub audit log: REST API pages and streaming JSON",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return github.New(c.Ingest.MaxRecordBytes), nil
		}},
	"osquery": {"osquery results logs: differential, snapshot and batch",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return osquery.New(c.Ingest.MaxRecordBytes), nil
		}},
	"sysmon": {"Windows and Sysmon events as winlogbeat/ECS or EVTX-derived JSON",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return sysmon.New(c.Ingest.MaxRecordBytes), nil
		}},
	"zeek": {"Zeek conn, dns, ssl and http logs, JSON or TSV",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return zeek.New(c.Ingest.MaxRecordBytes), nil
		}},
	"mdm": {"device inventory: Jamf Pro computers and Intune managedDevices",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return mdm.New(mdm.Options{MaxRecord: c.Ingest.MaxRecordBytes}), nil
		}},
	"greenhouse": {"Greenhouse Harvest candidates and applications, and webhooks",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return greenhouse.New(greenhouse.Options{MaxRecord: c.Ingest.MaxRecordBytes}), nil
		}},
	"lever": {"Lever ATS: API pages ({\"data\": [...]}) and Airbyte-style exports",
		func(c *config.Config, _ *idhash.Hasher) (ingest.Format, error) {
			return lever.New(c.Ingest.MaxRecordBytes), nil
		}},
	"hris": {"HR CSV: the HRIS employee export and HR events (docs/formats/hrcsv.md)",
		func(c *config.Config, h *idhash.Hasher) (ingest.Format, error) {
			return hrcsv.New(hrcsv.Options{MaxRecord: c.Ingest.MaxRecordBytes, Hash: func(k unmask.IdentifierKind, v string) string { return h.Hash(k, v) }})
		}},
}

// sourceNames lists the source names, sorted.
func sourceNames() []string {
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// openSource returns the format of a named source.
func openSource(name string, cfg *config.Config, h *idhash.Hasher) (ingest.Format, error) {
	spec, ok := sources[name]
	if !ok {
		return nil, unmask.Errorf(unmask.ENOTFOUND, "Unknown source %q: want one of %s.", name, strings.Join(sourceNames(), ", "))
	}
	return spec.open(cfg, h)
}
