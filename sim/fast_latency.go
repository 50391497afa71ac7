package sim

import (
	"math"
)

// waitAcc gathers, over a run, the waiting-time distribution of accepted
// requests as a mixture: mass with no wait, and classes of mass whose wait
// is d + Exp(m) (d: the fluid backlog ahead; m: the stationary queue's
// exponential wait). Classes are keyed by d and m rounded to 1/32 of an
// octave (about 2 %); each class keeps its mass-weighted mean d and m, so
// merging costs far less than that in accuracy.
type waitAcc struct {
	zero    float64
	classes map[waitKey]waitAgg
	// The class of the last addition: consecutive steps mostly share it,
	// and adding to it spares a map lookup.
	curKey waitKey
	cur    waitAgg
	curOK  bool
}

type waitKey struct{ d, m int32 }

type waitAgg struct{ mass, md, mm float64 }

func newWaitAcc() waitAcc { return waitAcc{classes: map[waitKey]waitAgg{}} }

func octaveKey(v float64) int32 {
	if v <= 1e-7 {
		return math.MinInt32
	}
	return int32(math.Round(math.Log2(v) * 32))
}

// add records mass p of requests waiting d + Exp(m); d = m = 0 is no wait.
func (w *waitAcc) add(p, d, m float64) {
	if p <= 0 {
		return
	}
	if d <= 1e-7 && m <= 1e-7 {
		w.zero += p
		return
	}
	k := waitKey{octaveKey(d), octaveKey(m)}
	if !w.curOK || k != w.curKey {
		w.flush()
		w.curKey, w.cur, w.curOK = k, waitAgg{}, true
	}
	w.cur.mass += p
	w.cur.md += p * d
	w.cur.mm += p * m
}

func (w *waitAcc) flush() {
	if !w.curOK || w.cur.mass == 0 {
		return
	}
	a := w.classes[w.curKey]
	a.mass += w.cur.mass
	a.md += w.cur.md
	a.mm += w.cur.mm
	w.classes[w.curKey] = a
	w.cur = waitAgg{}
}

// waitHist spreads the mixture over a massHist.
func (w *waitAcc) waitHist() massHist {
	w.flush()
	h := newMassHist()
	h.add(0, w.zero)
	for _, a := range w.classes {
		h.addExp(a.md/a.mass, a.mm/a.mass, a.mass)
	}
	return h
}

// latencyOut is what a run's waits and the service time add up to.
type latencyOut struct {
	accepted   float64 // mass in
	served     float64
	queueTO    float64 // left the queue at the timeout (fleets)
	serviceTO  float64 // ran past the timeout
	waited     float64 // served requests that waited at all
	lat, wait  massHist
	latencyMax float64
}

// serviceNodes is how finely the service time is resolved when it is
// added to the waits: 512 nodes evenly spaced in the normal score.
const serviceNodes = 512

// combine adds the service time to the waits, as independent variables (in
// a FIFO queue a request's own service time does not change how long it
// waited), and splits the requests into served and timed out. On a fleet
// (queueTimeout) the timeout counts from arrival, so a request waiting
// longer than it leaves the queue and one whose wait plus service passes it
// is cut off; on a function it limits the run time alone.
func combine(w *waitAcc, svc svcDist, timeout float64, queueTimeout bool) latencyOut {
	wh := w.waitHist()
	vals, probs := svc.quantileNodes(serviceNodes)
	out := latencyOut{accepted: wh.total, lat: newMassHist(), wait: newMassHist()}
	T := timeout
	if T <= 0 {
		T = math.Inf(1)
	}
	maxS := vals[len(vals)-1]
	one := func(wv, p float64) {
		if p <= 0 {
			return
		}
		if queueTimeout && wv > T {
			out.queueTO += p
			return
		}
		limit := T
		if queueTimeout {
			limit = T - wv
		}
		servedP := 0.0
		if maxS <= limit {
			for i, s := range vals {
				out.lat.add(wv+s, p*probs[i])
			}
			servedP = 1
		} else {
			for i, s := range vals {
				if s <= limit {
					out.lat.add(wv+s, p*probs[i])
					servedP += probs[i]
				}
			}
		}
		out.serviceTO += p * (1 - servedP)
		out.served += p * servedP
		out.wait.add(wv, p*servedP)
		if wv > 0 {
			out.waited += p * servedP
		}
	}
	one(0, wh.zero)
	total := wh.total
	for i := wh.lo; i < wh.hi; i++ {
		p := wh.counts[i]
		if p <= 1e-13*total {
			continue
		}
		one((massEdge(i)+massEdge(i+1))/2, p)
	}
	return out
}

// fill writes the latency figures of a run that served n requests.
func (o *latencyOut) fill(r *TargetResult, n float64) {
	if o.served <= 0 || n <= 0 {
		return
	}
	r.Latency = Latency{
		Mean: o.lat.mean(),
		P50:  o.lat.quantile(0.50),
		P95:  o.lat.quantile(0.95),
		P99:  o.lat.quantile(0.99),
		// The largest of n draws sits near the 1 − 1/(2n) quantile.
		Max: o.lat.quantile(1 - 0.5/n),
	}
	r.Wait = Wait{Mean: o.wait.mean(), P99: o.wait.quantile(0.99)}
	r.WaitProbability = o.waited / o.served
}

// quantileOf finds x with surv(x) = 1 − q by bisection in log space
// between lo and hi (surv decreasing).
func quantileOf(surv func(float64) float64, q, lo, hi float64) float64 {
	target := 1 - q
	if surv(lo) <= target {
		return lo
	}
	for hi < 1e9 && surv(hi) > target {
		hi *= 4
	}
	for range 40 {
		mid := math.Sqrt(lo * hi)
		if surv(mid) > target {
			lo = mid
		} else {
			hi = mid
		}
		if hi/lo < 1.001 {
			break
		}
	}
	return math.Sqrt(lo * hi)
}

// expPlusSurv is P(d + E + S > x) for E ~ Exp(m) independent of S: the
// tail of a waiting request's latency, in closed form for fixed and
// exponential service and over quantile nodes for a lognormal one.
func expPlusSurv(svc svcDist, nodesV, nodesP []float64, d, m, x float64) float64 {
	y := x - d
	if y <= 0 {
		return 1
	}
	if m <= 0 {
		return svc.surv(y)
	}
	switch svc.kind {
	case distFixed:
		if y <= svc.mean {
			return 1
		}
		return math.Exp(-(y - svc.mean) / m)
	case distExponential:
		s := svc.mean
		if math.Abs(m-s) < 1e-9*s {
			return (1 + y/s) * math.Exp(-y/s)
		}
		return (m*math.Exp(-y/m) - s*math.Exp(-y/s)) / (m - s)
	}
	p := 0.0
	for i, s := range nodesV {
		if y <= s {
			p += nodesP[i]
		} else {
			p += nodesP[i] * math.Exp(-(y-s)/m)
		}
	}
	return p
}
