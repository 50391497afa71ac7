package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/serverless-tour/serverless-tour/sim"
)

// parseCount reads a count the way people write them: 3000000, 3,000,000,
// 3M, 1.5k, 2B.
func parseCount(flag, s string) (float64, error) {
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
		return 0, usageError{fmt.Sprintf("--%s: %q is not a number (try 3000000, 3M or 1.5k)", flag, s)}
	}
	if v < 0 {
		return 0, usageError{fmt.Sprintf("--%s: must not be negative, got %s", flag, s)}
	}
	return v * mult, nil
}

// maxCount bounds counts on the command line: far above any real month,
// and well inside what int64 and float64 count exactly.
const maxCount = 1e15

// parseWhole reads a count that must be a whole number (requests, VMs,
// environments), at most maxCount.
func parseWhole(flag, s string) (int64, error) {
	v, err := parseCount(flag, s)
	if err != nil {
		return 0, err
	}
	if v != math.Trunc(v) {
		return 0, usageError{fmt.Sprintf("--%s: want a whole number, got %s", flag, s)}
	}
	if v > maxCount {
		return 0, usageError{fmt.Sprintf("--%s: %s is more than %g", flag, s, maxCount)}
	}
	return int64(v), nil
}

// parseMemoryMB reads a memory size: 512MB, 1536, 1.5GB, 10GB (1 GB =
// 1024 MB, as Lambda's console counts).
func parseMemoryMB(flag, s string) (int, error) {
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
		return 0, usageError{fmt.Sprintf("--%s: %q is not a memory size (try 512MB or 1GB)", flag, s)}
	}
	mb := v * mult
	if mb < 0 || mb > 1<<30 {
		return 0, usageError{fmt.Sprintf("--%s: %s is not a memory size a function or instance has", flag, s)}
	}
	if mb != math.Trunc(mb) {
		return 0, usageError{fmt.Sprintf("--%s: %s is not a whole number of MB", flag, s)}
	}
	return int(mb), nil
}

// parseDuration reads a Go duration ("120ms", "1s", "1h30m").
func parseDuration(flag, s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, usageError{fmt.Sprintf("--%s: %q is not a duration (try 120ms, 1s or 2m)", flag, s)}
	}
	if d < 0 {
		return 0, usageError{fmt.Sprintf("--%s: must not be negative, got %s", flag, s)}
	}
	return d, nil
}

// groupDigits writes 3000000 as 3,000,000; fractions as they are.
func groupDigits(v float64) string {
	if v != math.Trunc(v) || math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return sim.Thousands(int64(v))
}

// money writes dollars to the cent, keeping tiny non-zero amounts visible.
func money(v float64) string {
	if v > 0 && v < 0.005 {
		return fmt.Sprintf("$%.4f", v)
	}
	return "$" + groupCents(v)
}

func groupCents(v float64) string {
	cents := math.Round(v * 100)
	whole := math.Trunc(cents / 100)
	frac := int64(math.Abs(cents - whole*100))
	return fmt.Sprintf("%s.%02d", groupDigits(whole), frac)
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
	return "$" + strconv.FormatFloat(clean, 'f', -1, 64)
}
