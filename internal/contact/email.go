package contact

import (
	"net/mail"
	"strings"

	"github.com/unmask/unmask"
)

// maxEmailLen is the longest address accepted (RFC 5321 path limit).
const maxEmailLen = 254

// Email is a parsed e-mail address.
type Email struct {
	// Address is the address as given, lower-cased: "john.doe+jobs@gmail.com".
	Address string `json:"address"`
	// Canonical is the mailbox key: Gmail dots and "+tags" removed where the provider
	// ignores them, googlemail.com folded into gmail.com: "johndoe@gmail.com".
	Canonical string `json:"canonical"`
	// Domain is the canonical domain.
	Domain     string `json:"domain"`
	FreeMail   bool   `json:"free_mail"`
	Disposable bool   `json:"disposable"`
}

// EmailNormalizer parses addresses. Build it with NewEmailNormalizer; it is safe for
// concurrent use once built.
type EmailNormalizer struct {
	free       *DomainSet
	disposable *DomainSet
}

// NewEmailNormalizer returns a normaliser that classifies domains with the given sets; nil
// sets mean the built-in lists.
func NewEmailNormalizer(free, disposable *DomainSet) *EmailNormalizer {
	if free == nil {
		free = FreeMailDomains()
	}
	if disposable == nil {
		disposable = DisposableDomains()
	}
	return &EmailNormalizer{free: free, disposable: disposable}
}

// subaddressed lists providers that deliver "local+tag@" to "local@".
var subaddressed = map[string]bool{
	"gmail.com": true, "outlook.com": true, "hotmail.com": true, "live.com": true,
	"icloud.com": true, "me.com": true, "proton.me": true, "protonmail.com": true,
	"pm.me": true, "fastmail.com": true,
}

// Parse parses raw (a bare address or "Name <addr>") and returns EINVALID for anything that
// is not one address.
func (n *EmailNormalizer) Parse(raw string) (Email, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2*maxEmailLen {
		return Email{}, unmask.Errorf(unmask.EINVALID, "E-mail address is empty or too long.")
	}
	a, err := mail.ParseAddress(raw)
	if err != nil {
		return Email{}, unmask.WrapError(unmask.EINVALID, err, "E-mail address is not valid.")
	}
	addr := strings.ToLower(a.Address)
	local, domain, ok := cutLast(addr, "@")
	if !ok || local == "" || !validDomain(domain) || len(addr) > maxEmailLen {
		return Email{}, unmask.Errorf(unmask.EINVALID, "E-mail address is not valid.")
	}
	if !dotAtom(local) {
		return Email{}, unmask.Errorf(unmask.EINVALID, "E-mail address has an unusual mailbox name.")
	}
	domain = strings.TrimSuffix(domain, ".")
	if domain == "googlemail.com" {
		domain = "gmail.com"
	}
	canon := local
	if subaddressed[domain] {
		canon, _, _ = strings.Cut(canon, "+")
	}
	if domain == "gmail.com" {
		canon = strings.ReplaceAll(canon, ".", "")
	}
	if canon == "" {
		return Email{}, unmask.Errorf(unmask.EINVALID, "E-mail address has an empty mailbox.")
	}
	return Email{
		Address:    local + "@" + domain,
		Canonical:  canon + "@" + domain,
		Domain:     domain,
		FreeMail:   n.free.Contains(domain),
		Disposable: n.disposable.Contains(domain),
	}, nil
}

// dotAtom reports whether local is an RFC 5322 dot-atom (letters, digits, the atext
// symbols and non-ASCII letters, with single inner dots). Quoted local parts, which could
// hide spaces or "@", are not accepted.
func dotAtom(local string) bool {
	if local == "" || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 127 && r != 0xfffd:
		case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r):
		default:
			return false
		}
	}
	return true
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// validDomain accepts a dotted DNS name of letters, digits and hyphens (or IDNA A-labels).
func validDomain(d string) bool {
	d = strings.TrimSuffix(d, ".")
	if len(d) == 0 || len(d) > 253 || !strings.Contains(d, ".") {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// MaskEmail returns the display form of an address: "john.doe@gmail.com" → "j***@gmail.com".
func MaskEmail(addr string) string {
	local, domain, ok := cutLast(addr, "@")
	if !ok || local == "" {
		return "***"
	}
	first := []rune(local)[0]
	return string(first) + "***@" + domain
}
