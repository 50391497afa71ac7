package sim

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
)

// The two models behind Run, chosen by Scenario.Model or Options.Model.
const (
	// ModelEvents simulates every request (exact, seeded).
	ModelEvents = "events"
	// ModelFast computes each time bucket from queueing results: its cost
	// does not grow with the number of requests.
	ModelFast = "fast"
	// ModelAuto runs events when they are cheap (autoEventRequests) and
	// the fast model otherwise.
	ModelAuto = "auto"
)

// autoEventRequests is where auto switches from events to the fast model:
// the event engine simulates about 7–10 million requests a second per
// target on one core of a 2-core laptop, so 20,000 requests a target take
// 2–3 ms (BenchmarkAutoThreshold). Below it a run is already that quick and
// exact; above it the fast model answers in about a millisecond whatever
// the volume.
const autoEventRequests = 20_000

// fastMaxRequests bounds the fast model's volume: its work does not grow
// with requests, but counts past 10¹⁵ are no longer exact in float64, and
// no real workload is near it (a month at 10⁸ req/s is 2.6·10¹⁴).
const fastMaxRequests = 1e15

// checkModel validates Scenario.Model ("" is events, today's behaviour).
func (c *Scenario) checkModel() error {
	switch c.Model {
	case "", ModelAuto, ModelEvents, ModelFast:
		return nil
	}
	vals := []string{ModelAuto, ModelEvents, ModelFast}
	msg := fmt.Sprintf("unknown model %q (want %s)", c.Model, strings.Join(vals, ", "))
	if near := nearest(c.Model, vals); near != "" {
		msg = fmt.Sprintf("unknown model %q (did you mean %s? want %s)", c.Model, near, strings.Join(vals, ", "))
	}
	return &FieldError{Field: "model", Msg: msg}
}

// eventCapApplies is the one place where the request-count cap
// (checkBudget, in normalize) is bypassed: it holds for the event
// engine, which simulates every request; a scenario that asks for the fast
// model (or auto, which runs events only far below the cap) is bounded by
// fastMaxRequests in Run instead, and pooling, which replays every
// tenant's requests, keeps the event cap there too.
func (c *Scenario) eventCapApplies() bool {
	return c.Model == "" || c.Model == ModelEvents || c.Pooling != nil
}

// choice is the model a run uses and why.
type choice struct {
	model string
	note  string
}

// chooseModel resolves a normalized scenario's model. Auto runs events
// when the expected requests per target are few enough to simulate in a
// few milliseconds and the scenario is one the fast model handles well;
// otherwise the fast model.
func chooseModel(s *Scenario, dur, step float64) choice {
	switch s.Model {
	case ModelFast:
		return choice{ModelFast, fastNote}
	case ModelAuto:
	default:
		return choice{model: ModelEvents}
	}
	n := expectedRequests(s, dur, step)
	if why := fastWeakness(s); why != "" && s.Load.peakRPS()*dur <= maxWork {
		return choice{ModelEvents, "auto chose events: " + why}
	}
	if n <= autoEventRequests && s.Load.peakRPS()*dur <= maxWork {
		return choice{ModelEvents, fmt.Sprintf("auto chose events: %s requests, quick to simulate one by one", Thousands(int64(math.Round(n))))}
	}
	return choice{ModelFast, fmt.Sprintf("auto chose it for %s requests; %s", Thousands(int64(math.Round(n))), fastNote)}
}

// fastNote says what fast-model figures are.
const fastNote = "expected values from queueing results per time bucket (docs/scenarios.md, \"Fast model\"), not one sampled run"

// fastWeakness names what makes the fast model a poor guide for s, if
// anything: a keep-alive not much longer than a request (the cold-start
// account assumes idle spells are long beside a request), or a run with
// so few requests per bucket that the expected values say little about
// the one run an event simulation shows.
func fastWeakness(s *Scenario) string {
	mean := seconds(s.Request.Duration)
	for _, t := range s.Targets {
		if t.Kind == "function" && seconds(t.KeepAlive) < 20*mean {
			return fmt.Sprintf("%s's keep-alive %v is under 20 mean requests long", t.Name, t.KeepAlive)
		}
	}
	return ""
}

// expectedRequests is the mean number of requests the load offers.
func expectedRequests(s *Scenario, dur, step float64) float64 {
	n := 0.0
	for _, sg := range loadSegments(&s.Load, dur, step, nil) {
		n += sg.rate * (sg.t1 - sg.t0)
	}
	return n
}

// runFast is Run with the fast model.
func runFast(s *Scenario, o Options, seed uint64, dur, step float64, ch choice) (Result, error) {
	peak := s.Load.peakRPS()
	if n := peak * dur; n > fastMaxRequests || math.IsInf(n, 0) || math.IsNaN(n) {
		return Result{}, fieldErr("load", "up to %.3g requests (%.4g req/s at the peak for %v); the fast model counts at most %.0e, so lower the rate or shorten the duration",
			n, peak, s.Duration, fastMaxRequests)
	}
	if s.Pooling != nil {
		// Pooling replays every tenant's requests one by one.
		if n := peak * dur * float64(s.Pooling.Tenants); n > maxWork {
			return Result{}, fieldErr("pooling", "replays %d tenants' requests one by one: up to %.3g (%.4g req/s at the peak for %v); at most %.0e, so lower the rate, shorten the duration or use fewer tenants",
				s.Pooling.Tenants, n, peak, s.Duration, float64(maxWork))
		}
	}
	res := Result{Scenario: s.Name, Seed: seed, DurationS: dur, Model: ModelFast, Approximate: true, ModelNote: ch.note}
	var g *grid
	if o.Series {
		gg := newGrid(dur, step, o.Buckets)
		g = &gg
	}
	segs := loadSegments(&s.Load, dur, step, g)

	runs := make([]targetRun, len(s.Targets))
	var wg sync.WaitGroup
	for i := range s.Targets {
		wg.Go(func() { runs[i] = runFastTarget(s, i, segs, seed, dur, step, g, o.Pricing) })
	}
	wg.Wait()
	for _, r := range runs {
		if r.err != nil {
			return Result{}, r.err
		}
		res.Targets = append(res.Targets, r.result)
	}
	if g != nil {
		ser := &Series{Bucket: time.Duration(math.Round(g.width * 1e9)), MeanServiceS: seconds(s.Request.Duration), Load: make([]float64, g.n)}
		for _, sg := range segs {
			ser.Load[g.index(sg.t0)] += sg.rate * (sg.t1 - sg.t0)
		}
		for i := range g.n {
			ser.Load[i] /= g.length(i)
		}
		for _, r := range runs {
			ser.Targets = append(ser.Targets, r.series)
		}
		res.Series = ser
	}
	if s.Pooling != nil {
		p, err := runPooling(s, seed, dur, step)
		if err != nil {
			return Result{}, err
		}
		res.Pooling = p
	}
	return res, nil
}

// runFastTarget computes one target and prices it through the same code
// as an event run.
func runFastTarget(s *Scenario, i int, segs []loadSeg, seed uint64, dur, step float64, g *grid, p *Pricing) (out targetRun) {
	t := &s.Targets[i]
	var ser *fastSeries
	if g != nil {
		ser = newFastSeries(g)
	}
	var use computeUse
	var p99of func(int) float64
	switch t.Kind {
	case "vm":
		f := runFastFleet(t, &s.Request, segs, dur, step, seed, ser)
		out.result = f.result()
		use = computeUse{vm: true, instanceSeconds: f.billed}
		p99of = f.bucketP99
	case "function":
		req := s.Request
		req.Timeout = Duration(s.RequestTimeout(*t))
		fn := newFastFunction(t, &req, dur, ser)
		fn.run(segs)
		out.result = fn.result()
		use = computeUse{provisioned: fn.prov, invocations: int64(math.Round(fn.invocations)),
			billedMS: int64(math.Round(fn.billedMS)), provBilledMS: int64(math.Round(fn.provBilledMS))}
		if ser != nil {
			use.bReq, use.bMS, use.bProvMS = ser.bReq, ser.bMS, ser.bProvMS
		}
		p99of = fn.bucketP99
	default:
		out.err = fmt.Errorf("targets[%d].kind: unknown kind %q", i, t.Kind)
		return out
	}
	if p != nil {
		if err := priceTarget(p, s, t, use, &out.result); err != nil {
			out.err = fmt.Errorf("targets[%d] (%s): %w", i, t.Name, err)
			return out
		}
	}
	if g != nil {
		out.series = ser.out(t.Name, p99of)
		if p != nil {
			load := make([]float64, g.n)
			for _, sg := range segs {
				load[g.index(sg.t0)] += sg.rate * (sg.t1 - sg.t0)
			}
			out.err = costSeries(p, s, t, use, g, load, &out.series, out.result.CostUSD)
		}
	}
	return out
}

// counts is a run's request count split into whole numbers that add up.
type counts struct {
	total int64
	parts []int64
}

// roundCounts rounds expected counts to whole requests: the total to the
// nearest, each part to the nearest, and the first part (the served)
// absorbs what rounding leaves over, so the parts add up to the total as
// they do in an event run.
func roundCounts(total float64, parts []float64) counts {
	c := counts{total: int64(math.Round(total)), parts: make([]int64, len(parts))}
	sum := int64(0)
	for i, p := range parts {
		c.parts[i] = int64(math.Round(max(0, p)))
		sum += c.parts[i]
	}
	c.parts[0] = max(0, c.parts[0]+c.total-sum)
	return c
}
