// Package risk turns a person's signals into an explained risk score.
//
// The engine is pure: it does no I/O and reads the time only through an injected clock.
// A score is built in five steps, each driven by Config:
//
//  1. Each signal gets points: the indicator's weight × the signal's strength (Signal.Weight,
//     or a default per severity when the weight is 0) × time decay (a half-life per family,
//     overridable per indicator) × a stage multiplier (applicant, the first NewHireDays of
//     employment, tenured) taken at the time of the signal. Decay runs from LastSeen, so a
//     re-raised signal gets fresher; its Count does not multiply it, it is one piece of
//     evidence.
//  2. Within one indicator, signals are sorted by points and summed with diminishing returns
//     (the strongest counts fully, the next × Diminishing, then × Diminishing², ...), then
//     capped per indicator.
//  3. Indicators are summed per family (hiring, onboarding, network, endpoint) and capped per
//     family, so fifty remote-access hits cannot outweigh independent evidence.
//  4. Families that reach Corroboration.MinFamilyPoints corroborate each other: each
//     independent source past the first (by default each family is one; see
//     Corroboration.Sources) adds Corroboration.Bonus to the multiplier of the total.
//  5. The total maps to 0–100 by score = 100 × (1 − e^(−total/Scale)), and the score to a
//     band by the Bands thresholds. The defaults are low below 25, medium from 25, high
//     from 50 and critical from 75; with Scale 50, totals of about 14.4, 34.7 and 69.3
//     points reach them.
//
// Every step is monotone, so adding evidence never lowers a score. The score is shared out
// over RiskReasons in proportion to what each indicator added, plus one "corroboration"
// reason for the bonus, so the reasons add up to the score.
//
// Score computes one person from scratch. An Engine holds every person's signals and
// recomputes only the person whose signals or hire date changed; Rescore catches everyone
// up with decay. Preview (and Engine.Preview) scores people under a candidate Config and
// returns the re-ranking, so a weight change can be judged before it is applied.
//
// The default weights (DefaultConfig) cover every indicator of THREAT.md and rank them by the
// strength of the published evidence. None scores ethnicity, nationality, name origin or
// accent: the catalogue holds misrepresentation and fraud indicators only.
package risk
