package sim

import (
	"strings"
	"testing"
)

// Hostile numbers are errors that name the field, never a run that takes
// hours or exhausts memory.
func TestRunRefusesWorkItCannotFinish(t *testing.T) {
	base := `name: x
duration: 24h
load: {pattern: constant, rps: 8}
request: {duration: 1s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 10}
  - {name: fn, kind: function}
`
	cases := []struct{ set, value, want string }{
		{"load.rps", "1e12", "load: up to 8.64e+16 requests"},
		{"load.rps", "1e308", "load: up to +Inf requests"},
		{"targets.fleet.count", "2000000000", "targets[0].count: 2000000000 VMs"},
		{"targets.fn.concurrency_limit", "2000000000", "targets[1].concurrency_limit: 2000000000 is more than"},
	}
	for _, c := range cases {
		s, err := Parse([]byte(base), "x.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Set(c.set, c.value); err != nil {
			t.Fatalf("Set(%s, %s): %v", c.set, c.value, err)
		}
		_, err = Run(s, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s=%s: got %v, want an error containing %q", c.set, c.value, err, c.want)
		}
	}
}

func TestOverlappingOutagesOfOneZoneAreAnError(t *testing.T) {
	_, err := Parse([]byte(`name: o
duration: 4h
load: {pattern: constant, rps: 1}
request: {duration: 1s}
targets:
  - name: f
    kind: vm
    instance: m5.large
    count: 4
    zones: 2
    outages:
      - {zone: 0, at: 1h, duration: 1h}
      - {zone: 1, at: 1h30m, duration: 1h}
      - {zone: 0, at: 1h30m, duration: 1h}
`), "o.yaml")
	if err == nil || !strings.Contains(err.Error(), "o.yaml:14: targets[0].outages[2].at: zone 0 is already down then (outages[0])") {
		t.Fatalf("got %v", err)
	}
}

// A day's simulation gets a day's share of the monthly free tier, not the
// whole month's: 24/730 of 1,000,000 requests is 32,877.
func TestFreeTierIsProRatedToTheRun(t *testing.T) {
	s, err := Parse([]byte(`name: f
duration: 24h
step: 1m
load: {pattern: constant, rps: 1}
request: {duration: 100ms}
targets:
  - {name: fn, kind: function, free_tier: true}
`), "f.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(s, Options{Pricing: testPricing(t)})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, it := range res.Targets[0].Bill {
		if strings.HasPrefix(it.Item, "Lambda requests") {
			found = true
			if !strings.Contains(it.Item, "after 32,877 free") {
				t.Errorf("request line %q: want the day's share of the free tier", it.Item)
			}
			if want := float64(res.Targets[0].Requests - 32877); it.Quantity != want {
				t.Errorf("billed requests %v, want %v", it.Quantity, want)
			}
		}
	}
	if !found {
		t.Fatalf("no request line in %+v", res.Targets[0].Bill)
	}
}

func TestServicesMustBeCountedInRequests(t *testing.T) {
	s, err := Parse([]byte(`name: s
duration: 1h
load: {pattern: constant, rps: 1}
request: {duration: 1s}
targets:
  - {name: fn, kind: function}
services:
  - {name: s3-storage}
`), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(s, Options{Pricing: testPricing(t)})
	if err == nil || !strings.Contains(err.Error(), "s3-storage is priced per GB-month, not per request") {
		t.Fatalf("got %v", err)
	}
}
