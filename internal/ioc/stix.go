package ioc

import (
	"cmp"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/TcM1911/stix2"
	"github.com/unmask/unmask"
)

// comparison matches one STIX pattern comparison with the equality operator:
// "email-addr:value = 'x@example.com'".
var comparison = regexp.MustCompile(`([a-z0-9-]+):([A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'`)

// stixPaths maps an object path to the indicator type it carries.
var stixPaths = map[string]unmask.IndicatorType{
	"email-addr:value":                unmask.IOCEmail,
	"domain-name:value":               unmask.IOCDomain,
	"url:value":                       unmask.IOCURL,
	"ipv4-addr:value":                 unmask.IOCIP,
	"ipv6-addr:value":                 unmask.IOCIP,
	"file:hashes.'SHA-256'":           unmask.IOCFileHash,
	"file:hashes.'MD5'":               unmask.IOCFileHash,
	"file:hashes.'SHA-1'":             unmask.IOCFileHash,
	"x-crypto-wallet:address":         unmask.IOCWallet,
	"cryptocurrency-wallet:address":   unmask.IOCWallet,
	"x-cryptocurrency-wallet:address": unmask.IOCWallet,
	"x-phone-number:value":            unmask.IOCPhone,
	"phone-number:value":              unmask.IOCPhone,
}

// LoadSTIX reads the indicator objects of a STIX 2.1 bundle (or a JSON array of STIX
// objects) and turns each equality comparison of a "stix" pattern into an indicator:
// e-mail, domain, URL, IP (CIDR when it has a prefix length), file hash, wallet
// (x-crypto-wallet, cryptocurrency-wallet), phone (x-phone-number) and GitHub login
// (user-account:account_login with account_type 'github'). Revoked indicators and other
// pattern languages are skipped.
func LoadSTIX(r io.Reader, source string) (Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return Result{}, unmask.WrapError(unmask.EINVALID, err, "STIX bundle cannot be read.")
	}
	if len(data) > MaxFileBytes {
		return Result{}, unmask.Errorf(unmask.ETOOLARGE, "STIX bundle is larger than %d bytes.", MaxFileBytes)
	}
	col, err := stix2.FromJSON(data)
	if err != nil {
		return Result{}, unmask.WrapError(unmask.EINVALID, err, "STIX bundle is not valid.")
	}
	inds := col.Indicators()
	slices.SortFunc(inds, func(a, b *stix2.Indicator) int { return cmp.Compare(a.ID, b.ID) })
	var res Result
	for _, in := range inds {
		if in.Revoked || (in.PatternType != "" && !strings.EqualFold(in.PatternType, "stix")) {
			res.skip("%s: revoked or not a STIX pattern", in.ID)
			continue
		}
		found := patternIndicators(in.Pattern)
		if len(found) == 0 {
			res.skip("%s: pattern has no supported comparison", in.ID)
		}
		for _, f := range found {
			ind, err := stixIndicator(in, f, source)
			if err != nil {
				res.skip("%s: %s", in.ID, unmask.ErrorMessage(err))
				continue
			}
			res.Indicators = append(res.Indicators, ind)
		}
	}
	return res, nil
}

// typed is one value found in a pattern.
type typed struct {
	t unmask.IndicatorType
	v string
}

// patternIndicators returns the supported equality comparisons of a pattern.
func patternIndicators(pattern string) []typed {
	var out []typed
	github := false
	var logins []string
	for _, m := range comparison.FindAllStringSubmatch(pattern, -1) {
		path, value := m[1]+":"+m[2], strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(m[3])
		switch {
		case path == "user-account:account_type":
			github = github || strings.EqualFold(value, "github")
		case path == "user-account:account_login":
			logins = append(logins, value)
		case (path == "ipv4-addr:value" || path == "ipv6-addr:value") && strings.Contains(value, "/"):
			out = append(out, typed{unmask.IOCCIDR, value})
		default:
			if t, ok := stixPaths[path]; ok {
				out = append(out, typed{t, value})
			}
		}
	}
	if github {
		for _, l := range logins {
			out = append(out, typed{unmask.IOCGitHubLogin, l})
		}
	}
	return out
}

func stixIndicator(in *stix2.Indicator, f typed, source string) (unmask.Indicator, error) {
	v, err := Normalize(f.t, f.v)
	if err != nil {
		return unmask.Indicator{}, err
	}
	desc := strings.TrimSpace(strings.Join([]string{in.Name, in.Description}, ": "))
	desc = strings.TrimSpace(strings.Trim(desc, ": ") + " [" + string(in.ID) + "]")
	ind := unmask.Indicator{
		Type: f.t, Value: v, Source: source, Description: desc, Confidence: in.Confidence,
	}
	if ind.Confidence == 0 {
		ind.Confidence = 50
	}
	if in.ValidUntil != nil {
		ind.ValidUntil = in.ValidUntil.UTC()
	}
	return ind, ind.Validate()
}
