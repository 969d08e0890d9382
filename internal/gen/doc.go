// Package gen writes a deterministic synthetic company for demos, benchmarks and
// end-to-end tests: an HRIS export and HR event files, an applicant pipeline with résumés,
// and a month of identity, endpoint, network and SaaS logs, each in the real vendor format
// that internal/ingest reads (Okta System Log, Entra sign-ins, Google Workspace Reports,
// GitHub audit log, osquery results, Sysmon via winlogbeat, Zeek, Jamf and Intune
// inventory, Greenhouse Harvest candidates, the HR CSV formats of docs/formats/hrcsv.md).
//
// Most people are benign and varied on purpose: remote staff in many countries whose time
// zones match their homes, night owls and a second-shift support team, business travel,
// corporate VPN and ZTNA egress, personal VPNs, IT staff with approved remote-access
// tools, a married couple sharing one home address and IP. Hidden among them are a few
// fraudulent workers and applicant clusters, each given a different mix of THREAT.md
// indicators. The Manifest written next to the files is the ground truth: who was
// planted, with which indicator IDs and identifiers, which IP ranges play which role, and
// how many records every file holds.
//
// Fraudulent personas get names, locations and everything else from the same
// distributions as everyone else; only their behaviour differs. Nothing here encodes
// nationality, ethnicity or name origin.
//
// Generate writes, under one directory:
//
//	hris/employees.csv and hris/<format>.csv   HR CSV (hrcsv formats, one file each)
//	greenhouse/candidates.json, resumes/*.txt   Harvest candidates; résumé text by attachment filename
//	okta/system_log.ndjson                      Okta System Log
//	entra/signins.json                          Graph signIns page (Windows laptops)
//	google/login.ndjson, google/drive.ndjson    Reports API activities
//	github/audit.ndjson                         audit-log streaming
//	osquery/results.ndjson                      osquery differential and snapshot results
//	sysmon/winlogbeat.ndjson                    Sysmon events 1 and 22 via winlogbeat
//	zeek/conn.log, zeek/dns.json                Zeek TSV and JSON (ZTNA gateway sensor)
//	mdm/jamf_computers.json, intune_devices.json
//	intel/{corporate,vpn,astrill,hosting}.txt   CIDR lists for ipintel feeds
//	manifest.json                               the ground truth (Manifest)
//
// At the defaults (200 employees, 300 applicants, 30 days) that is about 135,000 events
// written in about a second; 10,000 employees give about 6.8 million events in under a
// minute on two cores, holding about a day of records in memory (about 1 GB at peak).
//
// Output depends only on Options: one PCG stream per person and day, seeded from
// Options.Seed, and no map iteration reaches the output, so one seed gives byte-identical
// files. IP addresses come from the documentation and benchmarking ranges (RFC 5737,
// RFC 2544), ASNs from RFC 5398, domains end in .example and phone numbers use the
// fictional 555-01xx lines.
package gen
