package sim

import (
	"cmp"
	"math"
	"slices"
)

// A fleet is a VM target: VMs of `concurrency` slots behind one FIFO queue.
//
// It is an event-driven multi-server queue: busy slots sit in a min-heap of
// finish times, idle slots on a stack, waiting requests in a ring. A request
// that finds an idle slot starts at once; otherwise it waits, and a slot that
// frees takes the head of the queue (O(log c) per request). Keeping the queue
// explicit, rather than assigning each request a start time on arrival, lets
// capacity that appears later (a VM finishing its boot) serve requests that
// are already waiting, and lets a zone outage fail exactly the requests
// running there.
//
// Scaling, boots and outages happen on tick boundaries; requests run in
// continuous time between them.
type fleet struct {
	name       string
	conc       int
	timeout    float64 // 0: none
	queueLimit int
	end        float64

	vms vmSet
	// idle holds one entry per idle slot of a running VM, longest idle
	// first: taking from the front spreads requests over the VMs the way
	// a load balancer's round robin does (a stack would pile them onto a
	// few VMs, and a zone outage would then hit nothing or everything).
	idle     []int32
	idleHead int
	scratch  []int32       // shrink's list of running VMs, kept between calls
	jobs     timeHeap[job] // running requests, by finish time
	q        ring
	slots    int // slots of running VMs
	drain    int // slots of draining VMs (finishing their work, taking none)
	alive    int // VMs billed now: booting, running, draining
	boots    int // VMs booting
	last     float64

	// autoscaling (target tracking)
	auto      bool
	min, max  int
	target    float64
	bootDelay float64
	cooldown  float64
	alpha     float64
	ema       float64
	lastScale float64
	nextReady float64

	zones      int
	down       []int // outages in progress per zone
	outages    []outageEv
	nextOutage float64 // the next outage to start or end; +Inf when none

	requests, served, dropped, timedOut, failed int64
	// droppedFull counts the drops of a queue the scenario left
	// unlimited, at the most a run holds (maxWaiting).
	droppedFull           int64
	unlimited             bool
	stats                 latencyStats
	busyIn, capIn, instIn float64 // within [0, end)
	billedSec             float64 // instance-seconds, 60 s minimum per start
	peak                  int
	launches              int // VMs launched so far
	ser                   *tseries
}

type vmState uint8

const (
	vmBooting vmState = iota
	vmRunning
	vmDraining
	vmGone
)

type vmInst struct {
	zone  int
	state vmState
	busy  int
	start float64 // launched: billing starts
	ready float64 // serves from here
}

// job is a running request (its finish time is its key in the heap).
// wait < 0 marks one the timeout stops while it runs (it still holds its
// slot until then).
type job struct {
	arrival float64
	wait    float32
	vm      int32
}

type outageEv struct {
	zone       int
	start, end float64
	started    bool
	ended      bool
	lost       int // VMs the zone lost (fixed fleets bring them back)
}

// ceilTick rounds a time up to the next tick boundary.
func ceilTick(t, step float64) float64 {
	return math.Ceil(t/step-1e-9) * step
}

func newFleet(t *Target, req *Request, end, step float64, ser *tseries) *fleet {
	f := &fleet{
		name:       t.Name,
		conc:       max(t.Concurrency, 1),
		timeout:    seconds(req.Timeout),
		queueLimit: t.QueueLimit,
		unlimited:  t.QueueLimit == 0,
		end:        end,
		zones:      max(t.Zones, 1),
		stats:      newLatencyStats(),
		ser:        ser,
		q:          newRing(),
	}
	f.down = make([]int, f.zones)
	if f.unlimited {
		f.queueLimit = maxWaiting
	}
	f.vms = newVMSet(f.zones)
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
		// The metric is smoothed over about a minute, as a one-minute
		// monitoring period would.
		f.alpha = 1 - math.Exp(-step/60)
		n = f.min
	}
	for _, o := range t.Outages {
		s := ceilTick(seconds(o.At), step)
		f.outages = append(f.outages, outageEv{zone: o.Zone, start: s, end: ceilTick(s+seconds(o.Duration), step)})
	}
	f.nextOutage = f.pendingOutage()
	for i := range n {
		f.addVM(i%f.zones, 0, 0)
	}
	return f
}

// addVM launches a VM in zone z at time t that serves from ready on.
func (f *fleet) addVM(z int, t, ready float64) {
	f.flush(t)
	id := f.vms.add(z, t, ready)
	f.launches++
	f.alive++
	f.boots++
	if f.alive > f.peak {
		f.peak = f.alive
	}
	if ready <= t {
		f.becomeReady(id, t)
		return
	}
	f.vms.queueBoot(id)
	if f.boots == 1 || ready < f.nextReady {
		f.nextReady = ready
	}
}

func (f *fleet) becomeReady(id int32, t float64) {
	f.flush(t)
	f.vms.setState(id, vmRunning)
	f.boots--
	f.slots += f.conc
	for range f.conc {
		f.idle = append(f.idle, id)
	}
	f.dispatch(t)
}

// dispatch starts waiting requests on idle slots at time t.
func (f *fleet) dispatch(t float64) {
	for f.idleHead < len(f.idle) {
		a, ok := f.takeQueued(t)
		if !ok {
			return
		}
		id := f.takeIdle()
		f.vms.vms[id].busy++
		f.jobs.push(f.start(t, a, id))
	}
}

// flush integrates capacity and instances up to t: they are piecewise
// constant, so they are added up only when they change.
func (f *fleet) flush(t float64) {
	a, b := f.last, min(t, f.end)
	if b > a {
		f.capIn += float64(f.slots+f.drain) * (b - a)
		f.instIn += float64(f.alive) * (b - a)
		if f.ser != nil {
			f.ser.g.add(f.ser.capacity, a, b, float64(f.slots))
			f.ser.g.add(f.ser.instances, a, b, float64(f.alive))
		}
		f.last = b
	}
}

// retire stops billing VM id at time t.
func (f *fleet) retire(id int32, t float64) {
	f.flush(t)
	v := &f.vms.vms[id]
	switch v.state {
	case vmRunning:
		f.slots -= f.conc
	case vmDraining:
		f.drain -= f.conc
	case vmBooting:
		f.boots--
	}
	f.vms.setState(id, vmGone)
	f.alive--
	// A VM still draining past the end is billed to the end, like every
	// other VM still running then: the run prices its own span.
	f.billedSec += max(60, min(t, f.end)-v.start)
}

// start accounts for request a starting at st on VM id and returns its
// finish time and job.
func (f *fleet) start(st float64, a arrival, id int32) (float64, job) {
	w := st - a.t
	d := a.s
	wf := float32(w)
	if f.timeout > 0 && w+d > f.timeout {
		d = f.timeout - w
		wf = -1
	}
	fin := st + d
	if st < f.end {
		f.busyIn += min(fin, f.end) - st
	}
	if f.ser != nil {
		f.ser.g.add(f.ser.busy, st, fin, 1)
		if w > 0 {
			f.ser.g.add(f.ser.queue, a.t, st, 1)
		}
	}
	return fin, job{arrival: a.t, wait: wf, vm: id}
}

// takeQueued pops the head of the queue at time t, first letting go of the
// requests whose wait has passed the timeout (FIFO with one timeout means
// they are always at the head).
func (f *fleet) takeQueued(t float64) (arrival, bool) {
	for f.q.n > 0 {
		a := f.q.pop()
		if f.timeout > 0 && t-a.t > f.timeout {
			f.queueTimeout(a)
			continue
		}
		return a, true
	}
	return arrival{}, false
}

func (f *fleet) queueTimeout(a arrival) {
	f.timedOut++
	if f.ser != nil {
		f.ser.g.add(f.ser.queue, a.t, a.t+f.timeout, 1)
		f.ser.g.count(f.ser.rejected, a.t+f.timeout, 1)
	}
}

func (f *fleet) complete(fin float64, j *job) {
	if j.wait < 0 {
		f.timedOut++
		if f.ser != nil {
			f.ser.g.count(f.ser.rejected, fin, 1)
		}
		return
	}
	f.served++
	lat := fin - j.arrival
	f.stats.add(lat, float64(j.wait))
	if f.ser != nil {
		f.ser.p99.add(f.ser.g.index(j.arrival), lat)
	}
}

// advance finishes every request that ends by t, in time order.
func (f *fleet) advance(t float64) {
	for f.jobs.due(t) {
		fin, j := f.jobs.top().at, f.jobs.top().v
		f.complete(fin, &j)
		v := &f.vms.vms[j.vm]
		if v.state == vmRunning {
			if a, ok := f.takeQueued(fin); ok {
				f.jobs.replaceTop(f.start(fin, a, j.vm))
				continue
			}
		}
		f.jobs.pop()
		v.busy--
		switch v.state {
		case vmRunning:
			f.idle = append(f.idle, j.vm)
		case vmDraining:
			if v.busy == 0 {
				f.retire(j.vm, fin)
			}
		}
	}
}

func (f *fleet) serve(batch []arrival) {
	f.requests += int64(len(batch))
	for _, a := range batch {
		if f.q.n == 0 && f.jobs.due(a.t) && f.vms.vms[f.jobs.top().v.vm].state == vmRunning {
			// The common case in one heap operation instead of two: the
			// earliest request has finished, its slot joins the back of
			// the idle list, and the arrival takes the front slot into
			// the heap top's place. Later finishes up to a.t only append
			// to the idle list, so the arrival's slot is the one the
			// step-by-step order would give it.
			j := f.jobs.top().v
			f.complete(f.jobs.top().at, &j)
			f.vms.vms[j.vm].busy--
			f.idle = append(f.idle, j.vm)
			id := f.takeIdle()
			f.vms.vms[id].busy++
			f.jobs.replaceTop(f.start(a.t, a, id))
			if f.jobs.due(a.t) {
				f.advance(a.t)
			}
			continue
		}
		if f.jobs.due(a.t) {
			f.advance(a.t)
		}
		if f.timeout > 0 {
			for f.q.n > 0 && a.t-f.q.front().t > f.timeout {
				f.queueTimeout(f.q.pop())
			}
		}
		switch {
		case f.q.n == 0 && f.idleHead < len(f.idle):
			id := f.takeIdle()
			f.vms.vms[id].busy++
			f.jobs.push(f.start(a.t, a, id))
		case f.q.n >= f.queueLimit:
			f.dropped++
			if f.unlimited {
				f.droppedFull++
			}
			if f.ser != nil {
				f.ser.g.count(f.ser.rejected, a.t, 1)
			}
		default:
			f.q.push(a)
		}
	}
}

func (f *fleet) needsTicks() bool { return f.auto || len(f.outages) > 0 }

// tick runs what happens on a tick boundary: boots completing, outages, and
// the autoscaler's decision.
func (f *fleet) tick(t float64) {
	f.advance(t)
	if f.boots > 0 && t >= f.nextReady {
		f.finishBoots(t)
	}
	if t >= f.nextOutage {
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
		f.nextOutage = f.pendingOutage()
	}
	if f.auto {
		f.scale(t)
	}
}

// pendingOutage is when the next outage starts or ends, +Inf when none
// will: ticks before it skip the outages.
func (f *fleet) pendingOutage() float64 {
	next := math.Inf(1)
	for _, o := range f.outages {
		switch {
		case !o.started:
			next = min(next, o.start)
		case !o.ended:
			next = min(next, o.end)
		}
	}
	return next
}

// finishBoots makes ready, in launch order, the VMs whose boot is over by t.
func (f *fleet) finishBoots(t float64) {
	for f.vms.nextReady() <= t {
		f.becomeReady(f.vms.popBooting(), t)
	}
	f.nextReady = f.vms.nextReady()
}

// scale is target tracking on requests in the system per slot (like a load
// balancer's request count per target): unlike CPU it still rises when a
// backlog builds, so an overloaded fleet asks for more than 1/target times
// its size. Scale-out happens as soon as the smoothed metric asks for it
// (booting VMs count as capacity already, so one shortfall launches once);
// scale-in waits `cooldown` after the last action, the conservative side.
func (f *fleet) scale(t float64) {
	in := float64(f.jobs.len() + f.q.n)
	f.ema += f.alpha * (in - f.ema)
	desired := int(math.Ceil(f.ema/(float64(f.conc)*f.target) - 1e-9))
	desired = min(max(desired, f.min), f.max)
	active := f.slots/f.conc + f.boots
	switch {
	case desired > active:
		f.launch(t, desired-active)
		f.lastScale = t
	case desired < active && t-f.lastScale >= f.cooldown:
		f.shrink(t, active-desired)
		f.lastScale = t
	}
}

// launch starts n VMs in the healthy zones with the fewest VMs (booting
// or running).
func (f *fleet) launch(t float64, n int) {
	count := f.vms.inZone
	for range n {
		z := -1
		for i := range f.zones {
			if f.down[i] == 0 && (z < 0 || count[i] < count[z]) {
				z = i
			}
		}
		if z < 0 {
			return // every zone is down
		}
		f.addVM(z, t, t+f.bootDelay)
	}
}

// shrink removes n VMs: booting ones first (nothing lost), then the running
// ones with the fewest requests in flight, which drain before they stop.
func (f *fleet) shrink(t float64, n int) {
	boot := f.vms.booting
	for i := len(boot) - 1; i >= f.vms.bootHead && n > 0; i-- {
		if f.vms.vms[boot[i]].state == vmBooting {
			f.retire(boot[i], t)
			n--
		}
	}
	if n > 0 {
		// One pass finds the running VMs, least busy first (the earliest
		// launched among equals); picking them one scan at a time made a
		// large scale-in quadratic.
		running := f.scratch[:0]
		for _, id := range f.vms.live {
			if f.vms.vms[id].state == vmRunning {
				running = append(running, id)
			}
		}
		slices.SortStableFunc(running, func(a, b int32) int { return cmp.Compare(f.vms.vms[a].busy, f.vms.vms[b].busy) })
		f.flush(t)
		for _, id := range running[:min(n, len(running))] {
			if f.vms.vms[id].busy == 0 {
				f.retire(id, t)
			} else {
				f.vms.setState(id, vmDraining)
				f.slots -= f.conc
				f.drain += f.conc
			}
		}
		f.scratch = running
	}
	f.sweep()
}

func (f *fleet) takeIdle() int32 {
	id := f.idle[f.idleHead]
	f.idleHead++
	switch {
	case f.idleHead == len(f.idle):
		f.idle, f.idleHead = f.idle[:0], 0
	case f.idleHead > 64 && 2*f.idleHead > len(f.idle):
		k := copy(f.idle, f.idle[f.idleHead:])
		f.idle, f.idleHead = f.idle[:k], 0
	}
	return id
}

// sweep forgets the VMs that stopped: their idle slots go, then their ids
// are freed for reuse (no request refers to them any more).
func (f *fleet) sweep() {
	k := copy(f.idle, f.idle[f.idleHead:])
	f.idle = slices.DeleteFunc(f.idle[:k], func(id int32) bool { return f.vms.vms[id].state != vmRunning })
	f.idleHead = 0
	f.vms.sweep()
}

// outageStart removes the zone's VMs; the requests running on them fail.
func (f *fleet) outageStart(o *outageEv, t float64) {
	if o.zone < 0 || o.zone >= f.zones {
		return
	}
	f.down[o.zone]++
	for _, id := range f.vms.live {
		v := &f.vms.vms[id]
		if v.zone != o.zone || v.state == vmGone {
			continue
		}
		if v.state != vmDraining {
			o.lost++
		}
		f.retire(id, t)
	}
	f.jobs.retain(func(j *timed[job]) bool {
		if f.vms.vms[j.v.vm].state != vmGone {
			return true
		}
		f.failed++
		if t < f.end {
			f.busyIn -= min(j.at, f.end) - t
		}
		if f.ser != nil {
			f.ser.g.add(f.ser.busy, t, j.at, -1)
			f.ser.g.count(f.ser.rejected, t, 1)
		}
		return false
	})
	f.sweep()
	if f.auto {
		// The group keeps its desired size: it replaces the lost VMs in
		// the zones still up, each paying the boot delay.
		f.launch(t, o.lost)
	}
}

// outageEnd brings a fixed fleet's VMs back in the zone that recovered; an
// autoscaled fleet has already replaced them elsewhere.
func (f *fleet) outageEnd(o *outageEv, t float64) {
	if o.zone < 0 || o.zone >= f.zones {
		return
	}
	f.down[o.zone]--
	if f.auto {
		return
	}
	for range o.lost {
		f.addVM(o.zone, t, t)
	}
}

// finish lets the requests in the system at the end run to completion (no
// new ones arrive), then closes the books: VMs are billed to the end of the
// run; requests no capacity is left to serve count as failed.
func (f *fleet) finish() {
	f.flush(f.end)
	f.advance(math.Inf(1))
	for f.q.n > 0 {
		a := f.q.pop()
		if f.timeout > 0 {
			f.queueTimeout(a)
			continue
		}
		f.failed++
		if f.ser != nil {
			f.ser.g.count(f.ser.rejected, f.end, 1)
		}
	}
	for _, id := range f.vms.live {
		if v := &f.vms.vms[id]; v.state != vmGone {
			f.billedSec += max(60, f.end-v.start)
			f.vms.setState(id, vmGone)
		}
	}
}

func (f *fleet) result() TargetResult {
	r := TargetResult{
		Name:             f.name,
		Kind:             "vm",
		Requests:         f.requests,
		Served:           f.served,
		Dropped:          f.dropped,
		TimedOut:         f.timedOut,
		Failed:           f.failed,
		PeakInstances:    f.peak,
		DroppedQueueFull: f.droppedFull,
	}
	f.stats.fill(&r)
	if f.capIn > 0 {
		r.Utilization = f.busyIn / f.capIn
		r.IdleFraction = 1 - r.Utilization
	}
	return r
}

// ring is a FIFO of waiting requests; it grows by doubling, so memory
// follows the longest queue, not the number of requests.
type ring struct {
	buf     []arrival
	head, n int
}

func newRing() ring { return ring{buf: make([]arrival, 16)} }

func (r *ring) push(a arrival) {
	if r.n == len(r.buf) {
		nb := make([]arrival, 2*len(r.buf))
		k := copy(nb, r.buf[r.head:])
		copy(nb[k:], r.buf[:r.head])
		r.buf, r.head = nb, 0
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = a
	r.n++
}

func (r *ring) front() arrival { return r.buf[r.head] }

func (r *ring) pop() arrival {
	a := r.buf[r.head]
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return a
}
