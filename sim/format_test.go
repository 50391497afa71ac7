package sim

import (
	"math"
	"testing"
)

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 400000: "400,000", math.MaxInt64: "9,223,372,036,854,775,807", math.MinInt64: "-9,223,372,036,854,775,808"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// Amounts far past int64 (a hostile price table, a huge quantity) are
// written whole, never wrapped, never in exponent form, never "+Inf".
func TestGrouped(t *testing.T) {
	cases := []struct {
		v        float64
		decimals int
		want     string
	}{
		{0, 2, "0.00"},
		{-0.001, 2, "0.00"},
		{1234.5, -1, "1,234.5"},
		{1234567.891, 2, "1,234,567.89"},
		{-1234567.891, 2, "-1,234,567.89"},
		{1e15, 0, "1,000,000,000,000,000"},
		{1e15, -1, "1,000,000,000,000,000"},
		{2.7e19, 2, "27,000,000,000,000,000,000.00"},
		{0.0000002, -1, "0.0000002"},
		{999, 0, "999"},
		{math.Inf(1), 2, "–"},
		{math.Inf(-1), 2, "–"},
		{math.NaN(), -1, "–"},
	}
	for _, c := range cases {
		if got := Grouped(c.v, c.decimals); got != c.want {
			t.Errorf("Grouped(%g, %d) = %q, want %q", c.v, c.decimals, got, c.want)
		}
	}
}
