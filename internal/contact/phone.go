package contact

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"github.com/unmask/unmask"
)

// maxPhoneLen bounds the raw input handed to the numbering-plan parser.
const maxPhoneLen = 64

// LineType is the kind of line a number belongs to.
type LineType string

// Line types. LineFixedOrMobile is what the numbering plan says for countries (such as the
// US and Canada) whose mobile and fixed ranges overlap; only a carrier lookup can tell more.
const (
	LineUnknown       LineType = "unknown"
	LineFixed         LineType = "fixed_line"
	LineMobile        LineType = "mobile"
	LineFixedOrMobile LineType = "fixed_line_or_mobile"
	LineVoIP          LineType = "voip"
	LineTollFree      LineType = "toll_free"
	LinePremium       LineType = "premium_rate"
	LineSharedCost    LineType = "shared_cost"
	LinePersonal      LineType = "personal"
	LinePager         LineType = "pager"
	LineUAN           LineType = "uan"
	LineVoicemail     LineType = "voicemail"
)

// Phone is a parsed, valid phone number.
type Phone struct {
	// E164 is the canonical key, e.g. "+12025550142".
	E164 string `json:"e164"`
	// CountryCode is the calling code, e.g. 1 or 44.
	CountryCode int `json:"country_code"`
	// Region is the ISO 3166-1 alpha-2 region the number belongs to ("US", "GB"); for
	// non-geographic numbers it is "001".
	Region string `json:"region"`
	// Type is the line type the numbering plan gives.
	Type LineType `json:"type"`
}

// VoIP reports whether the numbering plan places the number in a VoIP range.
func (p Phone) VoIP() bool { return p.Type == LineVoIP }

// ParsePhone parses raw as a phone number. defaultRegion (ISO alpha-2) is used when raw has
// no leading "+"; it may be empty when raw is in international form. It returns an EINVALID
// error for anything that is not a valid number.
func ParsePhone(raw, defaultRegion string) (Phone, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Phone{}, unmask.Errorf(unmask.EINVALID, "Phone number is empty.")
	}
	if len(raw) > maxPhoneLen {
		return Phone{}, unmask.Errorf(unmask.EINVALID, "Phone number is longer than %d characters.", maxPhoneLen)
	}
	n, err := phonenumbers.Parse(raw, strings.ToUpper(defaultRegion))
	if err != nil {
		return Phone{}, unmask.WrapError(unmask.EINVALID, err, "Phone number is not valid.")
	}
	if !phonenumbers.IsValidNumber(n) {
		return Phone{}, unmask.Errorf(unmask.EINVALID, "Phone number is not valid.")
	}
	return Phone{
		E164:        phonenumbers.Format(n, phonenumbers.E164),
		CountryCode: int(n.GetCountryCode()),
		Region:      phonenumbers.GetRegionCodeForNumber(n),
		Type:        lineType(phonenumbers.GetNumberType(n)),
	}, nil
}

func lineType(t phonenumbers.PhoneNumberType) LineType {
	switch t {
	case phonenumbers.FIXED_LINE:
		return LineFixed
	case phonenumbers.MOBILE:
		return LineMobile
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return LineFixedOrMobile
	case phonenumbers.VOIP:
		return LineVoIP
	case phonenumbers.TOLL_FREE:
		return LineTollFree
	case phonenumbers.PREMIUM_RATE:
		return LinePremium
	case phonenumbers.SHARED_COST:
		return LineSharedCost
	case phonenumbers.PERSONAL_NUMBER:
		return LinePersonal
	case phonenumbers.PAGER:
		return LinePager
	case phonenumbers.UAN:
		return LineUAN
	case phonenumbers.VOICEMAIL:
		return LineVoicemail
	}
	return LineUnknown
}

// MaskPhone returns the display form of an E.164 number that keeps only the calling code
// and the last four digits: "+12025550142" → "+1 ***-***-0142". Input that is not E.164 is
// masked entirely except its last four digits.
func MaskPhone(e164 string) string {
	digits := onlyDigits(e164)
	if len(digits) < 4 {
		return "****"
	}
	last := digits[len(digits)-4:]
	cc := ""
	if strings.HasPrefix(e164, "+") {
		if n, err := phonenumbers.Parse(e164, ""); err == nil {
			cc = fmt.Sprintf("+%d ", n.GetCountryCode())
		}
	}
	return cc + "***-***-" + last
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteByte(byte(r))
		}
	}
	return b.String()
}
