package bankacct

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
)

// Account is a normalised bank account.
type Account struct {
	// Key is the canonical value: "aba:<routing>:<account>" or "iban:<IBAN>".
	Key string `json:"key"`
	// Country is the ISO 3166-1 alpha-2 country of the account ("US" for ABA accounts).
	Country string `json:"country"`
	// Last4 is the last four characters of the account number, for display.
	Last4 string `json:"last4"`
}

// Mask returns the display form "****1234".
func (a Account) Mask() string { return "****" + a.Last4 }

// ParseUS validates an ABA routing number (nine digits with the 3-7-1 checksum) and an
// account number (4 to 17 digits; spaces and hyphens ignored).
func ParseUS(routing, account string) (Account, error) {
	r := strip(routing)
	if !ValidRouting(r) {
		return Account{}, unmask.Errorf(unmask.EINVALID, "Routing number is not a valid ABA number.")
	}
	acct := strings.TrimLeft(strip(account), "0")
	if n := len(strip(account)); n < 4 || n > 17 || !allDigits(strip(account)) || acct == "" {
		return Account{}, unmask.Errorf(unmask.EINVALID, "Account number must be 4 to 17 digits.")
	}
	return Account{Key: "aba:" + r + ":" + acct, Country: "US", Last4: last4(strip(account))}, nil
}

// ValidRouting reports whether r is nine digits with a valid ABA checksum.
func ValidRouting(r string) bool {
	if len(r) != 9 || !allDigits(r) {
		return false
	}
	w := [9]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := range 9 {
		sum += int(r[i]-'0') * w[i]
	}
	return sum%10 == 0 && r != "000000000"
}

// ParseIBAN validates an IBAN (country length and the ISO 7064 mod-97 check) and returns
// its canonical electronic form without spaces.
func ParseIBAN(s string) (Account, error) {
	iban := strings.ToUpper(strip(s))
	if len(iban) < 15 || len(iban) > 34 {
		return Account{}, unmask.Errorf(unmask.EINVALID, "IBAN length is not valid.")
	}
	cc := iban[:2]
	if want, ok := ibanLengths[cc]; !ok || want != len(iban) {
		return Account{}, unmask.Errorf(unmask.EINVALID, "IBAN length does not match its country.")
	}
	if !allDigits(iban[2:4]) || !alnum(iban) {
		return Account{}, unmask.Errorf(unmask.EINVALID, "IBAN has invalid characters.")
	}
	if !mod97(iban[4:] + iban[:4]) {
		return Account{}, unmask.Errorf(unmask.EINVALID, "IBAN check digits are wrong.")
	}
	return Account{Key: "iban:" + iban, Country: cc, Last4: last4(iban)}, nil
}

func mod97(s string) bool {
	var digits strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			digits.WriteString(strconv.Itoa(int(r-'A') + 10))
		} else {
			digits.WriteRune(r)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func strip(s string) string {
	return strings.NewReplacer(" ", "", "-", "", "\t", "", ".", "").Replace(strings.TrimSpace(s))
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func last4(s string) string {
	if len(s) <= 4 {
		return s
	}
	return s[len(s)-4:]
}

// ibanLengths is the IBAN length of each country in the SWIFT IBAN registry (common ones).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AT": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "CH": 21, "CY": 28,
	"CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GE": 22,
	"GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26, "IT": 27, "KW": 30,
	"KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
	"NO": 15, "PK": 24, "PL": 28, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29,
}
