package sim

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// lossProb starts its recursion near a instead of at 0: it must agree with
// the full recursion everywhere, including c far below and far above a.
func TestLossProbMatchesTheFullRecursion(t *testing.T) {
	for _, c := range []int{1, 2, 5, 10, 55, 100, 1000, 5000} {
		for _, a := range []float64{0.01, 0.5, 3, 48, 90, 100, 110, 400, 950, 1000, 1100, 4800, 5200, 20000} {
			want, got := erlangB(c, a), lossProb(c, a)
			if math.Abs(got-want) > 1e-9*max(want, 1e-300) && math.Abs(got-want) > 1e-15 {
				t.Errorf("lossProb(%d, %g) = %.15g, full recursion %.15g", c, a, got, want)
			}
		}
	}
}

// The stationary points are M/M/c's (Erlang C) without a limit, and
// M/M/c/K's (summed state by state here) with one.
func TestStationaryQueueMatchesTheClosedForms(t *testing.T) {
	for _, c := range []int{1, 4, 12, 55} {
		for _, rho := range []float64{0.2, 0.6, 0.87, 0.98} {
			a := float64(c) * rho
			p := stationary(c, 0, 1, rho)
			C := erlangC(c, a)
			if math.Abs(p.pw-C) > 1e-9 || math.Abs(p.L-(a+C*rho/(1-rho))) > 1e-6*p.L {
				t.Errorf("c=%d ρ=%g: P(wait) %g L %g, Erlang C %g L %g", c, rho, p.pw, p.L, C, a+C*rho/(1-rho))
			}
		}
	}
	for _, c := range []int{1, 3, 8} {
		for _, K := range []int{1, 5, 40, 200} {
			for _, rho := range []float64{0.3, 0.95, 1, 1.4, 6} {
				a := float64(c) * rho
				// π(n) ∝ aⁿ/n! up to c, then ρ^(n−c) times π(c).
				w := make([]float64, c+K+1)
				w[0] = 1
				for n := 1; n <= c+K; n++ {
					if n <= c {
						w[n] = w[n-1] * a / float64(n)
					} else {
						w[n] = w[n-1] * rho
					}
				}
				z, L := 0.0, 0.0
				for n, v := range w {
					z += v
					L += float64(n) * v
				}
				pb, L := w[c+K]/z, L/z
				p := stationary(c, K, 1, rho)
				if math.Abs(p.pb-pb) > 1e-9 || math.Abs(p.L-L) > 1e-7*(L+1) {
					t.Errorf("c=%d K=%d ρ=%g: P(block) %g L %g, summed %g %g", c, K, rho, p.pb, p.L, pb, L)
				}
			}
		}
	}
}

// A segment's expected arrivals must be what the event run draws on
// average: the rate it samples at each tick's midpoint, times the tick.
func TestLoadSegmentsCarryTheEventRunsRates(t *testing.T) {
	loads := map[string]Load{
		"constant": {Pattern: "constant", RPS: 7},
		"diurnal":  {Pattern: "diurnal", BaseRPS: 2, PeakRPS: 20, PeakAt: dur("14h")},
		"business": {Pattern: "business-hours", BaseRPS: 1, PeakRPS: 9, Open: dur("9h"), Close: dur("17h30m")},
		"spike":    {Pattern: "spike", RPS: 3, Spikes: []Spike{{At: dur("7h33m20s"), Duration: dur("17m"), RPS: 50}, {At: dur("7h40m"), Duration: dur("1h"), RPS: 5}}},
		"bursty":   {Pattern: "bursty", OnRPS: 12, OffRPS: 1, On: dur("4m"), Off: dur("21m")},
		"ramp":     {Pattern: "ramp", FromRPS: 1, ToRPS: 40},
		"trace":    {Pattern: "trace", Trace: []float64{3, 9, 4, 0, 12}, TraceStep: 7 * 60e9},
		"fine":     {Pattern: "trace", Trace: []float64{3, 9, 4, 0, 12}, TraceStep: 3e9},
	}
	for name, l := range loads {
		for _, step := range []float64{1, 7, 60} {
			d := 2*day + 1234.5
			g := newGrid(d, step, 300)
			segs := loadSegments(&l, d, step, &g)
			rf := newRateFunc(&l, d)
			want := 0.0
			for k := 0; float64(k)*step < d; k++ {
				t0 := float64(k) * step
				dt := min(step, d-t0)
				want += rf.at(t0+dt/2) * dt
			}
			got, prev := 0.0, 0.0
			for _, s := range segs {
				if s.t0 != prev || s.t1 <= s.t0 {
					t.Fatalf("%s step %g: segments do not tile the run at %g", name, step, s.t0)
				}
				if g.index(s.t0) != g.index(s.t1-1e-6*g.width) {
					t.Fatalf("%s step %g: segment [%g, %g) crosses a bucket", name, step, s.t0, s.t1)
				}
				got += s.rate * (s.t1 - s.t0)
				prev = s.t1
			}
			if prev != d {
				t.Fatalf("%s step %g: segments end at %g, not %g", name, step, prev, d)
			}
			if math.Abs(got-want) > 1e-9*want {
				t.Errorf("%s step %g: segments carry %.9g requests, the ticks %.9g", name, step, got, want)
			}
		}
	}
}

// The billed milliseconds are a mean of ceil(); check it against draws.
func TestBilledMillisecondsMatchDraws(t *testing.T) {
	for _, req := range []Request{
		{Duration: dur("120ms"), Distribution: "exponential"},
		{Duration: dur("300ms"), Distribution: "lognormal", Sigma: 1.5},
		{Duration: dur("250ms"), Distribution: "fixed"},
		{Duration: dur("3ms"), Distribution: "exponential"},
	} {
		svc := newSvcDist(&req)
		dem := newDemand(&req, 9, 9)
		for _, off := range []float64{0, 0.3} {
			for _, cap := range []float64{math.Inf(1), 0.4} {
				// The rounding's share, ceil(ms) − ms, is bounded, so its mean
				// converges fast even when the service time's does not.
				const n = 400_000
				sum := 0.0
				for range n {
					y := off + min(dem.service(), cap)
					sum += float64(billMS(y)) - 1000*y
				}
				want := sum/n + 1000*(off+svc.partial(cap))
				got := svc.billedMS(off, cap)
				if math.Abs(got-want) > 0.01 {
					t.Errorf("%s %v offset %g cap %g: billed %.4f ms, draws %.4f", req.Distribution, req.Duration, off, cap, got, want)
				}
			}
		}
	}
}

// The truncated waits are proper distributions.
func TestWaitDistIsConsistent(t *testing.T) {
	for _, w := range []waitDist{
		{m: 2, L: math.Inf(1)}, {d: 1, m: 0.5, L: 3}, {m: -0.7, L: 4}, {m: math.Inf(1), L: 2}, {m: 1e-3, L: 50},
	} {
		// Mean by the survival integral, on a fine grid.
		hi := w.L
		if w.m > 0 {
			hi = min(hi, 60*w.m)
		}
		const n = 200_000
		mean := 0.0
		for i := range n {
			mean += w.xSurv((float64(i)+0.5)*hi/n) * hi / n
		}
		if math.Abs(mean-w.xMean()) > 1e-4*(w.xMean()+1e-3) {
			t.Errorf("%+v: mean %g, survival integral %g", w, w.xMean(), mean)
		}
		for _, u := range []float64{0.01, 0.5, 0.99} {
			if s := w.xSurv(w.xQuantile(u)); math.Abs(s-(1-u)) > 1e-9 {
				t.Errorf("%+v: P(X > q(%g)) = %g", w, u, s)
			}
		}
	}
}

// A fixed M/M/c fleet in the fast model is Erlang C itself.
func TestFastFleetIsErlangC(t *testing.T) {
	for _, tc := range []struct {
		lambda float64
		c      int
	}{{8, 10}, {20, 25}, {2, 4}} {
		s := mmc(tc.lambda, "1s", tc.c, "24h")
		s.Model = ModelFast
		r, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		tr := r.Targets[0]
		C := erlangC(tc.c, tc.lambda)
		wq := C / (float64(tc.c) - tc.lambda)
		within(t, "P(wait)", tr.WaitProbability, C, 0.01)
		within(t, "Wq", tr.Wait.Mean, wq, 0.02)
		within(t, "utilisation", tr.Utilization, tc.lambda/float64(tc.c), 1e-4)
		// M/M/c sojourn beyond the waits: p99 of W + S against the closed
		// form, P(W + S > x) = (1 − C)e^{−x} + C·(θe^{−x} − e^{−θx})/(θ − 1).
		theta := float64(tc.c) - tc.lambda
		surv := func(x float64) float64 {
			return (1-C)*math.Exp(-x) + C*(theta*math.Exp(-x)-math.Exp(-theta*x))/(theta-1)
		}
		within(t, "p99", tr.Latency.P99, quantileOf(surv, 0.99, 1e-6, 100), 0.01)
	}
}

func TestModelSwitch(t *testing.T) {
	base := func() Scenario {
		s := mmc(8, "1s", 10, "24h")
		return s
	}
	t.Run("unknown model", func(t *testing.T) {
		s := base()
		s.Model = "quick"
		_, err := Run(s, Options{})
		if err == nil || !strings.Contains(err.Error(), `model: unknown model "quick" (want auto, events, fast)`) {
			t.Fatalf("got %v", err)
		}
		_, err = Run(base(), Options{Model: "fats"})
		if err == nil || !strings.Contains(err.Error(), "did you mean fast?") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("events by default, named in the result", func(t *testing.T) {
		r, err := Run(base(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		if r.Model != ModelEvents || r.Approximate || !strings.Contains(string(b), `"model":"events"`) || strings.Contains(string(b), "approximate") {
			t.Fatalf("model %q approximate %v: %s", r.Model, r.Approximate, b[:120])
		}
	})
	t.Run("options override the scenario", func(t *testing.T) {
		s := base()
		s.Model = ModelEvents
		r, err := Run(s, Options{Model: ModelFast})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		if r.Model != ModelFast || !r.Approximate || r.ModelNote == "" ||
			!strings.Contains(string(b), `"model":"fast","approximate":true,"model_note":`) {
			t.Fatalf("%s", b)
		}
	})
	t.Run("auto by volume", func(t *testing.T) {
		small := base()
		small.Duration = dur("30m") // 14,400 requests
		small.Model = ModelAuto
		r, err := Run(small, Options{})
		if err != nil || r.Model != ModelEvents || !strings.Contains(r.ModelNote, "auto chose events") {
			t.Fatalf("small: %v %q %q", err, r.Model, r.ModelNote)
		}
		big := base()
		big.Model = ModelAuto
		r, err = Run(big, Options{})
		if err != nil || r.Model != ModelFast || !strings.Contains(r.ModelNote, "691,200 requests") {
			t.Fatalf("big: %v %q %q", err, r.Model, r.ModelNote)
		}
	})
	t.Run("auto keeps events where the fast model is weak", func(t *testing.T) {
		s := base()
		s.Model = ModelAuto
		s.Targets = append(s.Targets, Target{Name: "fn", Kind: "function", KeepAlive: dur("5s")})
		r, err := Run(s, Options{})
		if err != nil || r.Model != ModelEvents || !strings.Contains(r.ModelNote, "keep-alive") {
			t.Fatalf("%v %q %q", err, r.Model, r.ModelNote)
		}
	})
	t.Run("fast and auto pass the event engine's request cap", func(t *testing.T) {
		s := monthScenario() // 2.6 billion requests
		for _, m := range []string{ModelFast, ModelAuto} {
			s.Model = m
			if _, err := s.Normalized(); err != nil {
				t.Fatalf("%s: %v", m, err)
			}
			r, err := Run(s, Options{})
			if err != nil || r.Model != ModelFast || r.Targets[0].Requests != 2_592_000_000 {
				t.Fatalf("%s: %v %q %d", m, err, r.Model, r.Targets[0].Requests)
			}
		}
		s.Model = ModelEvents
		if _, err := Run(s, Options{}); err == nil || !strings.Contains(err.Error(), "a run simulates at most 1e+08") {
			t.Fatalf("events: got %v", err)
		}
		s.Model = ""
		if _, err := Run(s, Options{}); err == nil || !strings.Contains(err.Error(), "set model: auto") {
			t.Fatalf("default: got %v", err)
		}
		s.Model = ModelFast
		s.Load = Load{Pattern: "constant", RPS: 1e12}
		if _, err := Run(s, Options{}); err == nil || !strings.Contains(err.Error(), "the fast model counts at most 1e+15") {
			t.Fatalf("1e12 rps: got %v", err)
		}
	})
}

// The fast model is deterministic, keeps its series consistent with its
// summary, and ends the cost series on the bill's total.
func TestFastRunIsConsistent(t *testing.T) {
	s := monthScenario()
	s.Duration = dur("72h")
	p := testPricing(t)
	a, err := Run(s, Options{Pricing: p, Series: true, Buckets: 96})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Run(s, Options{Pricing: p, Series: true, Buckets: 96})
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Fatal("two fast runs of one scenario differ")
	}
	ser := a.Series
	if len(ser.Load) != 96 {
		t.Fatalf("%d buckets", len(ser.Load))
	}
	for i, tr := range a.Targets {
		ts := ser.Targets[i]
		if n := len(ts.CostUSD); ts.CostUSD[n-1] != tr.CostUSD {
			t.Errorf("%s: cost series ends at %g, bill %g", tr.Name, ts.CostUSD[n-1], tr.CostUSD)
		}
		if tr.Served+tr.Dropped+tr.Throttled+tr.TimedOut+tr.Failed != tr.Requests {
			t.Errorf("%s: outcomes do not add up to the requests: %+v", tr.Name, tr)
		}
		busy, capy := 0.0, 0.0
		for j := range ts.Busy {
			busy += ts.Busy[j]
			capy += ts.Capacity[j]
		}
		if u := busy / capy; math.Abs(u-tr.Utilization) > 0.01 {
			t.Errorf("%s: series utilisation %.4f, summary %.4f", tr.Name, u, tr.Utilization)
		}
	}
	arrived := 0.0
	for _, v := range ser.Load {
		arrived += v * ser.Bucket.Seconds()
	}
	if math.Abs(arrived-float64(a.Targets[0].Requests)) > 1 {
		t.Errorf("load series carries %g requests, the summary %d", arrived, a.Targets[0].Requests)
	}
}
