package sim

import (
	"math"
	"math/rand/v2"
)

// A function is a Lambda-like target: each execution environment serves one
// request at a time. A request takes, in order of preference, an idle
// provisioned environment, the most recently used idle on-demand one (warm),
// or a new one that first pays the cold start. New environments are limited
// to scale_rate per scale_interval (a fixed window; unused rate does not
// carry over), and requests in flight to concurrency_limit; a request over
// either limit is throttled and, with retries, tried again after a jittered
// exponential backoff. An idle on-demand environment is reclaimed after
// keep_alive; provisioned ones never are.
//
// Billing: every invocation is a request; its duration is billed rounded up
// to the millisecond. A cold start's init time is billed as duration too, as
// AWS does for on-demand functions since August 2025. Time on provisioned
// environments is billed at the provisioned-concurrency duration rate.
//
// Waiting: a function has no queue, so a request "waits" for its cold start
// (the handler has not started) and for any retry backoff; wait_probability
// is therefore the share of served requests that were cold or retried.
type function struct {
	name      string
	end       float64
	coldStart float64
	keepAlive float64
	timeout   float64
	limit     int
	scaleRate int
	interval  float64
	retries   int
	rng       *rand.Rand // backoff jitter; a stream of the target's own

	prov     int
	provIdle int
	idle     []float64 // idle on-demand environments: when each went idle, oldest first
	idleHead int
	jobs     timeHeap[fnJob]   // running requests, by finish time
	retryQ   timeHeap[retryEv] // throttled requests, by when they try again
	odAlive  int
	window   int64 // current scale window
	tokens   int

	last                                         float64
	requests, served, throttled, timedOut, colds int64
	retried                                      int64
	invocations, billedMS, provBilledMS          int64
	stats                                        latencyStats
	busyIn, aliveIn                              float64
	peak                                         int
	ser                                          *tseries
	// per-bucket usage for the cumulative cost series
	bReq, bMS, bProvMS []float64
}

type fnJob struct {
	prov bool
}

type retryEv struct {
	arrival float64
	service float64
	attempt int
}

const (
	backoffBase = 0.1 // seconds, doubling per attempt
	backoffCap  = 20.0
)

func newFunction(t *Target, req *Request, end float64, rng *rand.Rand, ser *tseries) *function {
	fn := &function{
		name:      t.Name,
		end:       end,
		coldStart: seconds(t.ColdStart),
		keepAlive: seconds(t.KeepAlive),
		timeout:   seconds(req.Timeout),
		limit:     t.ConcurrencyLimit,
		scaleRate: t.ScaleRate,
		interval:  seconds(t.ScaleInterval),
		retries:   t.Retries,
		rng:       rng,
		prov:      t.Provisioned,
		provIdle:  t.Provisioned,
		window:    -1,
		stats:     newLatencyStats(),
		ser:       ser,
	}
	if fn.timeout <= 0 {
		fn.timeout = 15 * 60 // Lambda's maximum
	}
	if fn.limit <= 0 {
		fn.limit = math.MaxInt
	}
	fn.peak = fn.prov
	if ser != nil {
		n := ser.g.n
		fn.bReq, fn.bMS, fn.bProvMS = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	return fn
}

func (fn *function) alive() int { return fn.prov + fn.odAlive }

// flush integrates environments alive up to t (they change only when one is
// created or reclaimed).
func (fn *function) flush(t float64) {
	a, b := fn.last, min(t, fn.end)
	if b > a {
		n := float64(fn.alive())
		fn.aliveIn += n * (b - a)
		if fn.ser != nil {
			fn.ser.g.add(fn.ser.capacity, a, b, n)
			fn.ser.g.add(fn.ser.instances, a, b, n)
		}
		fn.last = b
	}
}

// expire reclaims the environments idle for keep_alive by time t, oldest
// first, each at the moment its keep-alive ran out.
func (fn *function) expire(t float64) {
	for fn.idleHead < len(fn.idle) {
		at := fn.idle[fn.idleHead] + fn.keepAlive
		if at > t {
			break
		}
		fn.flush(at)
		fn.odAlive--
		fn.idleHead++
	}
	// Reuse the slice's front once most of it is dead.
	if fn.idleHead > 64 && fn.idleHead*2 > len(fn.idle) {
		k := copy(fn.idle, fn.idle[fn.idleHead:])
		fn.idle = fn.idle[:k]
		fn.idleHead = 0
	}
}

// advance processes completions and retries up to t, in time order.
func (fn *function) advance(t float64) {
	for fn.jobs.len() > 0 || fn.retryQ.len() > 0 {
		nb, nr := fn.jobs.next(), fn.retryQ.next()
		if nb <= nr {
			if nb > t {
				return
			}
			j := fn.jobs.pop()
			if j.v.prov {
				fn.provIdle++
			} else {
				fn.idle = append(fn.idle, j.at)
			}
			continue
		}
		if nr > t {
			return
		}
		r := fn.retryQ.pop()
		fn.attempt(r.at, r.v.arrival, r.v.service, r.v.attempt)
	}
}

func (fn *function) serve(batch []arrival) {
	fn.requests += int64(len(batch))
	for _, a := range batch {
		if fn.jobs.due(a.t) {
			if fn.reuseTop(a) {
				continue
			}
			fn.advance(a.t)
		} else if fn.retryQ.len() > 0 {
			fn.advance(a.t)
		}
		fn.attempt(a.t, a.t, a.s, 0)
	}
}

// reuseTop handles the common case in one heap operation: exactly one
// request has finished since the last event, and the arrival would take its
// environment anyway (the most recently used idle one, or the provisioned
// one it frees), so the new request replaces it at the heap's top. Any other
// case goes the step-by-step way.
func (fn *function) reuseTop(a arrival) bool {
	if !fn.jobs.due(a.t) || fn.jobs.second() <= a.t || fn.retryQ.due(a.t) {
		return false
	}
	top := *fn.jobs.top()
	if !top.v.prov && (fn.provIdle > 0 || top.at+fn.keepAlive <= a.t) {
		return false
	}
	if fn.idleHead < len(fn.idle) && fn.idle[fn.idleHead]+fn.keepAlive <= a.t {
		fn.expire(a.t)
	}
	fn.jobs.replaceTop(fn.start(a.t, a.t, a.s, top.v.prov, false))
	return true
}

func (fn *function) needsTicks() bool { return false }
func (fn *function) tick(t float64)   { fn.advance(t) }

func (fn *function) attempt(t, arrival, service float64, attempt int) {
	fn.expire(t)
	if fn.jobs.len() >= fn.limit {
		fn.throttle(t, arrival, service, attempt)
		return
	}
	switch {
	case fn.provIdle > 0:
		fn.provIdle--
		fn.run(t, arrival, service, true, false)
	case len(fn.idle) > fn.idleHead:
		fn.idle = fn.idle[:len(fn.idle)-1]
		fn.run(t, arrival, service, false, false)
	default:
		if w := int64(math.Floor(t / fn.interval)); fn.interval > 0 && w != fn.window {
			fn.window, fn.tokens = w, fn.scaleRate
		}
		if fn.interval > 0 && fn.tokens <= 0 {
			fn.throttle(t, arrival, service, attempt)
			return
		}
		fn.tokens--
		fn.flush(t)
		fn.odAlive++
		if a := fn.alive(); a > fn.peak {
			fn.peak = a
		}
		fn.run(t, arrival, service, false, true)
	}
}

func (fn *function) throttle(t, arrival, service float64, attempt int) {
	if attempt < fn.retries {
		// Equal jitter: half the backoff fixed, half random, so retries
		// neither stampede nor come back at once.
		b := min(backoffCap, backoffBase*math.Ldexp(1, attempt))
		at := t + b/2 + fn.rng.Float64()*b/2
		fn.retried++
		fn.retryQ.push(at, retryEv{arrival: arrival, service: service, attempt: attempt + 1})
		if fn.ser != nil {
			fn.ser.g.add(fn.ser.queue, t, at, 1)
		}
		return
	}
	fn.throttled++
	if fn.ser != nil {
		fn.ser.g.count(fn.ser.rejected, t, 1)
	}
}

// billMS rounds a duration up to whole milliseconds; the small slack keeps
// 0.1 s from billing as 101 ms through floating-point noise.
func billMS(d float64) int64 { return int64(math.Ceil(d*1000 - 1e-6)) }

func (fn *function) run(t, arrival, service float64, prov, cold bool) {
	fn.jobs.push(fn.start(t, arrival, service, prov, cold))
}

// start accounts for a request that begins at t and returns its finish time
// and job.
func (fn *function) start(t, arrival, service float64, prov, cold bool) (float64, fnJob) {
	d := service
	to := false
	if d > fn.timeout {
		d, to = fn.timeout, true
	}
	init := 0.0
	if cold {
		init = fn.coldStart
		fn.colds++
	}
	fin := t + init + d
	j := fnJob{prov: prov}
	fn.invocations++
	ms := billMS(init + d)
	if prov {
		fn.provBilledMS += ms
	} else {
		fn.billedMS += ms
	}
	if t < fn.end {
		fn.busyIn += min(fin, fn.end) - t
	}
	bi := 0 // the arrival's series bucket
	if fn.ser != nil {
		g := fn.ser.g
		g.add(fn.ser.busy, t, fin, 1)
		if cold {
			g.count(fn.ser.cold, t, 1)
		}
		bi = g.index(arrival)
		fn.bReq[bi]++
		if prov {
			fn.bProvMS[bi] += float64(ms)
		} else {
			fn.bMS[bi] += float64(ms)
		}
	}
	if to {
		fn.timedOut++
		if fn.ser != nil {
			fn.ser.g.count(fn.ser.rejected, fin, 1)
		}
		return fin, j
	}
	fn.served++
	lat := fin - arrival
	fn.stats.add(lat, t+init-arrival)
	if fn.ser != nil {
		fn.ser.p99.add(bi, lat)
	}
	return fin, j
}

// finish runs the requests and retries still in the system to the end.
func (fn *function) finish() {
	fn.advance(math.Inf(1))
	fn.expire(fn.end)
	fn.flush(fn.end)
}

func (fn *function) result() TargetResult {
	r := TargetResult{
		Name:          fn.name,
		Kind:          "function",
		Requests:      fn.requests,
		Served:        fn.served,
		Throttled:     fn.throttled,
		TimedOut:      fn.timedOut,
		ColdStarts:    fn.colds,
		Retries:       fn.retried,
		PeakInstances: fn.peak,
	}
	fn.stats.fill(&r)
	if fn.aliveIn > 0 {
		r.Utilization = fn.busyIn / fn.aliveIn
		r.IdleFraction = 1 - r.Utilization
	}
	return r
}
