package identity

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/fullname"
)

// Place is a school or employer with the country it is in, when known.
type Place struct {
	Name    string
	Country string
}

// Job is one claimed employment.
type Job struct {
	Employer     string
	Title        string
	Country      string
	StartYear    int
	EndYear      int // 0 for current
	Technologies []string
}

// Skill is a claimed skill with the year the applicant says they started using it.
type Skill struct {
	Name      string
	SinceYear int
}

// NamedSource is a name as one source gives it: "id_document", "resume", "github",
// "linkedin".
type NamedSource struct {
	Source string
	Name   string
}

// Profile is what an application, résumé and linked profiles claim about a person.
type Profile struct {
	PersonID string
	EventID  string
	Time     time.Time
	// Name is the name on the application.
	Name             string
	ResidenceCountry string
	Education        []Place
	Jobs             []Job
	Skills           []Skill
	// OtherNames are the names other sources give for the same person.
	OtherNames []NamedSource
}

// GeographySignals checks that the claimed residence fits the education and employment
// history (H-04): a residence in North America or Europe with every school and every
// employer located elsewhere. The signal is informational and needs corroboration, because
// immigrants match it; any school or employer in the residence region clears it, and
// places with unknown countries are not counted.
func (c Checker) GeographySignals(p Profile) []unmask.Signal {
	region := Region(p.ResidenceCountry)
	if region == "" {
		return nil
	}
	known := 0
	for _, pl := range slices.Concat(p.Education, jobPlaces(p.Jobs)) {
		if pl.Country == "" {
			continue
		}
		known++
		if Region(pl.Country) == region {
			return nil
		}
	}
	if known == 0 || len(p.Education) == 0 {
		return nil
	}
	return []unmask.Signal{c.signal(p.PersonID, "H-04", DetectorGeography, unmask.SeverityInfo, 0.1, p.Time, p.EventID,
		"geo:residence",
		fmt.Sprintf("Claimed residence is in %s but none of %d schools and employers with a known location is.", region, known))}
}

func jobPlaces(jobs []Job) []Place {
	out := make([]Place, len(jobs))
	for i, j := range jobs {
		out[i] = Place{Name: j.Employer, Country: j.Country}
	}
	return out
}

// techFirstYear is the year each technology was first publicly released.
var techFirstYear = map[string]int{
	"go": 2009, "golang": 2009, "rust": 2010, "kotlin": 2011, "swift": 2014, "typescript": 2012,
	"dart": 2011, "elixir": 2012, "node.js": 2009, "nodejs": 2009, "react": 2013, "react native": 2015,
	"vue": 2014, "vue.js": 2014, "angular": 2016, "svelte": 2016, "next.js": 2016, "nextjs": 2016,
	"flutter": 2017, "docker": 2013, "kubernetes": 2014, "terraform": 2014, "graphql": 2015,
	"kafka": 2011, "spark": 2010, "tensorflow": 2015, "pytorch": 2016, "aws lambda": 2014,
	"ethereum": 2015, "solidity": 2014, "webassembly": 2017, "tailwind": 2017, "tailwindcss": 2017,
	"deno": 2018, "vite": 2020, "bun": 2022, "chatgpt": 2022, "langchain": 2022, "llm": 2020,
}

// clicheTitles are the generic titles KET reports personas use; they are common among
// honest applicants too, so they only add a small weight.
var clicheTitles = []string{"full stack blockchain", "blockchain developer", "web3 developer", "senior full stack", "ai engineer"}

// ProfileSignals applies the generic-profile heuristics (H-06): claimed experience with a
// technology before its first release (a skill "since" year, or a job that ended before
// the release but lists it), and cliché titles. All need corroboration.
func (c Checker) ProfileSignals(p Profile) []unmask.Signal {
	var out []unmask.Signal
	for _, s := range p.Skills {
		if first, ok := techFirstYear[strings.ToLower(strings.TrimSpace(s.Name))]; ok && s.SinceYear > 0 && s.SinceYear < first-1 {
			out = append(out, c.signal(p.PersonID, "H-06", DetectorProfile, unmask.SeverityLow, 0.25, p.Time, p.EventID,
				"profile:anachronism:"+strings.ToLower(s.Name),
				fmt.Sprintf("Claims %s experience since %d, before its first release in %d.", s.Name, s.SinceYear, first)))
		}
	}
	for _, j := range p.Jobs {
		for _, tech := range j.Technologies {
			if first, ok := techFirstYear[strings.ToLower(strings.TrimSpace(tech))]; ok && j.EndYear > 0 && j.EndYear < first-1 {
				out = append(out, c.signal(p.PersonID, "H-06", DetectorProfile, unmask.SeverityLow, 0.25, p.Time, p.EventID,
					"profile:anachronism:"+strings.ToLower(tech),
					fmt.Sprintf("Lists %s at a job that ended in %d, before its first release in %d.", tech, j.EndYear, first)))
			}
		}
	}
	for _, j := range p.Jobs {
		title := strings.Join(fullname.Tokens(j.Title), " ")
		if slices.ContainsFunc(clicheTitles, func(c string) bool { return strings.Contains(title, c) }) {
			out = append(out, c.signal(p.PersonID, "H-06", DetectorProfile, unmask.SeverityInfo, 0.05, p.Time, p.EventID,
				"profile:title", fmt.Sprintf("Title %q is a generic title common in fabricated profiles.", j.Title)))
			break
		}
	}
	return out
}

// nameSourceWeights weighs a name mismatch by source: an ID document that names someone
// else matters far more than a GitHub display name, which is often a nickname.
var nameSourceWeights = map[string]float64{"id_document": 0.6, "resume": 0.4, "payee": 0.5, "github": 0.15, "linkedin": 0.25}

// NameSignals compares the application name with the names other sources give (H-19),
// ignoring case, diacritics, word order, middle names and initials. Each source whose name
// shares too little with the application name gives one signal.
func (c Checker) NameSignals(p Profile) []unmask.Signal {
	var out []unmask.Signal
	for _, o := range p.OtherNames {
		if o.Name == "" || fullname.Compare(p.Name, o.Name) != fullname.None {
			continue
		}
		w, ok := nameSourceWeights[o.Source]
		if !ok {
			w = 0.2
		}
		sev := unmask.SeverityLow
		if w >= 0.4 {
			sev = unmask.SeverityMedium
		}
		out = append(out, c.signal(p.PersonID, "H-19", DetectorNames, sev, w, p.Time, p.EventID, "names:"+o.Source,
			fmt.Sprintf("The name given by %s does not match the application name.", strings.ReplaceAll(o.Source, "_", " "))))
	}
	return out
}
