//go:build race

package sigma

// raceEnabled thins the large differential tests under the race detector, which slows
// them about tenfold; they run in full without it.
const raceEnabled = true
