package sim

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const setBase = `name: knobs
seed: 1
duration: 1h
load:
  pattern: spike
  rps: 5
  spikes: [{at: 10m, duration: 1m, rps: 100}, {at: 30m, duration: 2m, rps: 50}]
request: {duration: 200ms}
targets:
  - name: fleet
    kind: vm
    instance: m5.large
    count: 4
    zones: 3
    outages: [{zone: 1, at: 20m, duration: 5m}]
  - {name: fn, kind: function, memory_mb: 512}
services: [{name: sqs}, {name: s3-put, per_request: 0.5}]
`

func TestSetEveryKindOfField(t *testing.T) {
	cases := []struct {
		path, value string
		get         func(s Scenario) any
		want        any
	}{
		{"load.rps", "20", func(s Scenario) any { return s.Load.RPS }, 20.0},
		{"load.rps", "2.5", func(s Scenario) any { return s.Load.RPS }, 2.5},
		{"request.duration", "300ms", func(s Scenario) any { return s.Request.Duration }, Duration(300 * time.Millisecond)},
		{"request.duration", "0.3", func(s Scenario) any { return s.Request.Duration }, Duration(300 * time.Millisecond)},
		{"request.duration", "2", func(s Scenario) any { return s.Request.Duration }, Duration(2 * time.Second)},
		{"duration", "24h", func(s Scenario) any { return s.Duration }, Duration(24 * time.Hour)},
		{"targets.fleet.count", "12", func(s Scenario) any { return s.Targets[0].Count }, 12},
		{"targets.fleet.count", "12.0", func(s Scenario) any { return s.Targets[0].Count }, 12},
		{"targets[1].memory_mb", "1024", func(s Scenario) any { return s.Targets[1].MemoryMB }, 1024},
		{"targets.fn.arch", "arm64", func(s Scenario) any { return s.Targets[1].Arch }, "arm64"},
		{"targets.fn.free_tier", "true", func(s Scenario) any { return s.Targets[1].FreeTier }, true},
		{"targets.fn.keep_alive", "60", func(s Scenario) any { return s.Targets[1].KeepAlive }, Duration(time.Minute)},
		{"targets.fleet.target_utilization", "0.7", func(s Scenario) any { return s.Targets[0].TargetUtil }, 0.7},
		{"targets.fleet.outages[0].at", "30m", func(s Scenario) any { return s.Targets[0].Outages[0].At }, Duration(30 * time.Minute)},
		{"targets.fleet.outages[0].zone", "2", func(s Scenario) any { return s.Targets[0].Outages[0].Zone }, 2},
		{"load.spikes[0].rps", "500", func(s Scenario) any { return s.Load.Spikes[0].RPS }, 500.0},
		{"load.spikes[1].at", "45m", func(s Scenario) any { return s.Load.Spikes[1].At }, Duration(45 * time.Minute)},
		{"load.pattern", "constant", func(s Scenario) any { return s.Load.Pattern }, "constant"},
		{"seed", "7", func(s Scenario) any { return s.Seed }, uint64(7)},
		{"seed", "18446744073709551615", func(s Scenario) any { return s.Seed }, uint64(18446744073709551615)},
		{"name", "renamed", func(s Scenario) any { return s.Name }, "renamed"},
		{"pooling.tenants", "8", func(s Scenario) any { return s.Pooling.Tenants }, 8},
		{"pooling.p99", "250ms", func(s Scenario) any { return s.Pooling.P99 }, Duration(250 * time.Millisecond)},
		{"services.s3-put.per_request", "3", func(s Scenario) any { return s.Services[1].Per }, 3.0},
		{"services[0].name", "dynamodb-read", func(s Scenario) any { return s.Services[0].Name }, "dynamodb-read"},
	}
	base, err := Parse([]byte(setBase), "knobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		s := base.Clone()
		if err := s.Set(c.path, c.value); err != nil {
			t.Errorf("Set(%q, %q): %v", c.path, c.value, err)
			continue
		}
		if got := c.get(s); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Set(%q, %q): got %v, want %v", c.path, c.value, got, c.want)
		}
	}
	// Set edits only its copy.
	if base.Targets[0].Count != 4 || base.Load.Spikes[0].RPS != 100 || base.Pooling != nil || base.Targets[0].Outages[0].At != Duration(20*time.Minute) {
		t.Error("Set on a clone changed the base scenario")
	}
}

func TestSetErrors(t *testing.T) {
	cases := []struct{ path, value, want string }{
		{"load.rsp", "1", `load.rsp: unknown field "rsp" (did you mean rps?)`},
		{"lod.rps", "1", `lod.rps: unknown field "lod" (did you mean load?)`},
		{"targets.flet.count", "1", `targets.flet.count: no targets named "flet" (have fleet, fn)`},
		{"targets[5].count", "1", `targets[5].count: index 5 out of range (targets has 2)`},
		{"targets.count", "1", `targets.count: no targets named "count"`},
		{"targets", "1", `targets: targets is a list; pick one entry`},
		{"load", "1", `load: not a single value`},
		{"load.spikes.big.rps", "1", `load.spikes.big.rps: spikes is a list; pick one entry`},
		{"load.rps.x", "1", `load.rps.x: load.rps is a single value and has no field "x"`},
		{"load.rps[0]", "1", `load.rps[0]: rps is not a list`},
		{"load.rps", "fast", `load.rps: bad number "fast"`},
		{"load.rps", "-1", `load.rps: -1: must not be negative`},
		{"load.rps", "NaN", `load.rps: NaN is not a finite number`},
		{"targets.fleet.count", "12.5", `targets.fleet.count: 12.5: want a whole number`},
		{"targets.fleet.count", "", `targets.fleet.count: bad number ""`},
		{"request.duration", "3 secs", `request.duration: bad duration "3 secs"`},
		{"request.duration", "-0.3", `request.duration: bad duration "-0.3"`},
		{"targets.fn.free_tier", "sometimes", `targets.fn.free_tier: want true or false, got "sometimes"`},
		{"load.pattern", "spiky", `load.pattern: unknown pattern "spiky" (did you mean spike?`},
		{"targets.fn.arch", "arm", `targets.fn.arch: unknown arch "arm"`},
		{"targets.fn.kind", "vm", `targets.fn.kind: cannot be set`},
		{"load.file", "other.csv", `load.file: cannot be set`},
		{"load..rps", "1", `load..rps: bad path segment ""`},
		{"", "1", `empty field path`},
		{"seed", "1.5", `seed: 1.5: want a whole number`},
	}
	base, err := Parse([]byte(setBase), "knobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		s := base.Clone()
		err := s.Set(c.path, c.value)
		if err == nil {
			t.Errorf("Set(%q, %q): no error, want %q", c.path, c.value, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Set(%q, %q):\n got %q\nwant prefix %q", c.path, c.value, err, c.want)
		}
		if !reflect.DeepEqual(s.Targets, base.Targets) || !reflect.DeepEqual(s.Load, base.Load) {
			t.Errorf("Set(%q, %q) failed but changed the scenario", c.path, c.value)
		}
	}
}

// Set then Normalized: a knob that breaks a rule is caught by Normalized,
// naming the field, and a knob on request memory reaches a function that
// did not set its own.
func TestSetThenNormalized(t *testing.T) {
	base, err := Parse([]byte(setBase), "knobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := base.Clone()
	if err := s.Set("targets.fleet.count", "0"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Normalized(); err == nil || !strings.HasPrefix(err.Error(), "targets[0].count: a vm needs count ≥ 1") {
		t.Errorf("count 0: %v", err)
	}

	src := strings.Replace(setBase, "{name: fn, kind: function, memory_mb: 512}", "{name: fn, kind: function}", 1)
	s, err = Parse([]byte(src), "knobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set("request.memory_mb", "2048"); err != nil {
		t.Fatal(err)
	}
	n, err := s.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	if n.Targets[1].MemoryMB != 2048 {
		t.Errorf("function memory = %d, want 2048 from the request", n.Targets[1].MemoryMB)
	}
}

func TestCloneIsDeep(t *testing.T) {
	s, err := Parse([]byte(setBase+"pooling: {tenants: 3}\n"), "knobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.Load.Trace = []float64{1, 2}
	c := s.Clone()
	if !reflect.DeepEqual(c, s) {
		t.Fatal("clone differs from original")
	}
	c.Load.Spikes[0].RPS = 1
	c.Load.Trace[0] = 9
	c.Targets[0].Count = 99
	c.Targets[0].Outages[0].Zone = 2
	c.Services[0].Per = 7
	c.Pooling.Tenants = 9
	if s.Load.Spikes[0].RPS != 100 || s.Load.Trace[0] != 1 || s.Targets[0].Count != 4 ||
		s.Targets[0].Outages[0].Zone != 1 || s.Services[0].Per != 0 || s.Pooling.Tenants != 3 {
		t.Errorf("changing the clone changed the original: %+v", s)
	}
}

// BenchmarkKnob is what a lesson does when a knob moves: copy the base
// scenario, set one field, normalize.
func BenchmarkKnob(b *testing.B) {
	base, err := Parse([]byte(setBase), "knobs.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s := base.Clone()
		if err := s.Set("targets.fleet.count", "12"); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Normalized(); err != nil {
			b.Fatal(err)
		}
	}
}

// Switching the pattern with SetAll needs the new pattern's fields, set in
// the same call or already there: diurnal with no rates used to run with
// no requests at all.
func TestSetAllPatternSwitch(t *testing.T) {
	base, err := Parse([]byte(setBase), "knobs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sets []string
		want string // "" when it must succeed
	}{
		{[]string{"load.pattern=diurnal"}, "load.pattern: the diurnal pattern needs load.base_rps, load.peak_rps, load.peak_at too"},
		{[]string{"load.pattern=diurnal", "load.peak_rps=9"}, "needs load.base_rps, load.peak_at too"},
		{[]string{"load.pattern=diurnal", "load.base_rps=1", "load.peak_rps=9", "load.peak_at=14h"}, ""},
		{[]string{"load.pattern=diurnal", "load.base_rps=0", "load.peak_rps=0", "load.peak_at=0"}, ""}, // zero, but said
		{[]string{"load.pattern=constant"}, ""}, // rps: 5 is in the file
		{[]string{"load.pattern=spike"}, ""},    // no switch
		{[]string{"load.pattern=bursty", "load.on_rps=4"}, "needs load.on, load.off too"},
		{[]string{"load.pattern=trace"}, "needs load.file too"},
		{[]string{"load.rps"}, `"load.rps": want key.path=value`},
		{[]string{"targets.fleet.count=0"}, ""}, // Set takes it; Normalized judges it
	}
	for _, c := range cases {
		s := base.Clone()
		err := s.SetAll(c.sets)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.sets, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: %v, want %q", c.sets, err, c.want)
		}
	}
}
