//go:build unix

package unmasktest

import (
	"os"
	"syscall"
	"time"
)

// CPUTime returns the user plus system CPU time this process has used, for benchmarks
// that report CPU per event on a machine whose wall clock is shared.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PeakRSS returns the peak resident set size of an exited child process, in bytes.
func PeakRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}
