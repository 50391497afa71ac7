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
	heap     []fnJob // running requests
	retryQ   []retryEv
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
	finish float64
	prov   bool
}

type retryEv struct {
	at      float64
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
	for len(fn.heap) > 0 || len(fn.retryQ) > 0 {
		nb, nr := math.Inf(1), math.Inf(1)
		if len(fn.heap) > 0 {
			nb = fn.heap[0].finish
		}
		if len(fn.retryQ) > 0 {
			nr = fn.retryQ[0].at
		}
		if nb <= nr {
			if nb > t {
				return
			}
			j := fn.popJob()
			if j.prov {
				fn.provIdle++
			} else {
				fn.idle = append(fn.idle, j.finish)
			}
			continue
		}
		if nr > t {
			return
		}
		r := fn.popRetry()
		fn.attempt(r.at, r.arrival, r.service, r.attempt)
	}
}

func (fn *function) serve(batch []arrival) {
	fn.requests += int64(len(batch))
	for _, a := range batch {
		if len(fn.heap) > 0 && fn.heap[0].finish <= a.t {
			if fn.reuseTop(a) {
				continue
			}
			fn.advance(a.t)
		} else if len(fn.retryQ) > 0 {
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
	h := fn.heap
	if len(h) == 0 || h[0].finish > a.t ||
		(len(h) > 1 && h[1].finish <= a.t) || (len(h) > 2 && h[2].finish <= a.t) ||
		(len(fn.retryQ) > 0 && fn.retryQ[0].at <= a.t) {
		return false
	}
	top := h[0]
	if !top.prov && (fn.provIdle > 0 || top.finish+fn.keepAlive <= a.t) {
		return false
	}
	if fn.idleHead < len(fn.idle) && fn.idle[fn.idleHead]+fn.keepAlive <= a.t {
		fn.expire(a.t)
	}
	fn.heap[0] = fn.start(a.t, a.t, a.s, top.prov, false)
	fnSiftDown(fn.heap)
	return true
}

func (fn *function) needsTicks() bool { return false }
func (fn *function) tick(t float64)   { fn.advance(t) }

func (fn *function) attempt(t, arrival, service float64, attempt int) {
	fn.expire(t)
	if len(fn.heap) >= fn.limit {
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
		fn.pushRetry(retryEv{at: at, arrival: arrival, service: service, attempt: attempt + 1})
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
	fn.pushJob(fn.start(t, arrival, service, prov, cold))
}

// start accounts for a request that begins at t and returns its job.
func (fn *function) start(t, arrival, service float64, prov, cold bool) fnJob {
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
	j := fnJob{finish: fin, prov: prov}
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
		return j
	}
	fn.served++
	lat := fin - arrival
	fn.stats.add(lat, t+init-arrival)
	if fn.ser != nil {
		fn.ser.p99.add(bi, lat)
	}
	return j
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

func (fn *function) pushJob(j fnJob) {
	fn.heap = append(fn.heap, j)
	h := fn.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].finish <= j.finish {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = j
}

func (fn *function) popJob() fnJob {
	h := fn.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	fn.heap = h[:n]
	if n > 0 {
		fnSiftDown(fn.heap)
	}
	return top
}

// fnSiftDown restores the heap from the top, bottom-up (see siftDown).
func fnSiftDown(h []fnJob) {
	n := len(h)
	x := h[0]
	i := 0
	for {
		l := 2*i + 1
		if l+1 >= n {
			if l < n {
				h[i] = h[l]
				i = l
			}
			break
		}
		c := l // the smaller child, by bits (see siftDown)
		if math.Float64bits(h[l+1].finish) < math.Float64bits(h[l].finish) {
			c = l + 1
		}
		h[i] = h[c]
		i = c
	}
	for i > 0 {
		p := (i - 1) / 2
		if h[p].finish <= x.finish {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

func (fn *function) pushRetry(r retryEv) {
	fn.retryQ = append(fn.retryQ, r)
	h := fn.retryQ
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].at <= r.at {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = r
}

func (fn *function) popRetry() retryEv {
	h := fn.retryQ
	top := h[0]
	n := len(h) - 1
	x := h[n]
	fn.retryQ = h[:n]
	h = fn.retryQ
	if n == 0 {
		return top
	}
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && h[r].at < h[l].at {
			l = r
		}
		if x.at <= h[l].at {
			break
		}
		h[i] = h[l]
		i = l
	}
	h[i] = x
	return top
}
