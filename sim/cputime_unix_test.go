//go:build unix

package sim

import "syscall"

// processCPU is the CPU time this process has used, in seconds. The
// benchmarks report it beside wall time because the machines they run on
// are often shared, and waiting for a core inflates wall time only.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
