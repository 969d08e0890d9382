package gen

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// hrKind is one HR CSV event format.
type hrKind int

const (
	hrAddress hrKind = iota
	hrPayroll
	hrShipment
	hrShipTo
	hrMFA
	hrSpot
	hrScore
	hrKinds
)

// hrSpecs name the files and columns of docs/formats/hrcsv.md.
var hrSpecs = [hrKinds]struct {
	kind   string
	header []string
}{
	hrAddress:  {"address_change", strings.Split("event_id,employee_id,email,changed_at,address_type,new_address,old_address,country,changed_by,channel", ",")},
	hrPayroll:  {"payroll_account_change", strings.Split("event_id,employee_id,email,changed_at,bank_name,bank_country,account_number,routing_number,account_holder,changed_by,channel", ",")},
	hrShipment: {"laptop_shipment", strings.Split("shipment_id,employee_id,email,shipped_at,serial,asset_tag,carrier,tracking_number,ship_to_name,ship_to_address,ship_to_country,status", ",")},
	hrShipTo:   {"ship_to_change", strings.Split("event_id,employee_id,email,requested_at,shipment_id,old_address,new_address,new_country,requested_by,reason", ",")},
	hrMFA:      {"mfa_enrollment", strings.Split("event_id,employee_id,email,enrolled_at,authenticator_type,device_model,device_serial,shipped_serial,attestation,ip", ",")},
	hrSpot:     {"spot_check", strings.Split("check_id,employee_id,email,checked_at,result,method,checker,camera_on,id_document_matched,notes", ",")},
	hrScore:    {"interview_scorecard", strings.Split("scorecard_id,application_id,candidate_email,interviewed_at,interviewer,stage,camera_on,recommendation,identity_concern,notes", ",")},
}

var employeeHeader = strings.Split("employee_id,email,first_name,last_name,employment_type,status,hire_date,termination_date,"+
	"job_title,department,manager_email,work_location,country,time_zone,home_address,phone,github_login,laptop_serial,updated_at", ",")

type hrRow struct {
	t    time.Time
	seq  int
	cols []string
}

// hrFiles collects the HR event rows until they are written.
type hrFiles struct {
	rows [hrKinds][]hrRow
	n    int
}

func (h *hrFiles) add(k hrKind, t time.Time, cols []string) {
	h.n++
	h.rows[k] = append(h.rows[k], hrRow{t: t, seq: h.n, cols: cols})
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func spotRow(g *generator, p *person, result, method, camera, idMatch, notes string) []string {
	checker := "security.team@" + Domain
	return []string{fmt.Sprintf("SC-%05d", g.hr.n+1), p.ID, p.Email, "", result, method, checker, camera, idMatch, notes}
}

// writeOnboarding queues the HR rows and Okta enrolments of recent hires, and the benign
// HR changes of the month.
func (g *generator) writeOnboarding() {
	for _, p := range g.people {
		if p.Hire.After(g.start.AddDate(0, 0, -60)) {
			g.onboard(g.rng(uint64(p.idx), 5), p)
		}
	}
	r := g.rng(1<<40, 9)
	for _, p := range g.people {
		if p.Fraud != nil {
			continue
		}
		g.benignHR(r, p)
	}
	for i := range g.hr.rows[hrSpot] { // spot checks take their time column from the row time
		row := &g.hr.rows[hrSpot][i]
		row.cols[3] = rfc(row.t)
	}
}

func (g *generator) onboard(r *rand.Rand, p *person) {
	ship := p.Hire.AddDate(0, 0, -5).Add(16 * time.Hour)
	to, country, status := p.Address, cities[p.City].Country, "delivered"
	if p.Fraud != nil && p.Fraud.shipTo != "" {
		to, country = p.Fraud.shipTo, "US"
	}
	if deliveredAt(p.Hire).After(g.end) {
		status = "shipped"
	}
	g.hr.add(hrShipment, ship, []string{fmt.Sprintf("SHP-%05d", 7000+p.idx), p.ID, p.Email, rfc(ship), p.Serial,
		fmt.Sprintf("IT-%06d", 4000+p.idx), pick(r, []string{"UPS", "FedEx", "DHL"}), "1Z" + upperToken(r, 16),
		p.First + " " + p.Last, to, country, status})
	enrol := p.Hire.Add(15 * time.Hour)
	s := &session{Start: enrol, End: enrol.Add(time.Hour), Via: endpoint{IP: p.Home, Net: g.nets.residential[p.City]}, ID: "102" + token(r, 22)}
	row := func(kind, model, serial, shipped, att string) {
		g.hr.add(hrMFA, enrol, []string{fmt.Sprintf("MFA-%05d", g.hr.n+1), p.ID, p.Email, rfc(enrol), kind, model, serial, shipped, att, p.Home.String()})
	}
	switch {
	case p.Fraud != nil && p.Fraud.noHardwareMFA:
		row("sms", "", "", "", "none")
		row("totp", "Google Authenticator", "", "", "none")
	case p.FIDO:
		row("security_key", "YubiKey 5C NFC", p.KeySerial, p.KeySerial, "verified")
	default:
		row("push", "iPhone 15", "", "", "none")
	}
	if !enrol.Before(g.start) {
		factor, _ := p.oktaFactor()
		g.okta(r, p, s, enrol, "user.mfa.factor.activate", "Activate factor or authenticator", func(e *oktaEvent) {
			e.Debug.Data.Factor = factor
		})
	}
	pay := p.Hire.AddDate(0, 0, 2).Add(14 * time.Hour)
	if p.Fraud != nil && p.Fraud.noHardwareMFA {
		pay = p.Hire.AddDate(0, 0, 4).Add(13 * time.Hour)
	}
	g.payroll(p, pay, p.Bank)
}

func (g *generator) payroll(p *person, t time.Time, b bankAccount) {
	g.hr.add(hrPayroll, t, []string{fmt.Sprintf("PAY-%05d", g.hr.n+1), p.ID, p.Email, rfc(t), b.Bank, b.Country, b.Number,
		b.Routing, b.Holder, p.Email, "self_service"})
}

// benignHR adds the ordinary changes of a month: moves, new bank accounts, key
// replacements, spot checks and one replacement part sent to a relative's address.
func (g *generator) benignHR(r *rand.Rand, p *person) {
	at := func() time.Time {
		return g.start.Add(time.Duration(r.Int64N(int64(g.end.Sub(g.start))))).Truncate(time.Minute)
	}
	if x := r.Float64(); x < 0.015 {
		t, old := at(), p.Address
		p.Address = address(r, p.City)
		g.hr.add(hrAddress, t, []string{fmt.Sprintf("ADR-%05d", g.hr.n+1), p.ID, p.Email, rfc(t), "home", p.Address, old,
			cities[p.City].Country, p.Email, "self_service"})
	}
	if r.Float64() < 0.01 {
		p.Bank = g.bank(r, cities[p.City].Country, p.First+" "+p.Last)
		g.payroll(p, at(), p.Bank)
	}
	if p.FIDO && r.Float64() < 0.01 {
		t := at()
		p.KeySerial = fmt.Sprintf("%08d", 10000000+r.IntN(89999999))
		g.hr.add(hrMFA, t, []string{fmt.Sprintf("MFA-%05d", g.hr.n+1), p.ID, p.Email, rfc(t), "security_key", "YubiKey 5C NFC",
			p.KeySerial, p.KeySerial, "verified", p.Home.String()})
	}
	if r.Float64() < 0.04 {
		g.hr.add(hrSpot, at(), spotRow(g, p, "pass", "video", "true", "true", ""))
	}
	if len(g.hr.rows[hrShipTo]) == 0 && p.Trip == nil && p.Household == nil && r.Float64() < 0.05 {
		t := at()
		to := address(r, p.City)
		g.hr.add(hrShipTo, t, []string{fmt.Sprintf("STC-%05d", g.hr.n+1), p.ID, p.Email, rfc(t), "", p.Address, to,
			cities[p.City].Country, p.Email, "replacement charger; I am at my parents' this week"})
		g.man.Benign = append(g.man.Benign, Lookalike{Pattern: "ship_to_change", EmployeeID: p.ID, Email: p.Email,
			Note: "asked for a replacement part to go to a relative's address"})
	}
}

// writeHR writes the HRIS export and the HR event files.
func (g *generator) writeHR() error {
	rows := make([][]string, 0, len(g.people))
	for _, p := range g.people {
		rows = append(rows, g.employeeRow(p))
	}
	if err := g.writeCSV("hris/employees.csv", "employees", employeeHeader, rows); err != nil {
		return err
	}
	for k := range hrKinds {
		rs := g.hr.rows[k]
		slices.SortFunc(rs, func(a, b hrRow) int { return cmp.Or(a.t.Compare(b.t), cmp.Compare(a.seq, b.seq)) })
		rows := make([][]string, len(rs))
		for i, r := range rs {
			rows[i] = r.cols
		}
		if err := g.writeCSV("hris/"+hrSpecs[k].kind+".csv", hrSpecs[k].kind, hrSpecs[k].header, rows); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) employeeRow(p *person) []string {
	typ, mgr, gh := "employee", "", ""
	if p.Contractor {
		typ = "contractor"
	}
	if p.Manager != nil {
		mgr = p.Manager.Email
	}
	if p.Dept.GitRate > 0 {
		gh = p.Git
	}
	upd := p.Hire.AddDate(0, 0, 1).Add(9 * time.Hour)
	if upd.Before(g.start) {
		upd = g.start.Add(-time.Duration(p.idx%90) * 24 * time.Hour).Add(9 * time.Hour)
	}
	c := &cities[p.City]
	return []string{p.ID, p.Email, p.First, p.Last, typ, "active", p.Hire.Format(time.DateOnly), "", p.Title, p.Dept.Name, mgr,
		"Remote - " + c.Name, c.Country, c.TZ, p.Address, p.Phone, gh, p.Serial, rfc(upd)}
}

func (g *generator) writeCSV(path, kind string, header []string, rows [][]string) error {
	full := filepath.Join(g.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	f, err := os.Create(full)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	w := csv.NewWriter(f)
	_ = w.Write(header)
	_ = w.WriteAll(rows) // WriteAll flushes; its error is checked below
	err = w.Error()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	g.man.Files = append(g.man.Files, File{Path: path, Source: "hris", Kind: kind, Records: len(rows), Events: len(rows)})
	return nil
}
