package sim

import "math"

// fastSeries accumulates one target's series in the fast model: the same
// per-bucket integrals as tseries, plus what each bucket's p99 is computed
// from (its arrivals' waits) and the function's per-bucket usage for the
// cost series.
type fastSeries struct {
	g                                                *grid
	capacity, busy, instances, queue, rejected, cold []float64
	acc, wMass, wD, wM, wLMass, wL                   []float64 // fleet: accepted, waiting, Σ mass·d, Σ mass·m, and the finite L
	inv, coldM, retryM, retryW                       []float64 // function: invocations, cold, retried, Σ mass·wait
	bReq, bMS, bProvMS                               []float64
}

func newFastSeries(g *grid) *fastSeries {
	n := g.n
	mk := func() []float64 { return make([]float64, n) }
	return &fastSeries{
		g: g, capacity: mk(), busy: mk(), instances: mk(), queue: mk(), rejected: mk(), cold: mk(),
		acc: mk(), wMass: mk(), wD: mk(), wM: mk(), wLMass: mk(), wL: mk(),
		inv: mk(), coldM: mk(), retryM: mk(), retryW: mk(),
		bReq: mk(), bMS: mk(), bProvMS: mk(),
	}
}

// addAll adds k times o's arrays to s's (o may be s).
func (s *fastSeries) addAll(o *fastSeries, k float64) {
	pairs := [][2][]float64{
		{s.capacity, o.capacity}, {s.busy, o.busy}, {s.instances, o.instances}, {s.queue, o.queue},
		{s.rejected, o.rejected}, {s.cold, o.cold}, {s.acc, o.acc}, {s.wMass, o.wMass}, {s.wD, o.wD},
		{s.wM, o.wM}, {s.wLMass, o.wLMass}, {s.wL, o.wL},
	}
	for _, p := range pairs {
		for i, v := range p[1] {
			p[0][i] += k * v
		}
	}
}

// arrive books a fleet's accepted arrivals from a on (inside one bucket:
// segments are cut at bucket boundaries), of which mass waiting waits w.
func (s *fastSeries) arrive(a, acc, waiting float64, w waitDist) {
	i := s.g.index(a)
	s.acc[i] += acc
	s.wMass[i] += waiting
	s.wD[i] += waiting * w.d
	s.wM[i] += waiting * w.m
	if !math.IsInf(w.L, 1) {
		s.wLMass[i] += waiting
		s.wL[i] += waiting * w.L
	}
}

// waitOf is bucket i's mean wait shape, for its p99.
func (s *fastSeries) waitOf(i int) waitDist {
	w := waitDist{d: s.wD[i] / s.wMass[i], m: s.wM[i] / s.wMass[i], L: math.Inf(1)}
	if s.wLMass[i] > s.wMass[i]/2 {
		w.L = s.wL[i] / s.wLMass[i]
	}
	return w
}

// arriveFn books a function's invocations starting in the bucket of a.
func (s *fastSeries) arriveFn(a, inv, cold, retried, retryWait float64) {
	i := s.g.index(a)
	s.inv[i] += inv
	s.coldM[i] += cold
	s.retryM[i] += retried
	s.retryW[i] += retried * retryWait
}

// out turns the integrals into per-bucket means and rates, with p99 per
// bucket from p99of(i).
func (s *fastSeries) out(name string, p99of func(i int) float64) TargetSeries {
	g := s.g
	ts := TargetSeries{
		Name:      name,
		Capacity:  make([]float64, g.n),
		Busy:      make([]float64, g.n),
		Instances: make([]float64, g.n),
		Queue:     make([]float64, g.n),
		Rejected:  make([]float64, g.n),
		ColdStart: make([]float64, g.n),
		P99:       make([]float64, g.n),
		CostUSD:   make([]float64, g.n),
	}
	for i := range g.n {
		l := g.length(i)
		if l <= 0 {
			continue
		}
		ts.Capacity[i] = s.capacity[i] / l
		ts.Busy[i] = s.busy[i] / l
		ts.Instances[i] = s.instances[i] / l
		ts.Queue[i] = s.queue[i] / l
		ts.Rejected[i] = s.rejected[i] / l
		ts.ColdStart[i] = s.cold[i] / l
		ts.P99[i] = p99of(i)
	}
	return ts
}

// p99Memo caches per-bucket p99s by the bucket's wait shape rounded to
// about 1 %: a steady load's buckets all share one, a day's a few hundred.
type p99Memo map[[4]int32]float64

func memoKey(p float64, w waitDist) [4]int32 {
	return [4]int32{int32(math.Round(p * 200)), octaveKey(w.d), int32(math.Round(w.m * 64)), octaveKey(w.L)}
}
