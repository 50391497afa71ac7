package sim

import "math"

// A histogram counts non-negative values (seconds) in logarithmic buckets so
// that percentiles cost a fixed amount of memory however many requests a run
// serves. The bucket index comes straight from the bits of the float64: the
// exponent picks the octave and the top `sub` bits of the mantissa split it
// into 2^sub equal parts. With sub = 7 a bucket spans at most 1/128 of its
// lower edge, so reporting its midpoint is within 0.4 % of any value in it;
// no logarithm is computed per value.
type histogram struct {
	sub    uint // mantissa bits per octave
	shift  uint // 52 - sub
	base   int  // bucket index of histLow
	counts []uint64
	zero   uint64 // values below histLow (waits that are exactly zero, mostly)
	over   uint64 // values at or above histHigh: beyond what the buckets represent
	n      uint64
	sum    float64
	max    float64
}

const (
	histLowExp  = -20 // 2^-20 s ≈ 1 µs: anything shorter counts as zero
	histHighExp = 24  // 2^24 s ≈ 194 days: longer values are counted as beyond range
)

const (
	histLow  = 1.0 / (1 << -histLowExp)
	histHigh = float64(1 << histHighExp)
)

func newHistogram(sub uint) histogram {
	shift := 52 - sub
	return histogram{
		sub:    sub,
		shift:  shift,
		base:   int(math.Float64bits(histLow) >> shift),
		counts: make([]uint64, (histHighExp-histLowExp)<<sub),
	}
}

func (h *histogram) add(v float64) {
	h.n++
	h.sum += v
	if v > h.max {
		h.max = v
	}
	h.bucket(v)
}

// bucket counts v without touching n, sum and max (used by the per-bucket
// series histograms, which only need percentiles). One unsigned comparison
// sends zero, tiny, huge and negative-zero values to edge.
func (h *histogram) bucket(v float64) {
	i := int(math.Float64bits(v)>>h.shift) - h.base
	if uint(i) < uint(len(h.counts)) {
		h.counts[i]++
		return
	}
	h.edge(v)
}

func (h *histogram) edge(v float64) {
	if v >= histHigh {
		h.over++
		return
	}
	h.zero++
}

func (h *histogram) reset() {
	clear(h.counts)
	h.zero, h.over, h.n, h.sum, h.max = 0, 0, 0, 0, 0
}

func (h *histogram) mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// quantile returns the value at rank ceil(q·n) among the counted values: the
// midpoint of its bucket, never above the largest value seen; histHigh when
// the value is beyond range (the value is only known to be larger). total
// is the number of counted values (n, or the bucket count for series
// histograms).
func (h *histogram) quantile(q float64, total uint64) float64 {
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	if rank < 1 {
		rank = 1
	}
	if rank <= h.zero {
		return 0
	}
	seen := h.zero
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo := math.Float64frombits(uint64(i+h.base) << h.shift)
			hi := math.Float64frombits(uint64(i+h.base+1) << h.shift)
			v := (lo + hi) / 2
			if h.max > 0 && v > h.max {
				v = h.max
			}
			return v
		}
	}
	if h.over > 0 {
		return histHigh
	}
	return h.max
}

func (h *histogram) p(q float64) float64 { return h.quantile(q, h.n) }

// latencyStats gathers what a target reports about its served requests.
type latencyStats struct {
	latency histogram
	wait    histogram
	waited  int64 // served requests that waited at all
}

func newLatencyStats() latencyStats {
	return latencyStats{latency: newHistogram(7), wait: newHistogram(7)}
}

func (l *latencyStats) add(latency, wait float64) {
	l.latency.add(latency)
	if wait == 0 { // most requests: nothing to add but the count
		l.wait.n++
		l.wait.zero++
		return
	}
	l.wait.add(wait)
	l.waited++
}

func (l *latencyStats) fill(r *TargetResult) {
	r.Latency = Latency{
		Mean: l.latency.mean(),
		P50:  l.latency.p(0.50),
		P95:  l.latency.p(0.95),
		P99:  l.latency.p(0.99),
		Max:  l.latency.max,
	}
	r.Wait = Wait{Mean: l.wait.mean(), P99: l.wait.p(0.99)}
	if n := l.latency.over; n > 0 {
		r.Latency.BeyondRange, r.Latency.RangeS = int64(n), histHigh
	}
	if n := l.wait.over; n > 0 {
		r.Wait.BeyondRange, r.Wait.RangeS = int64(n), histHigh
	}
	if l.latency.n > 0 {
		r.WaitProbability = float64(l.waited) / float64(l.latency.n)
	}
}
