// Package ruleset runs Unmask's Sigma rules as a detector: it loads the bundled rule pack
// (package rules) and the user's rule directories into one compiled set, keeps the
// rules' metadata and enablement in step with an unmask.RuleService, turns the matches of
// the detection stage into unmask.Signal values, and tests rules against pasted events and
// fixture files.
//
// Loading: Load parses every rule file, reports each bad file, document, duplicate id or
// uncompilable correlation as a Problem (file:line and reason) and never lets one stop
// the others. A user rule with the id of a bundled rule replaces it. Reload re-reads
// every source and swaps the compiled set atomically; a failed reload keeps the old one.
//
// Fields: rules see an event as its Fields plus the pseudo-fields event.source,
// event.kind, event.action, user.name, person.id, host.name, source.ip and device.serial
// (EventFields), the contract of the bundled pack's fixtures. The default pipeline
// (DefaultPipeline) uses field names as they are, maps logsource product "unmask" to
// every event and gives SigmaHQ's Windows logsources (Sysmon categories, event log
// services) their EventID and Channel conditions, so SigmaHQ rules that users add apply
// only to the events they were written for.
//
// Signals: a Detector matches each event that has a PersonID in its event time. A rule's
// signal carries the first indicator of its unmask.indicators block (FallbackIndicator
// for rules without one), a severity and weight from its level, and a Key per rule,
// person and correlation group, so that repeats update one stored signal.
//
// Correlation state: a Detector keeps Shards matchers, each behind its own mutex, and
// routes every event to the shard of its PersonID. One person's events therefore meet in
// one matcher, in the order Detect is called, whichever bus partition delivers them, and
// Detect is safe for concurrent use. Correlations see one person's events only: a rule
// grouped by host counts the hosts of one person, not of everyone.
//
// Enablement: every rule is enabled unless Options.Disabled names it or the store says
// otherwise (Sync, Refresh, SetEnabled). A disabled rule raises no signal but still feeds
// the correlations that reference it, and rules that a correlation with generate: false
// references never report on their own.
package ruleset
