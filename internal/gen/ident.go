package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

func token(r *rand.Rand, n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

func upperToken(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[r.IntN(len(alnum))]
	}
	return string(b)
}

func uuid(r *rand.Rand) string {
	a, b := r.Uint64(), r.Uint64()
	a = a&^0xf000 | 0x4000           // version 4
	b = b&^(0xc000<<48) | 0x8000<<48 // variant 10
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, a>>16&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func macSerial(r *rand.Rand) string { return "C02" + upperToken(r, 9) }
func dellTag(r *rand.Rand) string   { return upperToken(r, 7) }

// address returns a plausible home address in city c.
func address(r *rand.Rand, c int) string {
	ct := &cities[c]
	if ct.Country == "US" {
		apt := ""
		if r.Float64() < 0.35 {
			apt = fmt.Sprintf(" Apt %d%c", 1+r.IntN(20), 'A'+rune(r.IntN(6)))
		}
		return fmt.Sprintf("%d %s%s, %s, %s %s%02d", 100+r.IntN(9800), pick(r, streets), apt, ct.Name, ct.Region, ct.Zip, r.IntN(100))
	}
	return fmt.Sprintf("%s %d, %s %s, %s", pick(r, intlStreets[ct.Country]), 1+r.IntN(180), ct.Zip, ct.Name, ct.Country)
}

// nanpAreas are area codes for the fictional 555-0100 to 555-0199 lines.
var nanpAreas = []string{"202", "206", "212", "213", "214", "303", "305", "312", "404", "415", "416", "503", "512",
	"602", "604", "615", "617", "646", "702", "713", "718", "720", "773", "801", "832", "872", "919", "949", "972"}

// phone hands out a number that no one else has, in the country's format. North American
// numbers are the fictional 555-01xx lines (then 555-02xx and up past 2,900 numbers); UK
// numbers the Ofcom drama range; others a 555 block in the country's shape.
func (g *generator) phone(country string) string {
	i := g.phones
	g.phones++
	switch country {
	case "US", "CA":
		return fmt.Sprintf("+1 %s 555 %04d", nanpAreas[i%len(nanpAreas)], 100+(i/len(nanpAreas))%100+100*(i/len(nanpAreas)/100))
	case "GB":
		return fmt.Sprintf("+44 7700 %06d", 900000+i%100000)
	}
	return fmt.Sprintf("%s 555 %06d", countries[countryIndex(country)].Phone, i%1000000)
}

// bankAccount is a payroll account.
type bankAccount struct {
	Bank, Country, Number, Routing, Holder string
}

var banks = map[string][]string{
	"US": {"Example National Bank", "First Example Credit Union", "Example Savings Bank"},
}

// bank returns a plausible payroll account with valid check digits.
func (g *generator) bank(r *rand.Rand, country, holder string) bankAccount {
	a := bankAccount{Country: country, Holder: holder, Bank: "Example Bank " + country}
	if names, ok := banks[country]; ok {
		a.Bank = pick(r, names)
	}
	switch country {
	case "US":
		a.Routing = aba(r)
		a.Number = digits(r, 10)
	case "GB":
		a.Number = iban("GB", "NWBK"+digits(r, 14))
	case "IE":
		a.Number = iban("IE", "AIBK"+digits(r, 14))
	case "DE":
		a.Number = iban("DE", digits(r, 18))
	case "PL":
		a.Number = iban("PL", digits(r, 24))
	case "PT":
		a.Number = iban("PT", digits(r, 21))
	case "ES":
		a.Number = iban("ES", digits(r, 20))
	default:
		a.Number = digits(r, 12)
	}
	return a
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// aba returns a routing number with a valid ABA checksum.
func aba(r *rand.Rand) string {
	d := "0" + strconv.Itoa(1+r.IntN(9)) + digits(r, 6)
	w := []int{3, 7, 1, 3, 7, 1, 3, 7}
	sum := 0
	for i := range 8 {
		sum += int(d[i]-'0') * w[i]
	}
	return d + strconv.Itoa((10-sum%10)%10)
}

// iban returns an IBAN with valid check digits.
func iban(country, bban string) string {
	s := bban + country + "00"
	var b strings.Builder
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			b.WriteString(strconv.Itoa(int(c-'A') + 10))
			continue
		}
		b.WriteRune(c)
	}
	rem := 0
	for _, c := range b.String() {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("%s%02d%s", country, 98-rem, bban)
}
