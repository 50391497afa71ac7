package sim

import (
	"math"
	"math/rand/v2"
	"slices"
)

// fastFleet is the fast model of a VM fleet: instead of requests it follows
// the mean number of requests in the system, x(t), with the pointwise
// stationary fluid flow approximation (PSFFA; Wang, Tipper and Banerjee,
// IEEE INFOCOM 1996): dx/dt = λ(1 − P_block) − μ·busy(ρₑ), where ρₑ is the
// utilisation at which the stationary M/M/c queue (M/M/c/K with a queue
// limit) holds x on average. At steady load x sits on the stationary
// value, so the figures are Erlang C's; under overload x grows like a
// fluid backlog and drains after; in between it relaxes at the queue's
// own pace, which a purely pointwise-stationary model (that jumps to each
// bucket's stationary state, infinite at ρ ≥ 1) cannot do.
//
// Service times other than exponential scale the waiting part by the
// Allen–Cunneen factor (1 + SCV)/2 (Allen 1990; Whitt 1993): exact for
// M/M/c, within a few per cent for the fleets here.
//
// Autoscaling, boots, cooldown, zones and outages follow the event model's
// rules (fleet.go) tick by tick. The autoscaler's metric is x plus a
// Gaussian fluctuation with the stationary queue's spread and correlation
// time, drawn from a seeded stream: target tracking reacts to the noise
// (scale-out at once, scale-in only after the cooldown), and without it a
// deterministic model would run a different fleet than the real
// controller does.
type fastFleet struct {
	name       string
	t          *Target
	conc       int
	svc        svcDist
	h          float64 // Allen–Cunneen factor
	timeout    float64
	holdT      float64 // E[min(S, timeout)]: a slot's hold when nobody waits
	cutT       float64 // P(S > timeout)
	queueLimit int
	end, step  float64
	tables     map[int]*queueTable

	vms       []fvm // VMs alive (booting or running), in groups launched together
	alive     int   // VMs alive
	bootFrom  int   // groups before this one are all up
	zoneN     []int // VMs alive per zone
	running   int
	booting   int
	nextReady float64
	peak      int
	billed    float64 // instance-seconds, 60 s minimum per VM

	auto      bool
	min, max  int
	target    float64
	bootDelay float64
	cooldown  float64
	alpha     float64
	ema       float64
	lastScale float64
	noise     float64
	rng       *rand.Rand
	// the noise's AR(1) coefficients, kept while the fleet and x hold
	nzC              int
	nzX, nzPhi, nzSD float64

	zones   int
	down    []int
	outages []outageEv

	// A stretch of ticks at equilibrium not yet booked (autoscaled
	// fleets): the flow is the same for all, so it is booked once.
	atEq               bool
	eqRate             float64
	eqSlots            int
	pending            bool
	pendFrom, pendRate float64

	x         float64 // mean requests in the system
	doomed    float64 // requests waiting that will time out in the queue
	lastLeave float64
	lastRef   float64 // service rate of the last fleet that had one, for waits with no capacity

	peakSum                        float64 // peaks of merged runs, see scaleBy
	requests, dropped, failed      float64
	busyIn, capIn, queueIn, instIn float64
	waits                          waitAcc
	ser                            *fastSeries
	p99s                           p99Memo
	nodesV, nodesP                 []float64
}

// fvm is n VMs launched together in one zone: they boot and bill alike.
type fvm struct {
	zone         int
	n            int
	start, ready float64
	up           bool // running (its boot has been seen to finish on a tick)
}

// runFastFleet runs a fleet through the load. An autoscaled fleet's
// controller reacts to a drawn noise, so one run is one sample of it, as
// an event run is; short runs average a few independent draws (at most
// 400,000 ticks' worth in all), so the figures sit near the mean over the
// noise rather than on one path of it (up to four for two days or less,
// fewer after). A week's run averages over its own length.
func runFastFleet(t *Target, req *Request, segs []loadSeg, end, step float64, seed uint64, ser *fastSeries) *fastFleet {
	f := newFastFleet(t, req, end, step, seed, ser)
	f.run(segs)
	if !f.auto {
		return f
	}
	ticks := end / step
	n := max(1, min(4, int(4e5/ticks), int(8*day/end)))
	for r := 1; r < n; r++ {
		var rs *fastSeries
		if ser != nil {
			rs = newFastSeries(ser.g)
		}
		o := newFastFleet(t, req, end, step, seed+uint64(r)*0x9e3779b97f4a7c15, rs)
		o.run(segs)
		f.merge(o)
	}
	f.scaleBy(1 / float64(n))
	return f
}

// merge adds another run's books to f's.
func (f *fastFleet) merge(o *fastFleet) {
	f.requests += o.requests
	f.dropped += o.dropped
	f.failed += o.failed
	f.busyIn += o.busyIn
	f.capIn += o.capIn
	f.queueIn += o.queueIn
	f.instIn += o.instIn
	f.billed += o.billed
	f.peakSum += float64(o.peak)
	o.waits.flush()
	f.waits.flush()
	f.waits.zero += o.waits.zero
	for k, a := range o.waits.classes {
		b := f.waits.classes[k]
		b.mass += a.mass
		b.md += a.md
		b.mm += a.mm
		b.mL += a.mL
		f.waits.classes[k] = b
	}
	if f.ser != nil && o.ser != nil {
		f.ser.addAll(o.ser, 1)
	}
}

// scaleBy turns summed books into means.
func (f *fastFleet) scaleBy(k float64) {
	f.requests *= k
	f.dropped *= k
	f.failed *= k
	f.busyIn *= k
	f.capIn *= k
	f.queueIn *= k
	f.instIn *= k
	f.billed *= k
	f.peakSum = (f.peakSum + float64(f.peak)) * k
	f.waits.flush()
	f.waits.zero *= k
	for key, a := range f.waits.classes {
		a.mass *= k
		a.md *= k
		a.mm *= k
		a.mL *= k
		f.waits.classes[key] = a
	}
	if f.ser != nil {
		f.ser.addAll(f.ser, k-1)
	}
}

func newFastFleet(t *Target, req *Request, end, step float64, seed uint64, ser *fastSeries) *fastFleet {
	svc := newSvcDist(req)
	f := &fastFleet{
		name:       t.Name,
		t:          t,
		conc:       max(t.Concurrency, 1),
		svc:        svc,
		h:          (1 + svc.scv()) / 2,
		timeout:    seconds(req.Timeout),
		queueLimit: t.QueueLimit,
		end:        end,
		step:       step,
		tables:     map[int]*queueTable{},
		zones:      max(t.Zones, 1),
		waits:      newWaitAcc(),
		ser:        ser,
		rng:        rand.New(rand.NewPCG(seed, streamTarget^nameHash(t.Name)^0xfa57)),
	}
	if f.queueLimit > 0 {
		f.h = 1 // a full queue is modelled as M/M/c/K
	}
	if f.timeout > 0 {
		f.holdT, f.cutT = svc.partial(f.timeout), svc.surv(f.timeout)
	}
	f.down = make([]int, f.zones)
	f.zoneN = make([]int, f.zones)
	n := t.Count
	if n == 0 {
		f.auto = true
		f.min, f.max = t.Min, max(t.Max, t.Min)
		f.target = t.TargetUtil
		if f.target <= 0 {
			f.target = 0.6
		}
		f.bootDelay = seconds(t.BootDelay)
		f.cooldown = seconds(t.Cooldown)
		f.alpha = 1 - math.Exp(-step/60)
		n = f.min
	}
	for _, o := range t.Outages {
		s := ceilTick(seconds(o.At), step)
		f.outages = append(f.outages, outageEv{zone: o.Zone, start: s, end: ceilTick(s+seconds(o.Duration), step)})
	}
	for z := range f.zones { // spread evenly, as round robin would
		f.addVMs(z, 0, 0, n/f.zones+b2i(z < n%f.zones))
	}
	return f
}

func (f *fastFleet) table(c int) queueView {
	q := quantSlots(c)
	tb, ok := f.tables[q]
	if !ok {
		tb = newQueueTable(q, f.queueLimit, f.h)
		f.tables[q] = tb
	}
	return queueView{tb, float64(c) / float64(q)}
}

// quantSlots rounds a large fleet's slots to a grid 1/64 apart (1.6 %):
// an autoscaled fleet of thousands of VMs would otherwise build a table
// for every size it passes through. Up to 512 slots every size is exact.
func quantSlots(c int) int {
	if c <= 512 {
		return c
	}
	r := 1.0 / 64
	if c > 8192 {
		r = 1.0 / 32 // at this size a 3 % step barely moves the queue per slot
	}
	k := math.Round(math.Log(float64(c)/512) / math.Log1p(r))
	return max(513, int(math.Round(512*math.Pow(1+r, k))))
}

// queueView is a table of q slots standing in for a fleet of s·q slots: at
// the same utilisation, counts scale by s (within a 1.6 % change of size,
// the per-slot queue barely moves).
type queueView struct {
	tb *queueTable
	s  float64
}

func (v queueView) scaled(p queuePoint) queuePoint {
	if v.s == 1 {
		return p
	}
	p.L *= v.s
	p.busy *= v.s
	p.varN *= v.s
	return p
}

func (v queueView) at(rho float64) (queuePoint, bool) {
	p, ok := v.tb.at(rho)
	return v.scaled(p), ok
}

func (v queueView) inv(x float64) queuePoint { return v.scaled(v.tb.inv(x / v.s)) }

func (v queueView) slope(x float64) (dBusy, dPb float64) {
	dBusy, dPb = v.tb.slope(x / v.s)
	return dBusy, dPb / v.s
}

func (f *fastFleet) addVM(z int, t, ready float64) { f.addVMs(z, t, ready, 1) }

// addVMs launches n VMs in zone z at t that serve from ready on.
func (f *fastFleet) addVMs(z int, t, ready float64, n int) {
	if n <= 0 {
		return
	}
	f.flushPending(t)
	v := fvm{zone: z, n: n, start: t, ready: ready, up: ready <= t}
	if k := len(f.vms) - 1; k >= 0 && f.vms[k].zone == z && f.vms[k].start == t && f.vms[k].ready == ready {
		f.vms[k].n += n
	} else {
		f.vms = append(f.vms, v)
	}
	if v.up {
		f.running += n
	} else {
		if f.booting == 0 || ready < f.nextReady {
			f.nextReady = ready
		}
		f.booting += n
	}
	f.alive += n
	f.zoneN[z] += n
	f.peak = max(f.peak, f.alive)
}

// finishBoots brings up the VMs whose boot is done by tick t.
//
// Groups are launched in time order with one boot delay, so the booting
// ones come up in list order: the scan starts where the last one stopped.
func (f *fastFleet) finishBoots(t float64) {
	f.flushPending(t)
	next := math.Inf(1)
	i := f.bootFrom
	for ; i < len(f.vms); i++ {
		v := &f.vms[i]
		if v.up {
			continue
		}
		if v.ready > t {
			next = v.ready
			break
		}
		v.up = true
		f.running += v.n
		f.booting -= v.n
	}
	f.bootFrom = i
	f.nextReady = next
}

// retire stops k of group i's VMs at time t and bills them. An emptied
// group stays in the list until compact: retiring many at once must not
// cost a shift of the list each.
func (f *fastFleet) retire(i, k int, t float64) {
	f.flushPending(t)
	v := &f.vms[i]
	k = min(k, v.n)
	if v.up {
		f.running -= k
	} else {
		f.booting -= k
	}
	f.alive -= k
	f.zoneN[v.zone] -= k
	v.n -= k
	f.billed += float64(k) * max(60, min(t, f.end)-v.start)
}

// compact drops the emptied groups, keeping launch order.
func (f *fastFleet) compact() {
	f.vms = slices.DeleteFunc(f.vms, func(v fvm) bool { return v.n == 0 })
	f.bootFrom = 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// run drives the fleet through the load. A fixed fleet without outages
// needs no ticks: its capacity never changes, so each segment is one step
// of the flow. Otherwise the fleet is driven tick by tick, as the event
// run's tick() is.
func (f *fastFleet) run(segs []loadSeg) {
	var events []float64 // outage boundaries, for a fixed fleet
	for _, o := range f.outages {
		events = append(events, o.start, o.end)
	}
	slices.Sort(events)
	ev := 0
	for _, sg := range segs {
		if !f.auto {
			a := sg.t0
			for ev < len(events) && events[ev] < sg.t1 {
				if e := events[ev]; e >= a {
					f.flow(a, e, sg.rate)
					f.tick(e)
					a = e
				}
				ev++
			}
			f.flow(a, sg.t1, sg.rate)
			continue
		}
		for t := sg.t0; t < sg.t1-1e-9; {
			k := math.Round(t / f.step)
			next := min(sg.t1, (k+1)*f.step)
			f.tick(t)
			if f.atEq && sg.rate == f.eqRate && f.slots() == f.eqSlots {
				// Settled, and nothing changed on this tick: x stays where
				// it is, so the tick's flow joins the pending stretch and
				// the autoscaler alone runs tick by tick.
				if !f.pending {
					f.pending, f.pendFrom, f.pendRate = true, t, sg.rate
				}
			} else {
				f.flushPending(t)
				f.flow(t, next, sg.rate)
			}
			t = next
		}
		f.flushPending(sg.t1)
	}
	f.finish()
}

// flushPending books the stretch of settled ticks up to t, before anything
// that changes the fleet (a VM launched, up or gone) or the end of a
// segment.
func (f *fastFleet) flushPending(t float64) {
	if !f.pending {
		return
	}
	f.pending = false
	f.flow(f.pendFrom, t, f.pendRate)
}

// tick runs a tick boundary's events in the event model's order: boots
// completing, outages, the autoscaler.
func (f *fastFleet) tick(t float64) {
	if f.booting > 0 && t >= f.nextReady {
		f.finishBoots(t)
	}
	for i := range f.outages {
		o := &f.outages[i]
		if !o.started && t >= o.start {
			o.started = true
			f.outageStart(o, t)
		}
		if o.started && !o.ended && t >= o.end {
			o.ended = true
			f.outageEnd(o, t)
		}
	}
	if f.auto {
		f.scale(t)
	}
}

func (f *fastFleet) slots() int { return f.running * f.conc }

// scale is fleet.scale on the modelled metric: requests in the system,
// the mean x plus a fluctuation with the stationary variance, correlated
// over about one service time (an AR(1) sampled per tick).
func (f *fastFleet) scale(t float64) {
	c := f.slots()
	if c > 0 && (c != f.nzC || f.x != f.nzX) {
		f.nzC, f.nzX = c, f.x
		p := f.table(c).inv(f.x)
		// Two parts: the busy slots, spread like Poisson and decorrelating
		// over the mean residual service time E[S²]/2E[S] (an
		// infinite-server count), and the queue's excess, scaled for the
		// service variability like the wait (Allen–Cunneen, squared for a
		// variance) and held over the queue's relaxation time, about
		// 1/(cμ(1 − √ρ)²). The whole is at most four times Poisson's: a
		// backlog still growing is not spread like a stationary queue near
		// saturation.
		cf := float64(c)
		rho := min(p.busy/cf, 0.95)
		vb := p.busy
		vq := max(0, p.varN-p.busy) * f.h * f.h
		tb := f.svc.mean * (1 + f.svc.scv()) / 2
		tq := min(f.svc.mean/(cf*(1-math.Sqrt(rho))*(1-math.Sqrt(rho))), 120)
		v := vb + vq
		tau := tb
		if v > 0 {
			tau = (vb*tb + vq*tq) / v
		}
		v = min(v, 4*f.x)
		f.nzPhi = math.Exp(-f.step / tau)
		f.nzSD = math.Sqrt(v * (1 - f.nzPhi*f.nzPhi))
	}
	if c > 0 {
		f.noise = f.nzPhi*f.noise + f.nzSD*f.rng.NormFloat64()
	}
	in := f.x + f.doomed + f.noise // unclipped: clipping a symmetric noise at 0 would bias the mean up
	f.ema += f.alpha * (in - f.ema)
	desired := int(math.Ceil(f.ema/(float64(f.conc)*f.target) - 1e-9))
	desired = min(max(desired, f.min), f.max)
	active := f.alive
	switch {
	case desired > active:
		f.launch(t, desired-active)
		f.lastScale = t
	case desired < active && t-f.lastScale >= f.cooldown:
		f.shrink(t, active-desired)
		f.lastScale = t
	}
}

// launch starts n VMs in the healthy zones with the fewest VMs.
func (f *fastFleet) launch(t float64, n int) {
	count := f.zoneN
	// Fill the healthy zones from the emptiest up, a level at a time, as
	// picking the emptiest for each VM would (lowest zone first on ties).
	var healthy []int
	for z := range f.zones {
		if f.down[z] == 0 {
			healthy = append(healthy, z)
		}
	}
	if len(healthy) == 0 {
		return
	}
	slices.SortStableFunc(healthy, func(a, b int) int { return count[a] - count[b] })
	add := make([]int, f.zones)
	for k := 1; n > 0; k++ {
		// The k emptiest zones rise together to the next one's level.
		level := math.MaxInt
		if k < len(healthy) {
			level = count[healthy[k]]
		}
		room := 0
		for _, z := range healthy[:k] {
			room += level - count[z] - add[z]
		}
		if k < len(healthy) && room <= n {
			for _, z := range healthy[:k] {
				add[z] += level - count[z] - add[z]
			}
			n -= room
			continue
		}
		// Not enough to reach it: share out what is left, lowest zone
		// number first among equals.
		group := slices.Clone(healthy[:k])
		slices.Sort(group)
		each, extra := n/k, n%k
		for i, z := range group {
			add[z] += each + b2i(i < extra)
		}
		n = 0
	}
	for z, k := range add {
		f.addVMs(z, t, t+f.bootDelay, k)
	}
}

// shrink removes n VMs: booting ones first (the newest), then running
// ones, the earliest launched first. The event model takes the least busy;
// with requests spread evenly, that is close to any, and among idle ones
// the earliest. Requests on a removed VM finish (it drains), which the
// mean x already carries.
func (f *fastFleet) shrink(t float64, n int) {
	for i := len(f.vms) - 1; i >= 0 && n > 0; i-- {
		if !f.vms[i].up {
			k := min(n, f.vms[i].n)
			f.retire(i, k, t)
			n -= k
		}
	}
	// Running ones, earliest first; groups launched at the same moment
	// (one per zone) give up VMs in turn, as one-by-one picks would.
	for i := 0; i < len(f.vms) && n > 0; {
		j := i
		for j < len(f.vms) && f.vms[j].start == f.vms[i].start {
			j++
		}
		for n > 0 {
			took := false
			for q := i; q < j && n > 0; q++ {
				if f.vms[q].up && f.vms[q].n > 0 {
					f.retire(q, 1, t)
					n--
					took = true
				}
			}
			if !took {
				break
			}
		}
		i = j
	}
	f.compact()
}

// outageStart removes the zone's VMs; the requests running on them fail.
func (f *fastFleet) outageStart(o *outageEv, t float64) {
	if o.zone < 0 || o.zone >= f.zones {
		return
	}
	f.down[o.zone]++
	before := f.running
	busy := 0.0
	if c := f.slots(); c > 0 {
		busy = f.table(c).inv(f.x).busy
	}
	lostRunning := 0
	for i := range f.vms {
		if v := &f.vms[i]; v.zone == o.zone {
			if v.up {
				lostRunning += v.n
			}
			o.lost += v.n
			f.retire(i, v.n, t)
		}
	}
	f.compact()
	if before > 0 && lostRunning > 0 {
		kill := busy * float64(lostRunning) / float64(before)
		f.failed += kill
		f.x = max(0, f.x-kill)
		if f.ser != nil {
			f.ser.g.count(f.ser.rejected, t, kill)
		}
	}
	if f.auto {
		f.launch(t, o.lost)
	}
}

func (f *fastFleet) outageEnd(o *outageEv, t float64) {
	if o.zone < 0 || o.zone >= f.zones {
		return
	}
	f.down[o.zone]--
	if f.auto {
		return
	}
	f.addVMs(o.zone, t, t, o.lost)
}

// flow advances the queue over [a, b) at arrival rate lam with the current
// VMs, and accounts for what happens in it.
func (f *fastFleet) flow(a, b, lam float64) {
	if b <= a {
		return
	}
	f.requests += lam * (b - a)
	c := f.slots()
	alive := float64(f.alive)
	f.capIn += float64(c) * (b - a)
	f.instIn += alive * (b - a)
	if f.ser != nil {
		f.ser.g.add(f.ser.capacity, a, b, float64(c))
		f.ser.g.add(f.ser.instances, a, b, alive)
	}
	f.atEq = false
	if c == 0 {
		f.stalled(a, b, lam)
		return
	}
	tb := f.table(c)
	cf := float64(c)
	for a < b-1e-12 {
		// The waits of the moment set how long service can run before the
		// timeout: only under a backlog near the timeout does that matter.
		st := f.state(tb.inv(f.x), lam)
		sm, leave := st.sm, st.leave
		kappa := cf / sm
		rho := lam / kappa
		eq, stable := tb.at(rho * (1 - leave))
		// With requests leaving the queue at the timeout the equilibrium
		// depends on the waits, which depend on the state: it is jumped to
		// only when it is consistent (a few rounds agree), and otherwise
		// followed in steps short beside the timeout.
		frozen := false
		if stable && leave > 1e-3 {
			frozen = true
			for range 6 {
				es := f.state(eq, lam)
				next, ok := tb.at(lam * es.sm / cf * (1 - es.leave))
				if !ok {
					break
				}
				if math.Abs(next.L-eq.L) <= 1e-4*(eq.L+1) {
					eq, frozen = next, false
					break
				}
				eq = next
			}
		}
		gap := f.x - eq.L
		if stable && !frozen && math.Abs(gap) <= 1e-6*(eq.L+1) {
			f.account(a, b, lam, f.state(eq, lam), eq.L)
			f.x = eq.L
			f.atEq, f.eqRate, f.eqSlots = f.doomedSettled(lam), lam, c
			return
		}
		flowAt := func(x float64) float64 {
			q := tb.inv(x)
			return lam*(1-q.pb)*(1-leave) - kappa*q.busy/cf
		}
		fx := flowAt(f.x)
		if stable && !frozen && math.Abs(gap) <= 0.05*(eq.L+1) {
			// Close to equilibrium: the flow is linear in x, so the
			// relaxation is exponential and exact over any length.
			dBusy, dPb := tb.slope(f.x)
			r := kappa*dBusy/cf + lam*(1-leave)*dPb
			if r <= 0 {
				r = 1 / sm
			}
			dt := b - a
			e := math.Exp(-r * dt)
			mean := eq.L + gap*(-math.Expm1(-r*dt))/(r*dt)
			f.account(a, b, lam, f.state(tb.inv(mean), lam), mean)
			f.x = eq.L + gap*e
			return
		}
		// Far from equilibrium (a backlog building or draining): explicit
		// midpoint steps, each moving x by at most a fifth of the way.
		scale := math.Abs(gap)
		if !stable {
			scale = f.x
		}
		dt := b - a
		if fx != 0 {
			dt = min(dt, 0.2*(scale+1)/math.Abs(fx))
		}
		// Explicit steps must also stay short beside the queue's own
		// relaxation time, or they settle on a false equilibrium.
		if dBusy, dPb := tb.slope(f.x); dBusy > 0 || dPb > 0 {
			dt = min(dt, 0.5/(kappa*dBusy/cf+lam*(1-leave)*dPb))
		}
		if frozen || f.timeout > 0 && st.w.d+st.w.xMean() > 0.1*f.timeout {
			dt = min(dt, max(0.1*f.timeout, f.svc.mean))
		}
		dt = max(dt, min(b-a, 1e-3*f.svc.mean))
		xm := max(0, f.x+fx*dt/2)
		fm := flowAt(xm)

		f.account(a, a+dt, lam, f.state(tb.inv(xm), lam), xm)
		f.x = max(0, f.x+fm*dt)
		a += dt
	}
}

// doomedSettled says whether the requests bound to time out in the queue
// have settled too, so that skipping ticks leaves their count right.
func (f *fastFleet) doomedSettled(lam float64) bool {
	return f.timeout <= 0 || f.doomed < 1e-9 && f.lastLeave < 1e-12
}

// fleetState is the queue at one moment: its stationary point, the wait
// of an arriving request (w, for the share p.pw that waits), the
// mean time a started request holds its slot (sm, cut short by the
// timeout), the share of accepted arrivals that leave the queue at the
// timeout, and the share cut off in service.
type fleetState struct {
	p              queuePoint
	w              waitDist
	sm, leave, cut float64
}

// state resolves the waits and the service time together. Under a timeout
// and a backlog they are bound up: a request that starts after waiting w
// holds its slot for at most T − w, so a longer wait drains the queue
// faster, which shortens the wait. In steady overload that settles where
// the slots, each held min(S, T − w), start requests exactly as fast as
// they arrive: the fleet looks 100 % busy while most of what it runs is
// cut off, the goodput collapse the event model shows. The hold time sm
// is found by bisection on that balance.
func (f *fastFleet) state(p queuePoint, lam float64) fleetState {
	st := fleetState{p: p, sm: f.svc.mean}
	st.w = f.waitShape(p, lam, st.sm)
	if f.timeout <= 0 {
		return st
	}
	T := f.timeout
	noWaitHold, noWaitCut := f.holdT, f.cutT
	pieces := 8
	eval := func(sm float64) (float64, fleetState) {
		s := fleetState{p: p}
		s.w = f.waitShape(p, lam, sm)
		hold, cut, leave := f.waitedHold(s.w, pieces)
		s.sm = max((1-p.pw)*noWaitHold+p.pw*(1-leave)*hold, 1e-9*f.svc.mean)
		if started := 1 - p.pw*leave; started > 0 {
			s.sm /= started
		}
		s.leave = p.pw * leave
		s.cut = (1-p.pw)*noWaitCut + p.pw*(1-leave)*cut
		return s.sm - sm, s
	}
	if p.pw <= 0 {
		st.sm, st.cut = noWaitHold, noWaitCut
		return st
	}
	reach := p.pw * st.w.xSurv(T/4-st.w.d)
	if reach < 1e-6 {
		// Waits next to never reach a quarter of the timeout: it cuts off
		// only the long services, as if nobody waited.
		st.sm, st.cut = noWaitHold, noWaitCut
		st.leave = p.pw * st.w.xSurv(T-st.w.d)
		return st
	}
	if reach < 0.01 {
		// Waits rarely reach a quarter of the timeout: they hardly shorten
		// service, so one coarse evaluation at the uncut service time will
		// do.
		pieces = 4
		_, s := eval(f.svc.mean)
		return s
	}
	// g(sm) = hold(sm) − sm is positive for a tiny sm (short waits, full
	// holds) and falls as sm grows, until the waits pass the timeout; past
	// that nearly every waiting request leaves, and only those who never
	// waited start, with their full service: g comes back to 0 at the full
	// service time, a root the flow never settles in. Such states count as
	// "too long" (g < 0), which leaves one crossing for regula falsi with
	// the Illinois step to close in on.
	evalG := func(sm float64) (float64, fleetState) {
		g, s := eval(sm)
		if s.leave >= 0.99*p.pw {
			g = min(g, -1e-3*f.svc.mean)
		}
		return g, s
	}
	lo, hi := 1e-9*f.svc.mean, f.svc.mean
	glo, _ := evalG(lo)
	ghi, s := evalG(hi)
	if ghi >= 0 {
		return s
	}
	side := 0
	for range 30 {
		mid := (lo*ghi - hi*glo) / (ghi - glo)
		var g float64
		g, s = evalG(mid)
		switch {
		case math.Abs(g) <= 1e-4*mid:
			return s
		case g > 0:
			lo, glo = mid, g
			if side == 1 {
				ghi /= 2
			}
			side = 1
		default:
			hi, ghi = mid, g
			if side == -1 {
				glo /= 2
			}
			side = -1
		}
		if hi-lo < 1e-4*hi {
			break
		}
	}
	return s
}

// waitedHold is, for a request waiting w under the timeout T: its mean
// slot hold and the chance it is cut off, given that it starts, and the
// chance it leaves the queue first. The wait below T is split into n
// pieces of equal probability.
func (f *fastFleet) waitedHold(w waitDist, n int) (hold, cut, leave float64) {
	U := f.timeout - w.d
	if U <= 0 {
		return 0, 0, 1
	}
	if w.m == 0 {
		return f.svc.partial(U), f.svc.surv(U), 0
	}
	q := 1 - w.xSurv(U) // P(start)
	for i := range n {
		e := w.xQuantile((float64(i) + 0.5) / float64(n) * q)
		hold += f.svc.partial(U - e)
		cut += f.svc.surv(U - e)
	}
	return hold / float64(n), cut / float64(n), 1 - q
}

// waitShape is the wait of an arriving request that waits, with mean
// Lq/(throughput·P(wait)) by Little's law at the effective state.
//
// Without a queue limit it splits into a fluid part d (the backlog ahead,
// drained at the full service rate) and an exponential part of mean m
// (the stationary queue at the offered load, at most 95 % busy). At steady
// load d = 0 and m is M/M/c's 1/(cμ − λ), times the Allen–Cunneen factor.
//
// With a limit of K the queue an arrival finds is geometric in ρ, cut at
// K (M/M/c/K), so the wait is an exponential in ρ cut at K·E[S]/c, the
// time a full queue takes to drain, rising towards it when ρ > 1; d makes
// up the mean (the first departure, and the steps of the count).
func (f *fastFleet) waitShape(p queuePoint, lam, sm float64) waitDist {
	lq := p.L - p.busy
	if p.pw <= 0 || lq <= 0 || p.busy <= 0 {
		return atWait(0)
	}
	thru := p.busy / sm // departures per second
	total := lq / (thru * p.pw)
	cf := float64(f.slots())
	if f.queueLimit > 0 {
		w := waitDist{L: float64(f.queueLimit) * sm / cf}
		if lr := math.Log(p.rho); math.Abs(lr) > 1e-9 {
			w.m = -sm / (cf * lr)
		} else {
			w.m = math.Inf(1) // uniform
		}
		w.d = max(0, total-w.xMean())
		return w
	}
	rhoOff := min(lam*sm/cf, 0.95)
	mo := f.h * sm / (cf * (1 - rhoOff))
	if total <= mo {
		return waitDist{m: total, L: math.Inf(1)}
	}
	return waitDist{d: total - mo, m: mo, L: math.Inf(1)}
}

// account books [a, b) at the queue state st (mean number in system x).
func (f *fastFleet) account(a, b, lam float64, st fleetState, x float64) {
	dt := b - a
	p := st.p
	n := lam * dt
	drop := n * p.pb
	acc := n - drop
	f.dropped += drop
	f.busyIn += p.busy * dt
	// Requests bound to time out in the queue leave the flow at once (they
	// never reach a slot, so they delay nobody), but they wait there for
	// the timeout first: the queue the autoscaler and the chart see holds
	// them too, about λ·leave·T of them.
	if f.timeout > 0 {
		f.lastLeave = st.leave
		target := n * st.leave / dt * f.timeout
		e := math.Exp(-dt / f.timeout)
		mean := target + (f.doomed-target)*(-math.Expm1(-dt/f.timeout))*f.timeout/dt
		f.doomed = target + (f.doomed-target)*e
		x += mean
	}
	q := max(0, x-p.busy)
	f.queueIn += q * dt
	f.waits.add(acc*(1-p.pw), atWait(0))
	f.waits.add(acc*p.pw, st.w)
	if f.ser != nil {
		g := f.ser.g
		g.add(f.ser.busy, a, b, p.busy)
		g.add(f.ser.queue, a, b, q)
		rej := drop
		if f.timeout > 0 {
			rej += acc * (st.leave + st.cut) // timed out in the queue, or cut off in service
		}
		if rej > 0 {
			g.add(f.ser.rejected, a, b, rej/dt)
		}
		f.ser.arrive(a, acc, acc*p.pw, st.w)
	}
	f.lastRef = float64(f.slots()) / st.sm
}

// stalled books [a, b) with no VM serving: arrivals queue (up to the
// limit) and wait, at least, for capacity to come back.
func (f *fastFleet) stalled(a, b, lam float64) {
	dt := b - a
	n := lam * dt
	acc := n
	if f.queueLimit > 0 {
		acc = min(n, max(0, float64(f.queueLimit)-f.x))
	}
	f.dropped += n - acc
	ref := f.lastRef
	if ref <= 0 {
		ref = float64(max(f.min, f.t.Count, 1)*f.conc) / f.svc.mean
	}
	d := (f.x + acc/2) / ref
	f.x += acc
	f.queueIn += (f.x - acc/2) * dt
	f.waits.add(acc, atWait(d+(b-a)/2))
	if f.ser != nil {
		f.ser.g.add(f.ser.queue, a, b, f.x-acc/2)
		if n > acc {
			f.ser.g.add(f.ser.rejected, a, b, (n-acc)/dt)
		}
		f.ser.arrive(a, acc, acc, atWait(d+(b-a)/2))
	}
}

// finish closes the books at the end: VMs alive are billed to the end;
// requests still queued with no VM left to serve them fail.
func (f *fastFleet) finish() {
	if f.slots() == 0 && f.x > 0 {
		f.failed += f.x
		if f.ser != nil {
			f.ser.g.count(f.ser.rejected, f.end, f.x)
		}
	}
	for _, v := range f.vms {
		f.billed += float64(v.n) * max(60, f.end-v.start)
	}
}

func (f *fastFleet) result() TargetResult {
	r := TargetResult{Name: f.name, Kind: "vm", PeakInstances: f.peak}
	if f.peakSum > 0 {
		r.PeakInstances = int(math.Round(f.peakSum))
	}
	lo := combine(&f.waits, f.svc, f.timeout, true)
	// The waits cover every accepted request; outages and a fleet with no
	// VM left take theirs out of the served.
	served := max(0, lo.served-f.failed)
	counts := roundCounts(f.requests, []float64{served, f.dropped, lo.queueTO + lo.serviceTO, f.failed})
	r.Requests = counts.total
	r.Served, r.Dropped, r.TimedOut, r.Failed = counts.parts[0], counts.parts[1], counts.parts[2], counts.parts[3]
	lo.fill(&r, served)
	if f.capIn > 0 {
		r.Utilization = f.busyIn / f.capIn
		r.IdleFraction = 1 - r.Utilization
	}
	return r
}

// bucketP99 is the p99 latency of the requests arriving in series bucket
// i: the service time plus, for the share that waits, the bucket's mean
// wait shape.
func (f *fastFleet) bucketP99(i int) float64 {
	s := f.ser
	acc := s.acc[i]
	if acc <= 0 {
		return 0
	}
	pw, w := 0.0, atWait(0)
	if s.wMass[i] > 1e-4*acc {
		pw, w = s.wMass[i]/acc, s.waitOf(i)
	}
	if f.p99s == nil {
		f.p99s = p99Memo{}
		f.nodesV, f.nodesP = f.svc.quantileNodes(64)
	}
	key := memoKey(pw, w)
	if v, ok := f.p99s[key]; ok {
		return v
	}
	all := func(x float64) float64 {
		return (1-pw)*f.svc.surv(x) + pw*waitPlusSurv(f.svc, f.nodesV, f.nodesP, w, x)
	}
	surv := all
	if T := f.timeout; T > 0 {
		// Only the served: latency at most the timeout.
		late := all(T)
		surv = func(x float64) float64 {
			if x >= T || late >= 1 {
				return 0
			}
			return (all(x) - late) / (1 - late)
		}
	}
	span := w.d + math.Abs(w.m)
	if !math.IsInf(w.L, 1) {
		span = w.d + w.L
	}
	v := quantileOf(surv, 0.99, 1e-6*f.svc.mean, 10*(f.svc.mean+span))
	f.p99s[key] = v
	return v
}
