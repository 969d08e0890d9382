package hrcsv

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// colType is the type of a column's values.
type colType int

// Column types; docs/formats/hrcsv.md describes each.
const (
	tText colType = iota
	tEmail
	tDate
	tTime
	tEnum
	tBool
	tCountry
	tTimeZone
	tIP
	tSecret // an account number: never kept in clear, see Options.Hash
)

// column is one documented column.
type column struct {
	name     string
	typ      colType
	required bool
	enum     []string
}

// schema is one documented CSV format.
type schema struct {
	name      string // the Kind given to New and the Event.Action
	kind      unmask.EventKind
	timeCol   string // the event time
	actorCol  string
	targetCol string
	serialCol string
	ipCol     string
	columns   []column
}

// hasSecret reports whether a column of s holds account numbers.
func (s *schema) hasSecret() bool {
	return slices.ContainsFunc(s.columns, func(c column) bool { return c.typ == tSecret })
}

func (s *schema) column(name string) *column {
	for i := range s.columns {
		if s.columns[i].name == name {
			return &s.columns[i]
		}
	}
	return nil
}

func req(name string, t colType, enum ...string) column {
	return column{name: name, typ: t, required: true, enum: enum}
}
func opt(name string, t colType, enum ...string) column {
	return column{name: name, typ: t, enum: enum}
}

var channels = []string{"self_service", "hr", "api", "it"}

// Schemas lists the formats; keep docs/formats/hrcsv.md in step.
var schemas = []*schema{
	{name: "employees", kind: unmask.KindHRChange, timeCol: "updated_at", actorCol: "email", targetCol: "employee_id",
		serialCol: "laptop_serial", columns: []column{
			req("employee_id", tText), req("email", tEmail), req("first_name", tText), req("last_name", tText),
			req("employment_type", tEnum, "employee", "contractor"), req("status", tEnum, "active", "leave", "terminated"),
			req("hire_date", tDate), opt("termination_date", tDate), opt("job_title", tText), opt("department", tText),
			opt("manager_email", tEmail), opt("work_location", tText), req("country", tCountry), opt("time_zone", tTimeZone),
			opt("home_address", tText), opt("phone", tText), opt("github_login", tText), opt("laptop_serial", tText),
			req("updated_at", tTime)}},
	{name: "address_change", kind: unmask.KindHRChange, timeCol: "changed_at", actorCol: "email", targetCol: "address_type",
		columns: []column{req("event_id", tText), req("employee_id", tText), req("email", tEmail), req("changed_at", tTime),
			req("address_type", tEnum, "home", "mailing", "ship_to"), req("new_address", tText), opt("old_address", tText),
			opt("country", tCountry), opt("changed_by", tText), opt("channel", tEnum, channels...)}},
	{name: "payroll_account_change", kind: unmask.KindHRChange, timeCol: "changed_at", actorCol: "email", targetCol: "bank_name",
		columns: []column{req("event_id", tText), req("employee_id", tText), req("email", tEmail), req("changed_at", tTime),
			req("bank_name", tText), req("bank_country", tCountry), req("account_number", tSecret), opt("routing_number", tSecret),
			opt("account_holder", tText), opt("changed_by", tText), opt("channel", tEnum, channels...)}},
	{name: "laptop_shipment", kind: unmask.KindHRChange, timeCol: "shipped_at", actorCol: "email", targetCol: "serial",
		serialCol: "serial", columns: []column{req("shipment_id", tText), req("employee_id", tText), req("email", tEmail),
			req("shipped_at", tTime), req("serial", tText), opt("asset_tag", tText), req("carrier", tText),
			opt("tracking_number", tText), opt("ship_to_name", tText), req("ship_to_address", tText),
			req("ship_to_country", tCountry), req("status", tEnum, "shipped", "delivered", "returned", "lost")}},
	{name: "ship_to_change", kind: unmask.KindHRChange, timeCol: "requested_at", actorCol: "email", targetCol: "shipment_id",
		columns: []column{req("event_id", tText), req("employee_id", tText), req("email", tEmail), req("requested_at", tTime),
			opt("shipment_id", tText), opt("old_address", tText), req("new_address", tText), opt("new_country", tCountry),
			opt("requested_by", tText), opt("reason", tText)}},
	{name: "mfa_enrollment", kind: unmask.KindMFA, timeCol: "enrolled_at", actorCol: "email", targetCol: "authenticator_type",
		serialCol: "device_serial", ipCol: "ip", columns: []column{req("event_id", tText), req("employee_id", tText),
			req("email", tEmail), req("enrolled_at", tTime),
			req("authenticator_type", tEnum, "security_key", "platform", "totp", "push", "sms"), opt("device_model", tText),
			opt("device_serial", tText), opt("shipped_serial", tText), opt("attestation", tEnum, "verified", "unverified", "none"),
			opt("ip", tIP)}},
	{name: "spot_check", kind: unmask.KindHRChange, timeCol: "checked_at", actorCol: "email", targetCol: "result",
		columns: []column{req("check_id", tText), req("employee_id", tText), req("email", tEmail), req("checked_at", tTime),
			req("result", tEnum, "pass", "fail", "no_show", "inconclusive"), req("method", tEnum, "video", "in_person"),
			opt("checker", tText), opt("camera_on", tBool), opt("id_document_matched", tBool), opt("notes", tText)}},
	{name: "interview_scorecard", kind: unmask.KindApplication, timeCol: "interviewed_at", actorCol: "candidate_email",
		targetCol: "application_id", columns: []column{req("scorecard_id", tText), opt("application_id", tText),
			req("candidate_email", tEmail), req("interviewed_at", tTime), req("interviewer", tText), opt("stage", tText),
			opt("camera_on", tBool), req("recommendation", tEnum, "strong_yes", "yes", "no", "strong_no", "no_decision"),
			opt("identity_concern", tBool), opt("notes", tText)}},
}

// Kinds returns the names of the documented CSV formats.
func Kinds() []string {
	out := make([]string, len(schemas))
	for i, s := range schemas {
		out[i] = s.name
	}
	return out
}

var errEmpty = errors.New("required value missing")

// tzCache caches time zone lookups, which read the zone database.
var tzCache sync.Map // string → bool

// normalize validates v for c and returns its normal form. Errors never quote v.
func (c *column) normalize(v string) (string, error) {
	if v == "" {
		if c.required {
			return "", errEmpty
		}
		return "", nil
	}
	switch c.typ {
	case tEmail:
		at := strings.LastIndexByte(v, '@')
		if at < 1 || at == len(v)-1 || strings.ContainsAny(v, " ,;<>") {
			return "", errors.New("not an e-mail address")
		}
		return strings.ToLower(v), nil
	case tDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "", errors.New("not a date (want YYYY-MM-DD)")
		}
	case tTime:
		t, err := ingest.ParseTime(v)
		if err != nil {
			return "", errors.New("not a time (want RFC 3339, e.g. 2026-03-01T09:00:00Z)")
		}
		return t.Format(time.RFC3339Nano), nil
	case tEnum:
		if l := strings.ToLower(v); slices.Contains(c.enum, l) {
			return l, nil
		}
		return "", errors.New("not one of " + strings.Join(c.enum, ", "))
	case tBool:
		return normalizeBool(v)
	case tCountry:
		if len(v) != 2 || !isLetters(v) {
			return "", errors.New("not an ISO 3166-1 alpha-2 country code")
		}
		return strings.ToUpper(v), nil
	case tTimeZone:
		return v, checkTimeZone(v)
	case tIP:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return "", errors.New("not an IP address")
		}
		return a.String(), nil
	case tSecret:
		return normalizeAccount(v)
	}
	return v, nil
}

func normalizeBool(v string) (string, error) {
	switch strings.ToLower(v) {
	case "true", "yes", "y", "1":
		return "true", nil
	case "false", "no", "n", "0":
		return "false", nil
	}
	return "", errors.New("not a boolean (true or false)")
}

func checkTimeZone(v string) error {
	if ok, hit := tzCache.Load(v); hit {
		if ok.(bool) {
			return nil
		}
		return errors.New("not an IANA time zone")
	}
	_, err := time.LoadLocation(v)
	tzCache.Store(v, err == nil && v != "Local")
	if err != nil || v == "Local" {
		return errors.New("not an IANA time zone")
	}
	return nil
}

// normalizeAccount strips spaces and dashes from an account or routing number and checks
// that 4 to 34 letters and digits remain (IBAN is at most 34).
func normalizeAccount(v string) (string, error) {
	n := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, v)
	if len(n) < 4 || len(n) > 34 || !isAlnum(n) {
		return "", errors.New("not an account number (4 to 34 letters and digits)")
	}
	return strings.ToUpper(n), nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// mask returns the display form of a secret: its last 4 characters after asterisks.
func mask(n string) string {
	if len(n) <= 4 {
		return "****"
	}
	return "****" + n[len(n)-4:]
}
