package sim

import (
	"math"
	"testing"
	"time"
)

// erlangC is the probability that an arrival waits in an M/M/c queue with
// offered load a = λ/μ, computed with the stable Erlang B recursion.
func erlangC(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	rho := a / float64(c)
	return b / (1 - rho + rho*b)
}

// erlangB is the blocking probability of an M/G/c/c loss system.
func erlangB(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

func dur(s string) Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return Duration(d)
}

// long skips a statistical test under the race detector: the engine runs
// on one goroutine, so -race finds nothing there that the plain run (which
// CI also does) does not check, at ten times the cost.
func long(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("long statistical run; checked without -race")
	}
}

func within(t *testing.T, what string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.5g, want %.5g ± %.0f %%", what, got, want, rel*100)
	} else {
		t.Logf("%s = %.5g (theory %.5g, %+.2f %%)", what, got, want, (got/want-1)*100)
	}
}

func TestErlangCReference(t *testing.T) {
	// facts.md's reference values.
	within(t, "C(55, 48)", erlangC(55, 48), 0.2387, 0.001)
	within(t, "C(12, 10)", erlangC(12, 10), 0.4494, 0.001)
	within(t, "C(11, 10)", erlangC(11, 10), 0.6821, 0.001)
	within(t, "C(1, 2/3)", erlangC(1, 2.0/3), 2.0/3, 1e-9)
	// 240 s service, A = 48, c = 55: Wq = C / (cμ − λ) = 8.18 s.
	mu := 1.0 / 240
	within(t, "Wq(55, 48)", erlangC(55, 48)/(55*mu-48*mu), 8.18, 0.001)
}

func mmc(rate float64, service string, c int, hours string) Scenario {
	return Scenario{
		Name:     "mmc",
		Seed:     7,
		Duration: dur(hours),
		Load:     Load{Pattern: "constant", RPS: rate},
		Request:  Request{Duration: dur(service), Distribution: "exponential"},
		Targets:  []Target{{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: c}},
	}
}

// A fixed fleet under Poisson arrivals with exponential service is M/M/c:
// P(wait), mean wait and utilisation must match Erlang C within 3 %.
func TestMMcAgainstErlangC(t *testing.T) {
	cases := []struct {
		name    string
		lambda  float64
		service string
		c       int
		hours   string
	}{
		// facts.md's A = 48, c = 55 with 240 s service, with time scaled by
		// 1/100 (2.4 s service, 20 rps): the same queue, a hundred times
		// more requests per simulated hour. Wq scales to 0.0818 s. Waits at
		// ρ = 0.87 are strongly correlated, so it needs ~20 M requests.
		{"A=48 c=55", 20, "2.4s", 55, "300h"},
		{"A=10 c=12", 10, "1s", 12, "60h"},
		{"A=10 c=11", 10, "1s", 11, "120h"},
		{"M/M/1 λ=2 μ=3", 2, "333.333333ms", 1, "300h"},
		{"A=3.5 c=4", 35, "100ms", 4, "20h"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.c == 55 || tc.c == 11 {
				long(t)
			}
			r, err := Run(mmc(tc.lambda, tc.service, tc.c, tc.hours), Options{})
			if err != nil {
				t.Fatal(err)
			}
			tr := r.Targets[0]
			mu := 1 / seconds(dur(tc.service))
			a := tc.lambda / mu
			pc := erlangC(tc.c, a)
			wq := pc / (float64(tc.c)*mu - tc.lambda)
			t.Logf("%d requests", tr.Served)
			within(t, "P(wait)", tr.WaitProbability, pc, 0.03)
			within(t, "Wq", tr.Wait.Mean, wq, 0.03)
			within(t, "utilisation", tr.Utilization, a/float64(tc.c), 0.03)
			within(t, "W", tr.Latency.Mean, wq+1/mu, 0.03)
		})
	}
}

// In M/M/1 the time in system is exponential with rate μ − λ, so its
// percentiles are known: p = −ln(1 − q)/(μ − λ).
func TestMM1LatencyPercentiles(t *testing.T) {
	r, err := Run(mmc(2, "333.333333ms", 1, "300h"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := r.Targets[0].Latency
	for _, c := range []struct {
		q   float64
		got float64
	}{{0.50, l.P50}, {0.95, l.P95}, {0.99, l.P99}} {
		within(t, "p"+string(rune('0'+int(c.q*100)/10))+string(rune('0'+int(c.q*100)%10)), c.got, -math.Log(1-c.q)/1.0, 0.03)
	}
	within(t, "W", l.Mean, 1.0, 0.03)
}

// At low steady load a function's environment is warm only if the next
// request comes within keep_alive, so P(cold) = e^(−λ·keep_alive).
func TestColdStartsMatchPoisson(t *testing.T) {
	for _, ka := range []string{"50s", "100s", "200s"} {
		t.Run(ka, func(t *testing.T) {
			s := Scenario{
				Name:     "cold",
				Seed:     3,
				Duration: dur("2800h"),
				Step:     dur("10s"),
				Load:     Load{Pattern: "constant", RPS: 0.01},
				Request:  Request{Duration: dur("1ms"), Distribution: "fixed"},
				Targets: []Target{{Name: "fn", Kind: "function", ColdStart: dur("1ms"),
					KeepAlive: dur(ka)}},
			}
			r, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tr := r.Targets[0]
			got := float64(tr.ColdStarts) / float64(tr.Requests)
			// The environment is busy ~2 ms before its keep-alive starts.
			want := math.Exp(-0.01 * (seconds(dur(ka)) + 0.002))
			t.Logf("%d requests", tr.Requests)
			within(t, "P(cold)", got, want, 0.03)
		})
	}
}

// A function at its concurrency limit without retries is a loss system:
// the throttled share is Erlang B, whatever the service distribution.
func TestThrottlingIsErlangB(t *testing.T) {
	s := Scenario{
		Name:     "throttle",
		Seed:     5,
		Duration: dur("50h"),
		Load:     Load{Pattern: "constant", RPS: 10},
		Request:  Request{Duration: dur("1s"), Distribution: "exponential"},
		Targets: []Target{{Name: "fn", Kind: "function", ConcurrencyLimit: 5, ColdStart: dur("1ms"),
			KeepAlive: dur("1h")}},
	}
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tr := r.Targets[0]
	within(t, "throttled share", float64(tr.Throttled)/float64(tr.Requests), erlangB(5, 10), 0.03)
	if tr.PeakInstances > 5 {
		t.Errorf("peak instances %d above the concurrency limit 5", tr.PeakInstances)
	}

	// With retries, fewer requests end throttled and the retries show.
	s.Targets[0].Retries = 3
	r2, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t2 := r2.Targets[0]
	if t2.Throttled >= tr.Throttled || t2.Retries == 0 || t2.Served <= tr.Served {
		t.Errorf("retries: throttled %d (was %d), retries %d, served %d (was %d)",
			t2.Throttled, tr.Throttled, t2.Retries, t2.Served, tr.Served)
	}
	if t2.Requests != t2.Served+t2.Throttled+t2.TimedOut {
		t.Errorf("retries: requests %d ≠ served+throttled+timed out", t2.Requests)
	}
}

// Pooling: independent tenants on one fleet need about K·A + β·√(K·A)
// slots; dedicated fleets need K times one tenant's need.
func TestPoolingGrowsLikeSqrtK(t *testing.T) {
	need := map[int]*PoolingResult{}
	for _, k := range []int{4, 16, 64} {
		s := Scenario{
			Name:     "pool",
			Seed:     11,
			Duration: dur("2h"),
			Load:     Load{Pattern: "constant", RPS: 1},
			Request:  Request{Duration: dur("1s"), Distribution: "exponential"},
			Targets:  []Target{{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 1}},
			Pooling:  &Pooling{Tenants: k},
		}
		r, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		p := r.Pooling
		need[k] = p
		t.Logf("K=%d: shared %d slots (util %.2f), dedicated %d (util %.2f), saving %.0f %%",
			k, p.SharedSlots, p.SharedUtilization, p.DedicatedSlots, p.DedicatedUtilization, p.Saving*100)
		if len(p.TenantSlots) != k {
			t.Fatalf("K=%d: %d tenant fleets", k, len(p.TenantSlots))
		}
		for _, c := range p.TenantSlots {
			// One tenant with A = 1 needs 4 or 5 slots for P(wait) ≤ 1 %
			// (Erlang C: C(4,1) = 1.5 %, C(5,1) = 0.4 %), give or take noise.
			if c < 3 || c > 6 {
				t.Errorf("K=%d: a dedicated fleet of %d slots for one A=1 tenant", k, c)
			}
		}
	}
	// Dedicated capacity is linear in K.
	perTenant := func(k int) float64 { return float64(need[k].DedicatedSlots) / float64(k) }
	within(t, "dedicated slots per tenant at K=64 vs K=4", perTenant(64), perTenant(4), 0.2)
	// The shared fleet's headroom above the mean grows like √K: from 16 to
	// 64 tenants (×4) it about doubles, far from the ×4 of linear growth.
	h16 := float64(need[16].SharedSlots) - 16
	h64 := float64(need[64].SharedSlots) - 64
	if ratio := h64 / h16; ratio < 1.4 || ratio > 2.8 {
		t.Errorf("shared headroom grew ×%.2f from K=16 to K=64, want about ×2 (√4)", ratio)
	}
	if need[64].SharedSlots >= need[64].DedicatedSlots/2 {
		t.Errorf("K=64: shared %d not well below dedicated %d", need[64].SharedSlots, need[64].DedicatedSlots)
	}
}

func TestHistogramRelativeError(t *testing.T) {
	h := newHistogram(7)
	for v := 1e-5; v < 1e6; v *= 1.0007 {
		h.reset()
		h.add(v)
		h.add(2 * v)
		if got := h.p(0.5); math.Abs(got-v) > 0.01*v {
			t.Fatalf("value %g reads back as %g", v, got)
		}
	}
	h.reset()
	h.add(0)
	h.add(0)
	h.add(3)
	if h.p(0.5) != 0 || h.p(0.99) != 3 || h.mean() != 1 {
		t.Errorf("zeros: p50 %g p99 %g mean %g", h.p(0.5), h.p(0.99), h.mean())
	}
}
