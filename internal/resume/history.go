package resume

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Job is one entry of an employment history, as parsed from a résumé or the ATS
// (employments[]).
type Job struct {
	Employer  string
	Title     string
	StartYear int
	EndYear   int // 0 for "present"
}

// MinHistoryJobs is the shortest history fingerprinted: a single first job is shared
// innocently by many graduates of one programme.
const MinHistoryJobs = 2

// corporateSuffixes are dropped from employer names.
var corporateSuffixes = []string{"inc", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "plc", "sa", "ag", "bv", "pty"}

// HistoryPrint fingerprints the ordered employment history: employer (without corporate
// suffixes), title and years, newest first whatever the input order. It returns ok false
// for histories shorter than MinHistoryJobs. The value suits an unmask.IdentResumePrint
// identifier.
func HistoryPrint(jobs []Job) (print string, ok bool) {
	if len(jobs) < MinHistoryJobs {
		return "", false
	}
	norm := make([]Job, len(jobs))
	for i, j := range jobs {
		norm[i] = Job{Employer: employerKey(j.Employer), Title: strings.Join(Words(j.Title), " "), StartYear: j.StartYear, EndYear: j.EndYear}
		if norm[i].Employer == "" {
			return "", false
		}
	}
	slices.SortStableFunc(norm, func(a, b Job) int { return b.StartYear - a.StartYear })
	h := sha256.New()
	for _, j := range norm {
		fmt.Fprintf(h, "%s\x1f%s\x1f%d\x1f%d\x1e", j.Employer, j.Title, j.StartYear, j.EndYear)
	}
	return "hist:" + hex.EncodeToString(h.Sum(nil)[:16]), true
}

func employerKey(name string) string {
	w := Words(name)
	for len(w) > 1 && slices.Contains(corporateSuffixes, w[len(w)-1]) {
		w = w[:len(w)-1]
	}
	return strings.Join(w, " ")
}
