package hrcsv

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ingest"
)

// setHeader reads the header row and chooses the schema.
func (d *decoder) setHeader(raw []byte) error {
	names, err := splitCSV(raw, nil)
	if err != nil {
		return err
	}
	for i, n := range names {
		names[i] = strings.ToLower(strings.TrimSpace(n))
		if names[i] == "" || slices.Contains(names[:i], names[i]) {
			return fmt.Errorf("column %d is empty or repeated", i+1)
		}
	}
	s := schemaByName(d.opts.Kind)
	if s == nil {
		s = detect(names)
	}
	var missing, unknown []string
	for _, c := range s.columns {
		if c.required && !slices.Contains(names, c.name) {
			missing = append(missing, c.name)
		}
	}
	for _, n := range names {
		if s.column(n) == nil {
			unknown = append(unknown, n)
		}
	}
	if len(missing) > 0 || len(unknown) > 0 {
		return fmt.Errorf("does not match the %s format: missing columns [%s], unknown columns [%s]",
			s.name, strings.Join(missing, " "), strings.Join(unknown, " "))
	}
	d.header, d.schema = names, s
	return nil
}

// detect returns the schema that knows the most header columns, preferring one that
// knows all of them.
func detect(names []string) *schema {
	best, bestScore := schemas[0], -1
	for _, s := range schemas {
		score := 0
		for _, n := range names {
			if s.column(n) != nil {
				score += 2
			} else {
				score -= 3
			}
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

// decodeRow decodes one data row into an event.
func (d *decoder) decodeRow(raw []byte, dst []*unmask.Event) ([]*unmask.Event, error) {
	if d.headerErr != "" {
		return dst, fmt.Errorf("csv header is unusable: %s", d.headerErr)
	}
	fields, err := splitCSV(raw, d.fields[:0])
	d.fields = fields
	if err != nil {
		return dst, fmt.Errorf("csv row: %w", err)
	}
	if len(fields) != len(d.header) {
		return dst, fmt.Errorf("csv row has %d fields, the header has %d (missing or extra columns)", len(fields), len(d.header))
	}
	s := d.schema
	m := make(map[string]string, len(fields)+2)
	var errs []string
	for i, v := range fields {
		c := s.column(d.header[i])
		n, err := c.normalize(strings.TrimSpace(v))
		switch {
		case err != nil:
			errs = append(errs, c.name+": "+err.Error())
		case n != "" && c.typ == tSecret:
			m[c.name+"_masked"] = mask(n)
			if d.opts.Hash != nil {
				m[c.name+"_hash"] = d.opts.Hash(unmask.IdentBankAccount, n)
			}
		case n != "":
			m[c.name] = n
		}
	}
	if len(errs) > 0 {
		return dst, fmt.Errorf("csv row: %w", errors.New(strings.Join(errs, "; ")))
	}
	return append(dst, d.toEvent(m)), nil
}

// redact returns raw with the secret columns masked, or a placeholder when the row cannot
// be split into the header's columns (a secret could then be anywhere in it).
func (d *decoder) redact(raw []byte) []byte {
	fields, err := splitCSV(raw, nil)
	if err != nil || len(fields) != len(d.header) {
		return []byte("[row withheld: it does not split into the header's columns and may hold an account number]")
	}
	for i, f := range fields {
		if d.schema.column(d.header[i]).typ == tSecret {
			fields[i] = mask(strings.TrimSpace(f))
		}
	}
	return joinCSV(fields)
}

func (d *decoder) toEvent(m map[string]string) *unmask.Event {
	s := d.schema
	t, _ := ingest.ParseTime(m[s.timeCol]) // validated as required
	e := &unmask.Event{Time: t, Kind: s.kind, Action: s.name, Actor: m[s.actorCol], Target: m[s.targetCol],
		Serial: m[s.serialCol], SourceIP: m[s.ipCol], Fields: m}
	if s.name == "spot_check" {
		switch m["result"] {
		case "pass":
			e.Outcome = unmask.OutcomeSuccess
		case "fail", "no_show":
			e.Outcome = unmask.OutcomeFailure
		}
	}
	return e
}
