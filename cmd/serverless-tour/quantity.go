package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Limits of the quantity flags: far above any real month's use, and small
// enough that no bill built from them overflows. The tightest is Lambda's:
// requests × billed milliseconds must fit in an int64 (9.2e18), and 10
// trillion requests of 15 minutes are 9e18 ms.
const (
	maxRequests  = 1e13 // requests or request units in a month, on every service
	maxUsers     = 1e10 // monthly active users: more than there are people
	maxStorageGB = 1e12 // GB stored for a month: a zettabyte
	maxInstances = 1e6  // EC2 instances, or provisioned Lambda environments
	maxHours     = 24 * 366
	// maxBillUSD bounds a bill's total: past it, the price table or the
	// quantities are wrong, and the figure would mislead.
	maxBillUSD = 1e15
)

// parseCount reads a count the way people write them: 3000000, 3,000,000,
// 3M, 1.5k, 2B; at most limit.
func parseCount(flag, s string, limit float64) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	t = strings.ReplaceAll(t, "_", "")
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult, t = 1e3, t[:n-1]
		case 'm', 'M':
			mult, t = 1e6, t[:n-1]
		case 'b', 'B', 'g', 'G':
			mult, t = 1e9, t[:n-1]
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, usageError{fmt.Sprintf("--%s: %q is not a number (try 3000000, 3M or 1.5k)", flag, printable(s))}
	}
	if v < 0 {
		return 0, usageError{fmt.Sprintf("--%s: must not be negative, got %s", flag, printable(s))}
	}
	v *= mult
	if v > limit {
		return 0, usageError{fmt.Sprintf("--%s: %s is more than %s, the most this command prices", flag, printable(s), groupDigits(limit))}
	}
	return v, nil
}

// parseWhole reads a count that must be a whole number (requests, VMs,
// environments), at most limit.
func parseWhole(flag, s string, limit float64) (int64, error) {
	v, err := parseCount(flag, s, limit)
	if err != nil {
		return 0, err
	}
	if v != math.Trunc(v) {
		return 0, usageError{fmt.Sprintf("--%s: want a whole number, got %s", flag, printable(s))}
	}
	return int64(v), nil
}

// parseMemoryMB reads a memory size: 512MB, 1536, 1.5GB, 10GB (1 GB =
// 1024 MB, as Lambda's console counts), from lo to hi MB.
func parseMemoryMB(flag, s string, lo, hi int) (int, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "GB"), strings.HasSuffix(t, "GIB"):
		mult, t = 1024, strings.TrimSuffix(strings.TrimSuffix(t, "GB"), "GIB")
	case strings.HasSuffix(t, "MB"), strings.HasSuffix(t, "MIB"):
		t = strings.TrimSuffix(strings.TrimSuffix(t, "MB"), "MIB")
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, usageError{fmt.Sprintf("--%s: %q is not a memory size (try 512MB or 1GB)", flag, printable(s))}
	}
	mb := v * mult
	if mb < float64(lo) || mb > float64(hi) {
		return 0, usageError{fmt.Sprintf("--%s: %s is outside %s MB to %s MB", flag, printable(s), sim.Thousands(int64(lo)), sim.Thousands(int64(hi)))}
	}
	if mb != math.Trunc(mb) {
		return 0, usageError{fmt.Sprintf("--%s: %s is not a whole number of MB", flag, printable(s))}
	}
	return int(mb), nil
}

// parseDuration reads a Go duration ("120ms", "1s", "1h30m").
func parseDuration(flag, s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, usageError{fmt.Sprintf("--%s: %q is not a duration (try 120ms, 1s or 2m)", flag, printable(s))}
	}
	if d < 0 {
		return 0, usageError{fmt.Sprintf("--%s: must not be negative, got %s", flag, printable(s))}
	}
	return d, nil
}

// groupDigits writes 3000000 as 3,000,000 and 1234.5 as 1,234.5, from
// the decimal text, so no size of number wraps or turns to exponents.
func groupDigits(v float64) string { return sim.Grouped(v, -1) }

// money writes dollars to the cent, keeping tiny non-zero amounts visible.
func money(v float64) string {
	if v > 0 && v < 0.005 {
		return fmt.Sprintf("$%.4f", v)
	}
	return "$" + sim.Grouped(v, 2)
}

// unitPrice writes a price with as many digits as it needs, never in
// exponent form ($0.0000166667, not 1.66667e-05), and without the noise
// of dividing a quoted price by its unit ($0.20 per million is $0.0000002,
// not $0.00000020000000000000002).
func unitPrice(v float64) string {
	clean, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		clean = v
	}
	return "$" + sim.Grouped(clean, -1)
}
