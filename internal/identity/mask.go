package identity

import (
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
)

// Mask returns the display form of a normalised identifier value: sensitive kinds keep
// only what a reviewer needs to recognise them ("+1 ***-***-0142", "j***@gmail.com",
// "*** 62704, US", "****1234"); other kinds are shown as they are. Address values are
// postal FullKey or BuildingKey strings, bank values bankacct keys.
func Mask(kind unmask.IdentifierKind, value string) string {
	switch kind {
	case unmask.IdentEmail:
		return contact.MaskEmail(value)
	case unmask.IdentPhone:
		return contact.MaskPhone(value)
	case unmask.IdentAddress, unmask.IdentShipToAddress, KindBuilding:
		return maskAddressKey(value)
	case unmask.IdentBankAccount, unmask.IdentGovernmentID:
		return "****" + last4(value)
	}
	return value
}

// maskAddressKey masks "COUNTRY|POSTCODE|STREET|UNIT" to "*** POSTCODE, COUNTRY"; a key
// without a postcode shows the city instead ("COUNTRY|CITY/REGION|...").
func maskAddressKey(key string) string {
	parts := strings.Split(key, "|")
	if len(parts) < 2 {
		return "***"
	}
	place := strings.Trim(strings.ReplaceAll(parts[1], "/", " "), " ")
	out := strings.TrimSpace("*** " + place)
	if parts[0] != "" {
		out += ", " + parts[0]
	}
	return out
}

func last4(s string) string {
	var digits []rune
	for _, r := range s {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			digits = append(digits, r)
		}
	}
	if len(digits) < 4 {
		return ""
	}
	return string(digits[len(digits)-4:])
}
