package sim

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"testing"
)

func lunchRush() Scenario {
	return Scenario{
		Name:     "lunch-rush",
		Seed:     42,
		Duration: dur("6h"),
		Load:     Load{Pattern: "constant", RPS: 8},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential", MemoryMB: 512, Timeout: dur("30s")},
		Targets: []Target{
			{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 10, Concurrency: 1},
			{Name: "lambda", Kind: "function", MemoryMB: 512, Arch: "x86_64", ColdStart: dur("300ms"),
				KeepAlive: dur("10m"), ConcurrencyLimit: 1000},
		},
		Services: []Service{{Name: "api-gateway-http"}},
	}
}

func testPricing(t testing.TB) *Pricing {
	t.Helper()
	data, err := os.ReadFile("../content/pricing/aws-us-east-1.yaml")
	if err != nil {
		t.Skipf("no pricing table: %v", err)
	}
	p, err := ParsePricing(data, "aws-us-east-1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustJSON(t *testing.T, r Result) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkBooks(t *testing.T, r Result) {
	t.Helper()
	for _, tr := range r.Targets {
		if sum := tr.Served + tr.Dropped + tr.Throttled + tr.TimedOut + tr.Failed; sum != tr.Requests {
			t.Errorf("%s: served+dropped+throttled+timed out+failed = %d, requests %d", tr.Name, sum, tr.Requests)
		}
		if tr.Utilization < 0 || tr.Utilization > 1+1e-9 {
			t.Errorf("%s: utilisation %g", tr.Name, tr.Utilization)
		}
	}
}

func TestDeterminism(t *testing.T) {
	o := Options{Pricing: testPricing(t), Series: true, Buckets: 50}
	a, err := Run(lunchRush(), o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(lunchRush(), o)
	if err != nil {
		t.Fatal(err)
	}
	ja, jb := mustJSON(t, a), mustJSON(t, b)
	if !bytes.Equal(ja, jb) {
		t.Fatal("same scenario and seed gave different JSON")
	}
	o.Seed = 43
	c, err := Run(lunchRush(), o)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(ja, mustJSON(t, c)) {
		t.Fatal("another seed gave the same JSON")
	}
	if c.Seed != 43 || a.Seed != 42 {
		t.Errorf("seeds reported %d and %d", a.Seed, c.Seed)
	}
	checkBooks(t, a)
}

// Turning one target's knobs must not change the traffic, nor any other
// target's result.
func TestKnobIndependence(t *testing.T) {
	base, err := Run(lunchRush(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := lunchRush()
	s.Targets[0].Count = 20
	s.Targets[1].MemoryMB = 2048
	s.Targets[1].ColdStart = dur("2s")
	s.Targets = append([]Target{{Name: "extra", Kind: "function", Retries: 2}}, s.Targets...)
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range r.Targets {
		if tr.Requests != base.Targets[0].Requests {
			t.Errorf("%s saw %d requests, base %d", tr.Name, tr.Requests, base.Targets[0].Requests)
		}
	}
	if r.Targets[1].Latency.Mean >= base.Targets[0].Latency.Mean {
		t.Errorf("doubling the fleet did not cut latency: %g vs %g", r.Targets[1].Latency.Mean, base.Targets[0].Latency.Mean)
	}
	// The same service times: a 10-VM fleet in a changed scenario gives
	// exactly the base fleet's numbers.
	s.Targets[1].Count = 10
	r2, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r2.Targets[1], base.Targets[0]) {
		t.Errorf("fleet result changed with other targets' knobs:\n%+v\n%+v", r2.Targets[1], base.Targets[0])
	}
}

func TestZoneOutageFailsInFlight(t *testing.T) {
	s := Scenario{
		Name:     "outage",
		Seed:     9,
		Duration: dur("3h"),
		Load:     Load{Pattern: "constant", RPS: 4},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential"},
		Targets: []Target{{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 6, Concurrency: 2, Zones: 3,
			Outages: []Outage{{Zone: 1, At: dur("1h"), Duration: dur("30m")}}}},
	}
	r, err := Run(s, Options{Series: true, Buckets: 180})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	tr := r.Targets[0]
	// Zone 1 holds 2 VMs × 2 slots; about ρ = 4/12 of them are busy.
	if tr.Failed < 1 || tr.Failed > 4 {
		t.Errorf("failed %d, want 1–4 (the requests running in zone 1)", tr.Failed)
	}
	c := r.Series.Targets[0].Capacity
	if c[30] != 12 || c[75] != 8 || c[150] != 12 {
		t.Errorf("capacity before/during/after the outage: %g %g %g, want 12 8 12", c[30], c[75], c[150])
	}

	// An autoscaled fleet replaces the lost VMs in the zones still up.
	s.Targets[0].Count = 0
	s.Targets[0].Min, s.Targets[0].Max = 6, 6
	r, err = Run(s, Options{Series: true, Buckets: 180})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	c = r.Series.Targets[0].Capacity
	if c[75] != 12 {
		t.Errorf("autoscaled capacity 15 min into the outage = %g, want 12 (replaced after boot)", c[75])
	}
}

func TestAutoscalingFollowsRamp(t *testing.T) {
	s := Scenario{
		Name:     "ramp",
		Seed:     2,
		Duration: dur("4h"),
		Load:     Load{Pattern: "ramp", FromRPS: 1, ToRPS: 60},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential"},
		Targets:  []Target{{Name: "asg", Kind: "vm", Instance: "m5.large", Min: 1, Max: 500}},
	}
	r, err := Run(s, Options{Series: true, Buckets: 48})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	in := r.Series.Targets[0].Instances
	load := r.Series.Load
	for _, i := range []int{12, 24, 36, 47} {
		want := load[i] / 0.6 // target utilisation 0.6 with 1 s service
		if math.Abs(in[i]-want) > 0.25*want+3 {
			t.Errorf("bucket %d: %.1f instances for %.1f rps, want about %.0f", i, in[i], load[i], want)
		}
	}
	tr := r.Targets[0]
	if tr.Utilization < 0.45 || tr.Utilization > 0.75 {
		t.Errorf("utilisation %.2f, want near the 0.6 target", tr.Utilization)
	}
	if tr.Latency.P99 > 10 {
		t.Errorf("p99 %.1fs: the fleet did not keep up", tr.Latency.P99)
	}

	// Ramping down, the fleet shrinks after its cooldowns.
	s.Load.FromRPS, s.Load.ToRPS = 60, 1
	r, err = Run(s, Options{Series: true, Buckets: 48})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	in = r.Series.Targets[0].Instances
	if in[47] > 10 || in[2] < 60 {
		t.Errorf("ramp down: %.1f instances early, %.1f at the end", in[2], in[47])
	}
}

func TestTimeoutsAndQueueLimit(t *testing.T) {
	s := Scenario{
		Name:     "overload",
		Seed:     4,
		Duration: dur("1h"),
		Load:     Load{Pattern: "constant", RPS: 12},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential", Timeout: dur("5s")},
		Targets:  []Target{{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 10}},
	}
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	tr := r.Targets[0]
	if tr.TimedOut == 0 || tr.Latency.Max > 5+1e-9 {
		t.Errorf("timeout 5s: %d timed out, max latency %g", tr.TimedOut, tr.Latency.Max)
	}
	s.Request.Timeout = 0
	s.Targets[0].QueueLimit = 20
	r, err = Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	if r.Targets[0].Dropped == 0 || r.Targets[0].TimedOut != 0 {
		t.Errorf("queue limit: dropped %d, timed out %d", r.Targets[0].Dropped, r.Targets[0].TimedOut)
	}
}

func TestScaleRateThrottlesASpike(t *testing.T) {
	s := Scenario{
		Name:     "spike",
		Seed:     8,
		Duration: dur("20m"),
		Load:     Load{Pattern: "spike", RPS: 1, Spikes: []Spike{{At: dur("10m"), Duration: dur("2m"), RPS: 400}}},
		Request:  Request{Duration: dur("1s"), Distribution: "fixed"},
		Targets: []Target{{Name: "fn", Kind: "function", ScaleRate: 50, ScaleInterval: dur("10s")},
			{Name: "fn-provisioned", Kind: "function", ScaleRate: 50, ScaleInterval: dur("10s"), Provisioned: 500}},
	}
	r, err := Run(s, Options{Pricing: testPricing(t)})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	fn, pc := r.Targets[0], r.Targets[1]
	if fn.Throttled == 0 || fn.ColdStarts < 50 {
		t.Errorf("spike on a cold function: throttled %d, cold starts %d", fn.Throttled, fn.ColdStarts)
	}
	if pc.Throttled != 0 || pc.ColdStarts != 0 {
		t.Errorf("500 provisioned: throttled %d, cold starts %d", pc.Throttled, pc.ColdStarts)
	}
	if pc.CostUSD <= fn.CostUSD {
		t.Errorf("provisioned concurrency should cost more here: %g vs %g", pc.CostUSD, fn.CostUSD)
	}
}

func TestSeriesAndCost(t *testing.T) {
	p := testPricing(t)
	s := lunchRush()
	s.Duration = dur("24h")
	s.Load = Load{Pattern: "diurnal", BaseRPS: 1, PeakRPS: 9, PeakAt: dur("13h")}
	r, err := Run(s, Options{Pricing: p, Series: true, Buckets: 96})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	ser := r.Series
	if len(ser.Load) != 96 || ser.Bucket.Minutes() != 15 {
		t.Fatalf("%d buckets of %v", len(ser.Load), ser.Bucket)
	}
	// The load follows the curve: peak near 13:00, trough near 01:00.
	if ser.Load[52] < 7.5 || ser.Load[4] > 2 {
		t.Errorf("diurnal load at 13:00 %.1f, at 01:00 %.1f", ser.Load[52], ser.Load[4])
	}
	mean := 0.0
	for _, v := range ser.Load {
		mean += v / 96
	}
	within(t, "mean load", mean, 5, 0.02)
	for i, ts := range ser.Targets {
		tr := r.Targets[i]
		if got := ts.CostUSD[len(ts.CostUSD)-1]; got != tr.CostUSD {
			t.Errorf("%s: cumulative cost ends at %g, bill %g", ts.Name, got, tr.CostUSD)
		}
		for j := 1; j < len(ts.CostUSD); j++ {
			if ts.CostUSD[j] < ts.CostUSD[j-1] {
				t.Fatalf("%s: cumulative cost falls at bucket %d", ts.Name, j)
			}
		}
		busy := 0.0
		for j, b := range ts.Busy {
			busy += b / 96
			if b > ts.Capacity[j]+1e-9 {
				t.Errorf("%s: busy %g above capacity %g in bucket %d", ts.Name, b, ts.Capacity[j], j)
			}
		}
		within(t, ts.Name+" mean busy", busy, 5, 0.03) // λ·E[S] (the function adds cold starts)
		if ts.P99[52] <= 0 {
			t.Errorf("%s: no p99 at the peak", ts.Name)
		}
	}
	if fleet := r.Targets[0]; math.Abs(fleet.CostUSD-(10*24*0.096+float64(fleet.Requests)/1e6)) > 0.01 {
		t.Errorf("fleet cost %g, want 10 m5.large for 24 h plus API Gateway", fleet.CostUSD)
	}
}

// Every pattern's arrivals follow its rate: the count over the run is the
// integral of the rate (within Poisson noise).
func TestPatternsArrivalCounts(t *testing.T) {
	cases := []struct {
		load Load
		want float64 // mean rps over one week
	}{
		{Load{Pattern: "constant", RPS: 3}, 3},
		{Load{Pattern: "diurnal", BaseRPS: 1, PeakRPS: 5, PeakAt: dur("14h")}, 3},
		{Load{Pattern: "business-hours", BaseRPS: 1, PeakRPS: 11}, 1 + 10*5*8.0/(7*24)},
		{Load{Pattern: "bursty", OnRPS: 10, OffRPS: 0, On: dur("1m"), Off: dur("4m")}, 2},
		{Load{Pattern: "ramp", FromRPS: 0, ToRPS: 4}, 2},
		{Load{Pattern: "spike", RPS: 1, Spikes: []Spike{{At: dur("24h"), Duration: dur("1h"), RPS: 168}}}, 2},
		{Load{Pattern: "trace", Trace: []float64{1, 2, 3, 4}, TraceStep: 6 * 3600e9}, 2.5},
	}
	long(t)
	for _, c := range cases {
		t.Run(c.load.Pattern, func(t *testing.T) {
			s := Scenario{Name: "p", Duration: dur("168h"), Load: c.load,
				Request: Request{Duration: dur("10ms")},
				Targets: []Target{{Name: "fn", Kind: "function"}}}
			r, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			within(t, "mean rate", float64(r.Targets[0].Requests)/(168*3600), c.want, 0.01)
		})
	}
}

// Memory follows the buckets kept and the longest queue, not the number of
// requests: ten times the requests, the same allocations.
func TestNoPerRequestAllocations(t *testing.T) {
	allocs := func(d string) float64 {
		s := lunchRush()
		s.Duration = dur(d)
		return testing.AllocsPerRun(3, func() {
			if _, err := Run(s, Options{Series: true, Buckets: 100}); err != nil {
				t.Fatal(err)
			}
		})
	}
	short, long := allocs("2h"), allocs("20h")
	t.Logf("allocations per run: %.0f for 2 h (~58,000 requests), %.0f for 20 h", short, long)
	if long > short+8 {
		t.Errorf("allocations grew with requests: %.0f → %.0f", short, long)
	}
}

// Work that runs past the end of the run is clipped out of the series:
// a fleet can never be busier than its capacity, even in the last bucket.
func TestSeriesClipsAtTheEnd(t *testing.T) {
	// Overloaded, so every slot is busy to the end and any overrun shows.
	s := mmc(60, "1s", 50, "10m")
	r, err := Run(s, Options{Series: true, Buckets: 7}) // 10 m in 7 buckets: the last is short
	if err != nil {
		t.Fatal(err)
	}
	ts := r.Series.Targets[0]
	for i := range ts.Busy {
		if ts.Busy[i] > ts.Capacity[i]+1e-9 {
			t.Errorf("bucket %d: busy %g above capacity %g", i, ts.Busy[i], ts.Capacity[i])
		}
	}
	within(t, "last bucket's busy", ts.Busy[6], 50, 1e-9)
}

// Runs share nothing mutable: the tour runs them off the UI loop, several
// sessions at once, with one price table.
func TestConcurrentRuns(t *testing.T) {
	p := testPricing(t)
	want := mustJSON(t, func() Result {
		r, err := Run(lunchRush(), Options{Pricing: p, Series: true, Buckets: 20})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}())
	done := make(chan []byte)
	for range 4 {
		go func() {
			r, err := Run(lunchRush(), Options{Pricing: p, Series: true, Buckets: 20})
			if err != nil {
				done <- nil
				return
			}
			b, _ := json.Marshal(r)
			done <- b
		}()
	}
	for range 4 {
		if got := <-done; !bytes.Equal(got, want) {
			t.Error("a concurrent run differed from a lone one")
		}
	}
}

// Cost per million counts requests served: a fleet that times out much of
// its work must not look cheaper per request for it.
func TestCostPerMillionServed(t *testing.T) {
	s := Scenario{
		Name:     "overload",
		Seed:     4,
		Duration: dur("1h"),
		Load:     Load{Pattern: "constant", RPS: 3},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential", MemoryMB: 1024, Timeout: dur("30s")},
		Targets: []Target{{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 1, Concurrency: 2},
			{Name: "fn", Kind: "function"}},
	}
	r, err := Run(s, Options{Pricing: testPricing(t)})
	if err != nil {
		t.Fatal(err)
	}
	checkBooks(t, r)
	fleet, fn := r.Targets[0], r.Targets[1]
	if fleet.TimedOut < fleet.Requests/5 {
		t.Fatalf("one VM at 3 req/s of 1 s work should time out over a fifth: %d of %d", fleet.TimedOut, fleet.Requests)
	}
	within(t, "fleet cost per million", fleet.CostPerMillionUSD, fleet.CostUSD/float64(fleet.Served)*1e6, 1e-12)
	if offered := fleet.CostUSD / float64(fleet.Requests) * 1e6; fleet.CostPerMillionUSD < offered*1.2 {
		t.Errorf("per million served %.2f should be well above per million offered %.2f", fleet.CostPerMillionUSD, offered)
	}
	within(t, "function cost per million", fn.CostPerMillionUSD, fn.CostUSD/float64(fn.Served)*1e6, 1e-12)

	s.Load.RPS = 0 // nothing served: no division by zero
	r, err = Run(s, Options{Pricing: testPricing(t)})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Targets[0].CostPerMillionUSD; c != 0 || r.Targets[0].CostUSD == 0 {
		t.Errorf("no requests: cost per million %g (want 0), cost %g", c, r.Targets[0].CostUSD)
	}
}
