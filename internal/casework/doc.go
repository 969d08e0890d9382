// Package casework runs investigations: it opens cases from alerts or for a person, moves
// them through the workflow, assigns them, keeps their notes and evidence, and, when a case
// closes as confirmed fraud, turns the person's identifiers into threat-intelligence
// indicators.
//
// # Workflow
//
// A case moves open → investigating → escalated (to HR or legal) → closed, with the
// transitions unmask.CaseStatus.CanTransition allows (the stores enforce them too). Closing
// needs a disposition: confirmed_fraud, legitimate or inconclusive. Closing a case closes
// the alerts linked to it. Reopening a closed case (closed → investigating) is for an
// administrator or the case's assignee; every other change needs a role that CanRespond.
// Every change writes exactly one unmask.AuditEntry whose detail says what changed (statuses,
// counts and ids, never note text or HR values).
//
// # Indicators from confirmed fraud
//
// When a case closes as confirmed_fraud, each identifier of the person whose kind has an
// indicator type becomes an unmask.Indicator with Source "case:<case id>", CaseID set and
// confidence 100:
//
//	identifier kind     indicator type   value
//	email               email            hmac-sha256:email:<hash>
//	phone               phone            hmac-sha256:phone:<hash>
//	address             address          hmac-sha256:address:<hash>
//	ship_to_address     address          hmac-sha256:ship_to_address:<hash>
//	bank_account        bank_account     hmac-sha256:bank_account:<hash>
//	github_login        github_login     the login in the clear
//
// Sensitive identifiers are stored only as a keyed hash, so their indicator carries that
// hash, not a value: HashedValue writes "hmac-sha256:<identifier kind>:<hex>" and
// ParseHashedValue reads it back. The identifier kind is part of the value because the hash
// covers the kind (see internal/idhash): matching an applicant is then an exact lookup of
// identifiers with that kind and hash (unmask.IdentifierFilter{Kind, Hash}), or, for the
// ioc.Matcher, a Key function that returns the hash part of such a value. The hash is keyed
// with this installation's key, so these indicators are for internal matching only and mean
// nothing to another organisation; exporters should skip values ParseHashedValue accepts.
//
// Government ids are never turned into indicators: fraudulent workers use stolen
// identities, and the id belongs to the victim. IdP logins, device serials, host names and
// MFA devices are this organisation's own assets, and photo hashes and résumé fingerprints
// are similarity keys that H-05 and H-08 analytics already compare; none has an indicator
// type.
//
// Indicators are created once: closing again after a reopen finds them by (type, value,
// source) and creates nothing new. Closing the case later as legitimate or inconclusive
// expires them (ValidUntil = now) rather than deleting them, so the history stays; closing
// as confirmed_fraud again revives them.
//
// # Clearing on a legitimate close
//
// Closing a case as legitimate clears the person's signals that no earlier review covers
// (unmask.Signal.ClearedAt and ClearedBy): the risk engine leaves them out of the score at
// once (Options.Rescore) and for as long as they are not seen again with new evidence, so
// an approved VPN or tool stops holding the person at the top of the ranking while a new
// sighting still counts. Reopening the case restores what it cleared. A close as
// confirmed_fraud or inconclusive clears nothing.
//
// # No automatic action
//
// Nothing here acts against a person on its own. Recommend reads a person's risk score,
// alerts, cases and spot checks and suggests what a responder might do next (open a case,
// schedule a spot check); a person decides.
package casework
