package sim

import (
	"math"
	"math/rand/v2"
)

const day = 86400.0

// rateFunc gives the load's arrival rate (requests per second) at time t
// seconds after the start. offset shifts the pattern in time; pooling uses it
// to give each tenant of a bursty load its own phase.
type rateFunc struct {
	l        *Load
	duration float64
	offset   float64
	peakAt   float64
	period   float64 // bursty on+off
	on       float64
	trStep   float64
	open     float64
	close    float64
}

func newRateFunc(l *Load, duration float64) rateFunc {
	r := rateFunc{
		l:        l,
		duration: duration,
		peakAt:   seconds(l.PeakAt),
		on:       seconds(l.On),
		period:   seconds(l.On) + seconds(l.Off),
		trStep:   l.TraceStep.Seconds(),
		open:     seconds(l.Open),
		close:    seconds(l.Close),
	}
	return r
}

func (r *rateFunc) at(t float64) float64 {
	l := r.l
	t += r.offset
	switch l.Pattern {
	case "diurnal":
		// A raised cosine over the day: peak at peak_at, base twelve hours
		// away, smooth in between, the shape of most user-facing traffic.
		tod := math.Mod(t, day)
		return l.BaseRPS + (l.PeakRPS-l.BaseRPS)*(1+math.Cos(2*math.Pi*(tod-r.peakAt)/day))/2
	case "business-hours":
		// Day 0 is a Monday; weekdays from open to close run at peak.
		d := int(t/day) % 7
		tod := math.Mod(t, day)
		if d < 5 && tod >= r.open && tod < r.close {
			return l.PeakRPS
		}
		return l.BaseRPS
	case "spike":
		v := l.RPS
		for _, s := range l.Spikes {
			at := seconds(s.At)
			if t >= at && t < at+seconds(s.Duration) {
				v += s.RPS
			}
		}
		return v
	case "bursty":
		if r.period <= 0 {
			return l.OnRPS
		}
		if math.Mod(t, r.period) < r.on {
			return l.OnRPS
		}
		return l.OffRPS
	case "ramp":
		if r.duration <= 0 {
			return l.FromRPS
		}
		f := t / r.duration
		if f > 1 {
			f = 1
		}
		return l.FromRPS + (l.ToRPS-l.FromRPS)*f
	case "trace":
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

// meanRate is the load's average rate over the scenario, sampled per tick.
func (r *rateFunc) meanRate(duration, step float64) float64 {
	n := int(math.Ceil(duration / step))
	if n == 0 {
		return 0
	}
	sum := 0.0
	for k := range n {
		t0 := float64(k) * step
		dt := math.Min(step, duration-t0)
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

// tick appends the arrivals in [t0, t0+dt) at the given rate to buf.
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

func seconds(d Duration) float64 { return float64(d) / 1e9 }
