// Package sigma parses Sigma rules (specification v2.1: detection rules, filters and
// correlation rules) and compiles them into a fast matcher for JSON events and field maps.
//
// Parsing: ParseFile reads one multi-document YAML file into Rules, reporting each bad
// document as a *ParseError with file, line and reason; LoadDir walks a tree, counts
// outcomes per folder and never lets one bad file stop the others.
//
// Compiling: NewEngine maps rule field names through a Pipeline (data: the shipped
// pipelines.yaml, extensible with ParsePipelines) and groups rules by logsource. For
// every rule it derives up to two sets of literals such that, whenever the rule
// matches, each set has a literal that occurs; a rule is evaluated only for events in
// which all of its sets were found. Each logsource group gets a plan: per field, an
// Aho-Corasick automaton (contains literals; those with bytes outside printable ASCII
// in a second automaton that runs only on values holding such bytes), anchored tries
// (prefix and suffix literals) and a hash set (whole values) over the literals of the
// group's rules and of the rules every event meets. The same pass answers the rules'
// case-insensitive contains/startswith/endswith/equals values, which an item then
// checks as a few bit tests, and gates regular expressions and wildcard values by the
// literals each of their matches must hold. Automata fold ASCII case in their byte
// classes, so ASCII values are not copied to be lowercased.
//
// Matching: a Matcher (one per goroutine) reads only the fields rules need straight
// from raw JSON with a single-pass scanner (dotted and nested keys, escapes, "*" path
// segments) into reused buffers, and allocates nothing per event once warm. It selects
// the event's logsource groups first and runs only their plans. Two memos, exact by
// construction, save repeated work on a stream: keys met again at the same place of an
// object are recognised by their bytes, and what a field's automata found in a value
// is replayed when the value recurs (both are functions of the bytes alone).
// Correlation rules (event_count, value_count, value_sum, value_avg, temporal,
// temporal_ordered, chained, with aliases and generate) run in event time inside the
// Matcher with bounded state: groups older than the timespan are swept, and MaxGroups
// and MaxEventsPerGroup cap memory, evicting the least recently seen group first.
//
// Semantics follow the specification: values are case-insensitive unless cased, regular
// expressions are case-sensitive unless i; \* \? and \\ escape wildcards; keywords are
// full-text (contains) searches over every value; null matches a missing or null field;
// neq and "not" match when the field is missing; a field holding a JSON array matches
// when any element does.
package sigma
