package notify

import (
	"cmp"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// Syslog transports.
const (
	NetworkUDP = "udp" // RFC 5426: one message per datagram
	NetworkTCP = "tcp" // RFC 6587 octet counting: "LEN SP MSG"
	NetworkTLS = "tls" // RFC 5425: octet counting over TLS
)

// Syslog message formats.
const (
	// FormatRFC5424 writes the message text with IDs as structured data.
	FormatRFC5424 = "rfc5424"
	// FormatCEF writes an ArcSight CEF record as the message, for SIEMs.
	FormatCEF = "cef"
)

// FacilityLocal0 is the default syslog facility.
const FacilityLocal0 = 16

// sdID is the structured-data ID, under the documentation enterprise number of RFC 5612.
const sdID = "unmask@32473"

// SyslogOptions configures a Syslog notifier. Every field comes from operator configuration.
type SyslogOptions struct {
	// Network is NetworkUDP, NetworkTCP or NetworkTLS; Addr is the collector's host:port.
	Network string
	Addr    string
	// TLSConfig is used for NetworkTLS; nil verifies the collector against Addr's host.
	TLSConfig *tls.Config
	// Facility is 1–23; 0 means FacilityLocal0.
	Facility int
	// Hostname and AppName fill the header; empty means "-" and "unmask".
	Hostname string
	AppName  string
	// Format is FormatRFC5424 (the default) or FormatCEF.
	Format string
	// CEF names the device in CEF headers; empty fields default to Unmask / Unmask / 1.0.
	CEF CEFDevice
	// MaxUDPSize truncates UDP datagrams; 0 means 2048 (RFC 5426 §3.2 "SHOULD").
	MaxUDPSize int
	// Timeout bounds one delivery; 0 means 10 s.
	Timeout time.Duration
}

// Syslog sends each message to a syslog collector, one connection per message (UDP needs
// none), so a collector restart never leaves a broken connection behind.
type Syslog struct {
	opts SyslogOptions
	host string
}

var _ Notifier = (*Syslog)(nil)

// NewSyslog returns a syslog notifier, or EINVALID if the options are unusable.
func NewSyslog(opts SyslogOptions) (*Syslog, error) {
	host, _, err := net.SplitHostPort(opts.Addr)
	switch {
	case err != nil || host == "":
		return nil, unmask.Errorf(unmask.EINVALID, "Syslog address %q must be host:port.", opts.Addr)
	case opts.Network != NetworkUDP && opts.Network != NetworkTCP && opts.Network != NetworkTLS:
		return nil, unmask.Errorf(unmask.EINVALID, "Syslog network %q is not udp, tcp or tls.", opts.Network)
	case opts.Facility < 0 || opts.Facility > 23:
		return nil, unmask.Errorf(unmask.EINVALID, "Syslog facility %d is outside 0..23.", opts.Facility)
	}
	opts.Format = cmp.Or(opts.Format, FormatRFC5424)
	if opts.Format != FormatRFC5424 && opts.Format != FormatCEF {
		return nil, unmask.Errorf(unmask.EINVALID, "Syslog format %q is not rfc5424 or cef.", opts.Format)
	}
	opts.Facility = cmp.Or(opts.Facility, FacilityLocal0)
	opts.Hostname = headerField(opts.Hostname, 255)
	opts.AppName = headerField(cmp.Or(opts.AppName, "unmask"), 48)
	opts.MaxUDPSize = cmp.Or(opts.MaxUDPSize, 2048)
	opts.Timeout = cmp.Or(opts.Timeout, 10*time.Second)
	return &Syslog{opts: opts, host: host}, nil
}

// Notify sends m.
func (s *Syslog) Notify(ctx context.Context, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	conn, err := s.dial(ctx)
	if err != nil {
		return fmt.Errorf("dial syslog: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if _, err := conn.Write(s.frame(m)); err != nil {
		return fmt.Errorf("write syslog: %w", err)
	}
	return nil
}

func (s *Syslog) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	if s.opts.Network != NetworkTLS {
		return d.DialContext(ctx, s.opts.Network, s.opts.Addr)
	}
	cfg := s.opts.TLSConfig
	if cfg == nil {
		cfg = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	td := tls.Dialer{NetDialer: &d, Config: cfg}
	return td.DialContext(ctx, "tcp", s.opts.Addr)
}

// frame returns the bytes to write for m: the record itself over UDP, or the record
// prefixed with its length over TCP and TLS.
func (s *Syslog) frame(m Message) []byte {
	rec := s.Format(m)
	if s.opts.Network == NetworkUDP {
		return []byte(truncateUTF8(rec, s.opts.MaxUDPSize))
	}
	return []byte(strconv.Itoa(len(rec)) + " " + rec)
}

// Format returns the RFC 5424 record of m, without transport framing.
func (s *Syslog) Format(m Message) string {
	pri := s.opts.Facility*8 + syslogSeverity(m.Severity)
	ts := "-"
	if !m.Time.IsZero() {
		ts = m.Time.UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	}
	msgID := headerField(m.Kind, 32)
	sd, msg := structuredData(m), oneLine(m.Title)
	if m.Text != "" {
		msg += ": " + oneLine(m.Text)
	}
	if s.opts.Format == FormatCEF {
		sd, msg = "-", CEF(s.opts.CEF, m)
	}
	return fmt.Sprintf("<%d>1 %s %s %s - %s %s %s", pri, ts, s.opts.Hostname, s.opts.AppName, msgID, sd, msg)
}

// syslogSeverity maps a severity to the RFC 5424 severity code.
func syslogSeverity(s unmask.Severity) int {
	switch s {
	case unmask.SeverityCritical:
		return 2 // critical
	case unmask.SeverityHigh:
		return 3 // error
	case unmask.SeverityMedium:
		return 4 // warning
	case unmask.SeverityLow:
		return 5 // notice
	}
	return 6 // informational
}

// structuredData renders the IDs of m as one SD-ELEMENT, "-" if there are none.
func structuredData(m Message) string {
	var sb strings.Builder
	for _, kv := range [][2]string{
		{"id", m.ID}, {"severity", string(m.Severity)}, {"person_id", m.PersonID},
		{"alert_id", m.AlertID}, {"case_id", m.CaseID}, {"concern", m.Concern},
	} {
		if kv[1] != "" {
			sb.WriteString(" " + kv[0] + `="` + sdEscape(kv[1]) + `"`)
		}
	}
	if sb.Len() == 0 {
		return "-"
	}
	return "[" + sdID + sb.String() + "]"
}

// sdEscape escapes a PARAM-VALUE: '"', '\' and ']' get a backslash (RFC 5424 §6.3.3).
func sdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, `]`, `\]`).Replace(oneLine(s))
}

// headerField keeps the printable US-ASCII of s (other bytes become '_'), cut to max
// bytes; empty gives the NILVALUE "-".
func headerField(s string, max int) string {
	b := []byte(s)
	for i, c := range b {
		if c < 33 || c > 126 {
			b[i] = '_'
		}
	}
	if len(b) > max {
		b = b[:max]
	}
	if len(b) == 0 {
		return "-"
	}
	return string(b)
}

// truncateUTF8 cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
