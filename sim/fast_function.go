package sim

import (
	"math"
)

// fastFunction is the fast model of a Lambda-like function.
//
// Concurrency. Invocations occupy an environment for their cold start (if
// any) and their run time, with no queue, so the number busy is an
// infinite-server occupancy: for Poisson arrivals at rate λ(t) it is
// Poisson with mean m(t) = ∫ λ(t−u)·P(occupancy > u) du (Eick, Massey and
// Whitt 1993, "The physics of the Mt/G/∞ queue"), which the model follows
// as two relaxing compartments (cold starts, then runs). The concurrency
// limit makes it a loss system; the modified-offered-load approximation
// (Jagerman 1975; Massey and Whitt 1994) gives the share throttled as
// Erlang B at the limit with offered load m(t), insensitive to the run-time
// distribution. Retries add attempts that see the same blocking.
//
// Cold starts. With the most recently used idle environment taken first,
// the environments alive at t are exactly the highest concurrency reached
// in the last keep_alive K: level n of concurrency is warm if the busy
// count reached n within K. So a cold start is a visit to a level that was
// not visited in the K before. For each level the model counts visits as a
// Poisson stream of clusters: arrivals that find n−1 busy (λ·P(N = n−1),
// by PASTA), thinned by the chance that the busy count falls back to the
// bulk before it returns to n (a birth–death first-passage probability
// with the M/M/∞ rates) — and keeps, per level, the cluster intensity over
// the last K in a ring of K/16 slots. A level is cold with probability
// exp(−Λₙ), Λₙ that intensity, so the expected cold starts at level n over
// a step of length δ are exp(−Λₙ)·(1 − exp(−ℓₙ)), ℓₙ the step's intensity;
// the expected environments alive are Σₙ (1 − exp(−Λₙ)). This covers the
// steady trickle of cold starts from fluctuations (levels at the edge of
// the range), the warm pool growing as load rises (levels newly reached),
// and a spike (many levels reached at once). Provisioned environments hold
// the lowest levels, always warm; the scale rate caps the levels a window
// can add, which throttles what the pool cannot yet hold.
type fastFunction struct {
	name      string
	t         *Target
	svc       svcDist
	cold      float64
	keep      float64
	timeout   float64
	limit     int
	prov      int
	scaleRate int
	interval  float64
	retries   int
	end       float64

	sT      float64 // mean run time of an invocation, cut at the timeout
	pTO     float64 // P(run time > timeout)
	msWarm  float64 // mean billed ms of a warm invocation
	msCold  float64 // ... and of a cold one (the init time is billed too)
	backoff []backoffAtom

	mw, mc  float64   // offered occupancy: running, starting cold
	pc      float64   // cold share of invocations in the last step
	pcPrev  float64   // ... and in the one before
	lv      []fnLevel // on-demand levels base+1, base+2, …
	base    int       // levels up to base are deep and not kept
	tot     []float64 // by level, its visits over the whole run, for the peak
	deep    int       // on-demand levels 1..deep are certainly warm
	maxDeep int
	slotW   float64
	pool    float64 // on-demand environments alive at the end of the last step
	// windowedUntil: till when levels are followed in their keep-alive
	// windows (K after the last sharp change); lamPrev, mPrev, tPrev: the
	// last step's rate, occupancy and middle, for the pointwise account.
	windowedUntil                     float64
	lamPrev, mPrev, tPrev, lamAccPrev float64
	capPrev                           int
	window                            int64
	tokens                            float64
	rsc                               []float64 // scratch: the cluster factor per level
	peakAll                           float64

	requests, throttled, retried, invocations, colds, timedOut float64
	busyIn, aliveIn, queueIn                                   float64
	billedMS, provBilledMS                                     float64
	waits                                                      waitAcc
	ser                                                        *fastSeries
	p99s                                                       p99Memo
}

// fnLevel is one level of on-demand concurrency: the intensity of its
// visits in the last K, by slot.
type fnLevel struct {
	ring [fnSlots]float64
	// occ holds, by slot, −ln P(N < n) seen then: a level is also warm if
	// the busy count sat at or above it when the window opened.
	occ  [fnSlots]float64
	sum  float64 // Σ ring
	last int64   // the slot the ring was last advanced to
}

const (
	fnSlots = 17   // K/16 per slot; 17 cover a window of K wherever it starts
	lamSat  = 40.0 // an intensity past which exp(−Λ) is zero for any purpose
)

// backoffAtom is one possible total retry wait of a request served on
// attempt k, with its share among those.
type backoffAtom struct {
	wait, share float64
}

func newFastFunction(t *Target, req *Request, end float64, ser *fastSeries) *fastFunction {
	svc := newSvcDist(req)
	fn := &fastFunction{
		name:      t.Name,
		t:         t,
		svc:       svc,
		cold:      seconds(t.ColdStart),
		keep:      seconds(t.KeepAlive),
		timeout:   seconds(req.Timeout),
		limit:     t.ConcurrencyLimit,
		prov:      t.Provisioned,
		scaleRate: t.ScaleRate,
		interval:  seconds(t.ScaleInterval),
		retries:   t.Retries,
		end:       end,
		window:    -1,
		waits:     newWaitAcc(),
		ser:       ser,
	}
	if fn.timeout <= 0 {
		fn.timeout = 15 * 60
	}
	if fn.limit <= 0 {
		fn.limit = math.MaxInt32
	}
	fn.sT = svc.partial(fn.timeout)
	fn.pTO = svc.surv(fn.timeout)
	fn.msWarm = svc.billedMS(0, fn.timeout)
	fn.msCold = svc.billedMS(fn.cold, fn.timeout)
	fn.slotW = max(fn.keep, 1e-6) / (fnSlots - 1)
	// Retry k waits U₁ + … + U_k, Uᵢ uniform on [bᵢ/2, bᵢ]: two atoms at
	// the mean ± one standard deviation keep both.
	for k := 1; k <= fn.retries; k++ {
		mean, v := 0.0, 0.0
		for i := range k {
			b := min(backoffCap, backoffBase*math.Ldexp(1, i))
			mean += 0.75 * b
			v += b * b / 48
		}
		sd := math.Sqrt(v)
		fn.backoff = append(fn.backoff, backoffAtom{mean - sd, 0.5}, backoffAtom{mean + sd, 0.5})
	}
	fn.peakAll = float64(fn.prov)
	return fn
}

// run drives the function through the load in steps: a segment at a time,
// cut into pieces no longer than half the keep-alive (so the window of
// each level is followed), at scale windows while the scale rate may
// bind, and short while the occupancy is moving (after a jump in load).
func (fn *fastFunction) run(segs []loadSeg) {
	for i := 0; i < len(segs); {
		sg := segs[i]
		i++
		// While the load is steady, neighbouring segments of nearly the
		// same rate (a smooth day cut every five minutes) make one step,
		// up to half the keep-alive and never across a series bucket.
		if fn.steady(sg.t0, sg.rate) {
			// The pointwise account keeps no window, so a steady step may
			// be as long as the rate holds within 5 %: a bucket of a
			// month's chart, or more.
			arr := sg.rate * (sg.t1 - sg.t0)
			for i < len(segs) {
				nx := segs[i]
				if math.Abs(nx.rate-sg.rate) > 0.05*sg.rate ||
					fn.ser != nil && fn.ser.g.index(nx.t0) != fn.ser.g.index(sg.t0) {
					break
				}
				arr += nx.rate * (nx.t1 - nx.t0)
				sg.t1 = nx.t1
				i++
			}
			sg.rate = arr / (sg.t1 - sg.t0)
		}
		for t := sg.t0; t < sg.t1-1e-12; {
			dt := fn.stepLen(t, sg.t1, sg.rate)
			fn.step(t, t+dt, sg.rate)
			t += dt
		}
	}
	fn.finish()
}

// steady says whether a step at t with rate lam may be long: no sharp
// change of load within the keep-alive, and the occupancy settled.
func (fn *fastFunction) steady(t, lam float64) bool {
	if t < fn.windowedUntil || fn.lamPrev <= 0 || math.Abs(math.Log(lam/fn.lamPrev)) > sharpChange {
		return false
	}
	target := lam * (fn.sT + fn.pc*fn.cold)
	return math.Abs(fn.mw+fn.mc-target) <= 0.02*target+0.5
}

// sharpChange is a jump in the arrival rate (25 %) after which the cold
// starts are counted level by level over their keep-alive windows: a
// jump reaches levels the pointwise account would only let in slowly.
const sharpChange = 0.25

func (fn *fastFunction) stepLen(t, end, lam float64) float64 {
	dt := end - t
	if fn.keep >= 2 && (t < fn.windowedUntil || fn.lamPrev <= 0) {
		// Half the keep-alive, so that each level's window is followed;
		// a keep-alive of a second or two is counted pointwise instead.
		dt = min(dt, fn.keep/2)
	}
	// Occupancy far from where this rate holds it: follow the transient
	// at a fraction of the occupancy's own time scale.
	target := lam * (fn.sT + fn.pc*fn.cold)
	if m := fn.mw + fn.mc; math.Abs(m-target) > 0.02*target+0.5 {
		dt = min(dt, max(0.25*min(fn.sT, fn.cold+fn.sT), 1e-3))
	}
	if fn.pc > 0.01 && math.Abs(fn.pc-fn.pcPrev) > 0.1*fn.pc {
		// The share of cold starts is moving (a pool still growing): it
		// sets the occupancy, so it must be measured again before long.
		dt = min(dt, max(4*(fn.cold+fn.sT), 1e-3))
	}
	if fn.scaleMayBind(lam) {
		w := math.Floor(t/fn.interval+1e-9)*fn.interval + fn.interval
		if w > t+1e-9 {
			dt = min(dt, w-t)
		}
		dt = min(dt, fn.interval/4)
	}
	return max(dt, min(end-t, 1e-6))
}

// scaleMayBind says whether the busy count could outgrow the warm pool by
// more than half a scale window's allowance.
func (fn *fastFunction) scaleMayBind(lam float64) bool {
	if fn.interval <= 0 || fn.scaleRate <= 0 {
		return false
	}
	m := max(fn.mw+fn.mc, lam*(fn.sT+fn.pc*fn.cold))
	return m+6*math.Sqrt(m)+10-float64(fn.prov)-fn.pool > float64(fn.scaleRate)/2
}

// step advances [a, b) at arrival rate lam.
func (fn *fastFunction) step(a, b, lam float64) {
	dt := b - a
	n := lam * dt
	fn.requests += n

	// Offered occupancy over the step: each compartment relaxes to its
	// level at this rate (exact for a constant rate and exponential run
	// times); the step is judged at its mean.
	sc := fn.cold + fn.sT
	relax := func(m, target, s float64) (end, mean float64) {
		if s <= 0 {
			return target, target
		}
		e := math.Exp(-dt / s)
		return target + (m-target)*e, target + (m-target)*(-math.Expm1(-dt/s))*s/dt
	}
	mwEnd, mwMean := relax(fn.mw, lam*(1-fn.pc)*fn.sT, fn.sT)
	mcEnd, mcMean := relax(fn.mc, lam*fn.pc*sc, sc)
	m := mwMean + mcMean

	// Throttling: Erlang B at the cap, the concurrency limit or, when the
	// scale rate binds, the pool plus this window's tokens.
	// A step within one window has what is left of its tokens; a longer
	// (steady) step, every window's.
	tokens := math.Inf(1)
	if fn.interval > 0 && fn.scaleRate > 0 {
		w := int64(math.Floor(a/fn.interval + 1e-9))
		if w != fn.window {
			fn.window, fn.tokens = w, float64(fn.scaleRate)
		}
		tokens = fn.tokens
		if wb := int64(math.Floor((b - 1e-9) / fn.interval)); wb > w {
			tokens += float64(wb-w) * float64(fn.scaleRate)
		}
	}
	capN := fn.limit
	if !math.IsInf(tokens, 1) {
		if c := fn.prov + int(math.Floor(min(fn.pool+tokens, float64(math.MaxInt32))+1e-9)); c < capN {
			capN = c
		}
	}
	B, g := fn.blocking(capN, m)
	att := n * g
	final := n * math.Pow(B, float64(fn.retries+1))
	inv := n - final

	if fn.lamPrev <= 0 || math.Abs(math.Log(max(lam, 1e-300)/max(fn.lamPrev, 1e-300))) > sharpChange {
		if a >= fn.windowedUntil {
			fn.seedRings(a)
		}
		fn.windowedUntil = max(fn.windowedUntil, a+fn.keep)
	}
	windowed := a < fn.windowedUntil
	if !windowed && len(fn.lv) > 0 {
		fn.lv, fn.base = fn.lv[:0], fn.deep // the rings are no longer needed
	}
	colds, alive := fn.levels(a, b, lam*g*(1-B), m, capN, windowed)
	fn.lamPrev, fn.mPrev, fn.tPrev, fn.capPrev = lam, m, (a+b)/2, capN
	if !math.IsInf(tokens, 1) {
		colds = min(colds, tokens)
		if wb := int64(math.Floor((b - 1e-9) / fn.interval)); wb > fn.window {
			fn.window, fn.tokens = wb, float64(fn.scaleRate)
		} else {
			fn.tokens -= colds
		}
	}
	colds = min(colds, inv)
	fn.pool = alive.end
	pc := 0.0
	if inv > 0 {
		pc = colds / inv
	}
	fn.pcPrev, fn.pc = fn.pc, pc
	fn.mw, fn.mc = mwEnd, mcEnd

	// Where the invocations ran: provisioned environments first.
	provInv := 0.0
	if fn.prov > 0 {
		provInv = inv * (1 - lossProb(fn.prov, m*(1-B)))
		provInv = min(provInv, inv-colds)
	}
	odInv := inv - provInv
	to := inv * fn.pTO
	busy := m * g * (1 - B) // accepted attempts hold environments
	aliveMean := float64(fn.prov) + alive.mean

	fn.throttled += final
	fn.retried += att - n
	fn.invocations += inv
	fn.colds += colds
	fn.timedOut += to
	fn.busyIn += busy * dt
	fn.aliveIn += max(aliveMean, busy) * dt
	msOD := (odInv-colds)*fn.msWarm + colds*fn.msCold
	msProv := provInv * fn.msWarm
	fn.billedMS += msOD
	fn.provBilledMS += msProv

	// Waits of the invocations: none, a cold start, and retries' backoff.
	first := n * (1 - B)
	fn.waits.add(first*(1-pc), atWait(0))
	fn.waits.add(first*pc, atWait(fn.cold))
	retryQ, retryW := 0.0, 0.0
	for k := 1; k <= fn.retries; k++ {
		share := n * math.Pow(B, float64(k)) * (1 - B)
		for _, at := range fn.backoff[2*(k-1) : 2*k] {
			fn.waits.add(share*at.share*(1-pc), atWait(at.wait))
			fn.waits.add(share*at.share*pc, atWait(at.wait+fn.cold))
			retryW += share * at.share * at.wait
		}
		retryQ += n * math.Pow(B, float64(k)) * 0.75 * min(backoffCap, backoffBase*math.Ldexp(1, k-1)) / dt
	}
	fn.queueIn += retryQ * dt
	if fn.ser != nil {
		g := fn.ser.g
		g.add(fn.ser.busy, a, b, busy)
		g.add(fn.ser.capacity, a, b, aliveMean)
		g.add(fn.ser.instances, a, b, aliveMean)
		g.add(fn.ser.queue, a, b, retryQ)
		if rej := final + to; rej > 0 {
			g.add(fn.ser.rejected, a, b, rej/dt)
		}
		if colds > 0 {
			g.add(fn.ser.cold, a, b, colds/dt)
		}
		i := g.index(a)
		fn.ser.bReq[i] += inv
		fn.ser.bMS[i] += msOD
		fn.ser.bProvMS[i] += msProv
		if again := inv - first; again > 0 {
			retryW /= again
		}
		fn.ser.arriveFn(a, inv, colds, inv-first, retryW)
	}
}

// blocking is the share of attempts throttled at capN with offered load m,
// and the attempts per request (retries see the same blocking).
func (fn *fastFunction) blocking(capN int, m float64) (B, g float64) {
	if float64(capN) > m+12*math.Sqrt(m)+30 {
		return 0, 1
	}
	attempts := func(B float64) float64 { // 1 + B + … + Bʳ
		g, p := 1.0, 1.0
		for range fn.retries {
			p *= B
			g += p
		}
		return g
	}
	if fn.retries == 0 {
		return lossProb(capN, m), 1
	}
	// B = ErlangB(cap, m·g(B)): the right side grows with B from B(0) > 0
	// to below 1, so bisection finds the one crossing.
	lo, hi := 0.0, 1.0
	for range 40 {
		B = (lo + hi) / 2
		if lossProb(capN, m*attempts(B)) > B {
			lo = B
		} else {
			hi = B
		}
		if hi-lo < 1e-7 {
			break
		}
	}
	B = (lo + hi) / 2
	return B, attempts(B)
}

type aliveOut struct{ mean, end float64 }

// levels runs the per-level account over [a, b) for the on-demand levels
// above the provisioned ones, and returns the expected cold starts and
// on-demand environments alive (mean over the step, and at its end).
// lamAcc is the rate of accepted attempts, m the offered occupancy and
// capN the most environments that can be busy.
//
// Within the keep-alive after a sharp change of load (windowed) each level
// keeps its visits in a ring over the last K. Otherwise the load moves
// slowly beside K and a level's visits over the last K are Poisson with
// mean Λ = κ·K·(1 − e^{−gK})/(gK), κ its visit rate now and g the rate at
// which κ grows (a level's rate rises as e^{gt} while the load climbs, so
// the last K saw less of it than κ·K): then a level is warm with chance
// 1 − e^{−Λ} and adds κ·δ·e^{−Λ} cold starts, with no state to keep.
//
// Levels at or below the busy count's mode, and levels surely visited,
// are "deep": warm without a doubt, so they are not walked one by one (a
// busy count of 10,000 would otherwise cost 10,000 levels a step). In the
// windowed account a level leaving the deep range starts with its window
// full.
func (fn *fastFunction) levels(a, b, lamAcc, m float64, capN int, windowed bool) (float64, aliveOut) {
	dt := b - a
	P := fn.prov
	// The highest level whose visits could count: where even K's worth
	// of arrivals would see it less than once in 10⁷.
	topN, pmfTop := fn.levelTop(m, lamAcc, capN)
	top := max(topN-P, 0)
	if windowed {
		top = max(top, fn.base+len(fn.lv))
	}
	sN := fn.slotOf(a)
	// Levels well under the bulk (6 standard deviations below the mode)
	// are surely reached now. If the load jumped past the deep range, they
	// become deep in one go: each one never warm before is a cold start,
	// and none needs keeping.
	jumpColds := 0.0
	if low := min(int(m-6*math.Sqrt(m))-1, capN) - P; low > fn.deep {
		for j := fn.deep + 1; j <= low; j++ {
			if i := j - fn.base - 1; i >= 0 && i < len(fn.lv) {
				jumpColds += expNeg(fn.lv[i].sum)
			} else if j > fn.base {
				jumpColds++
			}
		}
		fn.deep = low
		fn.maxDeep = max(fn.maxDeep, low)
		fn.dropBelow(low)
	}
	w := fn.newWalk(m, lamAcc, capN, topN, pmfTop)
	// For the pointwise account: how fast each level's rate grows.
	lnLam, lnM := 0.0, 0.0
	if fn.lamAccPrev > 0 && fn.mPrev > 0 && lamAcc > 0 && m > 0 {
		gap := (a+b)/2 - fn.tPrev
		if gap > 0 {
			lnLam = math.Log(lamAcc/fn.lamAccPrev) / gap
			lnM = (m - fn.mPrev) / gap
		}
	}
	fn.lamAccPrev = lamAcc
	colds, aliveMean, aliveEnd := jumpColds, 0.0, 0.0
	gExp, gStep, gOK := 0.0, 0.0, false
	oldDeep := fn.deep
	runTop := 0 // the top of the run of deep levels reaching down to the bottom
	below := 0  // levels under the last one walked: deep, not walked
	for j := top; j >= 1; j-- {
		nAbs := P + j
		kap, occ, deepNow := w.at(nAbs)
		if !windowed {
			// Pointwise: Λ over the last K, the growth of κ allowed for;
			// occupancy (the count sitting at or above the level) looked
			// at once per correlation time.
			// x = g·K for this level; e^{−x} steps by a constant factor
			// from level to level, so one exp a step serves them all.
			x := (lnLam + (float64(nAbs-1)/m-1)*lnM) * fn.keep
			if !gOK {
				gExp, gStep, gOK = math.Exp(-max(-50, min(x, 50))), math.Exp(lnM/m*fn.keep), true
			} else {
				gExp *= gStep
			}
			gf := 1 - x/2 + x*x/6 - x*x*x/24 // (1 − e^{−x})/x, within 1e-8 for |x| < 0.05
			if math.Abs(x) >= 0.05 {
				if x > -50 && x < 50 {
					gf = (1 - gExp) / x
				} else {
					gf = growthFactor(x)
				}
			}
			lam := kap*fn.keep*gf + occ
			if deepNow || lam >= lamSat {
				below = j
				runTop = j
				break
			}
			e := 1 - lam*(1-lam/2) // exp(−Λ) near the top, where Λ is tiny
			if lam > 1e-4 {
				e = math.Exp(-lam)
			}
			// At most one cold start per keep-alive: a cold start leaves
			// the level warm for K.
			colds += min(kap*dt*e, dt/fn.keep+1)
			aliveMean += 1 - e
			aliveEnd += 1 - e
			fn.addTot(j, kap*dt)
			continue
		}
		lv := fn.level(j, sN)
		ell := kap * dt
		if deepNow {
			ell = lamSat
		} else {
			deepNow = ell+occ >= lamSat
		}
		if deepNow && j <= oldDeep {
			below = j // this level and all under it were deep and still are
			if runTop == 0 {
				runTop = j
			}
			break
		}
		if deepNow {
			if runTop == 0 {
				runTop = j
			}
		} else {
			runTop = 0
		}
		if ell == 0 && lv.sum == 0 {
			continue // never reached, nothing to forget
		}
		if j <= oldDeep {
			fn.fillLevel(lv, sN)
		}
		c, am, ae := fn.levelStep(lv, a, b, ell, occ)
		fn.addTot(j, ell)
		colds += c
		aliveMean += am
		aliveEnd += ae
	}
	aliveMean += float64(below)
	aliveEnd += float64(below)
	fn.deep = runTop
	fn.maxDeep = max(fn.maxDeep, fn.deep)
	// Forget levels above the busy count's reach whose window emptied, and
	// those deep enough below that they will not be walked soon.
	for n := len(fn.lv); n > 0 && fn.base+n > max(topN-P, 0) && fn.lv[n-1].sum == 0; n-- {
		fn.lv = fn.lv[:n-1]
	}
	if fn.deep-fn.base > 256 {
		fn.dropBelow(fn.deep - 64)
	}
	return colds, aliveOut{mean: aliveMean, end: aliveEnd}
}

// growthFactor is (1 − e^{−x})/x: the share of K·κ(now) that a rate growing
// as e^{gt} put into the last K (x = gK); above 1 for a falling rate.
func growthFactor(x float64) float64 {
	x = max(-50, min(x, 50))
	if math.Abs(x) < 0.05 {
		return 1 - x/2 + x*x/6 - x*x*x/24 // within 1e-8
	}
	return -math.Expm1(-x) / x
}

// levelTop returns the highest concurrency level worth walking for
// occupancy m (where arrivals over a keep-alive would reach it less than
// once in 10⁹), the pmf P(N = top−1), and fills fn.rsc with the cluster
// factors from the mode up: 1/Rₖ, Rₖ = 1 + (m/k)·Rₖ₋₁, the chance that
// the count, just below level k+1, falls back to the mode before it
// reaches k+1 again.
func (fn *fastFunction) levelTop(m, lamAcc float64, capN int) (int, float64) {
	fn.rsc = fn.rsc[:0]
	if m <= 0 || lamAcc <= 0 {
		return 0, 0
	}
	mode := int(math.Floor(m))
	pmf := math.Exp(-m + float64(mode)*math.Log(m) - lgammaInt(mode+1))
	reach := lamAcc * max(fn.keep, 1)
	r := 1.0
	k := mode
	for ; k < capN; k++ {
		if k > mode {
			r = 1 + m/float64(k)*r
			pmf *= m / float64(k)
		}
		fn.rsc = append(fn.rsc, r)
		if k > mode && reach*pmf < 1e-7 {
			break
		}
	}
	return min(k+1, capN), pmf
}

// level returns level j's record, kept from base+1 up: above, a new one;
// at or below base, one that was deep until now (slot s), so warm over
// its whole window.
func (fn *fastFunction) level(j int, s int64) *fnLevel {
	if j <= fn.base {
		// Grow downwards by at least as much as is kept, so that a walk
		// descending level by level costs amortised constant time.
		nb := max(0, min(j-1, fn.base-max(64, len(fn.lv))))
		add := make([]fnLevel, fn.base-nb, fn.base-nb+len(fn.lv))
		for i := range add {
			fn.fillLevel(&add[i], s)
		}
		fn.lv = append(add, fn.lv...)
		fn.base = nb
	}
	for fn.base+len(fn.lv) < j {
		fn.lv = append(fn.lv, fnLevel{last: -1})
	}
	return &fn.lv[j-fn.base-1]
}

// dropBelow stops keeping the levels up to j (deep ones).
func (fn *fastFunction) dropBelow(j int) {
	if j <= fn.base {
		return
	}
	n := min(j-fn.base, len(fn.lv))
	fn.lv = append(fn.lv[:0], fn.lv[n:]...)
	fn.base = j
}

// seedRings starts the windowed account at time t: every level above the
// deep ones gets, for the last K, the visits the steady load until now
// gave it (the last step's rates), and those surely reached a full window.
func (fn *fastFunction) seedRings(t float64) {
	s := fn.slotOf(t)
	fn.lv, fn.base = fn.lv[:0], fn.deep
	if fn.mPrev <= 0 || fn.lamAccPrev <= 0 {
		return
	}
	topN, pmfTop := fn.levelTop(fn.mPrev, fn.lamAccPrev, fn.capPrev)
	w := fn.newWalk(fn.mPrev, fn.lamAccPrev, fn.capPrev, topN, pmfTop)
	for j := topN - fn.prov; j > fn.deep; j-- {
		kap, occ, deep := w.at(fn.prov + j)
		lv := fn.level(j, s)
		if deep || kap*fn.keep+occ >= lamSat {
			fn.fillLevel(lv, s)
			continue
		}
		v := min(kap*fn.slotW, lamSat)
		for i := range lv.ring {
			lv.ring[i] = v
			lv.occ[i] = occ
		}
		lv.sum = v * fnSlots
		lv.last = s
	}
}

// levelWalk walks the busy count's distribution down from the top level,
// truncated at capN (Erlang loss), by recurrence: at each level n, the
// rate of visits clusters κ and the occupancy −ln P(N < n).
type levelWalk struct {
	fn      *fastFunction
	m, lam  float64
	mode, k int
	pmf     float64 // P(N = k)
	tail    float64 // P(N ≥ k+1)
}

func (fn *fastFunction) newWalk(m, lamAcc float64, capN, topN int, pmfTop float64) levelWalk {
	w := levelWalk{fn: fn, m: m, lam: lamAcc, mode: int(math.Floor(m)), k: topN - 1, pmf: pmfTop}
	if topN >= capN && topN > 0 {
		w.pmf, w.tail = truncPoissonTop(topN, capN, m)
	}
	return w
}

// at returns level nAbs's visit rate and occupancy, and whether it lies at
// or below the mode (deep). Calls go down one level at a time.
func (w *levelWalk) at(nAbs int) (kap, occ float64, deep bool) {
	if w.k < 0 || nAbs-1 > w.k {
		return 0, 0, false // above the top: never reached
	}
	for w.k > nAbs-1 {
		w.tail += w.pmf
		w.pmf *= float64(w.k) / w.m
		w.k--
	}
	if nAbs-1 < w.mode {
		return 0, 0, true
	}
	f := 1.0
	if i := nAbs - 1 - w.mode; i < len(w.fn.rsc) {
		f = 1 / w.fn.rsc[i]
	}
	kap = w.lam * w.pmf * f
	// Warm also if the count already sat at or above the level when the
	// window opened: P(cold) carries P(N < n).
	if w.tail < 1e-4 {
		occ = w.tail * (1 + w.tail/2) // −ln(1 − tail), its series
	} else {
		occ = -math.Log1p(-min(w.tail, 1))
	}
	return kap, occ, false
}

// addTot adds to level j's intensity over the whole run, for the peak.
func (fn *fastFunction) addTot(j int, v float64) {
	for len(fn.tot) < j {
		fn.tot = append(fn.tot, 0)
	}
	fn.tot[j-1] += v
}

// truncPoissonTop returns P(N = topN−1) and P(N ≥ topN) for N Poisson(m)
// truncated at capN (the loss system's stationary law). Without
// truncation they come straight from the log-pmf; with it, relative to
// the mass at capN, which may be far below the mode.
func truncPoissonTop(topN, capN int, m float64) (pmf, tail float64) {
	if topN <= 0 || m <= 0 {
		return 0, 0
	}
	if topN < capN {
		lp := -m + float64(topN-1)*math.Log(m) - lgammaInt(topN)
		return math.Exp(lp), 0
	}
	// q(k) = pmf(k)/pmf(capN): q(capN) = 1, q(k−1) = q(k)·k/m.
	z, q := 1.0, 1.0
	for i := capN; i > 0; i-- {
		q *= float64(i) / m
		z += q
		if q < 1e-17*z && float64(i) < m+1 {
			break
		}
	}
	return float64(capN) / m / z, 1 / z
}

// levelStep books one level over [a, b) with visit intensity ell and
// occupancy occ (−ln P(N < n)): the expected cold starts, the mean chance
// the level is warm, and the chance at b.
//
// A visit at time s is cold if none came in the K before it. The past's
// share of that window falls as its old slots leave it, and the step's own
// visits add ℓ·(s − a)/δ; between slot boundaries both are linear, so the
// exposure Λ(s) is piecewise linear, and the cold visits are
// (ℓ/δ)·∫ exp(−Λ(s)) ds, taken piece by piece.
func (fn *fastFunction) levelStep(lv *fnLevel, a, b, ell, occ float64) (colds, aliveMean, aliveEnd float64) {
	dt := b - a
	fn.advanceLevel(lv, fn.slotOf(a))
	la := fn.windowAt(lv, a)
	lbPast := fn.pastWindow(lv, b)
	// ∫ exp(−Λ) ds over the step, as a share of its length.
	var avg float64
	switch {
	case la >= lamSat && lbPast >= lamSat:
		avg = 0
	case la-lbPast <= 1 || lv.sum == 0:
		avg = expAvg(la, lbPast+ell)
	default:
		// Old visits leave the window during the step: piece by piece.
		t0, l0 := a, la
		for t0 < b {
			t1 := min(b, float64(fn.slotOf(t0)+1)*fn.slotW)
			if t1 <= t0 {
				t1 = b
			}
			l1 := fn.pastWindow(lv, t1) + ell*(t1-a)/dt
			avg += expAvg(l0, l1) * (t1 - t0) / dt
			t0, l0 = t1, l1
		}
	}
	// The count sitting at or above the level when the window opened
	// (the oldest slot's record) keeps it warm too.
	occStart := lv.occ[(fn.slotOf(a)+1)%fnSlots]
	fn.advanceLevel(lv, fn.slotOf(b))
	fn.addLevel(lv, a, b, ell)
	i := fn.slotOf(b) % fnSlots
	lv.occ[i] = max(lv.occ[i], occ)
	le := fn.windowAt(lv, b) + lv.occ[(fn.slotOf(b)+1)%fnSlots]
	avg *= expNeg(occStart)
	return min(ell*avg, 1), 1 - avg, 1 - expNeg(le)
}

// expAvg is the mean of exp(−Λ) for Λ going linearly from l0 to l1.
func expAvg(l0, l1 float64) float64 {
	d := l1 - l0
	switch {
	case l0 >= lamSat && l1 >= lamSat:
		return 0
	case math.Abs(d) < 1e-9:
		return expNeg(l0)
	}
	return (expNeg(l0) - expNeg(l1)) / d
}

// pastWindow is the level's intensity over (t − K, t] from the visits
// already in its ring, without moving the ring (t at or after its slot).
func (fn *fastFunction) pastWindow(lv *fnLevel, t float64) float64 {
	if lv.sum == 0 {
		return 0
	}
	s := fn.slotOf(t)
	if s == lv.last {
		return fn.windowAt(lv, t)
	}
	frac := t/fn.slotW - float64(s)
	total := 0.0
	for q := max(s-(fnSlots-1), lv.last-(fnSlots-1), 0); q <= min(s, lv.last); q++ {
		v := lv.ring[q%fnSlots]
		if q == s-(fnSlots-1) {
			v *= 1 - frac
		}
		total += v
	}
	return total
}

// fillLevel marks a level that was deep until slot s: visited throughout
// its window.
func (fn *fastFunction) fillLevel(lv *fnLevel, s int64) {
	for i := range lv.ring {
		lv.ring[i] = lamSat
		lv.occ[i] = lamSat
	}
	lv.sum = lamSat * fnSlots
	lv.last = s
}

func expNeg(x float64) float64 {
	if x > lamSat {
		return 0
	}
	return math.Exp(-x)
}

func (fn *fastFunction) slotOf(t float64) int64 { return int64(math.Floor(t / fn.slotW)) }

// advanceLevel moves a level's ring forward to slot s, forgetting slots
// that left the window.
func (fn *fastFunction) advanceLevel(lv *fnLevel, s int64) {
	if lv.last < 0 {
		lv.last = s
		return
	}
	if s <= lv.last {
		return
	}
	if s-lv.last >= fnSlots {
		lv.ring = [fnSlots]float64{}
		lv.occ = [fnSlots]float64{}
		lv.sum = 0
		lv.last = s
		return
	}
	for q := lv.last + 1; q <= s; q++ {
		i := q % fnSlots
		lv.sum -= lv.ring[i]
		lv.ring[i] = 0
		lv.occ[i] = 0
	}
	if lv.sum < 1e-12 {
		lv.sum = 0
	}
	lv.last = s
}

// windowAt is the level's intensity over (t − K, t]: the full slots, the
// current one, and the part of the oldest still inside.
func (fn *fastFunction) windowAt(lv *fnLevel, t float64) float64 {
	if lv.sum == 0 {
		return 0
	}
	s := fn.slotOf(t)
	frac := t/fn.slotW - float64(s)
	oldest := lv.ring[(s+1)%fnSlots] // slot s−16
	return lv.sum - frac*oldest
}

// addLevel spreads a step's intensity over the slots it covers.
func (fn *fastFunction) addLevel(lv *fnLevel, a, b, ell float64) {
	if ell <= 0 {
		return
	}
	dt := b - a
	for s := fn.slotOf(a); ; s++ {
		lo, hi := max(a, float64(s)*fn.slotW), min(b, float64(s+1)*fn.slotW)
		if hi > lo {
			v := ell * (hi - lo) / dt
			lv.ring[s%fnSlots] += v
			lv.sum += v
		}
		if float64(s+1)*fn.slotW >= b {
			break
		}
	}
}

// finish is nothing to settle: every accepted invocation was booked when it
// started. The peak of environments alive is the expected highest level
// ever reached.
func (fn *fastFunction) finish() {
	p := float64(fn.prov + fn.maxDeep)
	for j := fn.maxDeep + 1; j <= len(fn.tot); j++ {
		p += 1 - expNeg(fn.tot[j-1])
	}
	fn.peakAll = p
}

func (fn *fastFunction) result() TargetResult {
	r := TargetResult{Name: fn.name, Kind: "function", PeakInstances: int(math.Round(fn.peakAll))}
	lo := combine(&fn.waits, fn.svc, fn.timeout, false)
	served := fn.invocations - fn.timedOut
	counts := roundCounts(fn.requests, []float64{served, fn.throttled, fn.timedOut})
	r.Requests = counts.total
	r.Served, r.Throttled, r.TimedOut = counts.parts[0], counts.parts[1], counts.parts[2]
	r.ColdStarts = int64(math.Round(fn.colds))
	r.Retries = int64(math.Round(fn.retried))
	lo.fill(&r, served)
	if fn.aliveIn > 0 {
		r.Utilization = fn.busyIn / fn.aliveIn
		r.IdleFraction = 1 - r.Utilization
	}
	return r
}

func lgammaInt(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// bucketP99 is the p99 latency of the invocations starting in series
// bucket i: the run time (of those that finish), after a cold start for
// the cold share and a backoff for the retried share.
func (fn *fastFunction) bucketP99(i int) float64 {
	s := fn.ser
	inv := s.inv[i]
	if inv <= 0 {
		return 0
	}
	pc, pr, br := s.coldM[i]/inv, s.retryM[i]/inv, 0.0
	if s.retryM[i] > 0 {
		br = s.retryW[i] / s.retryM[i]
	}
	if fn.p99s == nil {
		fn.p99s = p99Memo{}
	}
	key := memoKey(pc, waitDist{d: pr, m: br})
	if v, ok := fn.p99s[key]; ok {
		return v
	}
	// Run times of invocations that finish: S given S ≤ timeout.
	keep := 1 - fn.pTO
	run := func(x float64) float64 {
		if x >= fn.timeout {
			return 0
		}
		return (fn.svc.surv(x) - fn.pTO) / keep
	}
	surv := func(x float64) float64 {
		return (1-pc-pr)*run(x) + pc*run(x-fn.cold) + pr*run(x-br)
	}
	v := quantileOf(surv, 0.99, 1e-6*fn.svc.mean, 10*(fn.svc.mean+fn.cold+br))
	fn.p99s[key] = v
	return v
}
