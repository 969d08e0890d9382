package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var schools = []string{"University of Texas at Austin", "Georgia Institute of Technology", "University of Washington",
	"University of Toronto", "University of Manchester", "Technical University of Munich", "Warsaw University of Technology",
	"University of Lisbon", "Universidad Politécnica de Madrid", "UNAM", "University of São Paulo", "IIT Bombay",
	"University of the Philippines", "University of Tokyo", "University of Sydney", "Ohio State University",
	"Arizona State University", "Northeastern University", "University of Illinois Urbana-Champaign", "Purdue University"}

var degrees = []string{"B.S. Computer Science", "B.A. Economics", "M.S. Software Engineering", "B.S. Information Systems",
	"B.A. Communications", "M.B.A.", "B.Eng. Electrical Engineering", "B.S. Mathematics"}

var companies = []string{"Acme Payments", "Globex Logistics", "Initech", "Umbrella Health", "Stark Analytics", "Wayne Retail",
	"Hooli", "Vandelay Imports", "Soylent Foods", "Cyberdyne Robotics", "Wonka Confections", "Tyrell Systems",
	"Oceanic Travel", "Massive Dynamic", "Pied Piper", "Aperture Labs", "Monarch Media", "Nakatomi Trading"}

var summaries = []string{
	"Engineer who enjoys turning vague requirements into small, well-tested services.",
	"Eight years building customer-facing products in small and mid-size teams.",
	"I care about reliability, clear documentation and mentoring newer teammates.",
	"Comfortable across the stack, happiest when working close to the data layer.",
	"Background in operations before moving into software, so I think about on-call early.",
	"Led two platform migrations and a cost reduction programme without downtime.",
	"Customer-minded problem solver who likes measuring the impact of a change.",
	"Former teacher who moved into tech through a part-time degree and internships.",
	"Spent the last three years in a regulated industry, used to audits and change control.",
	"Enjoy pairing, code review and leaving systems simpler than I found them.",
	"Looking for a remote role with a team that writes things down.",
	"Strong communicator across time zones and with non-technical stakeholders.",
}

var bullets = []string{
	"Cut p95 latency of the %s API by %d%% by reworking caching and connection pooling.",
	"Designed and shipped a %s pipeline processing %d million events per day.",
	"Migrated %d services from a legacy VM fleet to Kubernetes with zero customer-facing incidents.",
	"Built internal tooling in %s that saved the support team %d hours a week.",
	"Mentored %d junior engineers; two were promoted within a year.",
	"Owned on-call for the %s platform and reduced pages by %d%%.",
	"Introduced contract tests between %s teams, catching %d breaking changes before release.",
	"Led the rewrite of the %s onboarding flow, lifting activation by %d%%.",
	"Automated quarterly access reviews with %s, removing %d stale accounts.",
	"Negotiated and closed %d enterprise renewals in the %s segment.",
	"Wrote the runbooks and dashboards for %s, cutting mean time to recovery by %d%%.",
	"Ran %d customer interviews to shape the %s roadmap.",
	"Reduced cloud spend on %s by %d%% through rightsizing and reserved capacity.",
	"Implemented SSO and SCIM provisioning for %s across %d applications.",
	"Coordinated a %d-person cross-functional launch of the %s product line.",
	"Maintained the %s design system used by %d product teams.",
}

var techs = []string{"Go", "Python", "TypeScript", "Java", "Postgres", "Kafka", "React", "Terraform", "Rust", "Kotlin",
	"billing", "search", "payments", "identity", "analytics", "mobile", "mid-market", "EMEA"}

// resumeDoc is the content of a résumé without its header.
type resumeDoc struct {
	Summary   []string
	Jobs      []resumeJob
	School    string
	Degree    string
	GradYear  int
	Skills    []string
	Companies []string
}

type resumeJob struct {
	Title, Company string
	From, To       int
	Bullets        []string
}

// fill completes a bullet template with a technology or market and a number.
func fill(r *rand.Rand, b string) string {
	var args []any
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '%' {
			continue
		}
		switch b[i+1] {
		case 's':
			args = append(args, pick(r, techs))
		case 'd':
			args = append(args, 3+r.IntN(60))
		}
		i++
	}
	return fmt.Sprintf(b, args...)
}

func newResume(r *rand.Rand, title string) resumeDoc {
	d := resumeDoc{School: pick(r, schools), Degree: pick(r, degrees), GradYear: 2005 + r.IntN(18)}
	d.Summary = pickN(r, summaries, 3+r.IntN(2))
	year := 2026
	for i := range 3 {
		j := resumeJob{Title: title, Company: pick(r, companies), To: year, From: year - 1 - r.IntN(4)}
		if i > 0 {
			j.Title = strings.TrimPrefix(title, "Senior ")
		}
		for _, b := range pickN(r, bullets, 4+r.IntN(2)) {
			j.Bullets = append(j.Bullets, fill(r, b))
		}
		d.Jobs = append(d.Jobs, j)
		year = j.From
	}
	d.Skills = pickN(r, techs, 5+r.IntN(4))
	return d
}

// variant is a near-copy of d, as personas reuse one template: the same history and
// bullets, two skills swapped.
func (d resumeDoc) variant(r *rand.Rand) resumeDoc {
	v := d
	v.Skills = append([]string(nil), d.Skills...)
	i := r.IntN(len(v.Skills) - 1)
	v.Skills[i], v.Skills[i+1] = v.Skills[i+1], v.Skills[i]
	return v
}

// text renders the résumé with its owner's header.
func (d resumeDoc) text(name, email, phone, place string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s | %s | %s\n\nSUMMARY\n%s\n\nEXPERIENCE\n", name, email, phone, place, strings.Join(d.Summary, " "))
	for _, j := range d.Jobs {
		fmt.Fprintf(&b, "%s, %s (%d-%d)\n", j.Title, j.Company, j.From, j.To)
		for _, x := range j.Bullets {
			fmt.Fprintf(&b, "- %s\n", x)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "EDUCATION\n%s, %s (%d)\n\nSKILLS\n%s\n", d.Degree, d.School, d.GradYear, strings.Join(d.Skills, ", "))
	return b.String()
}
