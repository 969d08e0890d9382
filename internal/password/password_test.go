package password_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/unmask/unmask/internal/password"
)

// fast keeps tests quick; production uses DefaultParams.
var fast = password.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

func TestHashVerify(t *testing.T) {
	h, err := password.Hash("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %s", h)
	}
	if err := password.Verify("correct horse battery", h); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := password.Verify("correct horse batterY", h); !errors.Is(err, password.ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	h2, _ := password.Hash("correct horse battery", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
	d, err := password.Hash("default parameters ok", password.DefaultParams)
	if err != nil || password.Verify("default parameters ok", d) != nil {
		t.Errorf("default params: %v", err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if err := password.Verify("x", h); err == nil || errors.Is(err, password.ErrMismatch) {
			t.Errorf("Verify with %q = %v, want a malformed-hash error", h, err)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		pw string
		ok bool
	}{{"short", false}, {"twelve chars", true}, {strings.Repeat("x", 1025), false}}
	for _, tt := range tests {
		if err := password.Check(tt.pw); (err == nil) != tt.ok {
			t.Errorf("Check(%d chars) = %v", len(tt.pw), err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("", "$argon2id$v=19$m=0,t=0,p=0$$")
	f.Add("x", "$argon2id$v=19$m=8,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Fuzz(func(t *testing.T, pw, h string) {
		_ = password.Verify(pw, h) // must not panic or run unbounded
	})
}
