package sim

import (
	"fmt"
	"math"
	"regexp"
	"time"
)

// Normalizing applies a scenario's defaults and checks its values: the
// rules a file, a knob and --set must all obey. (What only a file can get
// wrong, such as an unknown key, is checked when it is read.)

// MaxFunctionTimeout is Lambda's limit on one invocation (15 minutes); a
// request timeout of 0 means this limit for function targets and no limit
// for VM fleets.
const MaxFunctionTimeout = 15 * time.Minute

// RequestTimeout is how long a request may wait and run on target t before
// it counts as timed out; 0 means never.
func (s Scenario) RequestTimeout(t Target) time.Duration {
	d := time.Duration(s.Request.Timeout)
	if t.Kind == "function" && (d == 0 || d > MaxFunctionTimeout) {
		return MaxFunctionTimeout
	}
	return d
}

// Normalized returns a copy with every default applied, or the first
// problem found, naming the field ("targets[0].count: must be ≥ 1").
// Normalizing twice gives the same scenario.
func (s Scenario) Normalized() (Scenario, error) {
	n, err := s.normalize(true)
	if err != nil {
		return Scenario{}, err
	}
	return n, nil
}

func (s Scenario) normalize(needTrace bool) (Scenario, error) {
	c := s.Clone()
	for _, step := range []func() error{
		c.checkModel,
		func() error { return c.normalizeLoad(needTrace) },
		func() error { return c.normalizeTiming(needTrace) },
		c.normalizeLoadTimes,
		c.normalizeRequest,
		c.normalizeTargets,
		c.normalizePooling,
		c.checkBudget, // what the run may do and hold: budget.go
		c.normalizeServices,
	} {
		if err := step(); err != nil {
			return c, err
		}
	}
	return c, nil
}

// normalizeTiming checks the duration and the step, and takes a trace's
// duration from the trace.
func (c *Scenario) normalizeTiming(needTrace bool) error {
	switch {
	case c.Step < 0:
		return fieldErr("step", "must not be negative")
	case c.Step == 0:
		c.Step = Duration(time.Second)
	}
	if c.Duration < 0 {
		return fieldErr("duration", "must not be negative")
	}
	trace := c.Load.Pattern == "trace"
	if c.Duration == 0 && trace && len(c.Load.Trace) > 0 {
		c.Duration = Duration(time.Duration(len(c.Load.Trace)) * c.Load.TraceStep)
	}
	if c.Duration == 0 {
		if trace && !needTrace {
			return nil // the trace, once read, gives the duration
		}
		return fieldErr("duration", "required, and must be > 0 (e.g. 24h)")
	}
	if c.Step > c.Duration {
		return fieldErr("step", "%v is longer than the duration %v", c.Step, c.Duration)
	}
	return nil
}

func (c *Scenario) normalizeRequest() error {
	r := &c.Request
	if r.Duration <= 0 {
		return fieldErr("request.duration", "required, and must be > 0 (the mean service time, e.g. 200ms)")
	}
	if r.Distribution == "" {
		r.Distribution = "exponential"
	}
	if !isEnum("distribution", r.Distribution) {
		return badEnum("request.distribution", "distribution", r.Distribution)
	}
	if err := checkNumber("request.sigma", r.Sigma); err != nil {
		return err
	}
	if r.Distribution == "lognormal" {
		if r.Sigma == 0 {
			r.Sigma = 1
		}
		if r.Sigma > 5 {
			return fieldErr("request.sigma", "%g is too wide; at most 5", r.Sigma)
		}
	}
	if r.MemoryMB == 0 {
		r.MemoryMB = 128
	}
	if err := checkMemory("request.memory_mb", r.MemoryMB); err != nil {
		return err
	}
	if r.Timeout < 0 {
		return fieldErr("request.timeout", "must not be negative")
	}
	return nil
}

var targetNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

func (c *Scenario) normalizeTargets() error {
	if len(c.Targets) == 0 {
		return fieldErr("targets", "at least one target is required")
	}
	seen := map[string]int{}
	for i := range c.Targets {
		t := &c.Targets[i]
		p := fmt.Sprintf("targets[%d]", i)
		if t.Name == "" {
			return fieldErr(p+".name", "required")
		}
		if !targetNameRE.MatchString(t.Name) {
			return fieldErr(p+".name", "%s: use letters, digits, '-' and '_' (it names the target in --set paths)", quote(t.Name))
		}
		if j, dup := seen[t.Name]; dup {
			return fieldErr(p+".name", "%s is already the name of targets[%d]", quote(t.Name), j)
		}
		seen[t.Name] = i
		if err := c.normalizeTarget(t, p); err != nil {
			return err
		}
	}
	return nil
}

func (c *Scenario) normalizeTarget(t *Target, p string) error {
	switch t.Kind {
	case "vm":
		return c.normalizeVM(t, p)
	case "function":
		return c.normalizeFunction(t, p)
	case "":
		return fieldErr(p+".kind", "required (vm or function)")
	}
	return badEnum(p+".kind", "kind", t.Kind)
}

func (c *Scenario) normalizePooling() error {
	switch p := c.Pooling; {
	case p == nil:
	case p.Tenants < 2:
		return fieldErr("pooling.tenants", "must be ≥ 2 (pooling compares several tenants)")
	case p.Tenants > 1000:
		return fieldErr("pooling.tenants", "at most 1000")
	case p.P99 < 0:
		return fieldErr("pooling.p99", "must not be negative")
	}
	return nil
}

func (c *Scenario) normalizeServices() error {
	for i := range c.Services {
		sv := &c.Services[i]
		p := fmt.Sprintf("services[%d]", i)
		if sv.Name == "" {
			return fieldErr(p+".name", "required")
		}
		// Service names are checked against the price table when the run is
		// priced, so a table can add services without a change here.
		if err := checkNumber(p+".per_request", sv.Per); err != nil {
			return err
		}
		if sv.Per == 0 {
			sv.Per = 1
		}
	}
	return nil
}

// peakRPS is the highest rate the load can reach: an upper bound, since
// spikes are counted as if they all overlapped.
func (l Load) peakRPS() float64 {
	switch l.Pattern {
	case "diurnal", "business-hours":
		return max(l.BaseRPS, l.PeakRPS)
	case "bursty":
		return max(l.OnRPS, l.OffRPS)
	case "ramp":
		return max(l.FromRPS, l.ToRPS)
	case "trace":
		peak := 0.0
		for _, r := range l.Trace {
			peak = max(peak, r)
		}
		return peak
	case "spike":
		peak := l.RPS
		for _, sp := range l.Spikes {
			peak += sp.RPS
		}
		return peak
	}
	return l.RPS
}

func checkNumber(field string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fieldErr(field, "not a finite number")
	}
	if v < 0 {
		return fieldErr(field, "must not be negative")
	}
	return nil
}

func checkMemory(field string, mb int) error {
	if mb < 128 || mb > 10240 {
		return fieldErr(field, "%d MB: must be from 128 to 10240 (Lambda's range)", mb)
	}
	return nil
}
