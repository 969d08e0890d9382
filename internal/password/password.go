// Package password hashes and verifies user passwords with argon2id, stored as PHC strings
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), the OWASP-recommended parameters.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultParams follow OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// MinLength is the shortest password accepted; MaxLength bounds hashing work.
const (
	MinLength = 12
	MaxLength = 1024
)

// ErrMismatch reports a wrong password.
var ErrMismatch = errors.New("password does not match")

var b64 = base64.RawStdEncoding

// Check reports why a new password is unacceptable, or nil.
func Check(pw string) error {
	switch {
	case len(pw) < MinLength:
		return fmt.Errorf("password must be at least %d characters", MinLength)
	case len(pw) > MaxLength:
		return fmt.Errorf("password must be at most %d characters", MaxLength)
	}
	return nil
}

// Hash returns the PHC string of pw with p.
func Hash(pw string, p Params) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the PHC string encoded: nil, ErrMismatch, or an error
// for a malformed hash.
func Verify(pw, encoded string) error {
	p, salt, want, err := decode(encoded)
	if err != nil {
		return err
	}
	if len(pw) > MaxLength {
		return ErrMismatch
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

func decode(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("not an argon2id PHC string")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("bad argon2 parameters %q", parts[3])
	}
	if p.Memory > 1<<21 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("argon2 parameters out of range %q", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errors.New("bad argon2 salt")
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, errors.New("bad argon2 hash")
	}
	return p, salt, key, nil
}
