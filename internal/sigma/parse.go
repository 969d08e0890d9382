package sigma

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ParseOptions configures parsing.
type ParseOptions struct {
	// Placeholders gives the values of %name% placeholders used with the expand modifier.
	// A rule that uses a placeholder without values is rejected, as the specification asks.
	Placeholders map[string][]string
}

// ParseFile parses every YAML document of a Sigma file. It returns the documents that
// parsed and one *ParseError per document that did not; a bad document never stops the
// others. Documents holding only action: global/reset/repeat (legacy collections) are
// rejected with a reason.
func ParseFile(path string, data []byte, opts ParseOptions) ([]*Rule, []error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	po := parseOptions{placeholders: opts.Placeholders}
	var rules []*Rule
	var errs []error
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, &ParseError{Path: path, Line: yamlErrLine(err), Err: err})
			break
		}
		if len(doc.Content) == 0 {
			continue
		}
		r, err := parseDocument(doc.Content[0], po)
		if err != nil {
			errs = append(errs, locate(err, path, doc.Content[0].Line))
			continue
		}
		r.Path = path
		rules = append(rules, r)
	}
	return rules, errs
}

// locate fills the path (and a default line) into a parse error.
func locate(err error, path string, line int) error {
	if pe, ok := errors.AsType[*ParseError](err); ok {
		out := *pe
		out.Path = path
		if out.Line == 0 {
			out.Line = line
		}
		return &out
	}
	return &ParseError{Path: path, Line: line, Err: err}
}

// yamlErrLine extracts the line number yaml puts in its error messages ("line N:").
func yamlErrLine(err error) int {
	s := err.Error()
	_, after, ok := strings.Cut(s, "line ")
	if !ok {
		return 0
	}
	n := 0
	for _, c := range after {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// parseDocument parses one YAML document into a rule, correlation or filter.
func parseDocument(n *yaml.Node, opts parseOptions) (*Rule, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, "document must be a mapping")
	}
	r := &Rule{Line: n.Line}
	parts := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := r.setMeta(k.Value, v); err != nil {
			return nil, err
		}
		if err := r.setCustom(k.Value, v); err != nil {
			return nil, err
		}
		parts[k.Value] = v
	}
	if a := parts["action"]; a != nil {
		return nil, errAt(a, "legacy rule collections (action: %s) are not part of Sigma v2", a.Value)
	}
	if r.Title == "" {
		return nil, errAt(n, "missing title")
	}
	switch {
	case parts["correlation"] != nil:
		return r, r.parseCorrelation(parts["correlation"], parts["generate"])
	case parts["filter"] != nil:
		return r, r.parseFilter(parts, opts)
	case parts["detection"] != nil:
		if parts["logsource"] == nil {
			return nil, errAt(n, "missing logsource")
		}
		d, err := parseDetection(parts["detection"], opts)
		if err != nil {
			return nil, err
		}
		r.Kind, r.detection = KindDetection, d
		return r, nil
	}
	return nil, errAt(n, "document has no detection, correlation or filter section")
}

// setMeta stores one top-level attribute, checking its type.
func (r *Rule) setMeta(key string, v *yaml.Node) error {
	str := func(dst *string) error {
		if v.Kind != yaml.ScalarNode {
			return errAt(v, "%s must be a string", key)
		}
		*dst = v.Value
		return nil
	}
	switch key {
	case "title":
		return str(&r.Title)
	case "id":
		return str(&r.ID)
	case "name":
		return str(&r.Name)
	case "status":
		return str(&r.Status)
	case "level":
		return str(&r.Level)
	case "description":
		return str(&r.Description)
	case "author":
		return str(&r.Author)
	case "tags":
		return decodeStrings(v, &r.Tags, key)
	case "logsource":
		if v.Kind != yaml.MappingNode {
			return errAt(v, "logsource must be a mapping")
		}
		if err := v.Decode(&r.Logsource); err != nil {
			return errAt(v, "logsource: %v", err)
		}
	}
	return nil
}

// specKeys are the top-level attributes of the Sigma specification (rules, correlations
// and filters, plus the legacy action); every other key is custom.
var specKeys = map[string]bool{
	"title": true, "id": true, "related": true, "name": true, "taxonomy": true, "status": true,
	"description": true, "license": true, "author": true, "references": true, "date": true,
	"modified": true, "logsource": true, "detection": true, "fields": true, "falsepositives": true,
	"level": true, "tags": true, "scope": true, "correlation": true, "generate": true,
	"filter": true, "action": true,
}

// setCustom decodes a top-level key that is not a Sigma attribute into r.Custom.
func (r *Rule) setCustom(key string, v *yaml.Node) error {
	if specKeys[key] {
		return nil
	}
	var val any
	if err := v.Decode(&val); err != nil {
		msg := err.Error()
		if te, ok := errors.AsType[*yaml.TypeError](err); ok {
			msg = strings.Join(te.Errors, "; ")
		}
		line := yamlErrLine(err)
		if line == 0 {
			line = v.Line
		}
		return &ParseError{Line: line, Err: fmt.Errorf("%s: %s", key, msg)}
	}
	if r.Custom == nil {
		r.Custom = map[string]any{}
	}
	r.Custom[key] = val
	return nil
}

// decodeStrings decodes a string or a list of strings.
func decodeStrings(v *yaml.Node, dst *[]string, key string) error {
	switch v.Kind {
	case yaml.ScalarNode:
		*dst = []string{v.Value}
		return nil
	case yaml.SequenceNode:
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				return errAt(e, "%s must be a list of strings", key)
			}
			*dst = append(*dst, e.Value)
		}
		return nil
	}
	return errAt(v, "%s must be a string or a list of strings", key)
}

// parseFilter parses the filter section of a filter document.
func (r *Rule) parseFilter(parts map[string]*yaml.Node, opts parseOptions) error {
	f := parts["filter"]
	if parts["logsource"] == nil {
		return errAt(f, "filter document missing logsource")
	}
	if f.Kind != yaml.MappingNode {
		return errAt(f, "filter must be a mapping")
	}
	flt := &Filter{}
	for i := 0; i+1 < len(f.Content); i += 2 {
		if f.Content[i].Value == "rules" {
			if err := decodeStrings(f.Content[i+1], &flt.Rules, "filter rules"); err != nil {
				return err
			}
		}
	}
	d, err := parseDetection(f, opts, "rules")
	if err != nil {
		return err
	}
	flt.detection = d
	r.Kind, r.Filter = KindFilter, flt
	return nil
}

// parseTimespan parses a correlation timespan: a number and s, m, h, d or w.
func parseTimespan(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, fmt.Errorf("timespan %q is not a number followed by s, m, h or d", s)
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 's':
		unit = time.Second
	case 'm':
		unit = time.Minute
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	case 'w':
		unit = 7 * 24 * time.Hour
	default:
		return 0, fmt.Errorf("timespan %q is not a number followed by s, m, h or d", s)
	}
	var n int64
	for _, c := range s[:len(s)-1] {
		if c < '0' || c > '9' || n > 1<<40 {
			return 0, fmt.Errorf("timespan %q is not a number followed by s, m, h or d", s)
		}
		n = n*10 + int64(c-'0')
	}
	if n == 0 {
		return 0, fmt.Errorf("timespan %q must be positive", s)
	}
	return time.Duration(n) * unit, nil
}
