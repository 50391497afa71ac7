package sim

import (
	"bytes"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The fuzz targets of the readers in sim. Each has a seed corpus in
// testdata/fuzz/<name>; .ci/run runs each for a few seconds, and a crasher
// found there is committed to the corpus as a regression test. Besides
// "no panic", each bounds the work an input can cause: a reader may not
// turn a small input into a large amount of memory.

// allocBound is the most a reader may allocate for an input of n bytes
// whose check visited nodes YAML nodes (aliases expanded, at most
// maxYAMLNodes): a fixed part, a part per byte and a part per node.
func allocBound(n, nodes int) uint64 {
	return 4<<20 + 2048*uint64(n) + 1024*uint64(nodes)
}

// measure runs f and returns the bytes it allocated.
func measure(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// checkMessage holds an error to the message rules: one line, no control
// characters, and no echo of the input much beyond a few dozen characters.
func checkMessage(t *testing.T, err error, file string) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error spans lines: %q", msg)
	}
	for _, r := range msg {
		if isControl(r) {
			t.Fatalf("error carries %U: %q", r, msg)
		}
	}
	if len(msg) > 600+len(Visible(file)) {
		t.Fatalf("%d-byte error: %.300q", len(msg), msg)
	}
	for _, gotype := range []string{"float64", "!!str", "unmarshal", "reflect"} {
		if strings.Contains(msg, gotype) {
			t.Fatalf("error leaks %q: %q", gotype, msg)
		}
	}
}

// FuzzParse: no input makes Parse, Normalized or Set panic; whatever Parse
// accepts also normalizes; work is bounded by the input and the budget.
func FuzzParse(f *testing.F) {
	f.Add([]byte(lunch))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Scenario
		var err error
		var nodes int
		n := measure(func() {
			_, _, nodes = decodeYAML(data, "fuzz.yaml", &Scenario{}, YAMLOptions{What: "scenario"})
			s, err = Parse(data, "fuzz.yaml")
		})
		if nodes > maxYAMLNodes+1 {
			t.Fatalf("the check visited %d nodes", nodes)
		}
		if n > allocBound(len(data), nodes) {
			t.Fatalf("%d bytes of input allocated %d MB (%d nodes)", len(data), n>>20, nodes)
		}
		if err != nil {
			checkMessage(t, err, "fuzz.yaml")
			return
		}
		if s.Load.Pattern != "trace" {
			if _, err := s.Normalized(); err != nil {
				t.Fatalf("Parse accepted but Normalized refused: %v\n%s", err, data)
			}
		}
		c := s.Clone()
		_ = c.Set("targets[0].count", "3")
		_ = c.Set("load.spikes[0].rps", "1e3")
		_ = c.Set("pooling.tenants", "2")
	})
}

// FuzzParsePricing: a price table either parses into finite, positive
// prices or gives one clean message; a valid table's bills are finite.
func FuzzParsePricing(f *testing.F) {
	f.Add([]byte("region: r\ncurrency: USD\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p *Pricing
		var err error
		var nodes int
		n := measure(func() {
			_, _, nodes = decodeYAML(data, "fuzz.yaml", &Pricing{}, YAMLOptions{})
			p, err = ParsePricing(data, "fuzz.yaml")
		})
		if n > allocBound(len(data), nodes) {
			t.Fatalf("%d bytes of input allocated %d MB (%d nodes)", len(data), n>>20, nodes)
		}
		if err != nil {
			checkMessage(t, err, "fuzz.yaml")
			return
		}
		for _, s := range p.Services() {
			b, err := p.ServiceBill(s, 1e9)
			if err != nil || math.IsNaN(b.TotalUSD) || math.IsInf(b.TotalUSD, 0) || b.TotalUSD < 0 {
				t.Fatalf("%s × 1e9 = %v, %v", s, b.TotalUSD, err)
			}
		}
		for _, in := range p.Instances() {
			b, err := p.EC2Bill(EC2Usage{Instance: in, Purchase: "savings-plan", InstanceSeconds: 3600 * 730})
			if err != nil || math.IsNaN(b.TotalUSD) || math.IsInf(b.TotalUSD, 0) || b.TotalUSD <= 0 {
				t.Fatalf("%s for a month = %v, %v", in, b.TotalUSD, err)
			}
		}
	})
}

// FuzzLoadTrace: a trace is either rates that are finite and not negative
// at a step of at least 1 ms, or one clean message.
func FuzzLoadTrace(f *testing.F) {
	f.Add([]byte("seconds,rps\n0,5\n60,7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var rates []float64
		var step time.Duration
		var err error
		n := measure(func() { rates, step, err = LoadTrace(bytes.NewReader(data), "fuzz.csv") })
		if n > allocBound(len(data), 0) {
			t.Fatalf("%d bytes of trace allocated %d MB", len(data), n>>20)
		}
		if err != nil {
			checkMessage(t, err, "fuzz.csv")
			return
		}
		if step < time.Millisecond || len(rates) < 2 || len(rates) > maxTraceRows {
			t.Fatalf("%d rates every %v", len(rates), step)
		}
		for _, r := range rates {
			if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
				t.Fatalf("rate %v", r)
			}
		}
	})
}

// FuzzSetAll: --set expressions (one a line) never panic, and a scenario
// they leave is either refused by Normalized with a clean message or valid.
func FuzzSetAll(f *testing.F) {
	f.Add("targets.fleet.count=12\nload.spikes[1].rps=2.5")
	f.Fuzz(func(t *testing.T, sets string) {
		base, err := Parse([]byte(setBase), "knobs.yaml")
		if err != nil {
			t.Fatal(err)
		}
		s := base.Clone()
		if err := s.SetAll(strings.Split(sets, "\n")); err != nil {
			checkMessage(t, err, "")
			return
		}
		if _, err := s.Normalized(); err != nil {
			checkMessage(t, err, "")
		}
		if base.Targets[0].Count != 4 || base.Load.Spikes[0].RPS != 100 {
			t.Fatal("SetAll on a clone changed the base scenario")
		}
	})
}
