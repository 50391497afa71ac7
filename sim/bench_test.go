package sim

import (
	"testing"
)

// benchRun runs s b.N times and reports simulated requests per second of
// wall time, counting each target's requests (a request served by two
// targets is two simulated requests).
func benchRun(b *testing.B, s Scenario, o Options) {
	b.Helper()
	b.ReportAllocs()
	var reqs int64
	cpu0 := processCPU()
	for b.Loop() {
		r, err := Run(s, o)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range r.Targets {
			reqs += t.Requests
		}
	}
	cpu := processCPU() - cpu0
	b.ReportMetric(float64(reqs)/b.Elapsed().Seconds(), "req/s")
	if cpu > 0 {
		b.ReportMetric(cpu/float64(b.N)*1e3, "cpu-ms/op")
		b.ReportMetric(float64(reqs)/cpu, "req/cpu-s")
	}
	b.ReportMetric(float64(reqs)/float64(b.N), "req/op")
}

// The per-request engine: an M/M/c fleet (A = 48, c = 55) under ~1 M
// requests a run, so per-run setup is noise.
func BenchmarkMMcFleet(b *testing.B) {
	s := mmc(2000, "24ms", 55, "500s")
	s.Step = dur("1s")
	benchRun(b, s, Options{})
}

// A function at a steady 2,000 rps with 10 ms work: mostly warm reuse.
func BenchmarkFunction(b *testing.B) {
	s := Scenario{
		Name:     "fn",
		Seed:     1,
		Duration: dur("500s"),
		Load:     Load{Pattern: "constant", RPS: 2000},
		Request:  Request{Duration: dur("10ms"), Distribution: "exponential"},
		Targets:  []Target{{Name: "fn", Kind: "function"}},
	}
	benchRun(b, s, Options{})
}

// lessonScenario is what a lesson re-runs when a knob moves: a simulated
// day at about 1 rps on average, a fleet beside a function, priced, with
// a chart's worth of buckets.
func lessonScenario() Scenario {
	return Scenario{
		Name:     "lesson",
		Seed:     1,
		Duration: dur("24h"),
		Load:     Load{Pattern: "diurnal", BaseRPS: 0.2, PeakRPS: 1.8, PeakAt: dur("13h")},
		Request:  Request{Duration: dur("200ms"), Distribution: "lognormal", MemoryMB: 512},
		Targets: []Target{
			{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 2},
			{Name: "lambda", Kind: "function"},
		},
		Services: []Service{{Name: "api-gateway-http"}},
	}
}

func BenchmarkLessonDay(b *testing.B) {
	benchRun(b, lessonScenario(), Options{Pricing: testPricing(b), Series: true, Buckets: 288})
}

// The same day without series or pricing: the engine's share of the cost.
func BenchmarkLessonDayBare(b *testing.B) {
	benchRun(b, lessonScenario(), Options{})
}

// Three days of bursts (180 rps for ten minutes, 20 rps for ten) through an
// autoscaled fleet of up to 400 one-slot VMs: about 26 M requests and tens
// of thousands of VM launches, so scaling actions weigh beside requests.
func BenchmarkBurstyAutoscaling(b *testing.B) {
	s := Scenario{
		Name:     "bursty",
		Seed:     3,
		Duration: dur("72h"),
		Load:     Load{Pattern: "bursty", OnRPS: 180, OffRPS: 20, On: dur("10m"), Off: dur("10m")},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential"},
		Targets: []Target{{Name: "auto", Kind: "vm", Instance: "m5.large", Min: 1, Max: 400,
			TargetUtil: 0.6, BootDelay: dur("60s"), Cooldown: dur("60s")}},
	}
	benchRun(b, s, Options{})
}
