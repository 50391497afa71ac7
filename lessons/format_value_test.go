package lessons

import (
	"math"
	"testing"
)

// Figures past int64 are written whole, never as a wrapped integer, and
// NaN or infinity is never shown as a number.
func TestFormatValueAtTheEdges(t *testing.T) {
	cases := []struct {
		f    Format
		v    float64
		want string
	}{
		{FormatUSD, 1234.4, "$1,234"},
		{FormatUSD, 2.5e19, "$25,000,000,000,000,000,000"},
		{FormatUSD, -2.5e19, "$-25,000,000,000,000,000,000"},
		{FormatCount, 1e15, "1,000,000,000,000,000"},
		{FormatCount, 1e19, "10,000,000,000,000,000,000"},
		{FormatUSD, math.Inf(1), "–"},
		{FormatCount, math.NaN(), "–"},
		{FormatPercent, math.Inf(-1), "–"},
	}
	for _, c := range cases {
		if got := FormatValue(c.f, c.v); got != c.want {
			t.Errorf("FormatValue(%v, %g) = %q, want %q", c.f, c.v, got, c.want)
		}
	}
}
