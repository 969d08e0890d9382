package notify

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// smtpServer is a minimal SMTP server on loopback: EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA
// and QUIT, recording every command and message.
type smtpServer struct {
	addr      string
	tlsConfig *tls.Config
	smtpConfig

	mu       sync.Mutex // guards following
	commands []string
	messages []string
}

// smtpConfig sets how the test server behaves.
type smtpConfig struct {
	offerTLS  bool
	rcptReply string // "" means "250 ok"
}

// MustSMTPServer starts a server on 127.0.0.1 and stops it when the test ends.
func MustSMTPServer(tb testing.TB, tlsConfig *tls.Config, cfg smtpConfig) *smtpServer {
	tb.Helper()
	s := &smtpServer{tlsConfig: tlsConfig, smtpConfig: cfg}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.addr = ln.Addr().String()
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(conn) })
		}
	})
	tb.Cleanup(func() { ln.Close(); wg.Wait() })
	return s
}

func (s *smtpServer) record(cmd string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = append(s.commands, cmd)
}

func (s *smtpServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	r, w := bufio.NewReader(conn), bufio.NewWriter(conn)
	reply := func(lines ...string) {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		w.Flush()
	}
	reply("220 test.local ESMTP")
	secure := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		s.record(cmd)
		verb := strings.ToUpper(strings.SplitN(cmd, " ", 2)[0])
		switch verb {
		case "EHLO":
			lines := []string{"250-test.local"}
			if s.offerTLS && !secure {
				lines = append(lines, "250-STARTTLS")
			}
			reply(append(lines, "250 AUTH PLAIN")...)
		case "STARTTLS":
			reply("220 2.0.0 ready")
			tc := tls.Server(conn, s.tlsConfig)
			if tc.Handshake() != nil {
				return
			}
			conn, secure = tc, true
			r, w = bufio.NewReader(conn), bufio.NewWriter(conn)
		case "AUTH":
			reply("235 2.7.0 authenticated")
		case "MAIL":
			reply("250 2.1.0 ok")
		case "RCPT":
			reply(cmpOrString(s.rcptReply, "250 2.1.5 ok"))
		case "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			s.readData(r)
			reply("250 2.0.0 queued")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 unknown command")
		}
	}
}

func (s *smtpServer) readData(r *bufio.Reader) {
	var sb strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == ".\r\n" {
			break
		}
		sb.WriteString(strings.TrimPrefix(line, "."))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, sb.String())
}

func (s *smtpServer) Commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

func (s *smtpServer) Messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.messages...)
}

func cmpOrString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// wantEmail is the exact DATA testMessage produces.
const wantEmail = "From: <alerts@unmask.example>\r\n" +
	"To: <soc@unmask.example>, \"On Call\" <oncall@unmask.example>\r\n" +
	"Subject: =?utf-8?q?[Unmask_high]_Astrill_VPN_sign-in_=E2=80=93_new_hire?=\r\n" +
	"Date: Mon, 01 Jun 2026 12:00:00 +0000\r\n" +
	"Message-ID: <m-1@unmask.example>\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Astrill VPN sign-in =E2=80=93 new hire\r\n" +
	"\r\n" +
	"Seen \"twice\" [a]\\b <!channel> & more\r\n" +
	"\r\n" +
	"Severity: high\r\n" +
	"Person: p-1\r\n" +
	"Alert: a-1\r\n" +
	"Concern: N-01\r\n" +
	"Link: https://unmask.example/alerts/a-1\r\n"

func TestEmail(t *testing.T) {
	serverTLS, clientTLS := MustTLS(t)
	tests := []struct {
		name          string
		server        smtpConfig
		opts          EmailOptions
		wantCommands  []string
		wantDelivered bool
		wantPermanent bool
	}{
		{
			name:   "starttls-and-auth",
			server: smtpConfig{offerTLS: true},
			opts:   EmailOptions{Username: "unmask", Password: "s3cret"},
			wantCommands: []string{"EHLO localhost", "STARTTLS", "EHLO localhost", "AUTH PLAIN AHVubWFzawBzM2NyZXQ=",
				"MAIL FROM:<alerts@unmask.example>", "RCPT TO:<soc@unmask.example>", "RCPT TO:<oncall@unmask.example>", "DATA", "QUIT"},
			wantDelivered: true,
		},
		{
			name:          "starttls-without-auth",
			server:        smtpConfig{offerTLS: true},
			wantCommands:  []string{"EHLO localhost", "STARTTLS", "EHLO localhost", "MAIL FROM:<alerts@unmask.example>", "RCPT TO:<soc@unmask.example>", "RCPT TO:<oncall@unmask.example>", "DATA", "QUIT"},
			wantDelivered: true,
		},
		{
			name:          "no-starttls-refused",
			server:        smtpConfig{},
			wantCommands:  []string{"EHLO localhost"},
			wantPermanent: true,
		},
		{
			name:          "plaintext-allowed",
			server:        smtpConfig{},
			opts:          EmailOptions{AllowPlaintext: true},
			wantCommands:  []string{"EHLO localhost", "MAIL FROM:<alerts@unmask.example>", "RCPT TO:<soc@unmask.example>", "RCPT TO:<oncall@unmask.example>", "DATA", "QUIT"},
			wantDelivered: true,
		},
		{
			name:          "plaintext-never-sends-credentials",
			server:        smtpConfig{},
			opts:          EmailOptions{AllowPlaintext: true, Username: "unmask", Password: "s3cret"},
			wantCommands:  []string{"EHLO localhost"},
			wantPermanent: true,
		},
		{
			name:          "recipient-rejected",
			server:        smtpConfig{offerTLS: true, rcptReply: "550 5.1.1 no such user"},
			wantCommands:  []string{"EHLO localhost", "STARTTLS", "EHLO localhost", "MAIL FROM:<alerts@unmask.example>", "RCPT TO:<soc@unmask.example>"},
			wantPermanent: true,
		},
		{
			name:         "recipient-tempfail",
			server:       smtpConfig{offerTLS: true, rcptReply: "451 4.3.0 try later"},
			wantCommands: []string{"EHLO localhost", "STARTTLS", "EHLO localhost", "MAIL FROM:<alerts@unmask.example>", "RCPT TO:<soc@unmask.example>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := MustSMTPServer(t, serverTLS, tt.server)
			opts := tt.opts
			opts.Addr, opts.TLSConfig = srv.addr, clientTLS
			opts.From, opts.To = "alerts@unmask.example", []string{"soc@unmask.example", `"On Call" <oncall@unmask.example>`}
			opts.Now = func() time.Time { return t0 }
			e, err := NewEmail(opts)
			if err != nil {
				t.Fatal(err)
			}
			err = e.Notify(t.Context(), testMessage())
			if (err == nil) != tt.wantDelivered || IsPermanent(err) != tt.wantPermanent {
				t.Fatalf("Notify() = %v; want delivered %v, permanent %v", err, tt.wantDelivered, tt.wantPermanent)
			}
			// The server records each command before it replies, so all are in.
			if diff := cmp.Diff(tt.wantCommands, srv.Commands()); diff != "" {
				t.Errorf("commands (-want +got):\n%s", diff)
			}
			var want []string
			if tt.wantDelivered {
				want = []string{wantEmail}
			}
			if diff := cmp.Diff(want, srv.Messages()); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewEmailValidates(t *testing.T) {
	tests := []struct {
		name string
		opts EmailOptions
	}{
		{"no-port", EmailOptions{Addr: "mail.example", From: "a@b.example", To: []string{"c@d.example"}}},
		{"bad-from", EmailOptions{Addr: "mail.example:587", From: "not an address", To: []string{"c@d.example"}}},
		{"header-injection-from", EmailOptions{Addr: "mail.example:587", From: "a@b.example\r\nBcc: x@y.example", To: []string{"c@d.example"}}},
		{"no-recipients", EmailOptions{Addr: "mail.example:587", From: "a@b.example"}},
		{"bad-recipient", EmailOptions{Addr: "mail.example:587", From: "a@b.example", To: []string{"c@"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewEmail(tt.opts); err == nil {
				t.Fatal("NewEmail accepted invalid options")
			}
		})
	}
}

func TestEmailSubjectCannotInjectHeaders(t *testing.T) {
	e, err := NewEmail(EmailOptions{Addr: "mail.example:587", From: "a@b.example", To: []string{"c@d.example"}, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	m.Title = "x\r\nBcc: victim@example.com"
	head, _, _ := strings.Cut(string(e.compose(m)), "\r\n\r\n")
	for l := range strings.SplitSeq(head, "\r\n") {
		if strings.HasPrefix(strings.ToLower(l), "bcc:") {
			t.Fatalf("title injected a header line: %q", l)
		}
	}
}

func TestEmailDialFailureIsRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	e, err := NewEmail(EmailOptions{Addr: addr, From: "a@b.example", To: []string{"c@d.example"}})
	if err != nil {
		t.Fatal(err)
	}
	err = e.Notify(t.Context(), testMessage())
	var opErr *net.OpError
	if err == nil || IsPermanent(err) || !errors.As(err, &opErr) {
		t.Fatalf("Notify() = %v, want a retryable dial error", err)
	}
}

// TestEmailGivesUpOnSilentServer: a server that accepts and never greets must not hang
// the notifier past its context.
func TestEmailGivesUpOnSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conns := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			conns <- c // hold it open, silent
		}
	}()
	e, err := NewEmail(EmailOptions{Addr: ln.Addr().String(), From: "a@b.example", To: []string{"c@d.example"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = e.Notify(ctx, testMessage())
	if err == nil || IsPermanent(err) {
		t.Fatalf("Notify() = %v, want a retryable timeout", err)
	}
	(<-conns).Close()
}
