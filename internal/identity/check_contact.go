package identity

import (
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
)

// PhoneFacts is what is known about an applicant's phone number.
type PhoneFacts struct {
	PersonID string
	EventID  string
	Time     time.Time
	// Phone is the parsed number (contact.ParsePhone).
	Phone contact.Phone
	// Lookup is the carrier lookup's answer, if one was made.
	Lookup *contact.LineInfo
	// ResidenceCountry is the ISO country of the address the person gives.
	ResidenceCountry string
}

// PhoneSignals checks a phone number: a VoIP line, by numbering plan or carrier lookup
// (H-01), and a number whose country differs from the claimed residence (H-01, H-19;
// low weight, since people keep their numbers when they move).
func (c Checker) PhoneSignals(f PhoneFacts) []unmask.Signal {
	var out []unmask.Signal
	masked := contact.MaskPhone(f.Phone.E164)
	voip := f.Phone.VoIP()
	via := "numbering plan"
	if f.Lookup != nil && f.Lookup.Type == contact.LineVoIP {
		voip, via = true, "carrier lookup"
	}
	if voip {
		out = append(out, c.signal(f.PersonID, "H-01", DetectorPhone, unmask.SeverityMedium, 0.4, f.Time, f.EventID,
			"phone:voip:"+f.Phone.E164,
			fmt.Sprintf("Phone %s is a VoIP number (%s).", masked, via)))
	}
	res := strings.ToUpper(f.ResidenceCountry)
	if res != "" && f.Phone.Region != "" && f.Phone.Region != "001" && f.Phone.Region != res && !sameNANP(f.Phone, res) {
		out = append(out, c.signal(f.PersonID, "H-19", DetectorPhone, unmask.SeverityLow, 0.2, f.Time, f.EventID,
			"phone:country:"+f.Phone.E164,
			fmt.Sprintf("Phone %s is registered in %s but the claimed residence is in %s.", masked, f.Phone.Region, res)))
	}
	return out
}

// nanp lists the North American Numbering Plan countries the check treats as one: a
// Canadian number in the US is ordinary.
var nanp = map[string]bool{"US": true, "CA": true, "PR": true}

func sameNANP(p contact.Phone, country string) bool {
	return p.CountryCode == 1 && nanp[p.Region] && nanp[country]
}
