// Package sigma parses Sigma rules (specification v2.1: detection rules, filters and
// correlation rules) and compiles them into a fast matcher for JSON events and field maps.
//
// Parsing: ParseFile reads one multi-document YAML file into Rules, reporting each bad
// document as a *ParseError with file, line and reason; LoadDir walks a tree, counts
// outcomes per folder and never lets one bad file stop the others.
//
// Compiling: NewEngine maps rule field names through a Pipeline (data: the shipped
// pipelines.yaml, extensible with ParsePipelines), groups rules by logsource (each
// logsource's event conditions are evaluated once per event) and derives for every
// rule a set of literals of which one must occur if the rule matches. Per field, an
// Aho-Corasick automaton (contains literals), anchored tries (prefix and suffix
// literals) and a hash index (whole values) find those literals in one pass over each
// needed value; only the rules they point at are evaluated. The same pass answers the
// rules' case-insensitive contains/startswith/endswith/equals values and gates regular
// expressions by their required literals. Automata fold ASCII case in their byte
// classes, so ASCII values are not copied to be lowercased.
//
// Matching: a Matcher (one per goroutine) reads only the fields rules need straight
// from raw JSON with a single-pass scanner (dotted and nested keys, escapes, "*" path
// segments) into reused buffers, and allocates nothing per event. Correlation rules
// (event_count, value_count, value_sum, value_avg, temporal, temporal_ordered, chained,
// with aliases and generate) run in event time inside the Matcher with bounded state:
// groups older than the timespan are swept, and MaxGroups and MaxEventsPerGroup cap
// memory, evicting the least recently seen group first.
//
// Semantics follow the specification: values are case-insensitive unless cased, regular
// expressions are case-sensitive unless i; \* \? and \\ escape wildcards; keywords are
// full-text (contains) searches over every value; null matches a missing or null field;
// neq and "not" match when the field is missing; a field holding a JSON array matches
// when any element does.
package sigma
