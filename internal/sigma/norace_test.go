//go:build !race

package sigma

// raceEnabled is false without the race detector: the differential tests run in full.
const raceEnabled = false
