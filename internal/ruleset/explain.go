package ruleset

import (
	"cmp"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
)

// maxValue caps one value quoted in an explanation, in runes.
const maxValue = 120

// explain returns the one-sentence explanation of a hit: the rule's title, the concrete
// evidence and the rule's name, e.g. "AnyDesk remote-access tool on an endpoint: process
// C:\...\AnyDesk.exe started on host LAPTOP-7 (rule unmask_ra_anydesk)."
func explain(en *entry, e *unmask.Event, h sigma.Hit) string {
	r := en.rule
	ev := evidence(e)
	if c := r.Correlation; c != nil {
		ev = correlationEvidence(c, h) + "; the last was " + ev
	}
	title := strings.TrimRight(clean(r.Title, 200), ". ")
	return fmt.Sprintf("%s: %s (rule %s).", title, ev, label(r))
}

// evidence describes what the event shows, by its kind, and where.
func evidence(e *unmask.Event) string {
	f := func(names ...string) string { return firstField(e, names...) }
	var what string
	switch e.Kind {
	case unmask.KindProcessStart:
		what = phrase("process %s started", f("Image", "NewProcessName", "path", "cmdline", "CommandLine"), e.Target)
	case unmask.KindSoftware:
		what = phrase("software %s installed", f("name", "DisplayName", "install_location", "path"), e.Target)
	case unmask.KindUSBDevice:
		what = phrase("USB device %s attached", strings.TrimSpace(f("vendor")+" "+f("model")), e.Serial)
	case unmask.KindDNS:
		what = phrase("domain %s looked up", f("QueryName", "query"), e.Target)
	case unmask.KindTLS:
		what = phrase("TLS connection to %s", f("server_name", "DestinationHostname"), e.Target)
	case unmask.KindConn, unmask.KindHTTP:
		what = phrase("connection to %s", endpoint(e), e.Target)
	case unmask.KindSignIn:
		what = signIn(e)
	case unmask.KindHRChange:
		what = phrase("HR record %s", strings.TrimSpace(e.Action+" "+parens("status", f("status"))), "")
	default:
		what = strings.Join(strings.Fields(clean(string(e.Kind), 40)+" event "+clean(e.Action, maxValue)), " ")
	}
	ip := e.SourceIP
	if ip == "" {
		ip = f("id.orig_h")
	}
	switch {
	case e.Host != "":
		return what + " on host " + clean(e.Host, maxValue)
	case ip != "" && e.Kind != unmask.KindSignIn:
		return what + " from " + clean(ip, maxValue)
	case e.Actor != "":
		return what + " for account " + clean(e.Actor, maxValue)
	}
	return what
}

// signIn describes a sign-in: its event id, logon type and remote address.
func signIn(e *unmask.Event) string {
	var details []string
	if e.Action != "" {
		details = append(details, "event "+clean(e.Action, 40))
	}
	if lt := firstField(e, "LogonType"); lt != "" {
		details = append(details, "logon type "+clean(lt, 20))
	}
	what := "sign-in"
	if len(details) > 0 {
		what += " (" + strings.Join(details, ", ") + ")"
	}
	if ip := cmp.Or(firstField(e, "IpAddress", "Address"), e.SourceIP); ip != "" {
		what += " from " + clean(ip, maxValue)
	}
	return what
}

// phrase fills the first non-empty of value and fallback into format, or drops the verb
// object when both are empty.
func phrase(format, value, fallback string) string {
	if value == "" {
		value = fallback
	}
	if value == "" {
		return strings.Join(strings.Fields(strings.ReplaceAll(format, "%s", "")), " ")
	}
	return fmt.Sprintf(format, clean(value, maxValue))
}

// endpoint returns the destination of a connection: host name or address, and port.
func endpoint(e *unmask.Event) string {
	host := firstField(e, "DestinationHostname", "server_name", "host", "DestinationIp", "id.resp_h")
	port := firstField(e, "DestinationPort", "id.resp_p")
	if host != "" && port != "" {
		return host + ":" + port
	}
	return host
}

// parens returns "(name value)", or "" without a value.
func parens(name, value string) string {
	if value == "" {
		return ""
	}
	return "(" + name + " " + value + ")"
}

// firstField returns the first non-empty field of e among names.
func firstField(e *unmask.Event, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(e.Fields[n]); v != "" {
			return v
		}
	}
	return ""
}

// correlationEvidence describes why a correlation fired.
func correlationEvidence(c *sigma.Correlation, h sigma.Hit) string {
	span := humanSpan(c.Timespan)
	var out string
	switch c.Type {
	case sigma.EventCount:
		out = fmt.Sprintf("%s within %s", count(h.Count, "matching event"), span)
	case sigma.ValueCount:
		out = fmt.Sprintf("%s of %s within %s", count(h.Count, "distinct value"), c.Field, span)
	case sigma.ValueSum, sigma.ValueAvg:
		kind := "sum"
		if c.Type == sigma.ValueAvg {
			kind = "average"
		}
		out = fmt.Sprintf("the %s of %s reached %d within %s", kind, c.Field, h.Count, span)
	case sigma.Temporal:
		out = fmt.Sprintf("%d of its %d rules matched within %s", h.Count, len(c.Rules), span)
	default:
		out = fmt.Sprintf("its %d rules matched in order within %s", len(c.Rules), span)
	}
	var group []string
	for _, g := range c.GroupBy {
		if v := h.Group[g]; v != "" {
			group = append(group, g+" "+clean(v, maxValue))
		}
	}
	if len(group) > 0 {
		out += " for " + strings.Join(group, ", ")
	}
	return out
}

// humanSpan writes a timespan in the largest whole unit: 7 days, 12 hours, 90 seconds.
func humanSpan(d time.Duration) string {
	units := []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}}
	for _, u := range units {
		if d >= u.d && d%u.d == 0 {
			return count(int64(d/u.d), u.name)
		}
	}
	return d.String()
}

// count writes n and a noun, plural unless n is 1.
func count(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// clean makes a value fit a sentence: control characters become spaces, runs of space
// one space, and values over limit runes are cut with an ellipsis.
func clean(s string, limit int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}
