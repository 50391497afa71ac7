package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// PoolingResult compares one fleet shared by K tenants with K dedicated
// fleets, each sized to the smallest number of slots that holds the same
// latency target over the same sample paths.
type PoolingResult struct {
	Tenants   int    `json:"tenants"`
	Criterion string `json:"criterion"`
	// OfferedLoad is one tenant's mean work in progress (arrival rate ×
	// mean service time), the slots it keeps busy on average.
	OfferedLoad    float64 `json:"offered_load"`
	SharedSlots    int     `json:"shared_slots"`
	DedicatedSlots int     `json:"dedicated_slots"` // sum over the tenants
	TenantSlots    []int   `json:"tenant_slots"`    // each dedicated fleet
	// Utilisation each design reaches: offered work over slots provided.
	SharedUtilization    float64 `json:"shared_utilization"`
	DedicatedUtilization float64 `json:"dedicated_utilization"`
	// Saving is the share of slots pooling saves: 1 − shared/dedicated.
	Saving float64 `json:"saving"`
}

// pooler sizes fleets for a pooling scenario. Tenants draw from streams of
// their own, so they are independent; with a bursty load each also gets its
// own phase, because independent on/off sources do not burst in step.
// Every evaluation replays the same streams from their seeds, so a larger
// fleet always sees exactly the requests a smaller one saw, and the search
// over sizes is monotone.
type pooler struct {
	s        *Scenario
	seed     uint64
	duration float64
	step     float64
	target   float64 // p99 latency (s); 0 means "99 % start at once"
	rates    []rateFunc
	buf      []arrival
	hist     histogram
	free     timeHeap[struct{}] // when each slot frees
	work     float64            // service seconds offered in the last evaluation
	// left is the work (in simulated requests, see budget.go) the search
	// may still do; how many sizes it must try is known only as it goes.
	left  float64
	tries int
	err   error
}

const streamTenant = 0x7e4a47 << 16

func runPooling(s *Scenario, seed uint64, duration, step float64) (*PoolingResult, error) {
	return poolWithin(s, seed, duration, step, s.budget().pooling)
}

// poolWithin is runPooling with the work its search may do.
func poolWithin(s *Scenario, seed uint64, duration, step, allow float64) (*PoolingResult, error) {
	k := s.Pooling.Tenants
	if k < 1 {
		return nil, fmt.Errorf("pooling.tenants: must be ≥ 1")
	}
	p := &pooler{
		s:        s,
		seed:     seed,
		duration: duration,
		step:     step,
		target:   seconds(s.Pooling.P99),
		hist:     newHistogram(7),
		left:     allow,
	}
	phase := rand.New(rand.NewPCG(seed, streamTenant-1))
	period := seconds(s.Load.On) + seconds(s.Load.Off)
	rate := newRateFunc(&s.Load, duration)
	for range k {
		r := rate // each tenant its own copy (it keeps state between calls)
		if s.Load.Pattern == "bursty" && period > 0 {
			r.offset = phase.Float64() * period
		}
		p.rates = append(p.rates, r)
	}
	res := &PoolingResult{Tenants: k}
	if p.target > 0 {
		res.Criterion = fmt.Sprintf("p99 latency ≤ %gs", p.target)
	} else {
		res.Criterion = "p99 wait = 0 (99 % of requests start at once)"
	}
	mean := p.rates[0].meanRate(duration, step)
	peak := 0.0
	for t := 0.0; t < duration; t += step {
		peak = max(peak, p.rates[0].at(t+step/2))
	}
	svc := seconds(s.Request.Duration)
	res.OfferedLoad = mean * svc
	aPeak := peak * svc

	// One tenant at a time first: its need is the guess for the next.
	guess := int(math.Ceil(aPeak+2*math.Sqrt(aPeak))) + 1
	work := 0.0
	for i := range k {
		c, err := p.size([]int{i}, guess)
		if err != nil {
			return nil, err
		}
		res.TenantSlots = append(res.TenantSlots, c)
		res.DedicatedSlots += c
		work += p.work
		guess = c
	}
	all := make([]int, k)
	for i := range all {
		all[i] = i
	}
	c, err := p.size(all, sharedGuess(float64(k), res.OfferedLoad, aPeak))
	if err != nil {
		return nil, err
	}
	res.SharedSlots = c
	if duration > 0 {
		res.SharedUtilization = p.work / duration / float64(c)
		res.DedicatedUtilization = work / duration / float64(res.DedicatedSlots)
	}
	res.Saving = 1 - float64(c)/float64(res.DedicatedSlots)
	return res, nil
}

// sharedGuess is where the search for the shared fleet starts: K tenants'
// mean work, plus their peaks' excess and spread shrunk by pooling (√K).
func sharedGuess(k, offered, aPeak float64) int {
	return int(math.Ceil(k*offered+math.Sqrt(k)*(aPeak-offered)+2*math.Sqrt(k*aPeak))) + 1
}

// poolLimit is the largest fleet a search from guess tries: far enough
// that a target below the service time's own p99 is reported rather than
// searched for ever, and no more slots than a run holds.
func poolLimit(guess int) int {
	return max(guess, min(64*guess+4096, maxSlots))
}

// size finds the fewest slots that meet the target for the given tenants,
// galloping out from a guess and then bisecting.
func (p *pooler) size(tenants []int, guess int) (int, error) {
	guess = max(guess, 1)
	limit := poolLimit(guess)
	var lo, hi int // lo fails (0 always does), hi meets the target
	if p.ok(tenants, guess) {
		hi = guess
		for d := 1; ; d *= 2 {
			c := hi - d
			if c < 1 {
				lo = 0
				break
			}
			if !p.ok(tenants, c) {
				lo = c
				break
			}
			hi = c
		}
	} else {
		lo = guess
		for d := 1; ; d *= 2 {
			c := lo + d
			if c > limit {
				return 0, fmt.Errorf("pooling.p99: no fleet up to %d slots holds %gs; the target is below the service time's own p99", limit, p.target)
			}
			if p.ok(tenants, c) {
				hi = c
				break
			}
			lo = c
		}
	}
	for hi-lo > 1 {
		m := (lo + hi) / 2
		if p.ok(tenants, m) {
			hi = m
		} else {
			lo = m
		}
	}
	p.ok(tenants, hi) // leave p.work for the chosen size
	if p.err != nil {
		return 0, p.err
	}
	return hi, nil
}

// ok runs the tenants' requests through a fixed FIFO fleet of c slots and
// says whether it meets the target. With fixed capacity, FIFO order and
// identical slots, each request simply takes the slot that frees first, so a
// heap of slot free times is the whole queue.
func (p *pooler) ok(tenants []int, c int) bool {
	if p.err != nil {
		return true // wind the search down: size reports the error
	}
	p.tries++
	dem := make([]*demand, len(tenants))
	for i, t := range tenants {
		dem[i] = newDemand(&p.s.Request, p.seed, streamTenant+uint64(t))
	}
	p.free.reset()
	for range c {
		p.free.push(0, struct{}{})
	}
	p.hist.reset()
	waited, n := 0, 0
	p.work = 0
	ticks := int(math.Ceil(p.duration/p.step - 1e-9))
	for k := range ticks {
		t0 := float64(k) * p.step
		dt := min(p.step, p.duration-t0)
		buf := p.buf[:0]
		for i, t := range tenants {
			buf = dem[i].tick(t0, dt, p.rates[t].at(t0+dt/2), buf)
		}
		if len(tenants) > 1 {
			slices.SortFunc(buf, func(a, b arrival) int { return cmp.Compare(a.t, b.t) })
		}
		if p.spend(float64(len(buf))*costReplay + float64(len(tenants))*costStep) {
			return true
		}
		for _, a := range buf {
			st := max(a.t, p.free.top().at)
			if st > a.t {
				waited++
			}
			n++
			p.free.replaceTop(st+a.s, struct{}{})
			p.work += a.s
			if p.target > 0 {
				p.hist.add(st + a.s - a.t)
			}
		}
		p.buf = buf
	}
	if p.target > 0 {
		return p.hist.p(0.99) <= p.target
	}
	return float64(waited) <= 0.01*float64(n)
}

// spend takes work from what the search may still do, and says when it
// has run out.
func (p *pooler) spend(w float64) bool {
	p.left -= w
	if p.left >= 0 {
		return false
	}
	p.err = fieldErr("pooling.tenants", "sizing fleets for %d tenants replays their requests once for every size it tries; "+
		"after %d tries it had not found both sizes and the run had simulated as much as the %.0e requests a run may, so use fewer tenants, a lower rate or a shorter duration",
		p.s.Pooling.Tenants, p.tries, float64(maxWork))
	return true
}
