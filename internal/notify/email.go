package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// EmailOptions configures an Email notifier. Every field comes from operator configuration.
type EmailOptions struct {
	// Addr is the SMTP server as host:port (587 for submission with STARTTLS).
	Addr string
	// From is the sender address; To are the recipients.
	From string
	To   []string
	// Username and Password, when Username is set, authenticate with PLAIN after STARTTLS.
	Username string
	Password string
	// TLSConfig is used for STARTTLS; nil verifies the server against the host of Addr.
	TLSConfig *tls.Config
	// AllowPlaintext permits servers that do not offer STARTTLS (a local relay). Without
	// it such a server is a permanent failure. Credentials are never sent in plain text.
	AllowPlaintext bool
	// LocalName is the name sent with EHLO; empty means "localhost".
	LocalName string
	// Timeout bounds one delivery; 0 means 30 s.
	Timeout time.Duration
	// Now gives the Date header; nil means time.Now.
	Now func() time.Time
}

// Email sends each message as a plain-text e-mail over SMTP, one connection per message.
// 5xx replies are permanent failures; 4xx replies and network errors may be retried.
type Email struct {
	opts EmailOptions
	host string
	from *mail.Address
	to   []*mail.Address
}

var _ Notifier = (*Email)(nil)

// NewEmail returns an e-mail notifier, or EINVALID if the options are unusable.
func NewEmail(opts EmailOptions) (*Email, error) {
	host, _, err := net.SplitHostPort(opts.Addr)
	if err != nil || host == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "E-mail server address %q must be host:port.", opts.Addr)
	}
	from, err := mail.ParseAddress(opts.From)
	if err != nil {
		return nil, unmask.Errorf(unmask.EINVALID, "E-mail sender %q is not an address.", opts.From)
	}
	if len(opts.To) == 0 {
		return nil, unmask.Errorf(unmask.EINVALID, "E-mail needs at least one recipient.")
	}
	e := &Email{opts: opts, host: host, from: from}
	for _, t := range opts.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return nil, unmask.Errorf(unmask.EINVALID, "E-mail recipient %q is not an address.", t)
		}
		e.to = append(e.to, a)
	}
	e.opts.Timeout = cmp.Or(opts.Timeout, 30*time.Second)
	e.opts.LocalName = cmp.Or(opts.LocalName, "localhost")
	if e.opts.Now == nil {
		e.opts.Now = time.Now
	}
	return e, nil
}

// Notify sends m to every recipient.
func (e *Email) Notify(ctx context.Context, m Message) error {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.opts.Addr)
	if err != nil {
		return fmt.Errorf("dial smtp: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		return smtpError("greeting", err)
	}
	defer c.Close()
	if err := e.session(c, m); err != nil {
		return err
	}
	return smtpError("quit", c.Quit())
}

// session runs EHLO, STARTTLS, AUTH and the transaction.
func (e *Email) session(c *smtp.Client, m Message) error {
	if err := c.Hello(e.opts.LocalName); err != nil {
		return smtpError("ehlo", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := e.opts.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: e.host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return smtpError("starttls", err)
		}
	} else if !e.opts.AllowPlaintext {
		return Permanent(errors.New("smtp server does not offer STARTTLS"))
	}
	if e.opts.Username != "" {
		if _, tlsOn := c.TLSConnectionState(); !tlsOn {
			return Permanent(errors.New("smtp credentials are only sent over TLS"))
		}
		if err := c.Auth(smtp.PlainAuth("", e.opts.Username, e.opts.Password, e.host)); err != nil {
			return smtpError("auth", err)
		}
	}
	if err := c.Mail(e.from.Address); err != nil {
		return smtpError("mail from", err)
	}
	for _, t := range e.to {
		if err := c.Rcpt(t.Address); err != nil {
			return smtpError("rcpt to", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpError("data", err)
	}
	if _, err := w.Write(e.compose(m)); err != nil {
		return smtpError("data", err)
	}
	return smtpError("data", w.Close())
}

// smtpError wraps err with the SMTP step; 5xx replies become permanent.
func smtpError(step string, err error) error {
	if err == nil {
		return nil
	}
	err = fmt.Errorf("smtp %s: %w", step, err)
	if te, ok := errors.AsType[*textproto.Error](err); ok && te.Code >= 500 {
		return Permanent(err)
	}
	return err
}

// compose renders m as an RFC 5322 message with a quoted-printable UTF-8 body.
func (e *Email) compose(m Message) []byte {
	var b bytes.Buffer
	tos := make([]string, len(e.to))
	for i, t := range e.to {
		tos[i] = t.String()
	}
	subject := fmt.Sprintf("[Unmask %s] %s", cmp.Or(m.Severity, unmask.SeverityInfo), oneLine(m.Title))
	header := [][2]string{
		{"From", e.from.String()},
		{"To", strings.Join(tos, ", ")},
		{"Subject", mime.QEncoding.Encode("utf-8", subject)},
		{"Date", e.opts.Now().Format(time.RFC1123Z)},
		{"Message-ID", "<" + messageIDLocal(m.ID) + "@" + domainOf(e.from.Address) + ">"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
	}
	for _, h := range header {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(emailBody(m)))
	_ = qp.Close()
	return b.Bytes()
}

func emailBody(m Message) string {
	var sb strings.Builder
	sb.WriteString(m.Title + "\r\n")
	if m.Text != "" {
		sb.WriteString("\r\n" + m.Text + "\r\n")
	}
	sb.WriteString("\r\n")
	for _, kv := range [][2]string{
		{"Severity", string(m.Severity)}, {"Person", m.PersonID}, {"Alert", m.AlertID},
		{"Case", m.CaseID}, {"Concern", m.Concern}, {"Link", m.Link},
	} {
		if kv[1] != "" {
			sb.WriteString(kv[0] + ": " + kv[1] + "\r\n")
		}
	}
	return sb.String()
}

// oneLine replaces control characters, so that a title cannot add header lines.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// messageIDLocal keeps the characters of id that are allowed in a Message-ID's left part.
func messageIDLocal(id string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r):
			return r
		}
		return '_'
	}, id)
	return cmp.Or(strings.Trim(out, "."), "unmask")
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "unmask.invalid"
}
