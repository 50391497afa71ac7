package sim

import "math"

// grid maps simulated time onto the series buckets. Buckets are whole
// numbers of ticks; the last one may be shorter when the duration is not a
// multiple of the bucket.
type grid struct {
	width float64
	inv   float64
	end   float64
	n     int
}

func newGrid(duration, step float64, maxBuckets int) grid {
	ticks := int(math.Ceil(duration/step - 1e-9))
	if ticks < 1 {
		ticks = 1
	}
	if maxBuckets <= 0 {
		maxBuckets = 4096
		if ticks < maxBuckets {
			maxBuckets = ticks
		}
	}
	per := (ticks + maxBuckets - 1) / maxBuckets
	width := float64(per) * step
	n := int(math.Ceil(duration/width - 1e-9))
	if n < 1 {
		n = 1
	}
	return grid{width: width, inv: 1 / width, end: duration, n: n}
}

func (g *grid) index(t float64) int {
	i := int(t * g.inv)
	if i >= g.n {
		i = g.n - 1
	}
	if i < 0 {
		i = 0
	}
	return i
}

// length is how many seconds bucket i covers.
func (g *grid) length(i int) float64 {
	if i == g.n-1 {
		return g.end - float64(i)*g.width
	}
	return g.width
}

// add spreads weight w over [a, b), clipped to the run, into per-bucket
// integrals (so a mean over a bucket is its integral over its length).
func (g *grid) add(arr []float64, a, b, w float64) {
	// Most intervals (one request's service) lie inside one bucket; this
	// much stays small enough to be inlined.
	// (Times are never negative; a == b adds nothing.)
	if i := int(a * g.inv); b <= g.end && i < len(arr) && float64(i+1)*g.width >= b {
		arr[i] += w * (b - a)
		return
	}
	g.addSpan(arr, a, b, w)
}

func (g *grid) addSpan(arr []float64, a, b, w float64) {
	if b > g.end {
		b = g.end
	}
	if a < 0 {
		a = 0
	}
	if a >= b {
		return
	}
	i := int(a * g.inv)
	if i >= g.n {
		return
	}
	for a < b {
		edge := float64(i+1) * g.width
		if edge > b || i >= g.n-1 {
			edge = b
		}
		if edge > a {
			arr[i] += w * (edge - a)
		}
		a = edge
		i++
	}
}

// count adds v to the bucket holding time t (events, not durations).
func (g *grid) count(arr []float64, t, v float64) {
	if t >= g.end {
		t = math.Nextafter(g.end, 0)
	}
	arr[g.index(t)] += v
}

// tseries accumulates one target's series while it runs.
type tseries struct {
	g         *grid
	capacity  []float64
	busy      []float64
	instances []float64
	queue     []float64
	rejected  []float64
	cold      []float64
	p99       bucketP99
}

func newTSeries(g *grid) *tseries {
	n := g.n
	return &tseries{
		g:         g,
		capacity:  make([]float64, n),
		busy:      make([]float64, n),
		instances: make([]float64, n),
		queue:     make([]float64, n),
		rejected:  make([]float64, n),
		cold:      make([]float64, n),
		p99:       newBucketP99(n),
	}
}

// out turns the integrals into per-bucket means and rates.
func (s *tseries) out(name string) TargetSeries {
	g := s.g
	ts := TargetSeries{
		Name:      name,
		Capacity:  make([]float64, g.n),
		Busy:      make([]float64, g.n),
		Instances: make([]float64, g.n),
		Queue:     make([]float64, g.n),
		Rejected:  make([]float64, g.n),
		ColdStart: make([]float64, g.n),
		P99:       s.p99.finish(),
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
	}
	return ts
}

// bucketP99 finds the p99 latency of the requests arriving in each bucket
// without a histogram per bucket: a small ring of coarse histograms (4
// mantissa bits, within 3 %, enough for a chart) holds the buckets still
// receiving results. A bucket is closed when the ring needs its slot, that
// is when a request arriving p99Ring buckets later completes; results later
// than that (only under extreme backlog) are left out of the chart's p99.
// A histogram's n counts its values here.
type bucketP99 struct {
	hist []histogram
	id   []int
	out  []float64
	cur  *histogram // the histogram of bucket curB, the last one added to
	curB int
}

const p99Ring = 16 // a power of two

func newBucketP99(n int) bucketP99 {
	b := bucketP99{
		hist: make([]histogram, p99Ring),
		id:   make([]int, p99Ring),
		out:  make([]float64, n),
		curB: -1,
	}
	for i := range b.hist {
		b.hist[i] = newHistogram(4)
		b.id[i] = -1
	}
	return b
}

// add is small enough to inline for the common case: results mostly come
// in for the same bucket as the one before.
func (b *bucketP99) add(bucket int, v float64) {
	if bucket != b.curB && !b.open(bucket) {
		return
	}
	h := b.cur
	h.bucket(v)
	h.n++
	if v > h.max {
		h.max = v
	}
}

// open makes bucket the current one, closing whatever held its slot; it
// says false when the bucket's slot has already moved on to a later one.
func (b *bucketP99) open(bucket int) bool {
	slot := bucket & (p99Ring - 1)
	if b.id[slot] != bucket {
		if b.id[slot] > bucket {
			return false
		}
		b.close(slot)
		b.id[slot] = bucket
	}
	b.cur, b.curB = &b.hist[slot], bucket
	return true
}

func (b *bucketP99) close(slot int) {
	h := &b.hist[slot]
	if b.id[slot] >= 0 && h.n > 0 {
		b.out[b.id[slot]] = h.quantile(0.99, h.n)
	}
	if h.n > 0 {
		h.reset()
	}
	if b.curB == b.id[slot] {
		b.cur, b.curB = nil, -1
	}
	b.id[slot] = -1
}

func (b *bucketP99) finish() []float64 {
	for i := range b.hist {
		b.close(i)
	}
	return b.out
}
