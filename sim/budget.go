package sim

import (
	"fmt"
	"math"
	"time"
)

// A run's budget. A scenario is refused, naming the field to change, when
// what it could make the engine do or hold is over these limits, so that
// every file within them finishes in seconds on a laptop and holds a few
// hundred MB at most whatever its traffic does (docs/scenarios.md, "Limits
// on the size of a run").
//
// Work is counted in simulated requests: one unit is what one request
// through one target costs (100-150 ns on a two-core laptop), and other
// work is weighed against it (the cost* constants). Counts are upper bounds
// that the worst traffic the file allows reaches (every request at the
// load's peak rate, retried as often as allowed, a scale-in at every
// cooldown): a bound that holds only for typical traffic is no bound. The
// one part known only as it goes, pooling's search for fleet sizes, is
// metered while it runs (pooler.spend).
const (
	maxWork   = 100_000_000 // simulated requests (see above)
	maxMemory = 512 << 20   // bytes of simulation state
	maxTicks  = 100_000_000 // steps: duration over step
	// maxSlots bounds a fleet's size (VMs × concurrency), a function's
	// concurrency limit and pooling's fleets: each slot is memory.
	maxSlots = 1_000_000
	// maxWaiting is how many requests a fleet's queue holds when the
	// scenario sets no queue_limit; later arrivals are dropped and
	// counted apart (TargetResult.DroppedQueueFull), so an overloaded
	// fleet holds memory for its queue, not for every request that came.
	maxWaiting = 1 << 18
	maxSpikes  = 1000 // spikes of a spike load
	maxOutages = 1000 // outages of one fleet
)

// Work other than a request through a target, in requests: set from the
// CPU time of the files in testdata/hostile (bench/hostile.sh) and their
// profiles.
const (
	costStep       = 0.2 // a step of a target with nothing timed to do (the arrival loop)
	costStepTimed  = 0.4 // a step of a fleet that scales or has outages
	costSlotAction = 0.2 // a slot launched, stopped or swept by a scaling action or an outage
	costReplay     = 1.5 // a request replayed by pooling's search (drawn, merged, queued)
	costRetry      = 1.5 // a throttled attempt and its retry (backoff drawn, queued, tried again)
)

// State, in bytes per item, with room for slices that grow by doubling.
const (
	bytesPerTarget  = 1 << 20 // statistics, series, goroutine
	bytesPerSlot    = 56      // a fleet's running request and idle slot
	bytesPerVM      = 96      // a VM's record and list entries
	bytesPerWaiting = 32      // a queued request (16 bytes, in a ring that doubles: old and new while it grows)
	bytesPerEnv     = 48      // a function environment: running request and idle entry
	bytesPerRetry   = 64      // a request waiting to retry
	bytesPerArrival = 32      // a request in a step's batch
	bytesPerPooled  = 16      // a slot of pooling's fleets
)

// budgetPart names a part of a run's cost, for the message that refuses it.
type budgetPart uint8

const (
	partRequests  budgetPart = iota // work: requests through the targets
	partSteps                       // work: steps through the targets
	partOutages                     // work: a fixed fleet's outages
	partScaling                     // work: an autoscaled fleet's actions
	partRetries                     // work: a function's retries
	partPooling                     // work: pooling's fewest replays
	partTargets                     // memory: per target
	partTrace                       // memory: the trace's rows
	partFleet                       // memory: a fleet's slots and VMs
	partQueue                       // memory: a fleet's queue
	partEnvs                        // memory: a function's environments
	partRetryWait                   // memory: requests waiting to retry
	partPoolStep                    // memory: a step's arrivals of every tenant
	partPoolFleet                   // memory: pooling's shared fleet
)

// budgetItem is one part of a run's cost, in requests or bytes; target is
// the index of the target it belongs to, if any.
type budgetItem struct {
	part   budgetPart
	target int
	amount float64
}

// tally adds up items and keeps the largest. (A run's budget is figured
// on every knob change, so it keeps no list and writes no text unless a
// message needs it.)
type tally struct {
	total float64
	top   budgetItem
}

func (t *tally) add(it budgetItem) {
	t.total += it.amount
	if !(it.amount <= t.top.amount) { // NaN included
		t.top = it
	}
}

// runBudget is what a normalized scenario could make a run do and hold.
type runBudget struct {
	s                      *Scenario
	dur, step, ticks, peak float64
	reqs                   float64 // the most arrivals a target sees
	atPeak                 bool    // reqs is the peak rate over the duration
	requests               float64 // reqs through every target
	work, memory           tally
	// pooling is the work pooling's search may do once the targets have
	// run.
	pooling float64
}

// checkBudget refuses a normalized scenario whose run could be over the
// limits, naming the field that weighs most and the limit.
func (c *Scenario) checkBudget() error {
	for i := range c.Targets {
		if err := checkTargetSize(c.Targets, i); err != nil {
			return err
		}
	}
	if n := len(c.Load.Spikes); n > maxSpikes {
		return fieldErr("load.spikes", "%d spikes; at most %d", n, maxSpikes)
	}
	if c.Duration <= 0 || c.Step <= 0 {
		return nil // a trace not loaded yet: checked again once it is
	}
	if ticks := int64(c.Duration) / int64(c.Step); ticks > maxTicks {
		return fieldErr("step", "%v over %v is %d ticks; at most %d (use a longer step)", c.Step, c.Duration, ticks, maxTicks)
	}
	if !c.eventCapApplies() {
		return nil // the fast model's work does not grow with requests (fast.go)
	}
	b := c.budget()
	// The requests keep a message of their own: it is the limit most
	// files meet, and the one a reader acts on directly.
	if !(b.requests <= maxWork) {
		field, what, hint := b.describe(budgetItem{part: partRequests})
		return fieldErr(field, "%s; a run simulates at most %.0e, so %s", what, float64(maxWork), hint)
	}
	if !(b.work.total <= maxWork) {
		field, what, hint := b.describe(b.work.top)
		return fieldErr(field, "%s: with the rest, the run would simulate as much as %.3g requests; a run simulates at most %.0e, so %s",
			what, b.work.total, float64(maxWork), hint)
	}
	if !(b.memory.total <= maxMemory) {
		field, what, hint := b.describe(b.memory.top)
		return fieldErr(field, "%s: about %s of memory, and the run would hold about %s in all; a run holds at most %s, so %s",
			what, megabytes(b.memory.top.amount), megabytes(b.memory.total), megabytes(maxMemory), hint)
	}
	return nil
}

// checkTargetSize bounds target i's slots and lists.
func checkTargetSize(targets []Target, i int) error {
	t := &targets[i]
	switch t.Kind {
	case "vm":
		if vms, slots := fleetSize(t); slots > maxSlots {
			field := ".count"
			if t.Max > t.Count {
				field = ".max"
			}
			return fieldErr(fmt.Sprintf("targets[%d]%s", i, field), "%.0f VMs × concurrency %d is more than the %d slots a run can hold", vms, t.Concurrency, maxSlots)
		}
		if n := len(t.Outages); n > maxOutages {
			return fieldErr(fmt.Sprintf("targets[%d].outages", i), "%d outages; at most %d", n, maxOutages)
		}
	case "function":
		if t.ConcurrencyLimit > maxSlots {
			return fieldErr(fmt.Sprintf("targets[%d].concurrency_limit", i), "%d is more than the %d environments a run can hold", t.ConcurrencyLimit, maxSlots)
		}
	}
	return nil
}

// budget adds up what the run could cost.
func (c *Scenario) budget() runBudget {
	b := runBudget{s: c}
	b.dur = time.Duration(c.Duration).Seconds()
	b.step = time.Duration(c.Step).Seconds()
	b.ticks = math.Ceil(b.dur/b.step - 1e-9)
	b.peak = c.Load.peakRPS()
	b.reqs, b.atPeak = mostArrivals(&c.Load, b.dur, b.step)
	n := float64(len(c.Targets))
	b.requests = b.reqs * n
	b.work.add(budgetItem{part: partRequests, amount: b.requests})
	b.memory.add(budgetItem{part: partTargets, amount: n * (bytesPerTarget + min(b.peak*b.step, maxArrivalBatch)*bytesPerArrival)})
	if rows := len(c.Load.Trace); rows > 0 {
		b.memory.add(budgetItem{part: partTrace, amount: float64(rows) * 8})
	}
	perStep := 0.0
	for i := range c.Targets {
		t := &c.Targets[i]
		switch t.Kind {
		case "vm":
			perStep += costStep
			if t.Count == 0 || len(t.Outages) > 0 {
				perStep += costStepTimed - costStep
			}
			b.addFleet(t, i)
		case "function":
			perStep += costStep
			b.addFunction(t, i)
		}
	}
	b.work.add(budgetItem{part: partSteps, amount: b.ticks * perStep})
	if c.Pooling != nil {
		b.addPooling()
	}
	return b
}

// mostArrivals bounds the arrivals a target sees: the load's peak rate over
// the whole duration, or less where the pattern says how long its peaks
// last (spikes, a trace's rows). A step runs at the rate of its middle, so
// a spike or a trace row reaches at most one step further than it lasts.
// (This is the expected count; a Poisson count is above it by a few
// standard deviations at most.)
func mostArrivals(l *Load, dur, step float64) (n float64, atPeak bool) {
	most := l.peakRPS() * dur
	switch l.Pattern {
	case "spike":
		n = l.RPS * dur
		for _, sp := range l.Spikes {
			n += sp.RPS * min(dur, (math.Floor(seconds(sp.Duration)/step)+1)*step)
		}
	case "trace":
		if len(l.Trace) == 0 || l.TraceStep <= 0 {
			return most, true
		}
		row := l.TraceStep.Seconds()
		total := 0.0
		for _, v := range l.Trace {
			total += v
		}
		// A trace shorter than the run is replayed from its start.
		n = total * (row + step) * math.Ceil(dur/(row*float64(len(l.Trace))))
	default:
		return most, true
	}
	if !(n < most) {
		return most, true
	}
	return n, false
}

// fleetSize is a fleet's most VMs and slots.
func fleetSize(t *Target) (vms, slots float64) {
	vms = float64(max(t.Count, t.Max))
	return vms, vms * float64(max(t.Concurrency, 1))
}

// scaleIns bounds an autoscaled fleet's scale-ins: one a cooldown, one a
// step at most.
func scaleIns(t *Target, dur, ticks float64) float64 {
	if cd := time.Duration(t.Cooldown).Seconds(); cd > 0 {
		return min(ticks, math.Floor(dur/cd)+1)
	}
	return ticks
}

// launchedSlots bounds the slots a fleet launches: every VM it launches is
// stopped by a scale-in (which stops at most the whole fleet), lost in an
// outage, or running at the end, so it launches at most its size once per
// scale-in and outage, and once more (a fixed fleet regains a zone's VMs
// after an outage).
func launchedSlots(t *Target, dur, ticks float64) float64 {
	_, slots := fleetSize(t)
	outages := float64(len(t.Outages))
	if t.Count > 0 {
		return (outages + 1) * slots
	}
	return (scaleIns(t, dur, ticks) + 2*outages + 2) * slots
}

func (b *runBudget) addFleet(t *Target, i int) {
	vms, slots := fleetSize(t)
	b.memory.add(budgetItem{part: partFleet, target: i, amount: slots*bytesPerSlot + vms*bytesPerVM})
	b.memory.add(budgetItem{part: partQueue, target: i, amount: queueBound(t) * bytesPerWaiting})
	// Each slot launched is also stopped and swept once.
	switch {
	case t.Count == 0:
		b.work.add(budgetItem{part: partScaling, target: i, amount: 2 * launchedSlots(t, b.dur, b.ticks) * costSlotAction})
	case len(t.Outages) > 0:
		b.work.add(budgetItem{part: partOutages, target: i, amount: 2 * launchedSlots(t, b.dur, b.ticks) * costSlotAction})
	}
}

// queueBound is the most requests a fleet's queue holds.
func queueBound(t *Target) float64 {
	if t.QueueLimit > 0 {
		return float64(t.QueueLimit)
	}
	return maxWaiting
}

func (b *runBudget) addFunction(t *Target, i int) {
	b.memory.add(budgetItem{part: partEnvs, target: i, amount: float64(t.ConcurrencyLimit) * bytesPerEnv})
	if t.Retries == 0 {
		return
	}
	b.work.add(budgetItem{part: partRetries, target: i, amount: b.reqs * float64(t.Retries) * costRetry})
	b.memory.add(budgetItem{part: partRetryWait, target: i, amount: b.retryWaiting(t) * bytesPerRetry})
}

// retryWaiting bounds the requests waiting to retry at once: a request
// waits for at most the sum of its backoffs, so at most that many seconds
// of arrivals wait together.
func (b *runBudget) retryWaiting(t *Target) float64 {
	wait := 0.0
	for a := range t.Retries {
		wait += min(backoffCap, backoffBase*math.Ldexp(1, a))
	}
	return min(b.reqs, b.peak*wait)
}

// poolingLeastTries is the fewest sizes pooling's search tries per fleet
// (the guess and the answer).
const poolingLeastTries = 2

// addPooling counts the least pooling's search can do: every size it
// tries replays the tenants' requests, for each tenant alone and for all
// together. What it does beyond that is metered as it runs, against what
// the targets leave of the budget.
func (b *runBudget) addPooling() {
	k := float64(b.s.Pooling.Tenants)
	b.pooling = maxWork - b.work.total
	b.work.add(budgetItem{part: partPooling, amount: 2 * poolingLeastTries * k * (b.reqs*costReplay + b.ticks*costStep)})
	b.memory.add(budgetItem{part: partPoolStep, amount: k * b.peak * b.step * bytesPerArrival})
	b.memory.add(budgetItem{part: partPoolFleet, amount: b.poolSlots() * bytesPerPooled})
}

// poolSlots bounds the shared fleet pooling's search may try.
func (b *runBudget) poolSlots() float64 {
	a := b.peak * time.Duration(b.s.Request.Duration).Seconds()
	return float64(poolLimit(sharedGuess(float64(b.s.Pooling.Tenants), a, a)))
}

// describe writes what an item is: the field that sets it, what it counts
// and what would lower it.
func (b *runBudget) describe(it budgetItem) (field, what, hint string) {
	c := b.s
	var t *Target
	p := ""
	if it.target < len(c.Targets) {
		t, p = &c.Targets[it.target], fmt.Sprintf("targets[%d]", it.target)
	}
	switch it.part {
	case partRequests:
		each, hint := "", "lower the rate or shorten the duration"
		if len(c.Targets) > 1 {
			each = fmt.Sprintf(", through each of %d targets", len(c.Targets))
			hint = "lower the rate, shorten the duration or use fewer targets"
		}
		if c.Pooling == nil {
			// The fast model's work does not grow with the requests.
			hint += ", or set model: auto"
		}
		if b.atPeak {
			return "load", fmt.Sprintf("up to %.3g requests (%.4g req/s at the peak for %v%s)", b.reqs, b.peak, c.Duration, each), hint
		}
		return "load", fmt.Sprintf("up to %.3g requests (at most %.4g req/s on average for %v%s)", b.reqs, b.reqs/b.dur, c.Duration, each), hint
	case partSteps:
		return "step", fmt.Sprintf("%.0f steps through %s", b.ticks, plural(len(c.Targets), "target")), "use a longer step or a shorter duration"
	case partOutages:
		_, slots := fleetSize(t)
		return p + ".outages", fmt.Sprintf("%s of a fleet of %.0f slots", plural(len(t.Outages), "outage"), slots), "use fewer outages or a smaller fleet"
	case partScaling:
		_, slots := fleetSize(t)
		also := ""
		if len(t.Outages) > 0 {
			also = " and " + plural(len(t.Outages), "outage")
		}
		return p + ".cooldown", fmt.Sprintf("up to %.0f scale-ins (one a cooldown of %v)%s of a fleet of up to %.0f slots",
			scaleIns(t, b.dur, b.ticks), t.Cooldown, also, slots), "use a longer cooldown or a smaller max"
	case partRetries:
		return p + ".retries", fmt.Sprintf("%d retries let each of up to %.3g requests be tried %d times", t.Retries, b.reqs, t.Retries+1),
			"use fewer retries, a lower rate or a shorter duration"
	case partPooling:
		return "pooling.tenants", fmt.Sprintf("sizing fleets for %d tenants replays each one's %.3g requests at least %d times alone and %d together",
			c.Pooling.Tenants, b.reqs, poolingLeastTries, poolingLeastTries), "use fewer tenants, a lower rate or a shorter duration"
	case partTargets:
		return "targets", plural(len(c.Targets), "target"), "use fewer targets"
	case partTrace:
		return "load.file", plural(len(c.Load.Trace), "trace row"), "use a shorter trace"
	case partFleet:
		vms, slots := fleetSize(t)
		field := p + ".count"
		if t.Count == 0 {
			field = p + ".max"
		}
		return field, fmt.Sprintf("%.0f slots on %.0f VMs", slots, vms), "use fewer or larger VMs"
	case partQueue:
		return p + ".queue_limit", fmt.Sprintf("up to %.0f waiting requests", queueBound(t)), "set a smaller queue_limit"
	case partEnvs:
		return p + ".concurrency_limit", fmt.Sprintf("%d environments", t.ConcurrencyLimit), "lower concurrency_limit"
	case partRetryWait:
		return p + ".retries", fmt.Sprintf("up to %.3g requests waiting to retry", b.retryWaiting(t)), "use fewer retries or a lower rate"
	case partPoolStep:
		return "step", fmt.Sprintf("a step's arrivals from %d tenants (up to %.3g)", c.Pooling.Tenants, float64(c.Pooling.Tenants)*b.peak*b.step),
			"use a shorter step"
	default: // partPoolFleet
		return "pooling.tenants", fmt.Sprintf("a shared fleet for %d tenants (up to %.0f slots)", c.Pooling.Tenants, b.poolSlots()),
			"use fewer tenants or a lower rate"
	}
}

func megabytes(b float64) string { return fmt.Sprintf("%.0f MB", b/(1<<20)) }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
