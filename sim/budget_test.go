package sim

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The hostile files of testdata/hostile (the ones issue reports measured at
// gigabytes or minutes) are refused at once with the field and the limit,
// or are within the limits; bench/hostile.sh runs each of those and shows
// its time and peak memory.
func TestHostileFilesAreRefusedOrWithinLimits(t *testing.T) {
	refused := map[string][]string{
		"overloaded-vm-old-cap.yaml":    {":5: load: up to 3e+08 requests", "at most 1e+08"},
		"three-overloaded-old-cap.yaml": {":5: load: up to 7.5e+07 requests", "through each of 3 targets", "at most 1e+08", "fewer targets"},
		"pooling-1000.yaml":             {":8: pooling.tenants: sizing fleets for 1000 tenants", "at most 1e+08"},
		"retries-over.yaml":             {":7: targets[0].retries: 10 retries let each of up to 8.64e+07 requests be tried 11 times", "at most 1e+08"},
		"scaling-churn.yaml":            {":8: targets[0].cooldown: up to 86400 scale-ins (one a cooldown of 1ns)", "at most 1e+08", "longer cooldown"},
		"spikes-too-many.yaml":          {":7: load.spikes: 1001 spikes; at most 1000"},
		"targets-500.yaml":              {":5: load: up to 2.59e+05 requests", "through each of 500 targets", "at most 1e+08"},
	}
	files, err := filepath.Glob("testdata/hostile/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("hostile files: %v %v", files, err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			_, err := ParseFile(f)
			want, bad := refused[name]
			switch {
			case bad && err == nil:
				t.Fatalf("accepted; want it refused with %q", want)
			case bad:
				for _, w := range want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("got %q, want it to contain %q", err, w)
					}
				}
			case err != nil:
				t.Fatalf("refused (%v); it is within the limits", err)
			}
		})
	}
}

// The budget bounds what runs really do: over scenarios that push each
// part (overload, throttling with retries, scaling churn, outages, spikes),
// the requests, retries and VM launches counted stay within what it
// allowed for them, and the retries come near their bound.
func TestBudgetBoundsWhatRunsDo(t *testing.T) {
	long(t)
	files := []string{"../bench/scenarios/scaling-churn.yaml", "../content/scenarios/spike.yaml", "../content/scenarios/zone-outage.yaml"}
	for _, f := range files {
		s, err := ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s.Duration = min(s.Duration, dur("12h"))
		if s.Load.Pattern == "spike" {
			s.Duration = dur("30m") // the spike, and quiet before and after it
			s.Load.Spikes[0].RPS = 300
		}
		// Every function also retries as often as allowed, behind a
		// small concurrency limit: the retries' bound is then nearly met.
		for i := range s.Targets {
			if s.Targets[i].Kind == "function" {
				s.Targets[i].Retries, s.Targets[i].ConcurrencyLimit = 10, 2
			}
		}
		n, err := s.Normalized()
		if err != nil {
			t.Fatal(err)
		}
		b := n.budget()
		dur, step := seconds(n.Duration), seconds(n.Step)
		reqs, _ := mostArrivals(&n.Load, dur, step)
		for i := range n.Targets {
			tg := &n.Targets[i]
			var tgt engineTarget
			var fl *fleet
			var fn *function
			if tg.Kind == "vm" {
				fl = newFleet(tg, &n.Request, dur, step, nil)
				tgt = fl
			} else {
				req := n.Request
				req.Timeout = Duration(n.RequestTimeout(*tg))
				fn = newFunction(tg, &req, dur, rand.New(rand.NewPCG(1, 2)), nil)
				tgt = fn
			}
			drive(&n, n.Seed, dur, step, tgt, nil, nil)
			tgt.finish()
			r := tgt.result()
			// The budget counts the expected arrivals: a Poisson count
			// is over by a few standard deviations at most.
			if float64(r.Requests) > reqs+5*math.Sqrt(reqs) {
				t.Errorf("%s %s: %d requests, the budget allowed %.0f", f, tg.Name, r.Requests, reqs)
			}
			if fn != nil && tg.Retries > 0 {
				if got, bound := float64(r.Retries), reqs*float64(tg.Retries); got > bound || got < bound/20 {
					t.Errorf("%s %s: %v retries against a bound of %.0f", f, tg.Name, got, bound)
				}
			}
			if fl != nil {
				if got, bound := float64(fl.launches*fl.conc), launchedSlots(tg, dur, b.ticks); got > bound {
					t.Errorf("%s %s: %v slots launched against a bound of %.0f", f, tg.Name, got, bound)
				}
			}
		}
	}
}

// An overloaded fleet with no queue_limit holds a bounded queue: past the
// most a run holds, arrivals are dropped and counted apart, and memory
// stays flat however many more arrive.
func TestOverloadedQueueIsBounded(t *testing.T) {
	long(t)
	s := Scenario{Name: "over", Seed: 1, Duration: dur("2h"),
		Load:    Load{Pattern: "constant", RPS: 100},
		Request: Request{Duration: dur("1s")},
		Targets: []Target{{Name: "vm", Kind: "vm", Instance: "m5.large", Count: 1}}}
	alloc := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.TotalAlloc
	}
	a0 := alloc()
	res, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	allocated := alloc() - a0
	r := res.Targets[0]
	if r.DroppedQueueFull == 0 || r.DroppedQueueFull != r.Dropped {
		t.Fatalf("dropped %d, %d of them at the queue's bound; want every drop there", r.Dropped, r.DroppedQueueFull)
	}
	if got := r.Served + r.Dropped + r.Failed + r.TimedOut; got != r.Requests {
		t.Errorf("served+dropped+failed+timed out = %d, want the %d requests", got, r.Requests)
	}
	// 720,000 arrivals queued one by one would take 16 MB (and a ring of
	// twice that); the bounded queue holds 262,144 × 16 bytes.
	if r.Requests < 700_000 || allocated > 12<<20 {
		t.Errorf("%d requests allocated %d MB; want at most 12 MB", r.Requests, allocated>>20)
	}
	// The queue drained at one request a second after the end: served
	// requests waited up to the whole queue's length.
	if r.Latency.Max < maxWaiting/2 {
		t.Errorf("latency max %v s: the queue should have held about %d requests", r.Latency.Max, maxWaiting)
	}
}

// A step holding many arrivals is handed over in bounded batches: a whole
// run in one step allocates as little as the same run in many.
func TestOneLongStepHoldsBoundedMemory(t *testing.T) {
	long(t)
	base := Scenario{Name: "step", Seed: 1, Duration: dur("2h"),
		Load:    Load{Pattern: "constant", RPS: 200},
		Request: Request{Duration: dur("10ms")},
		Targets: []Target{{Name: "fn", Kind: "function"}}}
	allocs := func(step string) (uint64, int64) {
		s := base
		s.Step = dur(step)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		return m1.TotalAlloc - m0.TotalAlloc, res.Targets[0].Requests
	}
	one, n := allocs("2h")
	many, _ := allocs("1s")
	if n < 1_400_000 || one > many+2<<20 {
		t.Errorf("one step of %d arrivals allocated %d KB, many steps %d KB", n, one>>10, many>>10)
	}
}

// Pooling's search stops, naming the field, when it has done the work the
// budget leaves it, rather than running on.
func TestPoolingSearchIsMetered(t *testing.T) {
	s, err := ParseFile("../content/scenarios/pooling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	dur, step := seconds(n.Duration), seconds(n.Step)
	if _, err := poolWithin(&n, 1, dur, step, 1e5); err == nil ||
		!strings.Contains(err.Error(), "pooling.tenants: sizing fleets for 8 tenants") || !strings.Contains(err.Error(), "1e+08") {
		t.Fatalf("got %v, want the search stopped at its budget", err)
	}
	if _, err := poolWithin(&n, 1, dur, step, n.budget().pooling); err != nil {
		t.Fatalf("with the budget's allowance: %v", err)
	}
}

// A latency beyond what the histogram represents is reported as such: the
// percentiles say "more than the range", the count says how many, and the
// mean and maximum stay exact.
func TestLatencyBeyondRangeIsReported(t *testing.T) {
	s, err := ParseFile("testdata/hostile/beyond-range.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := res.Targets[0].Latency
	if l.BeyondRange == 0 || l.RangeS != histHigh || !l.Beyond(l.P50) || !l.Beyond(l.P99) {
		t.Fatalf("latency %+v: want p50 and p99 beyond the %v s range", l, histHigh)
	}
	if l.Max < 1e8 || l.Mean < histHigh {
		t.Errorf("max %v and mean %v should be exact (years)", l.Max, l.Mean)
	}
	if w := res.Targets[0].Wait; !w.Beyond(w.P99) {
		t.Errorf("wait %+v: want p99 beyond range", w)
	}
	js, err := json.Marshal(res.Targets[0])
	if err != nil || !strings.Contains(string(js), `"beyond_range":`) || !strings.Contains(string(js), `"range_s":16777216`) {
		t.Errorf("JSON %s lacks beyond_range and range_s (%v)", js, err)
	}
	// Within range nothing changes, and the JSON has no new fields.
	s.Request.Duration = dur("1s")
	s.Duration = dur("24h")
	res, err = Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l := res.Targets[0].Latency; l.BeyondRange != 0 || l.Beyond(l.P99) || math.IsInf(l.P99, 0) {
		t.Errorf("latency %+v within range reported beyond it", l)
	}
	js, _ = json.Marshal(res.Targets[0])
	if strings.Contains(string(js), "beyond_range") || strings.Contains(string(js), "dropped_queue_full") {
		t.Errorf("JSON %s: fields for what did not happen", js)
	}
}

// The limits the documentation states are the ones the code applies.
func TestDocumentedLimits(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"100 million", "100,000,000 steps", "1,000,000", "262,144", "512 MB", "1,000 spikes", "1,000 outages"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/scenarios.md does not state %q", want)
		}
	}
}
