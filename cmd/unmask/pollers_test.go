package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/unmask/unmask"
)

// TestGooglePollersFromServiceAccount: a service account key file configures one Google
// poller per application; a key file that is missing or not a service account's stops
// the start with a configuration error instead of a poller that never authenticates.
func TestGooglePollersFromServiceAccount(t *testing.T) {
	dir := t.TempDir()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	good, _ := json.Marshal(map[string]string{"type": "service_account", "client_email": "poller@project.iam.gserviceaccount.com",
		"private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))})
	files := map[string][]byte{"good.json": good, "user.json": []byte(`{"type":"authorized_user"}`)}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		file, subject string
		runners       int
		code          string
	}{
		{"good.json", "admin@contoso.example", 3, ""},
		{"good.json", "", 0, unmask.EINVALID},
		{"user.json", "admin@contoso.example", 0, unmask.EINVALID},
		{"missing.json", "admin@contoso.example", 0, unmask.EINVALID},
	} {
		m := NewMain()
		m.Getenv = env(t.TempDir(), "UNMASK_POLLERS_GOOGLE_CREDENTIALS_FILE", filepath.Join(dir, tc.file),
			"UNMASK_POLLERS_GOOGLE_SUBJECT", tc.subject, "UNMASK_POLLERS_GOOGLE_APPLICATIONS", "login,drive,mobile")
		m.Stdin, m.Stdout, m.Stderr = bytes.NewReader(nil), io.Discard, io.Discard
		if err := m.loadConfig(); err != nil {
			t.Fatal(err)
		}
		runners, err := m.pollers(nil)
		if len(runners) != tc.runners || unmask.ErrorCode(err) != tc.code {
			t.Errorf("%s, subject %q: %d runners, %v; want %d, code %q", tc.file, tc.subject, len(runners), err, tc.runners, tc.code)
		}
	}
}
