package postal

import (
	"strings"

	"github.com/unmask/unmask"
)

// Parse splits a one-line address ("123 Main St Apt 4, Springfield, IL 62704, USA"), as
// applicant tracking systems store it, into components and normalises them. Components are
// separated by commas or newlines; from the end come an optional country, then the region
// and postcode, then the city, and the rest are street lines.
func Parse(s string) (Normalized, error) {
	if len(s) > maxAddressLen {
		return Normalized{}, unmask.Errorf(unmask.EINVALID, "Address is longer than %d characters.", maxAddressLen)
	}
	var parts []string
	for p := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return Normalized{}, unmask.Errorf(unmask.EINVALID, "Address is empty.")
	}
	var a Address
	if len(parts) > 1 {
		if c := normCountry(parts[len(parts)-1]); len(c) == 2 && !hasDigit(c) {
			a.Country = c
			parts = parts[:len(parts)-1]
		}
	}
	if len(parts) > 1 && hasDigit(parts[len(parts)-1]) && !looksLikeStreet(parts[len(parts)-1], len(parts)) {
		a.Region, a.Postcode = splitPostcode(parts[len(parts)-1])
		parts = parts[:len(parts)-1]
		if a.Region == "" && len(parts) > 2 && isUSRegion(parts[len(parts)-1]) {
			a.Region = parts[len(parts)-1]
			parts = parts[:len(parts)-1]
		}
	}
	if len(parts) > 1 && !hasDigit(parts[len(parts)-1]) {
		a.City = parts[len(parts)-1]
		parts = parts[:len(parts)-1]
	}
	a.Line1 = parts[0]
	if len(parts) > 1 {
		a.Line2 = strings.Join(parts[1:], " ")
	}
	return Normalize(a)
}

// looksLikeStreet reports whether the last remaining component is the street itself, as in
// "10 Downing St" alone.
func looksLikeStreet(p string, remaining int) bool {
	return remaining == 1 || (remaining == 2 && isNumber(strings.TrimSpace(p)) && len(tokens(p)) > 2)
}

// splitPostcode splits "IL 62704" or "SW1A 1AA" into region and postcode: the postcode is
// the trailing run of tokens that contain a digit.
func splitPostcode(p string) (region, postcode string) {
	t := tokens(p)
	i := len(t)
	for i > 0 && hasDigit(t[i-1]) {
		i--
	}
	return strings.Join(t[:i], " "), strings.Join(t[i:], " ")
}

// isUSRegion reports whether p is a US state name or postal code.
func isUSRegion(p string) bool {
	r := strings.Join(tokens(p), " ")
	_, ok := usStates[r]
	return ok || isUSState(r)
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }
