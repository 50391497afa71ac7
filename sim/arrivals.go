package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

const day = 86400.0

// rateFunc gives the load's arrival rate (requests per second) at time t
// seconds after the start. offset shifts the pattern in time; pooling uses it
// to give each tenant of a bursty load its own phase.
type rateFunc struct {
	l        *Load
	kind     int
	duration float64
	offset   float64
	peakAt   float64
	period   float64 // bursty on+off
	on       float64
	trStep   float64
	open     float64
	close    float64
	spikes   spikeSteps

	// The diurnal curve's phase, advanced by rotation between ticks: the
	// run asks for one rate per tick, in order, and a cosine per tick was
	// a fifth of a lesson run's time. It is recomputed directly every
	// rotMax steps and whenever t jumps, so rounding cannot drift.
	rotOK    bool
	rotN     int
	rotT     float64
	rotD     float64
	cos, sin float64
	cd, sd   float64
}

const (
	patConstant = iota
	patDiurnal
	patBusiness
	patSpike
	patBursty
	patRamp
	patTrace
)

const rotMax = 4096

func newRateFunc(l *Load, duration float64) rateFunc {
	kind := patConstant
	switch l.Pattern {
	case "diurnal":
		kind = patDiurnal
	case "business-hours":
		kind = patBusiness
	case "spike":
		kind = patSpike
	case "bursty":
		kind = patBursty
	case "ramp":
		kind = patRamp
	case "trace":
		kind = patTrace
	}
	var spikes spikeSteps
	if kind == patSpike {
		spikes = newSpikeSteps(l)
	}
	return rateFunc{
		l:        l,
		kind:     kind,
		spikes:   spikes,
		duration: duration,
		peakAt:   seconds(l.PeakAt),
		on:       seconds(l.On),
		period:   seconds(l.On) + seconds(l.Off),
		trStep:   l.TraceStep.Seconds(),
		open:     seconds(l.Open),
		close:    seconds(l.Close),
	}
}

// phaseCos is cos(2π(t − peak_at)/day).
func (r *rateFunc) phaseCos(t float64) float64 {
	d := t - r.rotT
	if r.rotOK && r.rotN < rotMax && d > 0 && d < 3600 {
		if math.Abs(d-r.rotD) > 1e-9 {
			r.rotD = d
			r.cd, r.sd = math.Cos(2*math.Pi*d/day), math.Sin(2*math.Pi*d/day)
		}
		r.cos, r.sin = r.cos*r.cd-r.sin*r.sd, r.sin*r.cd+r.cos*r.sd
		r.rotN++
	} else {
		th := 2 * math.Pi * (mod(t, day) - r.peakAt) / day
		r.cos, r.sin = math.Cos(th), math.Sin(th)
		r.rotOK, r.rotN = true, 0
	}
	r.rotT = t
	return r.cos
}

func (r *rateFunc) at(t float64) float64 {
	l := r.l
	t += r.offset
	switch r.kind {
	case patDiurnal:
		// A raised cosine over the day: peak at peak_at, base twelve hours
		// away, smooth in between, the shape of most user-facing traffic.
		return l.BaseRPS + (l.PeakRPS-l.BaseRPS)*(1+r.phaseCos(t))/2
	case patBusiness:
		// Day 0 is a Monday; weekdays from open to close run at peak.
		d := int(t/day) % 7
		tod := mod(t, day)
		if d < 5 && tod >= r.open && tod < r.close {
			return l.PeakRPS
		}
		return l.BaseRPS
	case patSpike:
		return r.spikes.at(t)
	case patBursty:
		if r.period <= 0 {
			return l.OnRPS
		}
		if mod(t, r.period) < r.on {
			return l.OnRPS
		}
		return l.OffRPS
	case patRamp:
		if r.duration <= 0 {
			return l.FromRPS
		}
		f := t / r.duration
		if f > 1 {
			f = 1
		}
		return l.FromRPS + (l.ToRPS-l.FromRPS)*f
	case patTrace:
		// A trace shorter than the scenario is replayed from its start, so
		// a day's export can drive a week.
		if len(l.Trace) == 0 || r.trStep <= 0 {
			return 0
		}
		i := int(t/r.trStep) % len(l.Trace)
		return l.Trace[i]
	default: // constant
		return l.RPS
	}
}

// spikeSteps is a spike load's rate as a step function, so that a step
// costs the same however many spikes the load has: the rate changes only
// where a spike starts or ends. Between two such points it is the base rate
// plus the spikes then in effect, added in the file's order: bit for bit
// the sum a spike-by-spike loop gives.
type spikeSteps struct {
	from []float64 // where the rate changes, ascending
	rate []float64 // rate[i] holds from from[i] to from[i+1]; before from[0], base
	base float64
	i    int // the interval the last call found (calls mostly move forward); -1 before from[0]
}

func newSpikeSteps(l *Load) spikeSteps {
	st := spikeSteps{base: l.RPS, i: -1}
	for _, s := range l.Spikes {
		at := seconds(s.At)
		st.from = append(st.from, at, at+seconds(s.Duration))
	}
	slices.Sort(st.from)
	st.from = slices.Compact(st.from)
	for _, t := range st.from {
		v := l.RPS
		for _, s := range l.Spikes {
			at := seconds(s.At)
			if t >= at && t < at+seconds(s.Duration) {
				v += s.RPS
			}
		}
		st.rate = append(st.rate, v)
	}
	return st
}

func (st *spikeSteps) at(t float64) float64 {
	i := st.i
	if !st.holds(i, t) {
		if st.holds(i+1, t) {
			i++
		} else {
			i = sort.Search(len(st.from), func(k int) bool { return st.from[k] > t }) - 1
		}
		st.i = i
	}
	if i < 0 {
		return st.base
	}
	return st.rate[i]
}

// holds says whether t lies in interval i (-1: before the first change).
func (st *spikeSteps) holds(i int, t float64) bool {
	n := len(st.from)
	return i >= -1 && i < n && (i < 0 || st.from[i] <= t) && (i+1 >= n || t < st.from[i+1])
}

// mod is math.Mod(t, p) for the times and periods of a load, bit for bit,
// in a few nanoseconds rather than math.Mod's loop over the exponents
// (up to 250 ns a step late in a long run). The remainder of a floating-
// point division is always representable, so once the quotient q is the
// true floor, t − q·p computed with one rounding (FMA) is exact; the
// division's rounding can leave q one off, which the sign of the residue
// shows.
func mod(t, p float64) float64 {
	q := math.Floor(t / p)
	if !(t >= 0 && p > 0 && q < 1<<52) {
		return math.Mod(t, p)
	}
	r := math.FMA(-q, p, t)
	switch {
	case r < 0:
		r = math.FMA(-(q - 1), p, t)
	case r >= p:
		r = math.FMA(-(q + 1), p, t)
	}
	return r
}

// meanRate is the load's average rate over the scenario, sampled per tick.
func (r *rateFunc) meanRate(duration, step float64) float64 {
	n := int(math.Ceil(duration / step))
	if n == 0 {
		return 0
	}
	sum := 0.0
	for k := range n {
		t0 := float64(k) * step
		dt := min(step, duration-t0)
		sum += r.at(t0+dt/2) * dt
	}
	return sum / duration
}

// arrival is one request: when it arrives and how long its work takes.
type arrival struct {
	t, s float64
}

const (
	distFixed = iota
	distExponential
	distLognormal
)

// demand draws arrivals and service times from one seeded stream. It is a
// non-homogeneous Poisson process with a rate held constant within each tick:
// e holds the unit-rate "mass" left until the next arrival, and each tick
// spends rate×dt of it. That is an exact time change of a unit Poisson
// process, costs one exponential draw per arrival, never draws per empty tick
// and yields arrivals already in time order.
type demand struct {
	rng  *rand.Rand
	dist int
	mean float64
	mu   float64 // lognormal location
	sig  float64
	e    float64
	p    part
}

func newDemand(req *Request, seed, stream uint64) *demand {
	d := &demand{
		rng:  rand.New(rand.NewPCG(seed, stream)),
		mean: seconds(req.Duration),
	}
	switch req.Distribution {
	case "fixed":
		d.dist = distFixed
	case "lognormal":
		d.dist = distLognormal
		d.sig = req.Sigma
		// Choose the location so the mean is the scenario's duration.
		d.mu = math.Log(d.mean) - d.sig*d.sig/2
	default:
		d.dist = distExponential
	}
	d.e = d.rng.ExpFloat64()
	return d
}

func (d *demand) service() float64 {
	switch d.dist {
	case distFixed:
		return d.mean
	case distLognormal:
		return math.Exp(d.mu + d.sig*d.rng.NormFloat64())
	default:
		return d.mean * d.rng.ExpFloat64()
	}
}

// tick appends the arrivals in [t0, t0+dt) at the given rate to buf. (It
// is begin and next in one, without a limit: pooling's search calls it for
// every tenant on every step.)
func (d *demand) tick(t0, dt, rate float64, buf []arrival) []arrival {
	if rate <= 0 || dt <= 0 {
		return buf
	}
	left := rate * dt
	at := t0
	end := t0 + dt
	inv := 1 / rate
	for d.e < left {
		at += d.e * inv
		if at >= end { // rounding at the tick's edge
			at = math.Nextafter(end, t0)
		}
		left -= d.e
		buf = append(buf, arrival{at, d.service()})
		d.e = d.rng.ExpFloat64()
	}
	d.e -= left
	return buf
}

// part is the step being drawn: begin starts it, next hands its arrivals
// out, as many at a time as the caller holds.
type part struct {
	on               bool
	t0, end, inv, at float64
	left             float64 // unit-rate mass left in the step
}

// begin starts drawing the arrivals in [t0, t0+dt) at the given rate.
func (d *demand) begin(t0, dt, rate float64) {
	if rate <= 0 || dt <= 0 {
		d.p.on = false
		return
	}
	d.p = part{on: true, t0: t0, end: t0 + dt, inv: 1 / rate, at: t0, left: rate * dt}
}

// next appends the step's arrivals to buf until buf holds limit, and says
// whether some are left for another call. The arrivals are the same
// whatever the limit: the draw only pauses.
func (d *demand) next(buf []arrival, limit int) ([]arrival, bool) {
	p := &d.p
	if !p.on {
		return buf, false
	}
	at, left := p.at, p.left
	for d.e < left {
		if len(buf) >= limit {
			p.at, p.left = at, left
			return buf, true
		}
		at += d.e * p.inv // as in tick
		if at >= p.end {
			at = math.Nextafter(p.end, p.t0)
		}
		left -= d.e
		buf = append(buf, arrival{at, d.service()})
		d.e = d.rng.ExpFloat64()
	}
	d.e -= left
	p.on = false
	return buf, false
}

func seconds(d Duration) float64 { return float64(d) / 1e9 }
