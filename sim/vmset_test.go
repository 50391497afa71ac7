package sim

import (
	"testing"
)

// A fleet that scales out and in all run long launches thousands of VMs,
// but holds only as many as were ever alive at once: the ids of stopped VMs
// are reused, and the lists a scaling action walks hold the fleet as it is.
func TestScalingReusesStoppedVMs(t *testing.T) {
	s, err := ParseFile("../bench/scenarios/scaling-churn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err = s.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	s.Targets = s.Targets[:1]
	dur, step := seconds(s.Duration), seconds(s.Step)
	f := newFleet(&s.Targets[0], &s.Request, dur, step, nil)
	maxLive := 0
	tg := &countingFleet{fleet: f, onTick: func() {
		maxLive = max(maxLive, len(f.vms.live))
		if len(f.vms.booting) > 4*f.max+64 {
			t.Fatalf("boot queue holds %d entries for a fleet of at most %d VMs", len(f.vms.booting), f.max)
		}
	}}
	drive(&s, s.Seed, dur, step, tg, nil, nil)
	f.finish()
	launches := f.launches
	t.Logf("launches %d, records %d, max live %d", launches, len(f.vms.vms), maxLive)
	if launches < 1000 {
		t.Fatalf("only %d launches: the scenario no longer churns", launches)
	}
	// Draining VMs are alive beside the fleet's max.
	if len(f.vms.vms) > 2*f.max || maxLive > 2*f.max {
		t.Errorf("%d VM records and up to %d live after %d launches; want at most %d", len(f.vms.vms), maxLive, launches, 2*f.max)
	}
	for z, n := range f.vms.inZone {
		if n != 0 {
			t.Errorf("zone %d still counts %d VMs after the run", z, n)
		}
	}
}

// countingFleet calls onTick after each of the fleet's ticks.
type countingFleet struct {
	*fleet
	onTick func()
}

func (c *countingFleet) tick(t float64) {
	c.fleet.tick(t)
	c.onTick()
}
