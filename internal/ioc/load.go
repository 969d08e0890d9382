package ioc

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// MaxFileBytes is the largest indicator file read.
const MaxFileBytes = 64 << 20

// maxSkipped is how many skipped-row reasons a Result keeps.
const maxSkipped = 100

// Result is what a load produced: the valid indicators and why other entries were skipped.
type Result struct {
	Indicators []unmask.Indicator
	// Skipped counts entries that were not valid indicators; Reasons keeps the first 100.
	Skipped int
	Reasons []string
}

func (r *Result) skip(format string, args ...any) {
	r.Skipped++
	if len(r.Reasons) < maxSkipped {
		r.Reasons = append(r.Reasons, fmt.Sprintf(format, args...))
	}
}

// entry is one indicator before normalisation, in the CSV and JSON formats.
type entry struct {
	Type        string `json:"type"`
	Value       string `json:"value"`
	Description string `json:"description"`
	Confidence  *int   `json:"confidence"`
	ValidUntil  string `json:"valid_until"`
	CaseID      string `json:"case_id"`
}

// indicator normalises e into an indicator from source.
func (e entry) indicator(source string) (unmask.Indicator, error) {
	t := unmask.IndicatorType(strings.ToLower(strings.TrimSpace(e.Type)))
	v, err := Normalize(t, e.Value)
	if err != nil {
		return unmask.Indicator{}, err
	}
	ind := unmask.Indicator{Type: t, Value: v, Source: source, Description: e.Description, Confidence: 50, CaseID: e.CaseID}
	if e.Confidence != nil {
		ind.Confidence = *e.Confidence
	}
	if e.ValidUntil != "" {
		ts, err := parseTime(e.ValidUntil)
		if err != nil {
			return unmask.Indicator{}, err
		}
		ind.ValidUntil = ts
	}
	return ind, ind.Validate()
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, unmask.Errorf(unmask.EINVALID, "Time %q is not RFC 3339 or YYYY-MM-DD.", s)
}

// LoadCSV reads indicators from CSV with a header row naming at least the columns "type"
// and "value"; "description", "confidence" (0–100, default 50), "valid_until" and
// "case_id" are optional. Rows with invalid values are skipped and reported; a malformed
// file is an EINVALID error.
func LoadCSV(r io.Reader, source string) (Result, error) {
	cr := csv.NewReader(io.LimitReader(r, MaxFileBytes))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return Result{}, unmask.WrapError(unmask.EINVALID, err, "Indicator CSV has no header row.")
	}
	col := make(map[string]int)
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	if _, ok := col["type"]; !ok {
		return Result{}, unmask.Errorf(unmask.EINVALID, "Indicator CSV header has no %q column.", "type")
	}
	if _, ok := col["value"]; !ok {
		return Result{}, unmask.Errorf(unmask.EINVALID, "Indicator CSV header has no %q column.", "value")
	}
	var res Result
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return res, nil
		}
		if err != nil {
			return Result{}, unmask.WrapError(unmask.EINVALID, err, "Indicator CSV is malformed.")
		}
		line, _ := cr.FieldPos(0)
		e, err := csvEntry(rec, col)
		if err == nil {
			var ind unmask.Indicator
			if ind, err = e.indicator(source); err == nil {
				res.Indicators = append(res.Indicators, ind)
				continue
			}
		}
		res.skip("line %d: %s", line, unmask.ErrorMessage(err))
	}
}

func csvEntry(rec []string, col map[string]int) (entry, error) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	e := entry{Type: get("type"), Value: get("value"), Description: get("description"), ValidUntil: get("valid_until"), CaseID: get("case_id")}
	if c := get("confidence"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			return entry{}, unmask.Errorf(unmask.EINVALID, "Confidence %q is not a number.", c)
		}
		e.Confidence = &n
	}
	return e, nil
}

// LoadJSON reads indicators from a JSON array of objects with the CSV columns as keys:
// [{"type": "email", "value": "x@example.com", "confidence": 80}]. Invalid entries are
// skipped and reported; malformed JSON is an EINVALID error.
func LoadJSON(r io.Reader, source string) (Result, error) {
	var entries []entry
	dec := json.NewDecoder(io.LimitReader(r, MaxFileBytes))
	if err := dec.Decode(&entries); err != nil {
		return Result{}, unmask.WrapError(unmask.EINVALID, err, "Indicator JSON is not an array of indicator objects.")
	}
	var res Result
	for i, e := range entries {
		ind, err := e.indicator(source)
		if err != nil {
			res.skip("entry %d: %s", i, unmask.ErrorMessage(err))
			continue
		}
		res.Indicators = append(res.Indicators, ind)
	}
	return res, nil
}
