// Package unmask is the domain language of Unmask, a product that finds fraudulent remote
// workers (above all North Korean IT workers hired under stolen or synthetic identities) by
// joining what HR, IT and security each see alone into one explained risk picture per person.
//
// The package holds the nouns and their behaviour and imports only the standard library.
// Adapters under internal/ implement the *Service contracts declared here; cmd/unmask wires
// them together.
//
// Glossary:
//
//   - Person: an applicant, employee or contractor, with the location and time zone they
//     claim and their hire date.
//   - Identifier: a typed, normalised value that belongs to a person (e-mail, phone, address,
//     bank account, GitHub login, device serial, ...). Sensitive kinds are stored only as a
//     keyed hash plus a masked display form.
//   - Device: a managed laptop or other endpoint, with the serial HR assigned and the serial
//     MDM reports.
//   - Event: one normalised record from a source (a sign-in, a process start, an HR change),
//     with the raw record kept.
//   - Signal: evidence that a person shows an indicator from the threat catalogue (THREAT.md),
//     citing the events that support it and a sentence that explains it.
//   - RiskScore: a person's 0–100 score with its ordered reasons.
//   - Alert: one open concern about one person, grouping signals.
//   - Case: an investigation with a status workflow, notes and an audit trail.
//   - SpotCheck: an on-camera verification of a worker.
//   - Indicator: a threat-intelligence value (e-mail, phone, domain, ...) to match against.
//   - User: an analyst or operator of Unmask, with a Role; APIToken: a credential for the API.
//   - AuditEntry: who saw or changed what, and when.
package unmask
