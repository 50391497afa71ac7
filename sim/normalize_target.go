package sim

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

func (c *Scenario) normalizeVM(t *Target, p string) error {
	if err := notNegative(p, intField{"count", t.Count}, intField{"min", t.Min}, intField{"max", t.Max},
		intField{"concurrency", t.Concurrency}, intField{"queue_limit", t.QueueLimit}, intField{"zones", t.Zones}); err != nil {
		return err
	}
	if t.Instance == "" {
		return fieldErr(p+".instance", "required for a vm (e.g. m5.large)")
	}
	t.Concurrency = cmp.Or(t.Concurrency, 1)
	t.Zones = cmp.Or(t.Zones, 1)
	if t.Zones > 64 {
		return fieldErr(p+".zones", "at most 64")
	}
	t.Purchase = cmp.Or(t.Purchase, "on-demand")
	if !isEnum("purchase", t.Purchase) {
		return badEnum(p+".purchase", "purchase", t.Purchase)
	}
	if err := normalizeScaling(t, p); err != nil {
		return err
	}
	if err := checkNumber(p+".target_utilization", t.TargetUtil); err != nil {
		return err
	}
	if t.TargetUtil > 1 {
		return fieldErr(p+".target_utilization", "%g: a fraction from 0 to 1 (e.g. 0.6 for 60 %%)", t.TargetUtil)
	}
	if t.BootDelay < 0 {
		return fieldErr(p+".boot_delay", "must not be negative")
	}
	if t.Cooldown < 0 {
		return fieldErr(p+".cooldown", "must not be negative")
	}
	return c.normalizeOutages(t, p)
}

// normalizeScaling checks a fleet's size: a fixed count, or min and max for
// autoscaling, with the autoscaling defaults.
func normalizeScaling(t *Target, p string) error {
	autoscale := t.Min > 0 || t.Max > 0
	switch {
	case t.Count > 0 && autoscale:
		return fieldErr(p+".count", "give either count (a fixed fleet) or min/max (autoscaling), not both")
	case t.Count == 0 && !autoscale:
		return fieldErr(p+".count", "a vm needs count ≥ 1, or min and max for autoscaling")
	case t.Count > 0:
		// Set on a fixed fleet, these would silently change nothing.
		if t.TargetUtil != 0 {
			return fieldErr(p+".target_utilization", "not used by a fixed fleet (count); give min and max to autoscale")
		}
		if t.Cooldown != 0 {
			return fieldErr(p+".cooldown", "not used by a fixed fleet (count); give min and max to autoscale")
		}
		return nil
	}
	// Target tracking on utilisation has no signal from an empty fleet, so
	// a fleet never scales to zero.
	t.Min = max(t.Min, 1)
	if t.Max == 0 {
		return fieldErr(p+".max", "required with min (autoscaling)")
	}
	if t.Max < t.Min {
		return fieldErr(p+".max", "%d is below min %d", t.Max, t.Min)
	}
	t.TargetUtil = cmp.Or(t.TargetUtil, 0.6)
	t.BootDelay = cmp.Or(t.BootDelay, Duration(60*time.Second))
	t.Cooldown = cmp.Or(t.Cooldown, Duration(300*time.Second))
	return nil
}

func (c *Scenario) normalizeOutages(t *Target, p string) error {
	for i, o := range t.Outages {
		op := fmt.Sprintf("%s.outages[%d]", p, i)
		switch {
		case o.Zone < 0 || o.Zone >= t.Zones:
			return fieldErr(op+".zone", "%d: zones are numbered 0 to %d", o.Zone, t.Zones-1)
		case o.At < 0:
			return fieldErr(op+".at", "must not be negative")
		case c.Duration > 0 && o.At >= c.Duration:
			return fieldErr(op+".at", "%v is not before the end of the scenario (%v)", o.At, c.Duration)
		case o.Duration <= 0:
			return fieldErr(op+".duration", "must be > 0")
		}
	}
	// A zone is either down or up: overlapping outages of one zone would be
	// one longer outage, so say so rather than guess. Sorted by zone and
	// start, an outage overlaps an earlier one when it starts before the
	// latest end so far in its zone.
	order := make([]int, len(t.Outages))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		oa, ob := t.Outages[a], t.Outages[b]
		return cmp.Or(cmp.Compare(oa.Zone, ob.Zone), cmp.Compare(oa.At, ob.At), cmp.Compare(a, b))
	})
	last := -1 // the outage of this zone seen so far that ends last
	for _, i := range order {
		o := t.Outages[i]
		if last >= 0 && t.Outages[last].Zone == o.Zone {
			e := t.Outages[last]
			if o.At < e.At+e.Duration {
				return fieldErr(fmt.Sprintf("%s.outages[%d].at", p, max(i, last)), "zone %d is already down then (outages[%d]); merge the two into one outage", o.Zone, min(i, last))
			}
			if o.At+o.Duration <= e.At+e.Duration {
				continue
			}
		}
		last = i
	}
	return nil
}

func (c *Scenario) normalizeFunction(t *Target, p string) error {
	if err := notNegative(p, intField{"memory_mb", t.MemoryMB}, intField{"concurrency_limit", t.ConcurrencyLimit},
		intField{"scale_rate", t.ScaleRate}, intField{"provisioned", t.Provisioned}, intField{"retries", t.Retries}); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    Duration
	}{{"cold_start", t.ColdStart}, {"keep_alive", t.KeepAlive}, {"scale_interval", t.ScaleInterval}} {
		if f.v < 0 {
			return fieldErr(p+"."+f.name, "must not be negative")
		}
	}
	t.MemoryMB = cmp.Or(t.MemoryMB, c.Request.MemoryMB)
	if err := checkMemory(p+".memory_mb", t.MemoryMB); err != nil {
		return err
	}
	t.Arch = cmp.Or(t.Arch, "x86_64")
	if !isEnum("arch", t.Arch) {
		return badEnum(p+".arch", "arch", t.Arch)
	}
	t.ColdStart = cmp.Or(t.ColdStart, Duration(250*time.Millisecond))
	if t.ColdStart > Duration(10*time.Second) {
		// Lambda stops an init phase after 10 s.
		return fieldErr(p+".cold_start", "%v: at most 10s (Lambda's init limit)", t.ColdStart)
	}
	t.KeepAlive = cmp.Or(t.KeepAlive, Duration(10*time.Minute))
	t.ConcurrencyLimit = cmp.Or(t.ConcurrencyLimit, 1000)
	t.ScaleRate = cmp.Or(t.ScaleRate, 1000)
	t.ScaleInterval = cmp.Or(t.ScaleInterval, Duration(10*time.Second))
	switch {
	case t.Provisioned > t.ConcurrencyLimit:
		return fieldErr(p+".provisioned", "%d is above concurrency_limit %d", t.Provisioned, t.ConcurrencyLimit)
	case t.Retries > 10:
		return fieldErr(p+".retries", "at most 10")
	case c.Request.Timeout > Duration(MaxFunctionTimeout):
		return fieldErr("request.timeout", "%v is above Lambda's 15m limit, and %s is a function", c.Request.Timeout, p)
	}
	return nil
}

type intField struct {
	key string
	v   int
}

// notNegative checks whole-number fields of the target at p.
func notNegative(p string, fields ...intField) error {
	for _, f := range fields {
		if f.v < 0 {
			return fieldErr(p+"."+f.key, "must not be negative")
		}
	}
	return nil
}
