package roster

import (
	"cmp"
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/fullname"
	"github.com/unmask/unmask/internal/identifiers"
	"github.com/unmask/unmask/internal/resolve"
)

// MFASourcePrefix starts the Source of an MFA-device identifier from an HR enrolment
// record, followed by the authenticator type: "mfa:security_key", "mfa:sms".
const MFASourcePrefix = "mfa:"

// IsHardwareFactor reports whether an MFA-device identifier's Source names a
// phishing-resistant (FIDO2/WebAuthn) authenticator.
func IsHardwareFactor(source string) bool {
	return source == MFASourcePrefix+"security_key" || source == MFASourcePrefix+"platform"
}

// employee projects an HRIS employee row onto its person and identifiers.
func (r *Roster) employee(ctx context.Context, e *unmask.Event) error {
	f := e.Fields
	kind := unmask.PersonEmployee
	if f["employment_type"] == "contractor" {
		kind = unmask.PersonContractor
	}
	status := map[string]unmask.PersonStatus{"active": unmask.StatusActive, "leave": unmask.StatusOnLeave, "terminated": unmask.StatusTerminated}[f["status"]]
	if status == "" {
		status = unmask.StatusActive
	}
	name := fullName(f["first_name"], f["last_name"])
	loc := unmask.Location{Country: f["country"], City: f["work_location"]}
	hire, end := parseDate(f["hire_date"]), parseDate(f["termination_date"])
	dept, title, tz := f["department"], f["job_title"], f["time_zone"]
	p := &unmask.Person{Kind: kind, Status: status, DisplayName: name, Department: dept, Title: title,
		Location: loc, TimeZone: tz, HireDate: hire, EndDate: end}
	upd := unmask.PersonUpdate{Kind: &kind, Status: &status, DisplayName: &name, Department: &dept, Title: &title,
		Location: &loc, TimeZone: &tz, HireDate: &hire, EndDate: &end}
	id, err := r.upsertPerson(ctx, "hris", f["employee_id"], p, upd)
	if err != nil {
		return err
	}
	e.PersonID = id
	login := resolve.NormalizeAccount(f["email"])
	ids := []*unmask.Identifier{
		r.ids.Login(id, login, "hris"),
		r.ids.GitHub(id, f["github_login"], "hris"),
		r.ids.Serial(id, unmask.IdentDeviceSerial, f["laptop_serial"], "hris"),
		r.ids.Phone(id, f["phone"], f["country"], "hris"),
	}
	ids = append(ids, r.ids.Address(id, unmask.IdentAddress, f["home_address"], "hris")...)
	if err := r.addAll(ctx, ids...); err != nil {
		return err
	}
	_, err = r.store.ResolveActor(ctx, "", login, id) // earlier events of this login
	return err
}

// hrEvent attributes an HR event to its employee and records the identifiers it carries.
func (r *Roster) hrEvent(ctx context.Context, e *unmask.Event) error {
	f := e.Fields
	if e.Action == "interview_scorecard" {
		return r.scorecard(ctx, e)
	}
	id, err := r.personByExtID(ctx, "hris", f["employee_id"])
	if err != nil || id == "" {
		return err
	}
	e.PersonID = id
	var ids []*unmask.Identifier
	switch e.Action {
	case "address_change":
		kind := unmask.IdentAddress
		if f["address_type"] == "ship_to" {
			kind = unmask.IdentShipToAddress
		}
		ids = r.ids.Address(id, kind, f["new_address"], "hris")
	case "ship_to_change":
		ids = r.ids.Address(id, unmask.IdentShipToAddress, f["new_address"], "hris")
	case "laptop_shipment":
		ids = append(r.ids.Address(id, unmask.IdentShipToAddress, f["ship_to_address"], "shipment"),
			r.ids.Serial(id, unmask.IdentDeviceSerial, f["serial"], "shipment"))
	case "payroll_account_change":
		if h := f["account_number_hash"]; h != "" {
			ids = append(ids, &unmask.Identifier{PersonID: id, Kind: unmask.IdentBankAccount, Hash: h, Display: f["account_number_masked"], Source: "payroll"})
		}
		if err := r.holderMatch(ctx, id, e); err != nil {
			return err
		}
	case "mfa_enrollment":
		// The source keeps the authenticator type: only a security key or a platform
		// authenticator is a phishing-resistant (FIDO2/WebAuthn) factor (O-06).
		ids = append(ids, r.ids.Serial(id, unmask.IdentMFADevice, f["device_serial"], MFASourcePrefix+f["authenticator_type"]))
	}
	for _, x := range ids {
		if x != nil && x.Kind == unmask.IdentShipToAddress {
			f["address.key"] = x.Hash // analytics compares ship-to addresses by this key
		}
	}
	return r.addAll(ctx, ids...)
}

// holderMatch records on a payroll change whether the account holder's name is the
// employee's (analytics reads bank.holder_match).
func (r *Roster) holderMatch(ctx context.Context, personID string, e *unmask.Event) error {
	holder := e.Fields["account_holder"]
	if holder == "" {
		return nil
	}
	people, _, err := r.store.FindPeople(ctx, unmask.PersonFilter{ID: &personID, Page: unmask.Page{Limit: 1}})
	if err != nil || len(people) == 0 {
		return err
	}
	e.Fields["bank.holder_match"] = strconv.FormatBool(fullname.Compare(holder, people[0].DisplayName) != fullname.None)
	return nil
}

// indexed returns the values of the fields "prefix.0", "prefix.1", ... in order.
func indexed(f map[string]string, prefix string) []string {
	var keys []string
	for k := range f {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if ok && rest != "" && !strings.Contains(rest, ".") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, f[k])
	}
	return out
}

// candidate projects an applicant-tracking candidate or application onto its person.
func (r *Roster) candidate(ctx context.Context, e *unmask.Event) error {
	f := e.Fields
	extID := f["candidate_id"]
	if extID == "" {
		return nil
	}
	status := unmask.StatusApplied
	switch {
	case e.Action == "hire_candidate" || f["status"] == "hired":
		status = unmask.StatusHired
	case f["status"] == "rejected":
		status = unmask.StatusRejected
	}
	name := fullName(f["first_name"], f["last_name"])
	p := &unmask.Person{Kind: unmask.PersonApplicant, Status: status, DisplayName: name, Title: f["title"]}
	if p.DisplayName == "" {
		p.DisplayName = "Candidate " + extID
	}
	upd := unmask.PersonUpdate{Status: &status}
	if name != "" {
		upd.DisplayName = &name
	}
	id, err := r.upsertPerson(ctx, "greenhouse", extID, p, upd)
	if err != nil {
		return err
	}
	e.PersonID = id
	return r.addAll(ctx, CandidateIdentifiers(r.ids, id, "greenhouse", f)...)
}

// scorecard attributes an interview scorecard, which names the candidate only by e-mail,
// to the applicant or employee who holds that e-mail.
func (r *Roster) scorecard(ctx context.Context, e *unmask.Event) error {
	em, err := r.ids.ParseEmail(e.Fields["candidate_email"])
	if err != nil || r.resolver == nil {
		return nil // the decoder checked the address; an unparsable one attributes nothing
	}
	e.PersonID, err = r.resolver.PersonOf(ctx, unmask.IdentEmail, em.Canonical)
	return err
}

// leverCandidate keeps the candidate of a Lever opportunity as an applicant, one person
// per Lever contact however many opportunities they have, with their identifiers. Lever
// archives a hired opportunity with a reason of its own naming; a reason that mentions
// hiring counts as hired, any other archive as rejected. Lever's other candidate records
// (applications, interviews, offers, referrals, notes) go to that person when the
// contact is known.
func (r *Roster) leverCandidate(ctx context.Context, e *unmask.Event) error {
	f := e.Fields
	extID := cmp.Or(f["contact"], f["candidate_id"])
	if e.Action != "opportunity" {
		id, err := r.personByExtID(ctx, "lever", extID)
		e.PersonID = id
		return err
	}
	extID = cmp.Or(extID, f["opportunity_id"])
	if extID == "" {
		return nil
	}
	status := unmask.StatusApplied
	switch {
	case strings.Contains(strings.ToLower(f["archived_reason"]), "hire"):
		status = unmask.StatusHired
	case f["archived_at"] != "":
		status = unmask.StatusRejected
	}
	name := f["name"]
	p := &unmask.Person{Kind: unmask.PersonApplicant, Status: status, DisplayName: cmp.Or(name, "Candidate "+extID), Title: f["headline"]}
	upd := unmask.PersonUpdate{Status: &status}
	if name != "" {
		upd.DisplayName = &name
	}
	id, err := r.upsertPerson(ctx, "lever", extID, p, upd)
	if err != nil {
		return err
	}
	e.PersonID = id
	return r.addAll(ctx, CandidateIdentifiers(r.ids, id, "lever", f)...)
}

// device upserts an inventory record and attributes it through its user or serial.
func (r *Roster) device(ctx context.Context, e *unmask.Event) error {
	f := e.Fields
	srcID := e.DeviceID
	if srcID == "" {
		srcID = e.Serial
	}
	if srcID == "" {
		return nil
	}
	source := e.Action // jamf.computer, intune.device
	if i := strings.IndexByte(source, '.'); i > 0 {
		source = source[:i]
	}
	serial, host := resolve.NormalizeSerial(e.Serial), resolve.NormalizeHost(e.Host)
	user := f["email"]
	if user == "" {
		user = e.Actor
	}
	var owner string
	if r.resolver != nil {
		var err error
		if owner, err = r.resolver.PersonOf(ctx, unmask.IdentIdPLogin, resolve.NormalizeAccount(user)); err != nil {
			return err
		}
	}
	e.PersonID = owner
	managed := f["managed"] != "false"
	d := &unmask.Device{Source: source, SourceID: srcID, Serial: serial, Hostname: host, PersonID: owner, UserLogin: user,
		Platform: strings.ToLower(f["os"]), OSVersion: f["os_version"], Model: f["model"], Managed: managed,
		LastIP: f["last_ip"], LastSeenAt: e.Time}
	if t, ok := parseTime(f["enrolled_at"]); ok {
		d.EnrolledAt = t
	}
	if err := r.upsertDevice(ctx, d); err != nil {
		return err
	}
	if owner != "" && host != "" {
		return r.add(ctx, r.ids.Plain(owner, unmask.IdentHostname, host, source))
	}
	return nil
}

func (r *Roster) upsertDevice(ctx context.Context, d *unmask.Device) error {
	found, _, err := r.store.FindDevices(ctx, unmask.DeviceFilter{Source: &d.Source, SourceID: &d.SourceID, Page: unmask.Page{Limit: 1}})
	if err != nil {
		return err
	}
	if len(found) == 0 {
		err := r.store.CreateDevice(ctx, d)
		if unmask.ErrorCode(err) != unmask.ECONFLICT {
			return err
		}
		return r.upsertDevice(ctx, d) // created concurrently: update it
	}
	upd := unmask.DeviceUpdate{Serial: &d.Serial, Hostname: &d.Hostname, UserLogin: &d.UserLogin, Model: &d.Model,
		Managed: &d.Managed, LastSeenAt: &d.LastSeenAt, OSVersion: &d.OSVersion, Platform: &d.Platform}
	if d.PersonID != "" {
		upd.PersonID = &d.PersonID
	}
	if d.LastIP != "" {
		upd.LastIP = &d.LastIP
	}
	if !d.EnrolledAt.IsZero() {
		upd.EnrolledAt = &d.EnrolledAt
	}
	_, err = r.store.UpdateDevice(ctx, found[0].ID, upd)
	return err
}

// CandidateIdentifiers returns the identifiers of an applicant-tracking record's fields
// (email.N, phone.N, address.N, and links as social.N, website.N or, from Lever, link.N),
// as source reported them.
func CandidateIdentifiers(b *identifiers.Builder, personID, source string, f map[string]string) []*unmask.Identifier {
	var ids []*unmask.Identifier
	for _, v := range indexed(f, "email") {
		ids = append(ids, b.Email(personID, v, source))
	}
	for _, v := range indexed(f, "phone") {
		ids = append(ids, b.Phone(personID, v, "US", source))
	}
	for _, v := range indexed(f, "address") {
		ids = append(ids, b.Address(personID, unmask.IdentAddress, v, source)...)
	}
	for _, prefix := range []string{"social", "website", "link"} {
		for _, v := range indexed(f, prefix) {
			ids = append(ids, b.Link(personID, v, source))
		}
	}
	return identifiers.Compact(ids...)
}
