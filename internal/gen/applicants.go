package gen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

type ghValue struct {
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}

type ghNamed struct {
	ID         int    `json:"id"`
	Name       string `json:"name,omitempty"`
	PublicName string `json:"public_name,omitempty"`
}

type ghAttachment struct {
	Filename  string `json:"filename"`
	URL       string `json:"url"`
	Type      string `json:"type"`
	CreatedAt string `json:"created_at"`
}

type ghApplication struct {
	ID             int       `json:"id"`
	CandidateID    int       `json:"candidate_id"`
	Prospect       bool      `json:"prospect"`
	AppliedAt      string    `json:"applied_at"`
	RejectedAt     *string   `json:"rejected_at"`
	LastActivityAt string    `json:"last_activity_at"`
	Location       *struct{} `json:"location"`
	Source         ghNamed   `json:"source"`
	CreditedTo     *ghNamed  `json:"credited_to"`
	Jobs           []ghNamed `json:"jobs"`
	Status         string    `json:"status"`
	CurrentStage   *ghNamed  `json:"current_stage"`
}

type ghEducation struct {
	SchoolName string `json:"school_name"`
	Degree     string `json:"degree"`
	EndDate    string `json:"end_date"`
}

type ghEmployment struct {
	CompanyName string `json:"company_name"`
	Title       string `json:"title"`
	StartDate   string `json:"start_date"`
	EndDate     string `json:"end_date"`
}

type ghCandidate struct {
	ID           int             `json:"id"`
	FirstName    string          `json:"first_name"`
	LastName     string          `json:"last_name"`
	Company      string          `json:"company"`
	Title        string          `json:"title"`
	CreatedAt    string          `json:"created_at"`
	UpdatedAt    string          `json:"updated_at"`
	LastActivity string          `json:"last_activity"`
	IsPrivate    bool            `json:"is_private"`
	PhotoURL     *string         `json:"photo_url"`
	Attachments  []ghAttachment  `json:"attachments"`
	AppIDs       []int           `json:"application_ids"`
	Phones       []ghValue       `json:"phone_numbers"`
	Addresses    []ghValue       `json:"addresses"`
	Emails       []ghValue       `json:"email_addresses"`
	Websites     []ghValue       `json:"website_addresses"`
	Social       []ghValue       `json:"social_media_addresses"`
	Applications []ghApplication `json:"applications"`
	Educations   []ghEducation   `json:"educations"`
	Employments  []ghEmployment  `json:"employments"`
}

var jobs = []ghNamed{{ID: 4401, Name: "Senior Backend Engineer (Remote)"}, {ID: 4402, Name: "Full Stack Engineer (Remote)"},
	{ID: 4403, Name: "Site Reliability Engineer (Remote)"}, {ID: 4404, Name: "Support Engineer (Remote)"},
	{ID: 4405, Name: "Account Executive"}, {ID: 4406, Name: "Product Designer"}, {ID: 4407, Name: "Data Engineer (Remote)"}}

var stages = []ghNamed{{ID: 9001, Name: "Application Review"}, {ID: 9002, Name: "Recruiter Screen"},
	{ID: 9003, Name: "Technical Interview"}, {ID: 9004, Name: "Onsite"}, {ID: 9005, Name: "Offer"}}

var sources = []ghNamed{{ID: 7, PublicName: "LinkedIn (Prospecting)"}, {ID: 8, PublicName: "Company website"},
	{ID: 9, PublicName: "Indeed"}, {ID: 10, PublicName: "Referral"}}

var freeMail = []string{"gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com"}

// applicant is one candidate before rendering.
type applicant struct {
	id, app                int
	first, last            string
	email, phone, phoneTyp string
	address                string
	city                   int
	created                time.Time
	job                    ghNamed
	stage                  int
	status                 string
	doc                    resumeDoc
	cluster                int // -1 when not in a cluster
	hired                  *person
}

func (g *generator) newApplicant(r *rand.Rand, i int) *applicant {
	a := &applicant{id: 90000001 + i, app: 70000001 + i, first: pick(r, firstNames), last: pick(r, lastNames), cluster: -1}
	a.city = r.IntN(len(cities))
	a.address = address(r, a.city)
	a.phone, a.phoneTyp = g.phone(cities[a.city].Country), "mobile"
	a.email = fmt.Sprintf("%s.%s%d@%s", asciiLower(a.first), asciiLower(a.last), r.IntN(100), pick(r, freeMail))
	a.created = g.start.AddDate(0, 0, -45).Add(time.Duration(r.Int64N(int64(g.end.Sub(g.start) + 45*24*time.Hour))))
	a.job, a.stage, a.status = pick(r, jobs), r.IntN(len(stages)), "active"
	if r.Float64() < 0.3 {
		a.status = "rejected"
	}
	a.doc = newResume(r, a.job.Name)
	return a
}

// writeApplicants writes the candidates, their résumés and interview scorecards.
func (g *generator) writeApplicants() error {
	r := g.rng(1<<40, 11)
	var all []*applicant
	for i := range g.opts.Applicants {
		all = append(all, g.newApplicant(r, i))
	}
	g.plantClusters(r, all)
	for _, p := range g.people {
		if p.Fraud != nil || p.Hire.After(g.start.AddDate(0, 0, -60)) {
			all = append(all, g.hiredApplicant(r, len(all), p))
		}
	}
	uniqueEmails(all)
	s := &stream{Path: "greenhouse/candidates.json", Source: "greenhouse", head: "[\n", sep: ",\n", tail: "\n]\n"}
	if err := s.open(g.dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(g.dir, "greenhouse", "resumes"), 0o755); err != nil {
		return fmt.Errorf("create resumes: %w", err)
	}
	for _, a := range all {
		c := g.candidate(a)
		g.emit(s, a.created, c, 1)
		txt := a.doc.text(a.first+" "+a.last, a.email, a.phone, cities[a.city].Name)
		if err := os.WriteFile(filepath.Join(g.dir, "greenhouse", "resumes", c.Attachments[0].Filename), []byte(txt), 0o644); err != nil {
			return fmt.Errorf("write resume: %w", err)
		}
		g.scorecards(r, a)
	}
	if err := s.flush(1 << 62); err != nil {
		return err
	}
	if err := s.close(); err != nil {
		return err
	}
	g.man.Files = append(g.man.Files, File{Path: s.Path, Source: s.Source, Records: s.records, Events: s.events})
	return nil
}

// hiredApplicant is the application that led to p's hire.
func (g *generator) hiredApplicant(r *rand.Rand, i int, p *person) *applicant {
	a := &applicant{id: 90000001 + i, app: 70000001 + i, first: p.First, last: p.Last, city: p.City, address: p.Address,
		phone: p.Phone, phoneTyp: "mobile", cluster: -1, hired: p, status: "hired", stage: len(stages) - 1,
		job: ghNamed{ID: 4500 + p.idx%40, Name: p.Title}, created: p.Hire.AddDate(0, 0, -40)}
	a.email = fmt.Sprintf("%s.%s%d@%s", asciiLower(p.First), asciiLower(p.Last), r.IntN(100), pick(r, freeMail))
	if p.Fraud != nil {
		a.email = p.Fraud.personal
		p.Fraud.planted.Identifiers = append(p.Fraud.planted.Identifiers, Identifier{"greenhouse_candidate", fmt.Sprint(a.id)})
	}
	a.doc = newResume(r, p.Title)
	return a
}

func (g *generator) candidate(a *applicant) *ghCandidate {
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	updated := a.created.Add(time.Duration(a.stage+1) * 72 * time.Hour)
	file := fmt.Sprintf("%d_%s_%s_Resume.txt", a.id, asciiName(a.first), asciiName(a.last))
	c := &ghCandidate{ID: a.id, FirstName: a.first, LastName: a.last, Company: a.doc.Jobs[0].Company, Title: a.doc.Jobs[0].Title,
		CreatedAt: ts(a.created), UpdatedAt: ts(updated), LastActivity: ts(updated), AppIDs: []int{a.app},
		Phones: []ghValue{{a.phone, a.phoneTyp}}, Addresses: []ghValue{{a.address, "home"}}, Emails: []ghValue{{a.email, "personal"}},
		Websites: []ghValue{}, Social: []ghValue{{Value: "https://www.linkedin.com/in/" + asciiLower(a.first) + "-" + asciiLower(a.last) + fmt.Sprintf("-%x", a.id%4096)}},
		Attachments: []ghAttachment{{Filename: file, URL: "https://files.greenhouse.example/resumes/" + fmt.Sprint(a.id) + "/" + file,
			Type: "resume", CreatedAt: ts(a.created)}}}
	app := ghApplication{ID: a.app, CandidateID: a.id, AppliedAt: ts(a.created), LastActivityAt: ts(updated),
		Source: sources[a.id%len(sources)], Jobs: []ghNamed{a.job}, Status: a.status, CurrentStage: &stages[a.stage]}
	if a.status == "rejected" {
		rej := ts(updated)
		app.RejectedAt = &rej
	}
	if app.Source.ID == 10 && len(g.people) > 0 {
		ref := g.people[a.id%len(g.people)]
		app.CreditedTo = &ghNamed{ID: 4000 + ref.idx, Name: ref.First + " " + ref.Last}
	}
	c.Applications = []ghApplication{app}
	c.Educations = []ghEducation{{SchoolName: a.doc.School, Degree: a.doc.Degree, EndDate: fmt.Sprintf("%d-05-31T00:00:00.000Z", a.doc.GradYear)}}
	for _, j := range a.doc.Jobs {
		c.Employments = append(c.Employments, ghEmployment{CompanyName: j.Company, Title: j.Title,
			StartDate: fmt.Sprintf("%d-01-01T00:00:00.000Z", j.From), EndDate: fmt.Sprintf("%d-12-31T00:00:00.000Z", j.To)})
	}
	return c
}

// scorecards writes interview scorecards for applicants past the recruiter screen.
func (g *generator) scorecards(r *rand.Rand, a *applicant) {
	if a.stage < 2 {
		return
	}
	for k := range 1 + r.IntN(2) {
		t := a.created.AddDate(0, 0, 5+4*k+r.IntN(4)).Truncate(time.Hour).Add(time.Duration(14+r.IntN(6)) * time.Hour)
		camera, concern, rec, notes := "true", "false", pick(r, []string{"strong_yes", "yes", "yes", "no", "no_decision"}), ""
		if a.cluster >= 0 {
			camera, notes = "false", "camera off, said the webcam was broken; long pauses before answers"
			if k == 0 {
				concern = "true"
			}
		} else if r.Float64() < 0.04 {
			camera, notes = "false", "poor connection, turned camera off halfway"
		}
		interviewer := g.people[(a.id+k)%min(len(g.people), 40)].Email
		g.hr.add(hrScore, t, []string{fmt.Sprintf("SCR-%06d", a.id%1000000*3+k), fmt.Sprint(a.app), a.email, rfc(t), interviewer,
			stages[min(a.stage, 2+k)].Name, camera, rec, concern, notes})
	}
}

// clusterKinds are the mixes of shared identifiers the clusters get.
var clusterKinds = []string{"shared_phone_and_email_variants", "shared_address_voip", "shared_phone_and_history"}

// plantClusters turns some applicants into clusters of personas behind shared
// identifiers (H-01, H-02, H-05).
func (g *generator) plantClusters(r *rand.Rand, all []*applicant) {
	next := len(all) - 1
	var astrill *person
	for _, f := range g.cases {
		if f.planted.Scenario == ScenarioAstrill && astrill == nil {
			astrill = f.p
		}
	}
	for c := range g.opts.Clusters {
		kind := clusterKinds[c%len(clusterKinds)]
		size := 3 + c%2
		members := make([]*applicant, 0, size)
		for range size {
			members = append(members, all[next])
			next--
		}
		cl := Cluster{Name: fmt.Sprintf("%s-%d", kind, c/len(clusterKinds)+1), Indicators: []string{"H-01", "H-02", "H-05", "H-11"}}
		g.shareIdentifiers(r, &cl, kind, members, c == 0 && astrill != nil, astrill)
		base := members[0].doc
		for i, a := range members {
			a.cluster, a.job, a.stage, a.status = c, jobs[c%3], 2+i%2, "active"
			a.doc = base.variant(r)
			cl.CandidateIDs = append(cl.CandidateIDs, fmt.Sprint(a.id))
			cl.Names = append(cl.Names, a.first+" "+a.last)
		}
		g.man.Clusters = append(g.man.Clusters, cl)
	}
}

func (g *generator) shareIdentifiers(r *rand.Rand, cl *Cluster, kind string, members []*applicant, linkEmployee bool, emp *person) {
	voip := g.phone("US")
	g.man.VoIPNumbers = append(g.man.VoIPNumbers, voip)
	switch kind {
	case "shared_phone_and_email_variants":
		handle := "devpro" + fmt.Sprint(100+r.IntN(900))
		variants := []string{handle + "@gmail.com", handle[:3] + "." + handle[3:] + "@gmail.com", handle + "+jobs@gmail.com",
			handle[:1] + "." + handle[1:] + "+work@gmail.com"}
		if linkEmployee {
			voip = emp.Phone
			g.man.VoIPNumbers[len(g.man.VoIPNumbers)-1] = voip
			cl.EmployeeID = emp.ID
			emp.Fraud.planted.Indicators = append(emp.Fraud.planted.Indicators, "H-02")
		}
		for i, a := range members {
			a.phone, a.phoneTyp, a.email = voip, "other", variants[i%len(variants)]
		}
		cl.Shared = []Identifier{{string(unmask.IdentPhone), voip}, {string(unmask.IdentEmail), handle + "@gmail.com"}}
	case "shared_address_voip":
		addr := address(r, cityDallas)
		for i, a := range members {
			if i > 0 {
				a.phone = g.phone("US")
				g.man.VoIPNumbers = append(g.man.VoIPNumbers, a.phone)
			} else {
				a.phone = voip
			}
			a.phoneTyp, a.address, a.city = "other", addr, cityDallas
		}
		cl.Shared = []Identifier{{string(unmask.IdentAddress), addr}}
	default:
		hist := members[0].doc.Jobs
		for _, a := range members {
			a.phone, a.phoneTyp = voip, "mobile"
			a.doc.Jobs = hist
		}
		cl.Shared = []Identifier{{string(unmask.IdentPhone), voip}, {"employment_history", hist[0].Company + " > " + hist[len(hist)-1].Company}}
	}
}

// uniqueEmails gives every applicant outside a cluster an address no one else uses, so
// that shared addresses come only from planted clusters.
func uniqueEmails(all []*applicant) {
	seen := map[string]bool{}
	for _, a := range all {
		if a.cluster >= 0 || a.hired != nil && a.hired.Fraud != nil {
			seen[a.email] = true
		}
	}
	for _, a := range all {
		if a.cluster >= 0 || a.hired != nil && a.hired.Fraud != nil {
			continue
		}
		for n := 2; seen[a.email]; n++ {
			at := strings.LastIndexByte(a.email, '@')
			a.email = fmt.Sprintf("%s.%d%s", strings.TrimSuffix(a.email[:at], fmt.Sprintf(".%d", n-1)), n, a.email[at:])
		}
		seen[a.email] = true
	}
}
