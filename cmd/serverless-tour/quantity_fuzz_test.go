package main

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// Quantity flags are typed by people and pasted by scripts: nothing may
// panic them, whatever they accept is finite and inside its limit and
// prints back as the same number, and their messages carry no control
// characters. testdata/fuzz/FuzzQuantityFlags holds the seed corpus.
func FuzzQuantityFlags(f *testing.F) {
	for _, s := range []string{"3M", "120ms", "1.5GB", "3,000,000", "1e13", "1_000k", "-0", "NaN", "0x1p40", "15m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := parseCount("n", s, maxRequests); err == nil {
			if math.IsNaN(v) || v < 0 || v > maxRequests {
				t.Fatalf("parseCount(%q) = %v", s, v)
			}
			g := groupDigits(v)
			back, perr := strconv.ParseFloat(strings.ReplaceAll(g, ",", ""), 64)
			if perr != nil || back != v {
				t.Fatalf("groupDigits(%v) = %q, which reads back as %v", v, g, back)
			}
			if m := money(v); strings.ContainsAny(m, "eE+IN") {
				t.Fatalf("money(%v) = %q", v, m)
			}
		} else if near, bad := rawControl(err.Error()); bad {
			t.Fatalf("message carries a control character near %q", near)
		}
		if n, err := parseWhole("n", s, maxInstances); err == nil && (n < 0 || n > maxInstances) {
			t.Fatalf("parseWhole(%q) = %d", s, n)
		}
		if mb, err := parseMemoryMB("m", s, lambdaMinMB, lambdaMaxMB); err == nil && (mb < lambdaMinMB || mb > lambdaMaxMB) {
			t.Fatalf("parseMemoryMB(%q) = %d", s, mb)
		} else if err != nil {
			if near, bad := rawControl(err.Error()); bad {
				t.Fatalf("message carries a control character near %q", near)
			}
		}
		if d, err := lambdaDuration("d", s); err == nil && (d < 0 || d > 15*60e9) {
			t.Fatalf("lambdaDuration(%q) = %v", s, d)
		}
	})
}
