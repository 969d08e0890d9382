//go:build !race

package main

// raceEnabled reports that the tests were built with the race detector.
const raceEnabled = false
