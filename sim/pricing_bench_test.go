package sim

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// bigPricingTable is the shipped table with n more instance types, the
// shape of a table generated from a provider's full price list.
func bigPricingTable(tb testing.TB, n int) []byte {
	tb.Helper()
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "    gen%d.large: {vcpu: 2, memory_gib: 8, arch: x86_64, hourly_usd: 0.096, checked: unconfirmed}\n", i)
	}
	const at = "  instances:\n"
	s := string(data)
	i := strings.Index(s, at)
	if i < 0 {
		tb.Fatal("no instances: in the shipped table")
	}
	return []byte(s[:i+len(at)] + b.String() + s[i+len(at):])
}

// BenchmarkParsePricing reads tables of growing size: the time per table
// should grow in proportion to its instances, not with their square.
func BenchmarkParsePricing(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 40_000} {
		data := bigPricingTable(b, n)
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := ParsePricing(data, "big.yaml"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
