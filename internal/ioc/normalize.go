package ioc

import (
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/bankacct"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/handle"
	"github.com/unmask/unmask/internal/postal"
)

var emails = contact.NewEmailNormalizer(nil, nil)

var (
	evmWallet = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)
	base58    = regexp.MustCompile(`^[1-9A-HJ-NP-Za-km-z]{25,90}$`)
	bech32    = regexp.MustCompile(`^(bc|tb|ltc)1[02-9ac-hj-np-z]{6,87}$`)
	hexHash   = regexp.MustCompile(`^[0-9a-f]{32}$|^[0-9a-f]{40}$|^[0-9a-f]{64}$|^[0-9a-f]{128}$`)
)

// refang undoes common defanging: "evil[.]com", "hxxp://", "a[@]b.com".
func refang(v string) string {
	r := strings.NewReplacer("[.]", ".", "(.)", ".", "{.}", ".", "[dot]", ".", "[@]", "@", "(@)", "@", "[at]", "@",
		"hxxps://", "https://", "hxxp://", "http://", "[:]", ":")
	return strings.TrimSpace(r.Replace(v))
}

// Normalize returns the canonical form of an indicator value, the same form applicant
// identifiers take, so equal values compare equal. It returns EINVALID for values that are
// not of the type.
func Normalize(t unmask.IndicatorType, v string) (string, error) {
	v = refang(v)
	switch t {
	case unmask.IOCEmail:
		e, err := emails.Parse(v)
		return e.Canonical, err
	case unmask.IOCPhone:
		p, err := contact.ParsePhone(v, "")
		return p.E164, err
	case unmask.IOCGitHubLogin:
		return githubLogin(v)
	case unmask.IOCDomain:
		return domain(v)
	case unmask.IOCWallet:
		return wallet(v)
	case unmask.IOCURL:
		return normURL(v)
	case unmask.IOCIP:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return "", unmask.WrapError(unmask.EINVALID, err, "IP indicator is not an address.")
		}
		return a.Unmap().String(), nil
	case unmask.IOCCIDR:
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return "", unmask.WrapError(unmask.EINVALID, err, "CIDR indicator is not a prefix.")
		}
		return p.Masked().String(), nil
	case unmask.IOCAddress:
		a, err := postal.Parse(v)
		return a.FullKey(), err
	case unmask.IOCBankAccount:
		return bank(v)
	case unmask.IOCFileHash:
		if h := strings.ToLower(v); hexHash.MatchString(h) {
			return h, nil
		}
		return "", unmask.Errorf(unmask.EINVALID, "File-hash indicator is not MD5, SHA-1, SHA-256 or SHA-512 hex.")
	}
	return "", unmask.Errorf(unmask.EINVALID, "Indicator type %q is not valid.", t)
}

func githubLogin(v string) (string, error) {
	if strings.Contains(strings.ToLower(v), "github") {
		h, err := handle.Parse(v)
		if err == nil && h.Site == handle.GitHub {
			return h.Name, nil
		}
	}
	login := strings.ToLower(strings.TrimPrefix(v, "@"))
	if !handle.ValidGitHubLogin(login) {
		return "", unmask.Errorf(unmask.EINVALID, "GitHub login %q is not valid.", v)
	}
	return login, nil
}

func domain(v string) (string, error) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimPrefix(v, "*.")), ".")
	if strings.Contains(d, "://") {
		if u, err := url.Parse(d); err == nil {
			d = u.Hostname()
		}
	}
	if _, err := emails.Parse("x@" + d); err != nil || d == "" {
		return "", unmask.Errorf(unmask.EINVALID, "Domain indicator %q is not a domain name.", v)
	}
	return d, nil
}

func wallet(v string) (string, error) {
	switch {
	case evmWallet.MatchString(v):
		return strings.ToLower(v), nil
	case bech32.MatchString(strings.ToLower(v)):
		return strings.ToLower(v), nil
	case base58.MatchString(v):
		return v, nil // base58 (Bitcoin legacy, Solana, Tron) is case-sensitive
	}
	return "", unmask.Errorf(unmask.EINVALID, "Wallet indicator is not an EVM, bech32 or base58 address.")
}

func normURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", unmask.Errorf(unmask.EINVALID, "URL indicator is not an http(s) URL.")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	return u.String(), nil
}

func bank(v string) (string, error) {
	if routing, acct, ok := strings.Cut(v, ":"); ok {
		a, err := bankacct.ParseUS(routing, acct)
		return a.Key, err
	}
	a, err := bankacct.ParseIBAN(v)
	return a.Key, err
}
