package sigma

import (
	"fmt"
	"time"
)

// Logsource says which events a rule applies to.
type Logsource struct {
	Product  string `yaml:"product,omitempty"`  // e.g. windows
	Category string `yaml:"category,omitempty"` // e.g. process_creation
	Service  string `yaml:"service,omitempty"`  // e.g. security
}

// String returns the logsource as product/category/service.
func (l Logsource) String() string {
	return l.Product + "/" + l.Category + "/" + l.Service
}

// covers reports whether every field set in l equals the same field of o.
func (l Logsource) covers(o Logsource) bool {
	return (l.Product == "" || l.Product == o.Product) &&
		(l.Category == "" || l.Category == o.Category) &&
		(l.Service == "" || l.Service == o.Service)
}

// Kinds of Sigma documents.
const (
	KindDetection   = "detection"
	KindCorrelation = "correlation"
	KindFilter      = "filter"
)

// Rule is one Sigma document: a detection rule, a correlation rule or a filter. Exactly
// one of the detection, Correlation or Filter parts is set, as Kind says.
type Rule struct {
	Kind        string    // KindDetection, KindCorrelation or KindFilter
	ID          string    // the rule id, usually a UUID
	Name        string    // the unique name correlations may refer to
	Title       string    // a short title
	Status      string    // stable, test, experimental, deprecated, unsupported
	Level       string    // informational, low, medium, high, critical
	Description string    // what the rule detects
	Author      string    // who wrote it
	Tags        []string  // ATT&CK and other tags
	Logsource   Logsource // which events it applies to
	// Path and Line locate the document's first line in its file.
	Path string
	Line int // 1-based

	// Correlation is set for correlation rules.
	Correlation *Correlation
	// Filter is set for filters (meta rules that exclude matches of other rules).
	Filter *Filter

	// Custom holds the top-level keys that are not Sigma attributes (such as a pack's
	// own metadata block), decoded generically: mappings as map[string]any, sequences
	// as []any, scalars as string, int, float64, bool or nil. Nil when there are none.
	Custom map[string]any

	detection *detection
}

// Ref returns the rule's id, or its name when it has no id, or its title.
func (r *Rule) Ref() string {
	switch {
	case r.ID != "":
		return r.ID
	case r.Name != "":
		return r.Name
	}
	return r.Title
}

// Fields returns the Sigma field names the rule's detection reads, in first-use order.
func (r *Rule) Fields() []string {
	if r.detection == nil {
		return nil
	}
	return r.detection.fields()
}

// Filter is the filter part of a filter document: the rules it applies to (ids or names;
// empty means every rule with a matching logsource) and the detection that excludes.
type Filter struct {
	Rules     []string // ids or names of the filtered rules
	detection *detection
}

// Correlation is the correlation part of a Sigma v2 correlation rule.
type Correlation struct {
	Type     string        // event_count, value_count, temporal or temporal_ordered
	Rules    []string      // ids or names of the correlated rules, in order
	GroupBy  []string      // fields (or aliases) whose values must be equal
	Timespan time.Duration // the window, in event time
	// Conditions must all hold; empty means, for temporal types, that every rule matched.
	Conditions []CountCondition
	// Field is the field whose distinct values value_count counts, or whose numbers
	// value_sum and value_avg add up.
	Field string
	// Aliases maps an alias used in GroupBy to the field name per referenced rule.
	Aliases map[string]map[string]string
	// Generate says the referenced rules also report matches on their own.
	Generate bool
}

// CountCondition is one comparison of a correlation condition (gte: 100).
type CountCondition struct {
	Op    string // gt, gte, lt, lte, eq, neq
	Value int64  // the threshold
}

// holds reports whether n satisfies every condition.
func holds(conds []CountCondition, n int64) bool {
	for _, c := range conds {
		if !compare(float64(n), c.Op, float64(c.Value)) {
			return false
		}
	}
	return true
}

// ParseError is a document that could not be parsed, with where and why.
type ParseError struct {
	Path string // the file, relative to the loaded tree
	Line int    // 1-based line of the problem, or of the document
	Err  error  // the reason
}

// Error returns path:line: reason.
func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
}

// Unwrap returns the reason.
func (e *ParseError) Unwrap() error { return e.Err }
