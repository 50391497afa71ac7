package sim

import (
	"math"
	"slices"
)

// loadSeg is a stretch of whole ticks over which the fast model treats the
// arrival rate as constant. The event run holds the rate constant within a
// tick, sampled at the tick's midpoint; a segment's rate is the mean of
// those samples, so a segment's expected arrivals are exactly what the
// event run draws on average.
type loadSeg struct {
	t0, t1 float64 // seconds; tick boundaries (t1 may be the run's end)
	rate   float64 // requests per second
}

// smoothSegMax bounds a segment of a smooth pattern (diurnal, ramp): within
// five minutes a day's curve moves by about 1 % of its range, well inside
// what the queueing results per segment can tell apart.
const smoothSegMax = 300.0

// loadSegments cuts the run into segments of constant (or, for smooth
// patterns, nearly constant) rate, on tick boundaries, split at every
// series bucket boundary of g (when g is not nil). Piecewise-constant
// patterns (constant, business-hours, spike, bursty, trace) cost one
// segment per change of rate, not one per tick.
func loadSegments(l *Load, dur, step float64, g *grid) []loadSeg {
	rf := newRateFunc(l, dur)
	ticks := int(math.Ceil(dur/step - 1e-9))
	mid := func(k int) float64 { // the event run's sampling point of tick k
		t0 := float64(k) * step
		return t0 + min(step, dur-t0)/2
	}
	tickT := func(k int) float64 { return min(float64(k)*step, dur) }

	// Cuts: tick indices at which a new segment starts.
	cuts := []int{0, ticks}
	smooth := false
	// firstTick is the first tick whose midpoint is at or after t: the
	// tick where a change of the pattern at time t shows in the event run.
	firstTick := func(t float64) int {
		k := int(math.Ceil(t/step - 0.5))
		k = max(0, min(k, ticks))
		// Guard against rounding: step back or forward until the midpoint
		// test the event run makes agrees.
		for k > 0 && mid(k-1) >= t {
			k--
		}
		for k < ticks && mid(k) < t {
			k++
		}
		return k
	}
	perTick := false
	addBreaks := func(times []float64) {
		for _, t := range times {
			if t > 0 && t < dur {
				cuts = append(cuts, firstTick(t))
			}
		}
	}
	switch rf.kind {
	case patDiurnal, patRamp:
		smooth = true
	case patBusiness:
		var bs []float64
		for d := 0.0; d < dur; d += day {
			bs = append(bs, d, d+rf.open, d+rf.close)
		}
		addBreaks(bs)
	case patSpike:
		var bs []float64
		for _, s := range l.Spikes {
			at := seconds(s.At)
			bs = append(bs, at, at+seconds(s.Duration))
		}
		addBreaks(bs)
	case patBursty:
		if rf.period > 0 {
			if n := dur / rf.period; n*2 > float64(ticks) {
				perTick = true
			} else {
				var bs []float64
				for p := 0.0; p < dur; p += rf.period {
					bs = append(bs, p, p+rf.on)
				}
				addBreaks(bs)
			}
		}
	case patTrace:
		if rf.trStep <= 0 || len(l.Trace) == 0 {
			break
		}
		if rf.trStep < step {
			perTick = true
			break
		}
		// One cut where each row starts; rows repeat when the trace is
		// shorter than the run.
		for q := 1; float64(q)*rf.trStep < dur; q++ {
			cuts = append(cuts, firstTick(float64(q)*rf.trStep))
		}
	}
	if perTick {
		cuts = cuts[:0]
		for k := 0; k <= ticks; k++ {
			cuts = append(cuts, k)
		}
	}
	if g != nil {
		per := int(math.Round(g.width / step))
		for k := per; k < ticks; k += per {
			cuts = append(cuts, k)
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)

	maxTicks := max(1, int(smoothSegMax/step))
	segs := make([]loadSeg, 0, len(cuts))
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if !smooth {
			segs = appendSeg(segs, tickT(a), tickT(b), rf.at(mid(a)), g)
			continue
		}
		for a < b {
			e := min(b, a+maxTicks)
			segs = appendSeg(segs, tickT(a), tickT(e), smoothMean(&rf, l, a, e, ticks, step, dur, mid), g)
			a = e
		}
	}
	return segs
}

// appendSeg adds a segment, merging it into the previous one when the rate
// is the same (a trace with repeated values, business hours at night) and
// no series bucket boundary lies between them.
func appendSeg(segs []loadSeg, t0, t1, rate float64, g *grid) []loadSeg {
	if t1 <= t0 {
		return segs
	}
	if n := len(segs); n > 0 && segs[n-1].rate == rate && segs[n-1].t1 == t0 && (g == nil || g.index(segs[n-1].t0) == g.index(t0)) {
		segs[n-1].t1 = t1
		return segs
	}
	return append(segs, loadSeg{t0: t0, t1: t1, rate: rate})
}

// smoothMean is the time-weighted mean of the rate the event run samples on
// ticks [a, b): a closed form over the whole ticks (a sum of cosines, or a
// line), plus the last, shorter tick of the run if it is among them.
func smoothMean(rf *rateFunc, l *Load, a, b, ticks int, step, dur float64, mid func(int) float64) float64 {
	total, weight := 0.0, 0.0
	if b == ticks && float64(ticks)*step > dur+1e-9 {
		// The run's last tick is shorter: sample it on its own.
		last := ticks - 1
		dt := dur - float64(last)*step
		total += rf.at(mid(last)) * dt
		weight += dt
		b--
	}
	if n := b - a; n > 0 {
		var mean float64
		switch rf.kind {
		case patDiurnal:
			// Σ cos(θ0 + kΔ) for k < n = sin(nΔ/2)/sin(Δ/2) · cos(θ0 + (n−1)Δ/2).
			d := 2 * math.Pi * step / day
			th0 := 2 * math.Pi * (math.Mod(mid(a)+rf.offset, day) - rf.peakAt) / day
			var c float64
			if s := math.Sin(d / 2); math.Abs(s) < 1e-12 {
				c = math.Cos(th0)
			} else {
				c = math.Sin(float64(n)*d/2) / (float64(n) * s) * math.Cos(th0+float64(n-1)*d/2)
			}
			mean = l.BaseRPS + (l.PeakRPS-l.BaseRPS)*(1+c)/2
		default: // ramp: linear in the midpoint until the end
			mean = (rf.at(mid(a)) + rf.at(mid(b-1))) / 2
		}
		total += mean * float64(n) * step
		weight += float64(n) * step
	}
	if weight == 0 {
		return 0
	}
	return total / weight
}
