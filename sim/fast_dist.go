package sim

import (
	"math"
)

// svcDist is the service-time distribution of a request, in closed form:
// what the fast model needs of it (tail, partial means, quantiles) without
// drawing a single request.
type svcDist struct {
	kind    int // distFixed, distExponential, distLognormal
	mean    float64
	mu, sig float64 // lognormal location and shape
}

func newSvcDist(req *Request) svcDist {
	d := svcDist{kind: distExponential, mean: seconds(req.Duration)}
	switch req.Distribution {
	case "fixed":
		d.kind = distFixed
	case "lognormal":
		d.kind = distLognormal
		d.sig = req.Sigma
		d.mu = math.Log(d.mean) - d.sig*d.sig/2
	}
	return d
}

// scv is the squared coefficient of variation, Var(S)/E[S]²: the service
// term of the Allen–Cunneen correction.
func (d svcDist) scv() float64 {
	switch d.kind {
	case distFixed:
		return 0
	case distLognormal:
		return math.Expm1(d.sig * d.sig)
	}
	return 1
}

// normCDF is Φ(z), accurate in both tails.
func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// surv is P(S > x).
func (d svcDist) surv(x float64) float64 {
	if x <= 0 {
		return 1
	}
	switch d.kind {
	case distFixed:
		if x < d.mean {
			return 1
		}
		return 0
	case distLognormal:
		return normCDF(-(math.Log(x) - d.mu) / d.sig)
	}
	return math.Exp(-x / d.mean)
}

// partial is E[min(S, u)], the mean time a request holds its slot when it
// is cut off at u.
func (d svcDist) partial(u float64) float64 {
	if u <= 0 {
		return 0
	}
	if math.IsInf(u, 1) {
		return d.mean
	}
	switch d.kind {
	case distFixed:
		return min(d.mean, u)
	case distLognormal:
		lu := math.Log(u)
		return d.mean*normCDF((lu-d.mu-d.sig*d.sig)/d.sig) + u*normCDF(-(lu-d.mu)/d.sig)
	}
	return d.mean * -math.Expm1(-u/d.mean)
}

// billedMS is the mean billed duration, in whole milliseconds rounded up as
// Lambda bills, of offset + min(S, cap) seconds: E[⌈1000·Y − 10⁻⁶⌉] =
// Σₖ P(1000·Y > k + 10⁻⁶). The first terms are summed one by one, the rest
// by the integral with an Euler–Maclaurin end correction, which is exact to
// far below a millisecond once the sum has moved past the distribution's
// sharp features.
func (d svcDist) billedMS(offset, cap float64) float64 {
	if d.kind == distFixed {
		return float64(billMS(offset + min(d.mean, cap)))
	}
	const eps = 1e-6
	// P(1000·(offset + min(S, cap)) > y)
	tail := func(y float64) float64 {
		x := y/1000 - offset
		switch {
		case x < 0:
			return 1
		case x >= cap:
			return 0
		}
		return d.surv(x)
	}
	start := int(math.Floor(offset * 1000))
	sum := float64(start) // the terms below the offset are all 1
	const terms = 512
	k := start
	for ; k < start+terms; k++ {
		p := tail(float64(k) + eps)
		if p == 0 {
			return sum
		}
		sum += p
	}
	// Σ_{j ≥ k} f(j) ≈ ∫_k^∞ f + f(k)/2, and ∫_k^∞ f = 1000·E[(min(S,cap) − v)⁺]
	// with v = k/1000 − offset.
	v := float64(k)/1000 - offset
	sum += 1000*(d.partial(cap)-d.partial(min(cap, v))) + tail(float64(k)+eps)/2
	return sum
}

// quantileNodes returns service times and their probabilities: the
// distribution on a grid spaced evenly in the normal score z, so that both
// tails are resolved (at 512 nodes, adjacent nodes are about 2 % apart in
// value near the 99th percentile). A fixed service time is one node.
func (d svcDist) quantileNodes(n int) (vals, probs []float64) {
	if d.kind == distFixed {
		return []float64{d.mean}, []float64{1}
	}
	const zmax = 6.0
	dz := 2 * zmax / float64(n)
	vals = make([]float64, n)
	probs = make([]float64, n)
	prev := 0.0
	for i := range n {
		z := -zmax + (float64(i)+0.5)*dz
		hi := 1.0
		if i < n-1 {
			hi = normCDF(z + dz/2)
		}
		probs[i] = hi - prev
		prev = hi
		switch d.kind {
		case distLognormal:
			vals[i] = math.Exp(d.mu + d.sig*z)
		default: // exponential: F⁻¹(Φ(z)), each tail computed where it is accurate
			if z > 0 {
				vals[i] = -d.mean * math.Log(normCDF(-z))
			} else {
				vals[i] = -d.mean * math.Log1p(-normCDF(z))
			}
		}
	}
	return vals, probs
}

// massHist holds a distribution of non-negative values (seconds) as
// probability mass in logarithmic bins: the float counterpart of histogram,
// with the same bit trick for the bin index. 32 bins per octave put any
// value within 1.1 % of its bin's edges; quantiles interpolate within a bin.
type massHist struct {
	counts []float64
	zero   float64 // mass at (or below 1 µs from) zero
	total  float64
	lo, hi int // the range of bins holding mass, [lo, hi)
}

const (
	massSub   = 5
	massShift = 52 - massSub
	massBase  = (1023 + histLowExp) << massSub // the bin index of histLow
)

func newMassHist() massHist {
	return massHist{counts: make([]float64, (histHighExp-histLowExp)<<massSub), lo: math.MaxInt}
}

func massIndex(v float64) int { return int(math.Float64bits(v)>>massShift) - massBase }

// massEdge is the lower edge of bin i.
func massEdge(i int) float64 { return math.Float64frombits(uint64(i+massBase) << massShift) }

func (h *massHist) add(v, p float64) {
	if p <= 0 {
		return
	}
	h.total += p
	i := massIndex(v)
	if v < histLow || i < 0 {
		h.zero += p
		return
	}
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i] += p
	h.lo = min(h.lo, i)
	h.hi = max(h.hi, i+1)
}

// quantile returns the value below which a share q of the mass lies,
// interpolating linearly within the bin.
func (h *massHist) quantile(q float64) float64 {
	if h.total <= 0 {
		return 0
	}
	rank := q * h.total
	if rank <= h.zero {
		return 0
	}
	seen := h.zero
	for i := h.lo; i < h.hi; i++ {
		c := h.counts[i]
		if c > 0 && seen+c >= rank {
			lo, hi := massEdge(i), massEdge(i+1)
			return lo + (hi-lo)*(rank-seen)/c
		}
		seen += c
	}
	if h.hi > h.lo {
		return massEdge(h.hi)
	}
	return 0
}

// mean is the mass-weighted mean, each bin at its midpoint.
func (h *massHist) mean() float64 {
	if h.total <= 0 {
		return 0
	}
	s := 0.0
	for i := h.lo; i < h.hi; i++ {
		if c := h.counts[i]; c > 0 {
			s += c * (massEdge(i) + massEdge(i+1)) / 2
		}
	}
	return s / h.total
}

// addWait spreads mass p of the wait w over the bins. The first 1 % of its
// spread, too short to matter beside the rest of a waiting request's
// latency, goes to its first bin.
func (h *massHist) addWait(w waitDist, p float64) {
	if p <= 0 {
		return
	}
	scale := math.Abs(w.m)
	if !math.IsInf(w.L, 1) {
		scale = min(scale, w.L)
	}
	if w.m == 0 || scale < 1e-4*w.d {
		h.add(w.d+w.xMean(), p)
		return
	}
	x0 := 1e-2 * scale
	h.add(w.d+x0, p*(1-w.xSurv(x0)))
	prev := w.xSurv(x0)
	plainExp := math.IsInf(w.L, 1) && w.m > 0
	var step, cur float64 // for a plain exponential: e^{−edge/m} by a factor per bin
	octave := -1
	for i := massIndex(w.d + x0); i < len(h.counts) && prev > 0; i++ {
		lo, hi := max(massEdge(i), w.d+x0), massEdge(i+1)
		var s float64
		if plainExp {
			// Within an octave the bins are equally wide, so the tail
			// falls by one factor per bin: one exp per octave.
			if o := i >> massSub; o != octave {
				octave = o
				cur = math.Exp(-(hi - w.d) / w.m)
				step = math.Exp(-(massEdge(i+2) - hi) / w.m)
			} else {
				cur *= step
			}
			s = cur
			if hi-w.d > 40*w.m {
				s = 0
			}
		} else {
			s = w.xSurv(hi - w.d)
		}
		if mass := prev - s; mass > 0 {
			h.add((lo+hi)/2, p*mass)
		}
		prev = s
	}
}
