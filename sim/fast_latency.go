package sim

import (
	"cmp"
	"maps"
	"math"
	"slices"
)

// waitDist is the wait of a request that waits: d + X, X on [0, L] with
// density ∝ exp(−x/m). Without a queue limit X is exponential (m > 0,
// L = ∞), the stationary M/M/c wait; with one it is cut at L, the time
// to serve a full queue, and m < 0 makes it rise towards L, as when the
// queue is mostly full. m = 0 is an atom at d (a cold start, a backoff, a
// fluid backlog).
type waitDist struct{ d, m, L float64 }

func atWait(d float64) waitDist { return waitDist{d: d, L: math.Inf(1)} }

// xSurv is P(X > y).
func (w waitDist) xSurv(y float64) float64 {
	switch {
	case y <= 0:
		return 1
	case w.m == 0 || y >= w.L:
		return 0
	case math.IsInf(w.L, 1):
		return math.Exp(-y / w.m)
	}
	a := 1 / w.m
	if math.Abs(a*w.L) < 1e-9 {
		return 1 - y/w.L
	}
	if a > 0 {
		return math.Exp(-a*y) * math.Expm1(-a*(w.L-y)) / math.Expm1(-a*w.L)
	}
	return math.Expm1(a*(w.L-y)) / math.Expm1(a*w.L)
}

// xQuantile is the u-quantile of X.
func (w waitDist) xQuantile(u float64) float64 {
	switch {
	case w.m == 0:
		return 0
	case math.IsInf(w.L, 1):
		return -w.m * math.Log1p(-u)
	}
	a := 1 / w.m
	if math.Abs(a*w.L) < 1e-9 {
		return u * w.L
	}
	if a > 0 {
		return -math.Log1p(u*math.Expm1(-a*w.L)) / a
	}
	b := -a
	return w.L + math.Log(math.Exp(-b*w.L)+u*(-math.Expm1(-b*w.L)))/b
}

// xMean is E[X].
func (w waitDist) xMean() float64 {
	switch {
	case w.m == 0:
		return 0
	case math.IsInf(w.L, 1):
		return w.m
	}
	a := 1 / w.m
	if math.Abs(a*w.L) < 1e-9 {
		return w.L / 2
	}
	if a > 0 {
		return 1/a - w.L/math.Expm1(a*w.L)
	}
	b := -a // X = L − X′, X′ decaying at rate b
	return w.L - (1/b - w.L/math.Expm1(b*w.L))
}

// waitAcc gathers, over a run, the waiting-time distribution of accepted
// requests as a mixture: mass with no wait, and classes of waitDist.
// Classes are keyed by d, m and L rounded to 1/32 of an octave (about
// 2 %); each keeps its mass-weighted mean parameters, so merging costs far
// less than that in accuracy.
type waitAcc struct {
	zero    float64
	classes map[waitKey]waitAgg
	// The class of the last addition: consecutive steps mostly share it,
	// and adding to it spares a map lookup.
	curKey waitKey
	cur    waitAgg
	curOK  bool
}

type waitKey struct{ d, m, L int32 }

type waitAgg struct{ mass, md, mm, mL float64 }

func newWaitAcc() waitAcc { return waitAcc{classes: map[waitKey]waitAgg{}} }

func octaveKey(v float64) int32 {
	switch {
	case math.IsInf(v, 1):
		return math.MaxInt32
	case v <= 1e-7:
		return math.MinInt32
	}
	return int32(math.Round(math.Log2(v) * 32))
}

// add records mass p of requests waiting w; the zero wait is atWait(0).
func (w *waitAcc) add(p float64, wd waitDist) {
	if p <= 0 {
		return
	}
	if wd.d <= 1e-7 && (wd.m == 0 || wd.L <= 1e-7) {
		w.zero += p
		return
	}
	mk := octaveKey(math.Abs(wd.m))
	if wd.m < 0 {
		mk = -mk - 1
	}
	k := waitKey{octaveKey(wd.d), mk, octaveKey(wd.L)}
	if !w.curOK || k != w.curKey {
		w.flush()
		w.curKey, w.cur, w.curOK = k, waitAgg{}, true
	}
	w.cur.mass += p
	w.cur.md += p * wd.d
	w.cur.mm += p * wd.m
	if !math.IsInf(wd.L, 1) {
		w.cur.mL += p * wd.L
	}
}

func (w *waitAcc) flush() {
	if !w.curOK || w.cur.mass == 0 {
		return
	}
	a := w.classes[w.curKey]
	a.mass += w.cur.mass
	a.md += w.cur.md
	a.mm += w.cur.mm
	a.mL += w.cur.mL
	w.classes[w.curKey] = a
	w.cur = waitAgg{}
}

// waitHist spreads the mixture over a massHist.
func (w *waitAcc) waitHist() massHist {
	w.flush()
	h := newMassHist()
	h.add(0, w.zero)
	// In a fixed order: float sums depend on it, and a run must give the
	// same figures every time.
	keys := slices.SortedFunc(maps.Keys(w.classes), func(a, b waitKey) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.m, b.m), cmp.Compare(a.L, b.L))
	})
	for _, k := range keys {
		a := w.classes[k]
		wd := waitDist{d: a.md / a.mass, m: a.mm / a.mass, L: math.Inf(1)}
		if k.L != math.MaxInt32 {
			wd.L = a.mL / a.mass
		}
		h.addWait(wd, a.mass)
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

// waitPlusSurv is P(W + S > x) for a request waiting w, S independent of
// the wait: the tail of a waiting request's latency, in closed form for an
// untruncated exponential wait with fixed or exponential service, and over
// quantile nodes of S otherwise.
func waitPlusSurv(svc svcDist, nodesV, nodesP []float64, w waitDist, x float64) float64 {
	y := x - w.d
	if y <= 0 {
		return 1
	}
	if w.m == 0 {
		return svc.surv(y)
	}
	if svc.kind == distFixed {
		return w.xSurv(y - svc.mean)
	}
	if math.IsInf(w.L, 1) && w.m > 0 && svc.kind == distExponential {
		s, m := svc.mean, w.m
		if math.Abs(m-s) < 1e-9*s {
			return (1 + y/s) * math.Exp(-y/s)
		}
		return (m*math.Exp(-y/m) - s*math.Exp(-y/s)) / (m - s)
	}
	p := 0.0
	for i, s := range nodesV {
		p += nodesP[i] * w.xSurv(y-s)
	}
	return p
}
