package sim

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Options tune one run without changing the scenario.
type Options struct {
	// Seed overrides Scenario.Seed when non-zero.
	Seed uint64
	// Pricing prices the run; nil leaves every cost at zero.
	Pricing *Pricing
	// Model overrides Scenario.Model when not empty: "events", "fast" or
	// "auto".
	Model string
	// Series asks for time series; Buckets caps how many points each
	// series keeps (0: one per step, capped at 4096).
	Series  bool
	Buckets int
}

// Random streams. Demand (arrival times and every request's service time)
// has a stream of its own, drawn once and shown to every target, so a
// target's knobs can never change the traffic. A target's own randomness
// (retry jitter) comes from a stream keyed by its name, so adding or
// reordering targets leaves the others alone.
const (
	streamDemand = 0xd3a4d
	streamTarget = 0x7a49e7 << 20
)

// engineTarget is what the run loop drives: tick boundaries, then each
// tick's arrivals in time order, then the end.
type engineTarget interface {
	// needsTicks says whether tick does anything: only timed events
	// (boots, outages, scaling) need it; a fixed fleet or a function
	// catches up lazily on its next arrival.
	needsTicks() bool
	tick(t float64)
	serve(batch []arrival)
	finish()
	result() TargetResult
}

// Run simulates the scenario: the load's arrivals are generated once, tick
// by tick, and handed to every target in the same order. Memory grows with
// the series buckets kept and the longest queue, never with the number of
// requests.
func Run(s Scenario, o Options) (Result, error) {
	if o.Model != "" {
		s.Model = o.Model
	}
	if s.Model == "" {
		s.Model = ModelEvents
	}
	s, err := s.Normalized()
	if err != nil {
		return Result{}, err
	}
	seed := o.Seed
	if seed == 0 {
		seed = s.Seed
	}
	if seed == 0 {
		seed = 1
	}
	dur := seconds(s.Duration)
	step := seconds(s.Step)
	if dur <= 0 || step <= 0 {
		return Result{}, fmt.Errorf("duration and step must be > 0")
	}
	ch := chooseModel(&s, dur, step)
	if ch.model == ModelFast {
		return runFast(&s, o, seed, dur, step, ch)
	}
	if s.Model != ModelEvents {
		// auto chose events: the event engine's limits apply.
		s.Model = ModelEvents
		if s, err = s.Normalized(); err != nil {
			return Result{}, err
		}
	}
	res := Result{Scenario: s.Name, Seed: seed, DurationS: dur, Model: ModelEvents, ModelNote: ch.note}

	var g *grid
	if o.Series {
		gg := newGrid(dur, step, o.Buckets)
		g = &gg
	}
	targets := make([]engineTarget, len(s.Targets))
	sers := make([]*tseries, len(s.Targets))
	for i := range s.Targets {
		t := &s.Targets[i]
		if g != nil {
			sers[i] = newTSeries(g)
		}
		switch t.Kind {
		case "vm":
			targets[i] = newFleet(t, &s.Request, dur, step, sers[i])
		case "function":
			req := s.Request
			req.Timeout = Duration(s.RequestTimeout(*t))
			targets[i] = newFunction(t, &req, dur, rand.New(rand.NewPCG(seed, streamTarget^nameHash(t.Name))), sers[i])
		default:
			return Result{}, fmt.Errorf("targets[%d].kind: unknown kind %q", i, t.Kind)
		}
	}

	// Targets never affect each other or the demand, so each runs on a
	// goroutine of its own over its own copy of the demand stream: the
	// same seed gives every copy the same arrivals, and the result is as
	// deterministic as a single loop. Each copy redraws the demand, so the
	// CPU spent grows with the targets, but a lesson's two targets on two
	// cores finish in about the time of one (9-10 ms against 11-12.5 ms
	// for a simulated day, BenchmarkLessonDay).
	runs := make([]targetRun, len(targets))
	var wg sync.WaitGroup
	for i, tg := range targets {
		wg.Go(func() { runs[i] = runTarget(&s, i, tg, sers[i], seed, dur, step, g, o.Pricing) })
	}
	wg.Wait()
	for _, r := range runs {
		if r.err != nil {
			return Result{}, r.err
		}
		res.Targets = append(res.Targets, r.result)
	}

	if g != nil {
		var load []float64
		if len(runs) > 0 {
			load = runs[0].load
		} else {
			load = make([]float64, g.n)
			drive(&s, seed, dur, step, nil, g, load)
		}
		ser := &Series{Bucket: time.Duration(math.Round(g.width * 1e9)), MeanServiceS: seconds(s.Request.Duration), Load: make([]float64, g.n)}
		for i := range g.n {
			ser.Load[i] = load[i] / g.length(i)
		}
		for _, r := range runs {
			ser.Targets = append(ser.Targets, r.series)
		}
		res.Series = ser
	}

	if s.Pooling != nil {
		p, err := runPooling(&s, seed, dur, step)
		if err != nil {
			return Result{}, err
		}
		res.Pooling = p
	}
	return res, nil
}

// targetRun is what one target's goroutine hands back.
type targetRun struct {
	result TargetResult
	series TargetSeries
	load   []float64 // arrivals per bucket, when series are kept
	err    error
}

// runTarget drives target i through the whole run, then prices it and
// fills its series.
func runTarget(s *Scenario, i int, tg engineTarget, ser *tseries, seed uint64, dur, step float64, g *grid, p *Pricing) (out targetRun) {
	t := &s.Targets[i]
	if g != nil {
		out.load = make([]float64, g.n)
	}
	drive(s, seed, dur, step, tg, g, out.load)
	tg.finish()
	out.result = tg.result()
	if p != nil {
		if err := priceTarget(p, s, t, useOf(tg), &out.result); err != nil {
			out.err = fmt.Errorf("targets[%d] (%s): %w", i, t.Name, err)
			return out
		}
	}
	if g != nil {
		out.series = ser.out(t.Name)
		if p != nil {
			out.err = costSeries(p, s, t, useOf(tg), g, out.load, &out.series, out.result.CostUSD)
		}
	}
	return out
}

// maxArrivalBatch is the most arrivals a target takes at once: a step with
// more is handed over in parts.
const maxArrivalBatch = 1 << 14

// drive generates the run's arrivals tick by tick and hands them to one
// target (nil: none), counting them into load when it is not nil.
func drive(s *Scenario, seed uint64, dur, step float64, tg engineTarget, g *grid, load []float64) {
	rate := newRateFunc(&s.Load, dur)
	dem := newDemand(&s.Request, seed, streamDemand)
	ticks := tg != nil && tg.needsTicks()
	buf := make([]arrival, 0, 256)
	n := int(math.Ceil(dur/step - 1e-9))
	for k := range n {
		t0 := float64(k) * step
		dt := min(step, dur-t0)
		if ticks {
			tg.tick(t0)
		}
		r := rate.at(t0 + dt/2)
		if m := r * dt; dem.e >= m {
			dem.e -= m // no arrival this tick (a third of them at 1 rps)
			continue
		}
		// A step's arrivals go over in batches of a bounded size, so a long
		// step at a high rate holds no more memory than a short one.
		dem.begin(t0, dt, r)
		for more := true; more; {
			buf, more = dem.next(buf[:0], maxArrivalBatch)
			if load != nil {
				load[g.index(t0)] += float64(len(buf))
			}
			if tg != nil {
				tg.serve(buf)
			}
		}
	}
}

func nameHash(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}
