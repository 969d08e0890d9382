package analytics

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Place is a geocoded postal address. Addresses are personal data, so the detectors see
// only a keyed hash (equal keys mean the same normalised address) and coordinates.
type Place struct {
	Key      string
	Lat, Lon float64
	Geocoded bool // Lat and Lon are valid
}

// Profile is the HR and IT context of one person that the detectors compare activity
// with. Build it from the person's HR record, employment and assigned devices.
type Profile struct {
	PersonID string
	// Groups are the person's department, team and role groups, for suppressions
	// ("it-admins") and peer baselines: the first group is the peer group.
	Groups   []string
	HireDate time.Time
	// Country is the ISO 3166-1 alpha-2 country of the verified home address.
	Country string
	// TimeZone is the claimed IANA zone, e.g. "America/Chicago".
	TimeZone string
	// WorkStart and WorkEnd are the claimed local working hours, [start, end) in whole
	// hours (a second shift is 15 and 24); zero for both means 9 to 18.
	WorkStart, WorkEnd int
	// Home is the verified home address; its Key identifies the household, so people who
	// share a home (a couple) are one household. Empty Key: the person is their own.
	Home Place
	// ShipTo is where IT shipped (or will ship) the person's laptop.
	ShipTo Place
	// AssignedSerials are the serial numbers of the laptops IT issued to the person.
	AssignedSerials []string
	// HardwareFactor is true when the identity provider already reports a FIDO2 or
	// WebAuthn factor for the person.
	HardwareFactor bool
}

// household returns the key that groups people who live together.
func (p *Profile) household() string {
	if p.Home.Key != "" {
		return "h:" + p.Home.Key
	}
	return "p:" + p.PersonID
}

// peerGroup returns the person's peer group, or "" if none.
func (p *Profile) peerGroup() string {
	if len(p.Groups) == 0 {
		return ""
	}
	return p.Groups[0]
}

// inGroup reports whether the person is in group g (case-insensitively).
func (p *Profile) inGroup(g string) bool {
	for _, x := range p.Groups {
		if strings.EqualFold(x, g) {
			return true
		}
	}
	return false
}

// tenure returns how long the person has been employed at t, and false without a hire
// date.
func (p *Profile) tenure(t time.Time) (time.Duration, bool) {
	if p.HireDate.IsZero() {
		return 0, false
	}
	return t.Sub(p.HireDate), true
}

// assigned reports whether serial is one of the person's assigned serials.
func (p *Profile) assigned(serial string) bool {
	for _, s := range p.AssignedSerials {
		if normSerial(s) == normSerial(serial) {
			return true
		}
	}
	return false
}

func normSerial(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// durationText formats d to the minute without zero units: "1h", "9h30m", "3d2h".
func durationText(d time.Duration) string {
	d = d.Round(time.Minute)
	if d >= 48*time.Hour {
		days := d / (24 * time.Hour)
		rest := (d - days*24*time.Hour).Round(time.Hour)
		if rest == 0 {
			return strconv.Itoa(int(days)) + "d"
		}
		return strconv.Itoa(int(days)) + "d" + strconv.Itoa(int(rest.Hours())) + "h"
	}
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// earthRadiusKM is the mean Earth radius.
const earthRadiusKM = 6371.0

// haversineKM returns the great-circle distance between two points in kilometres.
func haversineKM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(a)))
}
