// Package alerting turns signals into alerts: one alert per person and concern that is not
// closed, created on the first signal and updated by later ones, so that a noisy detector
// adds to one alert instead of raising many.
//
// A Manager groups each batch of signals by person and concern (the indicator ID, or its
// family with GroupByFamily), drops signals that an active Suppression matches (counting
// them per suppression), dedupes signals it has already recorded and then creates or
// updates alerts through a Store, the part of unmask.AlertService it needs.
//
// The package does no I/O of its own; time comes from an injected clock.
package alerting
