package notify

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// testMessage is the message most tests send; its text needs escaping in every format.
func testMessage() Message {
	return Message{
		ID:       "m-1",
		Time:     t0,
		Kind:     KindAlert,
		Severity: unmask.SeverityHigh,
		Title:    "Astrill VPN sign-in – new hire",
		Text:     `Seen "twice" [a]\b <!channel> & more`,
		PersonID: "p-1",
		AlertID:  "a-1",
		Concern:  "N-01",
		Link:     "https://unmask.example/alerts/a-1",
	}
}

// MustTLS returns a server config with a fresh self-signed certificate for 127.0.0.1 and a
// client config that trusts it.
func MustTLS(tb testing.TB) (server, client *tls.Config) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "unmask test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}
	client = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	return server, client
}

// recorder is an injected sleep that records the waits and advances a fake clock.
type recorder struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	cancel context.CancelFunc // called on the sleep numbered cancelAt, if set
	at     int
}

func (r *recorder) Now() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.now }

func (r *recorder) Sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.sleeps = append(r.sleeps, d)
	r.now = r.now.Add(d)
	n := len(r.sleeps)
	r.mu.Unlock()
	if r.cancel != nil && n == r.at {
		r.cancel()
	}
	return ctx.Err()
}

func (r *recorder) Sleeps() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.sleeps...)
}
