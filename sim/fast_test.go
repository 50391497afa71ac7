package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// agreeCase is one scenario of the agreement grid: small enough for the
// event run, and each a regime the fast model must get right.
type agreeCase struct {
	name string
	yaml string // a scenario, or
	file string // one of content/scenarios
	// coldAbs is the cold-start tolerance in starts when 10 % is smaller:
	// a count of n varies by about √n from seed to seed.
	coldAbs float64
}

// Tolerances (issue 12): cost within 1 %, utilisation within 2 points,
// each outcome (served, dropped, throttled, timed out, failed) within 3 %
// of the requests, p50 and p99 within 10 %, cold starts within 10 % or
// the case's absolute tolerance.
const (
	tolCost    = 0.01
	tolUtil    = 0.02
	tolOutcome = 0.03
	tolLatency = 0.10
	tolCold    = 0.10
)

var agreeGrid = []agreeCase{
	{name: "steady M/M/c", yaml: `
name: steady-mmc
seed: 3
duration: 24h
load: {pattern: constant, rps: 8}
request: {duration: 1s, distribution: exponential, memory_mb: 512, timeout: 30s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 10}
`},
	{name: "steady lognormal, 4 slots a VM", yaml: `
name: steady-lognormal
seed: 4
duration: 12h
load: {pattern: constant, rps: 40}
request: {duration: 200ms, distribution: lognormal, sigma: 1, memory_mb: 512}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 3, concurrency: 4}
`},
	{name: "steady fixed service", yaml: `
name: steady-fixed
seed: 5
duration: 12h
load: {pattern: constant, rps: 30}
request: {duration: 250ms, distribution: fixed, memory_mb: 512}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 2, concurrency: 5}
`},
	{name: "diurnal fixed fleet + function", yaml: `
name: diurnal
seed: 7
duration: 24h
load: {pattern: diurnal, base_rps: 5, peak_rps: 40, peak_at: 14h}
request: {duration: 200ms, distribution: exponential, memory_mb: 512, timeout: 30s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 4, concurrency: 4}
  - {name: lambda, kind: function, memory_mb: 512, cold_start: 300ms, keep_alive: 10m}
`, coldAbs: 30},
	{name: "autoscaling (content)", file: "autoscaling.yaml"},
	{name: "spike (content)", file: "spike.yaml", coldAbs: 30},
	{name: "zone outage (content)", file: "zone-outage.yaml", coldAbs: 30},
	{name: "trace (content)", file: "trace.yaml", coldAbs: 30},
	{name: "lunch rush (content)", file: "lunch-rush.yaml", coldAbs: 30},
	{name: "surges over a queue limit", yaml: `
name: surges
seed: 101
duration: 24h
step: 10s
load: {pattern: bursty, on_rps: 12, off_rps: 2, on: 15m, off: 105m}
request: {duration: 500ms, distribution: exponential, memory_mb: 512, timeout: 10s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 3, concurrency: 2, queue_limit: 40}
  - {name: function, kind: function, memory_mb: 512, cold_start: 300ms, keep_alive: 10m, concurrency_limit: 100}
`, coldAbs: 30},
	{name: "sparse function, short keep-alive", yaml: `
name: sparse
seed: 8
duration: 720h
step: 10s
load: {pattern: constant, rps: 0.05}
request: {duration: 200ms, distribution: lognormal, sigma: 0.8, memory_mb: 256}
targets:
  - {name: fn, kind: function, memory_mb: 256, cold_start: 500ms, keep_alive: 30s}
`, coldAbs: 30},
	{name: "provisioned, diurnal", yaml: `
name: provisioned
seed: 9
duration: 24h
load: {pattern: diurnal, base_rps: 2, peak_rps: 30, peak_at: 15h}
request: {duration: 300ms, distribution: lognormal, sigma: 0.8, memory_mb: 1024}
targets:
  - {name: fn, kind: function, memory_mb: 1024, cold_start: 800ms, keep_alive: 10m, provisioned: 5}
`, coldAbs: 30},
	{name: "scale rate binds", yaml: `
name: scale-rate
seed: 10
duration: 2h
load: {pattern: spike, rps: 5, spikes: [{at: 30m, duration: 20m, rps: 400}]}
request: {duration: 500ms, distribution: exponential, memory_mb: 512}
targets:
  - {name: fn, kind: function, memory_mb: 512, cold_start: 1s, keep_alive: 10m, scale_rate: 20, scale_interval: 10s}
`, coldAbs: 30},
	{name: "retries at the limit", yaml: `
name: retries
seed: 11
duration: 6h
step: 10s
load: {pattern: constant, rps: 100}
request: {duration: 1s, distribution: exponential, memory_mb: 512}
targets:
  - {name: fn, kind: function, memory_mb: 512, cold_start: 300ms, keep_alive: 10m, concurrency_limit: 90, retries: 3}
`, coldAbs: 30},
	{name: "business hours week", yaml: `
name: week
seed: 12
duration: 168h
step: 10s
load: {pattern: business-hours, base_rps: 0.5, peak_rps: 10}
request: {duration: 400ms, distribution: exponential, memory_mb: 512, timeout: 30s}
targets:
  - {name: fleet, kind: vm, instance: t3.medium, count: 3, concurrency: 2}
  - {name: fn, kind: function, memory_mb: 512, cold_start: 300ms, keep_alive: 10m}
`, coldAbs: 30},
	{name: "bursty autoscaled", yaml: `
name: bursty
seed: 13
duration: 24h
load: {pattern: bursty, on_rps: 20, off_rps: 2, on: 5m, off: 25m}
request: {duration: 500ms, distribution: lognormal, sigma: 1, memory_mb: 512, timeout: 20s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, min: 1, max: 10, concurrency: 2, boot_delay: 30s, cooldown: 120s}
  - {name: fn, kind: function, memory_mb: 512, cold_start: 400ms, keep_alive: 5m}
`, coldAbs: 30},
	{name: "function timeouts", yaml: `
name: fn-timeouts
seed: 14
duration: 12h
step: 10s
load: {pattern: constant, rps: 10}
request: {duration: 500ms, distribution: lognormal, sigma: 1.5, memory_mb: 512, timeout: 2s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 2, concurrency: 4}
  - {name: fn, kind: function, memory_mb: 512, cold_start: 300ms, keep_alive: 10m}
`, coldAbs: 30},
	{name: "diurnal near saturation, fixed", yaml: `
name: near-saturation
seed: 15
duration: 24h
load: {pattern: diurnal, base_rps: 10, peak_rps: 38, peak_at: 12h}
request: {duration: 250ms, distribution: fixed, memory_mb: 512}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 5, concurrency: 2}
`},
	{name: "ramp, autoscaled lognormal", yaml: `
name: ramp
seed: 16
duration: 24h
load: {pattern: ramp, from_rps: 1, to_rps: 40}
request: {duration: 300ms, distribution: lognormal, sigma: 1, memory_mb: 512}
targets:
  - {name: fleet, kind: vm, instance: m5.large, min: 1, max: 12, concurrency: 2, target_utilization: 0.7, boot_delay: 45s, cooldown: 300s}
`},
}

func loadCase(t *testing.T, c agreeCase) Scenario {
	t.Helper()
	var s Scenario
	var err error
	if c.file != "" {
		s, err = ParseFile("../content/scenarios/" + c.file)
	} else {
		s, err = Parse([]byte(strings.TrimSpace(c.yaml)), c.name+".yaml")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.Services = nil
	return s
}

// TestFastAgrees runs every grid case both ways and holds the fast model
// to the tolerances above; -v prints both side by side.
func TestFastAgrees(t *testing.T) {
	long(t)
	p := testPricing(t)
	var table strings.Builder
	fmt.Fprintf(&table, "%-34s %-8s %-12s %12s %12s %7s\n", "case / target", "model", "metric", "events", "fast", "diff")
	for _, c := range agreeGrid {
		s := loadCase(t, c)
		ev, err := Run(s, Options{Pricing: p, Model: ModelEvents})
		if err != nil {
			t.Fatalf("%s: events: %v", c.name, err)
		}
		fa, err := Run(s, Options{Pricing: p, Model: ModelFast})
		if err != nil {
			t.Fatalf("%s: fast: %v", c.name, err)
		}
		for i := range ev.Targets {
			e, f := ev.Targets[i], fa.Targets[i]
			label := c.name + " / " + e.Name
			req := float64(e.Requests)
			row := func(metric string, ev, fv float64, ok bool, diff string) {
				mark := ""
				if !ok {
					mark = "  FAIL"
					t.Errorf("%s: %s: events %.6g, fast %.6g (%s)", label, metric, ev, fv, diff)
				}
				fmt.Fprintf(&table, "%-34s %-8s %-12s %12.6g %12.6g %7s%s\n", label, e.Kind, metric, ev, fv, diff, mark)
				label = ""
			}
			rel := func(a, b float64) string {
				if a == 0 {
					return fmt.Sprintf("%+.3g", b)
				}
				return fmt.Sprintf("%+.1f%%", (b/a-1)*100)
			}
			row("cost $", e.CostUSD, f.CostUSD, math.Abs(f.CostUSD-e.CostUSD) <= tolCost*e.CostUSD, rel(e.CostUSD, f.CostUSD))
			row("utilisation", e.Utilization, f.Utilization, math.Abs(f.Utilization-e.Utilization) <= tolUtil,
				fmt.Sprintf("%+.1fpt", (f.Utilization-e.Utilization)*100))
			for _, o := range []struct {
				name string
				e, f int64
			}{
				{"requests", e.Requests, f.Requests},
				{"served", e.Served, f.Served},
				{"dropped", e.Dropped, f.Dropped},
				{"throttled", e.Throttled, f.Throttled},
				{"timed out", e.TimedOut, f.TimedOut},
				{"failed", e.Failed, f.Failed},
			} {
				if o.e == 0 && o.f == 0 && o.name != "served" {
					continue
				}
				d := float64(o.f - o.e)
				row(o.name, float64(o.e), float64(o.f), math.Abs(d) <= tolOutcome*req, fmt.Sprintf("%+.1f%%r", d/req*100))
			}
			for _, q := range []struct {
				name string
				e, f float64
			}{{"p50 s", e.Latency.P50, f.Latency.P50}, {"p99 s", e.Latency.P99, f.Latency.P99}} {
				row(q.name, q.e, q.f, math.Abs(q.f-q.e) <= tolLatency*q.e, rel(q.e, q.f))
			}
			if e.Kind == "function" {
				ce, cf := float64(e.ColdStarts), float64(f.ColdStarts)
				row("cold starts", ce, cf, math.Abs(cf-ce) <= max(tolCold*ce, c.coldAbs), rel(ce, cf))
			}
			row("peak inst.", float64(e.PeakInstances), float64(f.PeakInstances), true, rel(float64(e.PeakInstances), float64(f.PeakInstances)))
		}
	}
	t.Logf("fast model against the event run (tolerances: cost 1 %%, utilisation 2 points, outcomes 3 %% of requests (%%r), latency 10 %%, cold starts 10 %% or the case's count):\n%s", table.String())
}
