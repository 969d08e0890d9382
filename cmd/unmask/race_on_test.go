//go:build race

package main

// raceEnabled reports that the tests were built with the race detector: binaries they
// build are too, which reuses the compiled packages.
const raceEnabled = true
