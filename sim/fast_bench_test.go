package sim

import "testing"

// monthScenario is a month of a busy API: 1,000 requests a second on
// average (a day swinging between 500 and 1,500), 2.6 billion requests,
// on a fleet sized for the peak and on a function.
func monthScenario() Scenario {
	return Scenario{
		Name:     "month",
		Seed:     1,
		Duration: dur("720h"),
		Load:     Load{Pattern: "diurnal", BaseRPS: 500, PeakRPS: 1500, PeakAt: dur("14h")},
		Request:  Request{Duration: dur("100ms"), Distribution: "lognormal", Sigma: 1, MemoryMB: 512, Timeout: dur("10s")},
		Targets: []Target{
			{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 50, Concurrency: 4},
			{Name: "lambda", Kind: "function"},
		},
		Services: []Service{{Name: "api-gateway-http"}},
		Model:    ModelFast,
	}
}

// The fast model on a month at 1,000 req/s, priced, with a chart's worth
// of series (the default 4,096 buckets): the target is 50 ms.
func BenchmarkFastMonth(b *testing.B) {
	benchRun(b, monthScenario(), Options{Pricing: testPricing(b), Series: true})
}

// The same month with the fleet autoscaled: the controller runs tick by
// tick (2.6 million one-second ticks), the dearest case for the fast model.
func BenchmarkFastMonthAutoscaled(b *testing.B) {
	s := monthScenario()
	s.Targets[0] = Target{Name: "fleet", Kind: "vm", Instance: "m5.large", Min: 10, Max: 80, Concurrency: 4}
	benchRun(b, s, Options{Pricing: testPricing(b), Series: true})
}

// BenchmarkAutoThreshold times the event engine on a fleet and a function
// (priced, a 72-point chart, as `sim` runs them) at growing volumes: where
// it passes a few milliseconds is where auto hands over to the fast
// model (autoEventRequests).
func BenchmarkAutoThreshold(b *testing.B) {
	for _, n := range []int{5_000, 10_000, 20_000, 50_000, 100_000} {
		s := Scenario{
			Name:     "threshold",
			Seed:     1,
			Duration: dur("1h"),
			Load:     Load{Pattern: "constant", RPS: float64(n) / 3600},
			Request:  Request{Duration: dur("200ms"), Distribution: "exponential", MemoryMB: 512},
			Targets: []Target{
				{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 2, Concurrency: 4},
				{Name: "lambda", Kind: "function"},
			},
			Model: ModelEvents,
		}
		b.Run(Thousands(int64(n)), func(b *testing.B) {
			benchRun(b, s, Options{Pricing: testPricing(b), Series: true, Buckets: 72})
		})
	}
}

// content/scenarios/month-api.yaml as `sim` runs it: a month of a 100 req/s
// trace, a fixed and an autoscaled fleet and a function, priced, with a
// 72-point chart.
func BenchmarkFastMonthTrace(b *testing.B) {
	s, err := ParseFile("../content/scenarios/month-api.yaml")
	if err != nil {
		b.Fatal(err)
	}
	benchRun(b, s, Options{Pricing: testPricing(b), Series: true, Buckets: 72})
}
