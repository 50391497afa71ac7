package sim

import (
	"math"
	"slices"
)

// lossProb is Erlang B: the probability that an arrival finds all c
// servers busy in an M/G/c/c loss system offered a = λ·E[S] (insensitive to
// the service distribution). It runs the stable recursion
// B(k) = a·B(k−1) / (k + a·B(k−1)), but starts it 9√a below a, where
// B(k) ≈ 1 − k/a: the recursion contracts by k/a per step, so the start's
// small error (under 1 %) has shrunk by e^−40 when k reaches a. That makes a call O(√a)
// instead of O(c), which matters for the big fleets and concurrency limits
// the fast model is for.
func lossProb(c int, a float64) float64 {
	switch {
	case c <= 0:
		return 1
	case a <= 0:
		return 0
	}
	k0, b := 0, 1.0
	if s := a - 9*math.Sqrt(a) - 10; s > 1 {
		k0 = int(s)
		if k0 >= c {
			// c well below a: start far enough back that (c/a)ⁿ < 1e-12.
			n := int(math.Ceil(-27.6/math.Log(float64(c)/a))) + 1
			k0 = max(0, c-n)
		}
		b = 1 - float64(k0)/a
		if k0 == 0 {
			b = 1
		}
	}
	for k := k0 + 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
		if b < 1e-20 && float64(k) > a {
			return 0
		}
	}
	return b
}

// queuePoint is the stationary state of an M/M/c queue (or M/M/c/K with a
// queue limit) at one offered utilisation ρ = λ/(cμ), with the waiting part
// scaled by the Allen–Cunneen factor for other service distributions.
type queuePoint struct {
	u     float64 // the table's parameter: ρ, or ρ/(1+ρ) with a queue limit
	rho   float64
	L     float64 // mean requests in the system
	busy  float64 // mean busy servers (carried load)
	pb    float64 // P(an arrival is dropped): the queue is full
	pw    float64 // P(an accepted arrival waits)
	varN  float64 // variance of the number in the system
	valid bool
}

// queueTable tabulates queuePoint over ρ for one number of servers, so
// that the fast model can run the pointwise-stationary fluid flow
// approximation (PSFFA): it follows the mean number in the system x(t)
// with dx/dt = λ(1 − P_block) − (departures at the utilisation whose
// stationary mean is x), which needs the stationary mean L(ρ) inverted.
type queueTable struct {
	c      int
	limit  int     // waiting places; 0 means unlimited
	h      float64 // Allen–Cunneen factor (1 + SCV)/2 on the waiting part
	points []queuePoint
	last   int // the last answer of findL
}

// queueGrid is the parameter grid: even steps to ½, then halving the
// distance to 1 every 16 points, down to about 10⁻⁹ from it, so the
// steep end near saturation is as well resolved as the flat start.
func queueGrid() []float64 {
	var u []float64
	for i := range 32 {
		u = append(u, float64(i)/64)
	}
	for j := 0; j <= 16*29; j++ {
		u = append(u, 1-math.Exp2(-(1+float64(j)/16)))
	}
	return u
}

func newQueueTable(c, limit int, h float64) *queueTable {
	t := &queueTable{c: c, limit: limit, h: h}
	for _, u := range queueGrid() {
		rho := u
		if limit > 0 {
			rho = u / (1 - u)
		}
		p := stationary(c, limit, h, rho)
		p.u = u
		if p.valid && (len(t.points) == 0 || p.L > t.points[len(t.points)-1].L) {
			t.points = append(t.points, p)
		}
	}
	return t
}

// stationary computes the stationary queue at utilisation rho.
func stationary(c, limit int, h, rho float64) queuePoint {
	a := float64(c) * rho
	p := queuePoint{rho: rho}
	if rho <= 0 {
		p.valid = true
		return p
	}
	bc := lossProb(c, a)
	// B(c−1) and B(c−2) from B(c), for the moments below c.
	prevB := func(k int, b float64) float64 {
		if k <= 0 || b >= 1 {
			return 1
		}
		return float64(k) * b / (a * (1 - b))
	}
	bc1 := prevB(c, bc)
	bc2 := prevB(c-1, bc1)
	m1 := a * (1 - bc1) // E[N | N < c]
	m2 := m1
	if c >= 2 {
		m2 += a * a * (1 - bc1) * (1 - bc2)
	}
	if limit == 0 {
		if rho >= 1 {
			return p
		}
		C := bc / (1 - rho*(1-bc))
		ej := rho / (1 - rho)
		ej2 := rho * (1 + rho) / ((1 - rho) * (1 - rho))
		cf := float64(c)
		mean := (1-C)*m1 + C*(cf+ej)
		p.varN = max(0, (1-C)*m2+C*(cf*cf+2*cf*ej+ej2)-mean*mean)
		p.busy = a
		p.pw = C
		p.L = a + h*C*ej
		p.valid = !math.IsNaN(p.L) && !math.IsInf(p.L, 0)
		return p
	}
	// M/M/c/K: π(c+j) = B·ρʲ/Z for j = 0..K, Z = 1 − B + B·Σρʲ. Sums are
	// taken relative to the largest term so that ρ ≫ 1 cannot overflow.
	K := limit
	g, gj := geomSums(rho, K) // Σρʲ and Σ j·ρʲ over j = 0..K, scaled by s
	scale := geomScale(rho, K)
	z := (1-bc)*scale + bc*g
	p.pb = bc * math.Pow(rho, float64(K)) * scale / z
	if rho > 1 {
		p.pb = bc / z // the largest term ρᴷ is the scale
	}
	lq := bc * gj / z
	waitMass := bc * (g - math.Pow(rho, float64(K))*scale) / z
	if rho > 1 {
		waitMass = bc * (g - 1) / z
	}
	p.busy = a * (1 - p.pb)
	if p.pb < 1 {
		p.pw = min(1, waitMass/(1-p.pb))
	}
	p.L = p.busy + lq
	// The queue's count, geometric in ρ cut at K: its variance from the
	// same scaled sums (Σ j²ρʲ by the same trick), plus the busy servers'
	// spread, taken as Poisson's.
	p.varN = p.busy + max(0, bc*geomSq(rho, K)/z-lq*lq)
	p.valid = !math.IsNaN(p.L) && !math.IsInf(p.L, 0)
	return p
}

// geomScale is the factor the geometric sums are scaled by: 1 for ρ ≤ 1,
// ρ^−K above (so the largest term, ρᴷ, becomes 1).
func geomScale(rho float64, K int) float64 {
	if rho <= 1 {
		return 1
	}
	return math.Exp(-float64(K) * math.Log(rho))
}

// geomSums returns Σ_{j=0..K} ρʲ and Σ j·ρʲ, times geomScale.
func geomSums(rho float64, K int) (float64, float64) {
	k := float64(K)
	if rho > 1 {
		// ρᴷ·Σ rⁱ and ρᴷ·Σ (K−i)·rⁱ with r = 1/ρ < 1.
		g, gi := geomSums(1/rho, K)
		return g, k*g - gi
	}
	if K <= 64 || math.Abs(1-rho)*k < 1e-3 {
		if math.Abs(1-rho)*k < 1e-3 && K > 64 {
			// Near ρ = 1 the closed forms cancel; second order in (ρ − 1).
			e := rho - 1
			return (k + 1) * (1 + e*k/2), k * (k + 1) / 2 * (1 + e*(2*k+1)/3)
		}
		g, gj, pw := 0.0, 0.0, 1.0
		for j := 0; j <= K; j++ {
			g += pw
			gj += float64(j) * pw
			pw *= rho
		}
		return g, gj
	}
	rk := math.Pow(rho, k)
	g := (1 - rk*rho) / (1 - rho)
	gj := rho * (1 - (k+1)*rk + k*rk*rho) / ((1 - rho) * (1 - rho))
	return g, gj
}

// geomSq returns Σ_{j=0..K} j²·ρʲ times geomScale, by summing from the
// largest terms (the top for ρ > 1) until they no longer count.
func geomSq(rho float64, K int) float64 {
	if rho > 1 {
		// ρᴷ·Σ (K−i)²·rⁱ with r = 1/ρ.
		r, t, s := 1/rho, 1.0, 0.0
		for i := 0; i <= K; i++ {
			k := float64(K - i)
			s += k * k * t
			t *= r
			if t < 1e-17 {
				break
			}
		}
		return s
	}
	t, s := 1.0, 0.0
	for j := 0; j <= K; j++ {
		s += float64(j) * float64(j) * t
		t *= rho
		if t < 1e-17 && j > 0 {
			break
		}
	}
	return s
}

// at returns the stationary point at utilisation rho, interpolated on the
// grid; ok is false when there is none (ρ ≥ 1 with an unlimited queue).
func (t *queueTable) at(rho float64) (queuePoint, bool) {
	u := rho
	if t.limit > 0 {
		u = rho / (1 + rho)
	}
	n := len(t.points)
	if t.limit == 0 && (rho >= 1 || u > t.points[n-1].u) {
		return queuePoint{}, false
	}
	i, _ := slices.BinarySearchFunc(t.points, u, func(p queuePoint, u float64) int {
		switch {
		case p.u < u:
			return -1
		case p.u > u:
			return 1
		}
		return 0
	})
	return t.interp(i, u, func(p queuePoint) float64 { return p.u }), true
}

// inv returns the point whose stationary mean number in the system is x:
// the PSFFA's effective state.
func (t *queueTable) inv(x float64) queuePoint {
	return t.interp(t.findL(x), x, func(p queuePoint) float64 { return p.L })
}

// findL is the index of the first point with L ≥ x. Calls come in runs at
// nearby states, so it looks next to the last answer before searching.
func (t *queueTable) findL(x float64) int {
	n := len(t.points)
	if i := t.last; i > 0 && i < n && t.points[i-1].L < x && t.points[i].L >= x {
		return i
	}
	i, _ := slices.BinarySearchFunc(t.points, x, func(p queuePoint, x float64) int {
		switch {
		case p.L < x:
			return -1
		case p.L > x:
			return 1
		}
		return 0
	})
	t.last = i
	return i
}

// interp interpolates linearly between points i−1 and i in key.
func (t *queueTable) interp(i int, v float64, key func(queuePoint) float64) queuePoint {
	n := len(t.points)
	if i <= 0 {
		return t.points[0]
	}
	if i >= n {
		return t.points[n-1]
	}
	a, b := t.points[i-1], t.points[i]
	ka, kb := key(a), key(b)
	f := 0.0
	if kb > ka {
		f = (v - ka) / (kb - ka)
	}
	lerp := func(x, y float64) float64 { return x + (y-x)*f }
	return queuePoint{
		u: lerp(a.u, b.u), rho: lerp(a.rho, b.rho), L: lerp(a.L, b.L), busy: lerp(a.busy, b.busy),
		pb: lerp(a.pb, b.pb), pw: lerp(a.pw, b.pw), varN: lerp(a.varN, b.varN), valid: true,
	}
}

// slope is d(busy)/dL and d(pb)/dL around x: the linearisation of the
// PSFFA's flow, which sets how fast the queue relaxes to its equilibrium.
func (t *queueTable) slope(x float64) (dBusy, dPb float64) {
	i := max(1, min(t.findL(x), len(t.points)-1))
	a, b := t.points[i-1], t.points[i]
	dl := b.L - a.L
	if dl <= 0 {
		return 0, 0
	}
	return (b.busy - a.busy) / dl, (b.pb - a.pb) / dl
}
