// Package identity links people through the identifiers they share and turns what it finds
// into explained unmask.Signals: identifiers reused under different names (H-02), laptop
// farms (O-02), shared payroll accounts (O-03), shared MFA devices (O-07), referral chains
// (H-17), application velocity (H-18) and the per-person consistency checks of THREAT.md
// (H-01, H-04, H-06, H-11, H-14, H-15, H-16, H-19).
//
// Everything here works in memory on values the caller loads from its stores. Shared
// identifiers are matched on their keys (keyed hashes or normalised values) and named in
// explanations only in masked form. A person seen twice under the same name, such as an
// applicant later hired as an employee, is one lineage, not a fraud signal; a household
// (same surname) sharing an address, phone or account is not a signal either.
//
// No check looks at nationality, ethnicity, name origin or accent: every signal is evidence
// of misrepresentation or reuse.
package identity
