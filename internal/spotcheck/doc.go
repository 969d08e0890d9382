// Package spotcheck schedules, tracks and records on-camera spot checks of workers: a
// checker calls the worker on video and attests that the person matches their identity
// document, uses the managed laptop shipped to them and sits somewhere that fits the
// location they claim.
//
// # Policy
//
// A Policy (plain YAML/JSON-tagged configuration) decides who is checked and when:
//
//   - every eligible worker (an employee or contractor who is hired or active) is sampled
//     for a random check with probability RandomRate in each period of PeriodDays;
//   - BandExtra adds checks per period for higher risk bands;
//   - new hires get mandatory checks: one due within NewHire.WithinDays of the hire date
//     and another in the same-length window starting NewHire.AgainDays after it;
//   - random and risk checks keep MinGapDays from the previous check, and a worker has at
//     most one of them outstanding (mandatory new-hire checks ignore both limits);
//   - checks are due in business hours (Hours) in the worker's claimed time zone, or
//     DefaultTimeZone when they claim none, never sooner than NoticeHours from now. That
//     is a test in itself: someone who claims Chicago but works from UTC+9 is asked to
//     appear on camera in the middle of their night.
//
// Policy.Plan is pure: given the time, the people, their risk bands and the existing
// checks, it returns the checks to create, the overdue checks to mark missed (no result
// GraceHours after they were due) and the scheduled checks to cancel because the worker
// left or went on leave. Randomness comes from a PCG source seeded by the configured seed,
// the person and the period, so a plan does not depend on the order of people or on how
// often it runs, and the same inputs always give the same plan. Service.Step applies a plan
// through the domain services; Service.Run repeats Step on an interval.
//
// # Outcomes and signals
//
// A check ends done (with an attestation), refused, missed or cancelled. A checker records
// done or refused (Service.Record), or missed when the worker did not attend
// (Service.Miss); Step marks a check missed when no result came within the grace period.
// Outcomes that point to fraud raise signals (detector "spotcheck"), which the risk engine
// scores:
//
//	outcome                        indicator  severity  weight  why this indicator
//	refused                        H-11       high      0.8     camera refusal ("webcam broken")
//	missed, or no result in grace  H-11       medium    0.4     camera avoidance, but could be innocent
//	person did not match their ID  O-04       critical  1.0     identity verification mismatch
//	not the managed laptop         O-05       high      0.8     device in use ≠ device shipped
//	surroundings ≠ claimed place   H-19       medium    0.6     claimed location inconsistent
//
// O-12 (refuses in-person meetings) is not used: a spot check is a video call, not a
// meeting in person. N-04 is not used for the location attestation because N-04 is computed
// from IP geolocation in the network family; a checker's observation is independent of the
// network evidence and would otherwise be capped together with it. Each signal's key names
// the check and the finding, so recording or marking a check twice raises nothing new.
//
// A clean check (done, every attestation true) raises no signal: a signal is evidence of a
// problem and carries no negative weight. The pass is the check record itself (status done,
// checker, time, attestation); it counts towards the period's checks and the minimum gap,
// so a worker who just passed is not checked again soon, and casework.Recommend treats a
// recent pass as a reason not to suggest another check.
//
// No outcome acts against a worker: signals feed the score, and people decide.
package spotcheck
