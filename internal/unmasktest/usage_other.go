//go:build !unix

package unmasktest

import (
	"os"
	"time"
)

// CPUTime is not measured on this system.
func CPUTime() time.Duration { return 0 }

// PeakRSS is not measured on this system.
func PeakRSS(*os.ProcessState) int64 { return 0 }
