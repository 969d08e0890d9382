package idhash_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/idhash"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name string
		kind unmask.IdentifierKind
		in   string
		want string
	}{
		{"EmailGmail", unmask.IdentEmail, "jane.doe@gmail.com", "j***@gmail.com"},
		{"EmailNoAt", unmask.IdentEmail, "garbage", "***"},
		{"PhoneUS", unmask.IdentPhone, "+13125550142", "+1 ***-***-0142"},
		{"PhoneUK", unmask.IdentPhone, "+447700900123", "+44 ***0123"},
		{"PhoneThreeDigitCode", unmask.IdentPhone, "+380501234567", "+380 ***4567"},
		{"PhoneTooShort", unmask.IdentPhone, "+12", "***"},
		{"Bank", unmask.IdentBankAccount, "021000021:000123456789", "****6789"},
		{"Address", unmask.IdentAddress, "123 main st apt 4, springfield, il 62701, us", "***, springfield, il 62701, us"},
		{"AddressOneLine", unmask.IdentShipToAddress, "somewhere", "***"},
		{"NotSensitive", unmask.IdentGitHubLogin, "octocat", "octocat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := idhash.Mask(tt.kind, tt.in); got != tt.want {
				t.Errorf("Mask(%s, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
			}
		})
	}
}

func TestHash(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	h, err := idhash.New(key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := idhash.New([]byte(strings.Repeat("z", 32)))
	a := h.Hash(unmask.IdentEmail, "jane@gmail.com")
	if a != h.Hash(unmask.IdentEmail, "jane@gmail.com") || len(a) != 64 {
		t.Errorf("hash not stable: %s", a)
	}
	if a == h.Hash(unmask.IdentIdPLogin, "jane@gmail.com") {
		t.Error("kind must be part of the hash")
	}
	if a == other.Hash(unmask.IdentEmail, "jane@gmail.com") {
		t.Error("different keys gave the same hash")
	}
	if _, err := idhash.New([]byte("short")); err == nil {
		t.Error("short key accepted")
	}
	id := h.Identifier("p1", unmask.IdentPhone, "+13125550142", "greenhouse")
	if id.Value != "" || id.Display != "+1 ***-***-0142" || id.Hash == "" || id.Validate() != nil {
		t.Errorf("sensitive identifier = %+v", id)
	}
	gh := h.Identifier("p1", unmask.IdentGitHubLogin, "octocat", "greenhouse")
	if gh.Value != "octocat" || gh.Validate() != nil {
		t.Errorf("plain identifier = %+v", gh)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "hash.key")
	k1, err := idhash.LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", info.Mode().Perm())
	}
	k2, err := idhash.LoadOrCreateKey(path)
	if err != nil || string(k1) != string(k2) || len(k1) != idhash.KeySize {
		t.Errorf("reloaded key differs (%v)", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := idhash.LoadOrCreateKey(path); err == nil || !strings.Contains(err.Error(), "0600") {
		t.Errorf("world-readable key accepted: %v", err)
	}
}

func TestDecodeKey(t *testing.T) {
	for _, s := range []string{strings.Repeat("ab", 32), "q83vEjRWeJq8vN7xEjRWeJq8vN7xEjRWeJq8vN7xEjQ=", "  " + strings.Repeat("01", 40) + "\n"} {
		if _, err := idhash.DecodeKey(s); err != nil {
			t.Errorf("DecodeKey(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "abcd", "not a key at all!!"} {
		if _, err := idhash.DecodeKey(s); err == nil {
			t.Errorf("DecodeKey(%q) accepted", s)
		}
	}
}
