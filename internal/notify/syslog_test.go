package notify

import (
	"crypto/tls"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

// wantRFC5424 is the exact record of testMessage from host "collector-test".
const wantRFC5424 = `<131>1 2026-06-01T12:00:00.000000Z collector-test unmask - alert ` +
	`[unmask@32473 id="m-1" severity="high" person_id="p-1" alert_id="a-1" concern="N-01"] ` +
	`Astrill VPN sign-in – new hire: Seen "twice" [a]\b <!channel> & more`

// wantCEFRecord is the exact CEF record of testMessage inside a syslog header.
const wantCEFRecord = `<131>1 2026-06-01T12:00:00.000000Z collector-test unmask - alert - ` +
	`CEF:0|Unmask|Unmask|1.0|alert:N-01|Astrill VPN sign-in – new hire|8|` +
	`rt=1780315200000 externalId=m-1 cs1Label=personId cs1=p-1 cs2Label=alertId cs2=a-1 ` +
	`cs4Label=concern cs4=N-01 request=https://unmask.example/alerts/a-1 msg=Seen "twice" [a]\\b <!channel> & more`

// MustStreamListener accepts one connection at a time on loopback and sends everything
// each connection carried, once it closes, on the returned channel.
func MustStreamListener(tb testing.TB, tlsConfig *tls.Config) (string, <-chan string) {
	tb.Helper()
	var ln net.Listener
	var err error
	if tlsConfig != nil {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", tlsConfig)
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		tb.Fatal(err)
	}
	got := make(chan string, 4)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			b, _ := io.ReadAll(conn)
			conn.Close()
			got <- string(b)
		}
	}()
	tb.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String(), got
}

func TestSyslogStream(t *testing.T) {
	serverTLS, clientTLS := MustTLS(t)
	tests := []struct {
		name    string
		network string
		format  string
		want    string
	}{
		{"tcp-rfc5424", NetworkTCP, FormatRFC5424, wantRFC5424},
		{"tls-rfc5424", NetworkTLS, FormatRFC5424, wantRFC5424},
		{"tcp-cef", NetworkTCP, FormatCEF, wantCEFRecord},
		{"tls-cef", NetworkTLS, FormatCEF, wantCEFRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lnTLS *tls.Config
			if tt.network == NetworkTLS {
				lnTLS = serverTLS
			}
			addr, got := MustStreamListener(t, lnTLS)
			s, err := NewSyslog(SyslogOptions{Network: tt.network, Addr: addr, TLSConfig: clientTLS, Hostname: "collector-test", Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if err := s.Notify(t.Context(), testMessage()); err != nil {
					t.Fatal(err)
				}
			}
			// Octet counting: the length of the record in bytes, a space, the record.
			want := strconv.Itoa(len(tt.want)) + " " + tt.want
			for i := range 2 {
				if diff := cmp.Diff(want, <-got); diff != "" {
					t.Errorf("frame %d (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestSyslogUDP(t *testing.T) {
	dash := strings.Index(wantRFC5424, "–")
	tests := []struct {
		name    string
		format  string
		maxSize int
		want    string
	}{
		{"rfc5424", FormatRFC5424, 0, wantRFC5424},
		{"cef", FormatCEF, 0, wantCEFRecord},
		// A limit that ends inside the 3-byte "–" backs off to the byte before it.
		{"truncated-at-rune", FormatRFC5424, dash + 2, wantRFC5424[:dash]},
		{"truncated-after-rune", FormatRFC5424, dash + 3, wantRFC5424[:dash+3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc, err := net.ListenPacket("udp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer pc.Close()
			s, err := NewSyslog(SyslogOptions{Network: NetworkUDP, Addr: pc.LocalAddr().String(), Hostname: "collector-test", Format: tt.format, MaxUDPSize: tt.maxSize})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Notify(t.Context(), testMessage()); err != nil {
				t.Fatal(err)
			}
			_ = pc.SetReadDeadline(time.Now().Add(10 * time.Second))
			buf := make([]byte, 65536)
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(buf[:n])); diff != "" {
				t.Errorf("datagram (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSyslogFormat(t *testing.T) {
	tests := []struct {
		name string
		opts SyslogOptions
		msg  Message
		want string
	}{
		{
			name: "minimal",
			opts: SyslogOptions{},
			msg:  Message{ID: "x", Title: "t"},
			want: `<134>1 - - unmask - - [unmask@32473 id="x"] t`,
		},
		{
			name: "escapes-structured-data",
			opts: SyslogOptions{Facility: 10, AppName: "un mask", Hostname: "h\x00st"},
			msg:  Message{ID: `a"b]c\d`, Kind: "risk", Severity: unmask.SeverityCritical, Title: "line1\nline2"},
			want: `<82>1 - h_st un_mask - risk [unmask@32473 id="a\"b\]c\\d" severity="critical"] line1 line2`,
		},
		{
			name: "low-severity-microseconds",
			opts: SyslogOptions{Hostname: "h"},
			msg:  Message{ID: "x", Time: time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("", 3600)), Severity: unmask.SeverityLow, Title: "t"},
			want: `<133>1 2026-01-02T02:04:05.123456Z h unmask - - [unmask@32473 id="x" severity="low"] t`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Network, opts.Addr = NetworkUDP, "127.0.0.1:514"
			s, err := NewSyslog(opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, s.Format(tt.msg)); diff != "" {
				t.Errorf("Format (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCEFEscaping(t *testing.T) {
	tests := []struct {
		name string
		dev  CEFDevice
		msg  Message
		want string
	}{
		{
			name: "header-pipes-and-backslashes",
			dev:  CEFDevice{Vendor: `Acme|Corp`, Product: `Un\mask`, Version: "2"},
			msg:  Message{Kind: "risk", Title: `a|b\c`, Severity: unmask.SeverityCritical},
			want: `CEF:0|Acme\|Corp|Un\\mask|2|risk|a\|b\\c|10|`,
		},
		{
			name: "extension-equals-and-newlines",
			msg:  Message{ID: "k=v", Title: "t", Text: "one\r\ntwo\nthree\rfour|five\\"},
			want: `CEF:0|Unmask|Unmask|1.0|notification|t|1|externalId=k\=v msg=one\ntwo\nthree\rfour|five\\`,
		},
		{
			name: "header-newline-becomes-space",
			msg:  Message{Title: "a\nb", Concern: "§3.1", Severity: unmask.SeverityMedium},
			want: `CEF:0|Unmask|Unmask|1.0|notification:§3.1|a b|5|cs4Label=concern cs4=§3.1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, CEF(tt.dev, tt.msg)); diff != "" {
				t.Errorf("CEF (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewSyslogValidates(t *testing.T) {
	tests := []struct {
		name string
		opts SyslogOptions
	}{
		{"no-port", SyslogOptions{Network: NetworkUDP, Addr: "collector"}},
		{"bad-network", SyslogOptions{Network: "unix", Addr: "collector:514"}},
		{"bad-facility", SyslogOptions{Network: NetworkUDP, Addr: "collector:514", Facility: 24}},
		{"bad-format", SyslogOptions{Network: NetworkUDP, Addr: "collector:514", Format: "leef"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewSyslog(tt.opts); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("NewSyslog() = %v, want EINVALID", err)
			}
		})
	}
}

// FuzzCEF checks that any message renders as one CEF line with exactly seven header
// separators.
func FuzzCEF(f *testing.F) {
	f.Add("Astrill VPN sign-in", "Seen twice", "N-01", "Acme")
	f.Add(`a|b\c`, "one\r\ntwo=three", "§3.1", `V|\`)
	f.Add("\\", "\\", "|", "")
	f.Fuzz(func(t *testing.T, title, text, concern, vendor string) {
		rec := CEF(CEFDevice{Vendor: vendor}, Message{Title: title, Text: text, Concern: concern, ID: text})
		if strings.ContainsAny(rec, "\r\n") {
			t.Fatalf("record has a line break: %q", rec)
		}
		if n := unescapedPipes(rec); n < 7 {
			t.Fatalf("record has %d unescaped pipes, want at least 7: %q", n, rec)
		}
		header := rec[:headerEnd(rec)]
		if n := unescapedPipes(header); n != 7 {
			t.Fatalf("header %q has %d separators, want 7", header, n)
		}
	})
}

// unescapedPipes counts '|' not escaped by a backslash.
func unescapedPipes(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

// headerEnd returns the index just past the seventh unescaped '|'.
func headerEnd(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			if n++; n == 7 {
				return i + 1
			}
		}
	}
	return len(s)
}

// FuzzSyslogFormat checks that any message renders as one line whose structured data
// closes where a parser expects it to.
func FuzzSyslogFormat(f *testing.F) {
	f.Add("m-1", "p-1", "title", "text", "alert")
	f.Add(`a"b]c\d`, `\`, "line1\nline2", "\r", "kind with spaces")
	f.Fuzz(func(t *testing.T, id, person, title, text, kind string) {
		s, err := NewSyslog(SyslogOptions{Network: NetworkUDP, Addr: "127.0.0.1:514"})
		if err != nil {
			t.Fatal(err)
		}
		rec := s.Format(Message{ID: id, PersonID: person, Title: title, Text: text, Kind: kind})
		if strings.ContainsAny(rec, "\r\n") {
			t.Fatalf("record has a line break: %q", rec)
		}
		fields := strings.SplitN(rec, " ", 7)
		if len(fields) != 7 {
			t.Fatalf("record has %d header fields: %q", len(fields), rec)
		}
		if sd := fields[6]; sd != "-" && !strings.HasPrefix(sd, "-") {
			end := sdEnd(sd)
			if end < 0 {
				t.Fatalf("structured data never closes: %q", sd)
			}
		}
	})
}

// sdEnd returns the index of the ']' that closes the first SD-ELEMENT, honouring escapes
// inside quoted values, or -1.
func sdEnd(s string) int {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ']':
			return i
		}
	}
	return -1
}
