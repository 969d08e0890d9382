// Package idhash turns sensitive identifier values into keyed hashes and masked display
// forms. The key (HMAC-SHA256) is generated on first start and kept in a 0600 file, or
// supplied by configuration, so the store never holds a phone number, e-mail, address or
// bank account in the clear, yet two people sharing one still share its hash.
package idhash

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/unmask/unmask"
)

// KeySize is the length of a generated key in bytes.
const KeySize = 32

// Hasher computes keyed hashes of identifier values.
type Hasher struct {
	key []byte
}

// New returns a Hasher using key, which must be at least KeySize bytes.
func New(key []byte) (*Hasher, error) {
	if len(key) < KeySize {
		return nil, fmt.Errorf("hash key is %d bytes, want at least %d", len(key), KeySize)
	}
	return &Hasher{key: append([]byte(nil), key...)}, nil
}

// Hash returns the hex keyed hash of a normalised value of kind. The kind is part of the
// input, so the same text as an e-mail and as a login hashes differently.
func (h *Hasher) Hash(kind unmask.IdentifierKind, normalized string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(normalized))
	return hex.EncodeToString(m.Sum(nil))
}

// Identifier returns an identifier for personID holding a normalised value of kind: a
// sensitive value is kept only as its hash and masked form.
func (h *Hasher) Identifier(personID string, kind unmask.IdentifierKind, normalized, source string) *unmask.Identifier {
	id := &unmask.Identifier{PersonID: personID, Kind: kind, Hash: h.Hash(kind, normalized), Source: source}
	if kind.Sensitive() {
		id.Display = Mask(kind, normalized)
	} else {
		id.Value, id.Display = normalized, normalized
	}
	return id
}

// DecodeKey parses a configured key written as hex or base64.
func DecodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) >= KeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) >= KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("hash key must be hex or base64 of at least %d bytes", KeySize)
}

// LoadOrCreateKey reads the key file at path, creating it with a new random key and 0600
// permissions when it does not exist. A key file readable by others is refused.
func LoadOrCreateKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read hash key: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("hash key %s has permissions %v: want 0600 (chmod 600 %s)", path, info.Mode().Perm(), path)
	}
	return DecodeKey(string(data))
}

func createKey(path string) ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create hash key directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // another process created it first
		return LoadOrCreateKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("create hash key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

// Mask returns the display form of a sensitive value: enough to recognise it, not to use it.
func Mask(kind unmask.IdentifierKind, v string) string {
	switch kind {
	case unmask.IdentEmail:
		return maskEmail(v)
	case unmask.IdentPhone:
		return maskPhone(v)
	case unmask.IdentBankAccount, unmask.IdentGovernmentID:
		return "****" + lastN(v, 4)
	case unmask.IdentAddress, unmask.IdentAddressBuilding, unmask.IdentShipToAddress:
		return maskAddress(v)
	}
	return v
}

// maskEmail keeps the first letter of the local part and the domain: j***@gmail.com.
func maskEmail(v string) string {
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}

// maskPhone keeps the country code and the last four digits: +1 ***-***-0142.
func maskPhone(v string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, v)
	if len(digits) < 6 {
		return "***"
	}
	cc := countryCode(digits)
	if cc == "1" {
		return "+1 ***-***-" + lastN(digits, 4)
	}
	return "+" + cc + " ***" + lastN(digits, 4)
}

// countryCode returns the E.164 calling code at the start of digits (1 to 3 digits).
func countryCode(digits string) string {
	switch {
	case digits[0] == '1' || digits[0] == '7':
		return digits[:1]
	case strings.ContainsRune("2345689", rune(digits[0])) && twoDigitCodes[digits[:2]]:
		return digits[:2]
	}
	return digits[:3]
}

// twoDigitCodes are the two-digit E.164 calling codes.
var twoDigitCodes = map[string]bool{}

func init() {
	for c := range strings.FieldsSeq("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98") {
		twoDigitCodes[c] = true
	}
}

// maskAddress keeps the last comma-separated parts (city, region, postcode, country) and
// hides the street line.
func maskAddress(v string) string {
	parts := strings.Split(v, ",")
	if len(parts) < 2 {
		return "***"
	}
	return "***, " + strings.TrimSpace(strings.Join(parts[1:], ","))
}

func lastN(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
