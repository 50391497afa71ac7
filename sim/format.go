package sim

import (
	"math"
	"strconv"
	"strings"
)

// Thousands writes n with commas between groups of three digits
// (1000000 → "1,000,000"), as bills and summaries show counts.
func Thousands(n int64) string {
	return groupWhole(strconv.FormatInt(n, 10))
}

// Grouped writes v with decimals digits after the point (-1: as many as
// it needs) and commas between groups of three digits of the whole part:
// 1234567.891 with 2 is "1,234,567.89". It works on the decimal text,
// never through an integer type, so no value wraps and none turns into
// an exponent. NaN and infinities, which no count or amount should be,
// are written "–" rather than as a number.
func Grouped(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if strings.Trim(s, "-0.") == "" {
		whole = strings.TrimPrefix(whole, "-") // no "-0.00"
	}
	out := groupWhole(whole)
	if hasFrac {
		out += "." + frac
	}
	return out
}

// groupWhole puts commas into a string of digits with an optional sign.
func groupWhole(s string) string {
	digits := strings.TrimPrefix(s, "-")
	var b strings.Builder
	if len(digits) < len(s) {
		b.WriteByte('-')
	}
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
