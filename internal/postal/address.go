package postal

import (
	"strings"
	"unicode"

	"github.com/unmask/unmask"
	"golang.org/x/text/unicode/norm"
)

// maxAddressLen bounds the raw text of one address.
const maxAddressLen = 1024

// Address is an address as a source gives it, in components.
type Address struct {
	Line1    string `json:"line1"`
	Line2    string `json:"line2,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"` // state, province or county
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"` // a name or ISO code
}

// Normalized is an address in canonical form.
type Normalized struct {
	// Street is the house number and street ("123 N MAIN ST") or a PO box ("PO BOX 12").
	Street string `json:"street"`
	// Unit is the secondary unit ("APT 4B"), empty when there is none.
	Unit     string `json:"unit,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"` // ISO 3166-1 alpha-2 when known
}

// BuildingKey identifies the building: equal for every unit at one street address.
func (n Normalized) BuildingKey() string {
	place := n.Postcode
	if place == "" {
		place = n.City + "/" + n.Region
	}
	return n.Country + "|" + place + "|" + n.Street
}

// FullKey identifies the unit: BuildingKey plus the unit number. The designator is left
// out, so "APT 4" and "# 4" in one building are the same unit.
func (n Normalized) FullKey() string {
	unit := n.Unit
	if d, v, ok := strings.Cut(unit, " "); ok {
		if _, isDesignator := units[d]; isDesignator {
			unit = v
		}
	}
	return n.BuildingKey() + "|" + unit
}

// Mask returns the display form, which keeps only the city, postcode and country:
// "*** Springfield IL 62704, US".
func (n Normalized) Mask() string {
	parts := []string{"***"}
	for _, s := range []string{n.City, n.Region, n.Postcode} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	out := strings.Join(parts, " ")
	if n.Country != "" {
		out += ", " + n.Country
	}
	return out
}

// Normalize normalises a. It returns EINVALID when a has no street line.
func Normalize(a Address) (Normalized, error) {
	if total := len(a.Line1) + len(a.Line2) + len(a.City) + len(a.Region) + len(a.Postcode) + len(a.Country); total > maxAddressLen {
		return Normalized{}, unmask.Errorf(unmask.EINVALID, "Address is longer than %d characters.", maxAddressLen)
	}
	street, unit := splitUnit(tokens(a.Line1))
	street2, unit2 := splitUnit(tokens(a.Line2))
	if len(street) == 0 {
		street, street2 = street2, nil
	}
	if unit == "" {
		unit = unit2
	}
	if unit == "" && len(street2) > 0 {
		unit = strings.Join(street2, " ")
	}
	n := Normalized{
		Street:  normStreet(street),
		Unit:    unit,
		City:    strings.Join(tokens(a.City), " "),
		Country: normCountry(a.Country),
	}
	if n.Street == "" {
		return Normalized{}, unmask.Errorf(unmask.EINVALID, "Address has no street line.")
	}
	n.Region = normRegion(strings.Join(tokens(a.Region), " "), n.Country)
	n.Postcode = normPostcode(a.Postcode, n.Country)
	if n.Country == "" && isUSState(n.Region) && len(n.Postcode) == 5 && strings.Trim(n.Postcode, "0123456789") == "" {
		n.Country = "US" // a state code and a ZIP: without this the same address keys differently with and without "USA"
	}
	return n, nil
}

// tokens upper-cases s, removes diacritics and splits it on punctuation and space. "#" is
// kept as its own token so "#4" reads as a unit.
func tokens(s string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/':
			b.WriteRune(unicode.ToUpper(r))
		case r == '#':
			b.WriteString(" # ")
		default:
			b.WriteByte(' ')
		}
	}
	f := strings.Fields(b.String())
	out := f[:0]
	for _, t := range f {
		if t = strings.Trim(t, "-/"); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// splitUnit separates a secondary-unit designator and its value from the street tokens.
func splitUnit(t []string) (street []string, unit string) {
	for i, tok := range t {
		d, ok := units[tok]
		switch {
		case !ok:
		case bareUnits[d] && i == len(t)-1 && i > 0:
			return t[:i], d
		case !bareUnits[d] && i+1 < len(t):
			rest := append(append([]string(nil), t[:i]...), t[i+2:]...)
			return rest, unitString(d, t[i+1:i+2])
		}
	}
	return t, ""
}

func unitString(d string, v []string) string {
	val := strings.Join(v, " ")
	if d == "#" {
		return "# " + val
	}
	return strings.TrimSpace(d + " " + val)
}

// normStreet abbreviates the street suffix and directionals: "123 North Main Street" →
// "123 N MAIN ST". Only the last word (or the word before a trailing directional) is taken
// as the suffix, so "Avenue Road" keeps its first word.
func normStreet(in []string) string {
	var t []string
	for _, tok := range in {
		if tok != "#" {
			t = append(t, tok)
		}
	}
	if len(t) == 0 {
		return ""
	}
	if len(t) >= 2 && t[0] == "P" && t[1] == "O" {
		t = append([]string{"PO"}, t[2:]...)
	}
	if len(t) >= 2 && (t[0] == "PO" || t[0] == "POST") {
		return poBox(t)
	}
	last := len(t) - 1
	if d, ok := directionals[t[last]]; ok && last >= 2 {
		t[last] = d
		last--
	}
	if s, ok := suffixes[t[last]]; ok && last >= 2 {
		t[last] = s
	}
	if len(t) >= 3 {
		if d, ok := directionals[t[1]]; ok && isNumber(t[0]) {
			t[1] = d
		}
	}
	return strings.Join(t, " ")
}

func poBox(t []string) string {
	var num []string
	for _, tok := range t {
		if tok != "PO" && tok != "POST" && tok != "OFFICE" && tok != "BOX" {
			num = append(num, tok)
		}
	}
	return strings.TrimSpace("PO BOX " + strings.Join(num, " "))
}

func isNumber(s string) bool {
	return s != "" && strings.IndexFunc(s, unicode.IsDigit) == 0
}

func normCountry(s string) string {
	c := strings.Join(tokens(strings.ReplaceAll(s, ".", "")), " ")
	if iso, ok := countries[c]; ok {
		return iso
	}
	return c
}

func normRegion(r, country string) string {
	if country == "US" || country == "" {
		if code, ok := usStates[r]; ok {
			return code
		}
	}
	return r
}

func isUSState(code string) bool {
	for _, c := range usStates {
		if c == code {
			return true
		}
	}
	return false
}

// normPostcode strips spaces and hyphens; US ZIP+4 keeps only the five-digit ZIP.
func normPostcode(p, country string) string {
	p = strings.Join(tokens(p), "")
	p = strings.ReplaceAll(p, "-", "")
	if (country == "US" || country == "") && len(p) == 9 && strings.Trim(p, "0123456789") == "" {
		p = p[:5]
	}
	return p
}
