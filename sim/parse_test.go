package sim

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"go.yaml.in/yaml/v3"
)

// lunch is the issue's example scenario, the contract others script against.
const lunch = `name: lunch-rush
seed: 42
duration: 24h
step: 1s
load: {pattern: constant, rps: 8}
request: {duration: 1s, distribution: exponential, memory_mb: 512, timeout: 30s}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 10, concurrency: 1}
  - {name: lambda, kind: function, memory_mb: 512, arch: x86_64, cold_start: 300ms, keep_alive: 10m, concurrency_limit: 1000}
`

func TestParseIssueExample(t *testing.T) {
	s, err := Parse([]byte(lunch), "lunch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Scenario{
		Name: "lunch-rush", Seed: 42, Duration: Duration(24 * time.Hour), Step: Duration(time.Second),
		Load:    Load{Pattern: "constant", RPS: 8},
		Request: Request{Duration: Duration(time.Second), Distribution: "exponential", MemoryMB: 512, Timeout: Duration(30 * time.Second)},
		Targets: []Target{
			{Name: "fleet", Kind: "vm", Instance: "m5.large", Count: 10, Concurrency: 1},
			{Name: "lambda", Kind: "function", MemoryMB: 512, Arch: "x86_64", ColdStart: Duration(300 * time.Millisecond),
				KeepAlive: Duration(10 * time.Minute), ConcurrencyLimit: 1000},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("Parse:\n got %+v\nwant %+v", s, want)
	}
}

func TestNormalizedDefaults(t *testing.T) {
	src := `duration: 1h
load: {pattern: constant, rps: 1}
request: {duration: 100ms, memory_mb: 256}
targets:
  - {name: fixed, kind: vm, instance: t3.micro, count: 2}
  - {name: auto, kind: vm, instance: t3.micro, max: 5}
  - {name: fn, kind: function}
pooling: {tenants: 4}
services: [{name: sqs}]
`
	s, err := Parse([]byte(src), "defaults.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "defaults" {
		t.Errorf("name from file = %q, want defaults", s.Name)
	}
	n, err := s.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("step", n.Step, Duration(time.Second))
	check("distribution", n.Request.Distribution, "exponential")
	check("request timeout", n.Request.Timeout, Duration(0))
	fixed, auto, fn := n.Targets[0], n.Targets[1], n.Targets[2]
	check("fixed concurrency", fixed.Concurrency, 1)
	check("fixed zones", fixed.Zones, 1)
	check("fixed purchase", fixed.Purchase, "on-demand")
	check("fixed target util (no autoscaling)", fixed.TargetUtil, 0.0)
	check("auto min", auto.Min, 1)
	check("auto max", auto.Max, 5)
	check("auto target util", auto.TargetUtil, 0.6)
	check("auto boot delay", auto.BootDelay, Duration(60*time.Second))
	check("auto cooldown", auto.Cooldown, Duration(300*time.Second))
	check("fn memory from request", fn.MemoryMB, 256)
	check("fn arch", fn.Arch, "x86_64")
	check("fn cold start", fn.ColdStart, Duration(250*time.Millisecond))
	check("fn keep alive", fn.KeepAlive, Duration(10*time.Minute))
	check("fn concurrency limit", fn.ConcurrencyLimit, 1000)
	check("fn scale rate", fn.ScaleRate, 1000)
	check("fn scale interval", fn.ScaleInterval, Duration(10*time.Second))
	check("service per request", n.Services[0].Per, 1.0)
	check("vm timeout", n.RequestTimeout(fixed), time.Duration(0))
	check("function timeout", n.RequestTimeout(fn), 15*time.Minute)

	// Normalizing leaves the input alone and is idempotent.
	if s.Targets[2].ColdStart != 0 || s.Step != 0 {
		t.Error("Normalized changed its receiver")
	}
	again, err := n.Normalized()
	if err != nil || !reflect.DeepEqual(again, n) {
		t.Errorf("Normalized twice differs: %v\n%+v\n%+v", err, again, n)
	}
}

func TestNormalizedLognormalAndBusinessHours(t *testing.T) {
	s := Scenario{
		Duration: Duration(time.Hour),
		Load:     Load{Pattern: "business-hours", BaseRPS: 1, PeakRPS: 10},
		Request:  Request{Duration: Duration(time.Second), Distribution: "lognormal"},
		Targets:  []Target{{Name: "f", Kind: "function"}},
	}
	n, err := s.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	if n.Request.Sigma != 1 || n.Request.MemoryMB != 128 {
		t.Errorf("sigma %v memory %v, want 1 and 128", n.Request.Sigma, n.Request.MemoryMB)
	}
	if n.Load.Open != Duration(9*time.Hour) || n.Load.Close != Duration(17*time.Hour) {
		t.Errorf("open %v close %v, want 9h and 17h", n.Load.Open, n.Load.Close)
	}
}

// TestParseErrors: each kind of malformed file gives its own error, naming
// the file, the line and the field.
func TestParseErrors(t *testing.T) {
	// base is a valid file in block style, one field per line, so that the
	// cases can point at lines.
	base := `name: t
duration: 1h
load:
  pattern: constant
  rps: 8
request:
  duration: 1s
targets:
  - name: fleet
    kind: vm
    instance: m5.large
    count: 2
  - name: fn
    kind: function
    cold_start: 300ms
`
	if _, err := Parse([]byte(base), "t.yaml"); err != nil {
		t.Fatalf("base scenario: %v", err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("base has no %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	cases := []struct {
		name, src, want string
	}{
		{"bad duration", edit("cold_start: 300ms", "cold_start: 3 secs"),
			`t.yaml:15: targets[1].cold_start: bad duration "3 secs"`},
		{"duration without unit", edit("duration: 1h", "duration: 3600"),
			`t.yaml:2: duration: bad duration "3600": give a unit`},
		{"negative duration", edit("cold_start: 300ms", "cold_start: -1s"),
			`t.yaml:15: targets[1].cold_start: duration "-1s" must not be negative`},
		{"unknown key", edit("cold_start: 300ms", "cold_strat: 300ms"),
			`t.yaml:15: targets[1]: unknown field "cold_strat" (did you mean cold_start?)`},
		{"unknown top-level key", "colour: red\n" + base,
			`t.yaml:1: unknown field "colour"`},
		{"wrong type number", edit("rps: 8", "rps: lots"),
			`t.yaml:5: load.rps: want a number, got string "lots"`},
		{"quoted number", edit("rps: 8", `rps: "8"`),
			`t.yaml:5: load.rps: want a number, got string "8"`},
		{"wrong type list", edit("count: 2", "count: [2]"),
			`t.yaml:12: targets[0].count: want a whole number, got a list`},
		{"targets not a list", strings.Split(base, "targets:")[0] + "targets: {name: x}\n",
			`t.yaml:8: targets: want a list, got a mapping`},
		{"negative int", edit("count: 2", "count: -2"),
			`t.yaml:12: targets[0].count: -2: must not be negative`},
		{"negative float", edit("rps: 8", "rps: -8"),
			`t.yaml:5: load.rps: -8: must not be negative`},
		{"fractional int", edit("count: 2", "count: 2.5"),
			`t.yaml:12: targets[0].count: 2.5: want a whole number`},
		{"infinite", edit("rps: 8", "rps: .inf"),
			`t.yaml:5: load.rps: .inf is not a finite number`},
		{"bool", edit("cold_start: 300ms", "cold_start: 300ms\n    free_tier: maybe"),
			`t.yaml:16: targets[1].free_tier: want true or false, got string "maybe"`},
		{"empty value", edit("rps: 8", "rps:"),
			`t.yaml:5: load.rps: has no value`},
		{"missing duration", edit("duration: 1h\n", ""),
			`t.yaml:1: duration: required`},
		{"missing targets", strings.Split(base, "targets:")[0],
			`t.yaml:1: targets: required`},
		{"missing pattern", edit("  pattern: constant\n", ""),
			`t.yaml:3: load.pattern: required`},
		{"missing pattern field", edit("  rps: 8\n", ""),
			`t.yaml:3: load.rps: required by the constant pattern`},
		{"missing request duration", edit("  duration: 1s\n", "  memory_mb: 256\n"),
			`t.yaml:6: request.duration: required`},
		{"missing target kind", edit("    kind: vm\n", ""),
			`t.yaml:9: targets[0].kind: required`},
		{"missing instance", edit("    instance: m5.large\n", ""),
			`t.yaml:9: targets[0].instance: required for a vm`},
		{"empty instance", edit("instance: m5.large", `instance: ""`),
			`t.yaml:11: targets[0].instance: required for a vm`},
		{"unknown pattern", edit("pattern: constant", "pattern: constnt"),
			`t.yaml:4: load.pattern: unknown pattern "constnt" (did you mean constant?`},
		{"unknown kind", edit("kind: vm", "kind: container"),
			`t.yaml:10: targets[0].kind: unknown kind "container" (want vm, function)`},
		{"unknown distribution", edit("  duration: 1s\n", "  duration: 1s\n  distribution: normal\n"),
			`t.yaml:8: request.distribution: unknown distribution "normal"`},
		{"unknown arch", edit("cold_start: 300ms", "arch: arm"),
			`t.yaml:15: targets[1].arch: unknown arch "arm"`},
		{"unknown purchase", edit("count: 2", "count: 2\n    purchase: spot"),
			`t.yaml:13: targets[0].purchase: unknown purchase "spot"`},
		{"service without name", base + "services: [{per_request: 2}]\n",
			`t.yaml:16: services[0].name: required`},
		{"duplicate key", edit("rps: 8", "rps: 8\n  rps: 9"),
			`t.yaml:6: load.rps: written twice`},
		{"duplicate target name", edit("name: fn", "name: fleet"),
			`t.yaml:13: targets[1].name: "fleet" is already the name of targets[0]`},
		{"bad target name", edit("name: fn", "name: my fn"),
			`t.yaml:13: targets[1].name: "my fn": use letters`},
		{"zero count", edit("count: 2", "count: 0"),
			`t.yaml:12: targets[0].count: a vm needs count ≥ 1, or min and max`},
		{"count and max", edit("count: 2", "count: 2\n    max: 4"),
			`t.yaml:12: targets[0].count: give either count`},
		{"min without max", edit("count: 2", "min: 2"),
			`t.yaml:9: targets[0].max: required with min`},
		{"max below min", edit("count: 2", "min: 4\n    max: 2"),
			`t.yaml:13: targets[0].max: 2 is below min 4`},
		{"utilisation as percent", edit("count: 2", "max: 4\n    target_utilization: 60"),
			`t.yaml:13: targets[0].target_utilization: 60: a fraction`},
		{"function setting on vm", edit("count: 2", "count: 2\n    memory_mb: 512"),
			`t.yaml:13: targets[0].memory_mb: not used by a vm`},
		{"concurrency on function", edit("cold_start: 300ms", "concurrency: 10"),
			`t.yaml:15: targets[1].concurrency: not used by a function; a function serves one request per instance: did you mean concurrency_limit?`},
		{"autoscaling key on fixed fleet", edit("count: 2", "count: 2\n    cooldown: 60s"),
			`t.yaml:13: targets[0].cooldown: not used by a fixed fleet`},
		{"field of another pattern", edit("rps: 8", "rps: 8\n  peak_rps: 20"),
			`t.yaml:6: load.peak_rps: not used by the constant pattern`},
		{"sigma without lognormal", edit("  duration: 1s\n", "  duration: 1s\n  sigma: 2\n"),
			`t.yaml:8: request.sigma: not used by the exponential distribution`},
		{"function memory too small", edit("cold_start: 300ms", "memory_mb: 64"),
			`t.yaml:15: targets[1].memory_mb: 64 MB: must be from 128 to 10240`},
		{"function memory too large", edit("cold_start: 300ms", "memory_mb: 20000"),
			`t.yaml:15: targets[1].memory_mb: 20000 MB: must be from 128 to 10240`},
		{"function timeout too long", edit("  duration: 1s\n", "  duration: 1s\n  timeout: 20m\n"),
			`t.yaml:8: request.timeout: 20m is above Lambda's 15m limit`},
		{"cold start beyond init limit", edit("cold_start: 300ms", "cold_start: 11s"),
			`t.yaml:15: targets[1].cold_start: 11s: at most 10s`},
		{"provisioned above limit", edit("cold_start: 300ms", "provisioned: 20\n    concurrency_limit: 10"),
			`t.yaml:15: targets[1].provisioned: 20 is above concurrency_limit 10`},
		{"zero request duration", edit("  duration: 1s\n", "  duration: 0s\n"),
			`t.yaml:7: request.duration: required, and must be > 0`},
		{"step longer than duration", edit("duration: 1h", "duration: 1h\nstep: 2h"),
			`t.yaml:3: step: 2h is longer than the duration 1h`},
		{"too many ticks", edit("duration: 1h", "duration: 1h\nstep: 1us"),
			`t.yaml:3: step: 1µs over 1h is 3600000000 ticks`},
		{"no targets", strings.Split(base, "targets:")[0] + "targets: []\n",
			`t.yaml:8: targets: at least one target is required`},
		{"outage zone out of range", edit("count: 2", "count: 2\n    zones: 3\n    outages: [{zone: 3, at: 10m, duration: 5m}]"),
			`t.yaml:14: targets[0].outages[0].zone: 3: zones are numbered 0 to 2`},
		{"outage after end", edit("count: 2", "count: 2\n    outages: [{zone: 0, at: 2h, duration: 5m}]"),
			`t.yaml:13: targets[0].outages[0].at: 2h is not before the end`},
		{"outage missing duration", edit("count: 2", "count: 2\n    outages: [{zone: 0, at: 2m}]"),
			`t.yaml:13: targets[0].outages[0].duration: required`},
		{"pooling one tenant", base + "pooling: {tenants: 1}\n",
			`t.yaml:16: pooling.tenants: must be ≥ 2`},
		{"spike without spikes", edit("pattern: constant", "pattern: spike"),
			`t.yaml:3: load.spikes: required by the spike pattern`},
		{"spike after end", edit("pattern: constant", "pattern: spike\n  spikes: [{at: 2h, duration: 1m, rps: 100}]"),
			`t.yaml:5: load.spikes[0].at: 2h is not before the end`},
		{"spike missing rps", edit("pattern: constant", "pattern: spike\n  spikes: [{at: 1m, duration: 1m}]"),
			`t.yaml:5: load.spikes[0].rps: required`},
		{"diurnal peak below base", edit("pattern: constant\n  rps: 8", "pattern: diurnal\n  base_rps: 10\n  peak_rps: 5\n  peak_at: 14h"),
			`t.yaml:6: load.peak_rps: 5 is below base_rps 10`},
		{"diurnal peak_at past midnight", edit("pattern: constant\n  rps: 8", "pattern: diurnal\n  base_rps: 1\n  peak_rps: 5\n  peak_at: 25h"),
			`t.yaml:7: load.peak_at: a time of day`},
		{"business hours close before open", edit("pattern: constant\n  rps: 8", "pattern: business-hours\n  base_rps: 1\n  peak_rps: 5\n  open: 10h\n  close: 8h"),
			`t.yaml:8: load.close: a time of day after open (10h)`},
		{"bursty zero off", edit("pattern: constant\n  rps: 8", "pattern: bursty\n  on_rps: 10\n  on: 1m\n  off: 0s"),
			`t.yaml:7: load.off: must be > 0`},
		{"trace without file", edit("pattern: constant\n  rps: 8", "pattern: trace"),
			`t.yaml:3: load.file: required by the trace pattern`},
		{"merge key", "defaults: &d {kind: vm}\n" + base,
			`t.yaml:1: unknown field "defaults"`},
		{"merge key inside", edit("  - name: fn\n", "  - <<: {kind: vm}\n    name: fn\n"),
			`t.yaml:13: targets[1]: YAML merge keys (<<) are not supported`},
		{"two documents", base + "---\nname: again\n",
			`t.yaml:16: a scenario file holds one YAML document`},
		{"syntax", "name: [unclosed\n",
			`t.yaml:1: YAML syntax:`},
		{"tab indentation", "name: x\n\tduration: 1h\n",
			`t.yaml:2: YAML syntax:`},
		{"empty file", "",
			`t.yaml: empty scenario`},
		{"not a mapping", "- 1\n- 2\n",
			`t.yaml:1: want a mapping with name, duration, load, request, targets, got a list`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.src), "t.yaml")
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error\n got %q\nwant prefix %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.File != "t.yaml" {
				t.Errorf("error is not a *FieldError naming the file: %#v", err)
			}
		})
	}
}

func TestParseAliases(t *testing.T) {
	src := `duration: 1h
load: {pattern: constant, rps: 1}
request: {duration: 1s}
targets:
  - &vm {name: a, kind: vm, instance: m5.large, count: 1}
  - {name: b, kind: function}
`
	if _, err := Parse([]byte(src), "a.yaml"); err != nil {
		t.Fatal(err)
	}
	// A reused anchor is decoded again, so its duplicate name is caught.
	dup := strings.Replace(src, "  - {name: b, kind: function}", "  - *vm", 1)
	if _, err := Parse([]byte(dup), "a.yaml"); err == nil || !strings.Contains(err.Error(), "already the name") {
		t.Fatalf("alias reuse: %v", err)
	}
	self := "duration: 1h\nload: &l {pattern: constant, spikes: [*l]}\n"
	if _, err := Parse([]byte(self), "a.yaml"); err == nil {
		t.Fatal("self-referencing alias parsed")
	}
}

func TestParseFileWithTrace(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "data"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "data", "t.csv"), []byte("seconds,rps\n0,5\n60,7\n120,9\n"), 0o644))
	src := "load: {pattern: trace, file: data/t.csv}\nrequest: {duration: 1s}\ntargets: [{name: f, kind: function}]\n"
	must(os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(src), 0o644))

	s, err := ParseFile(filepath.Join(dir, "s.yaml"))
	must(err)
	if !reflect.DeepEqual(s.Load.Trace, []float64{5, 7, 9}) || s.Load.TraceStep != time.Minute {
		t.Fatalf("trace %v step %v", s.Load.Trace, s.Load.TraceStep)
	}
	n, err := s.Normalized()
	must(err)
	if n.Duration != Duration(3*time.Minute) {
		t.Errorf("duration from trace = %v, want 3m", n.Duration)
	}

	fsys := fstest.MapFS{
		"scenarios/s.yaml":     {Data: []byte(src)},
		"scenarios/data/t.csv": {Data: []byte("seconds,rps\n0,5\n60,7\n120,9\n")},
	}
	fs2, err := ParseFS(fsys, "scenarios/s.yaml")
	must(err)
	if !reflect.DeepEqual(fs2, s) {
		t.Errorf("ParseFS and ParseFile differ:\n%+v\n%+v", fs2, s)
	}

	// Without a file system the trace cannot load: Parse accepts the file,
	// Normalized says what is missing.
	p, err := Parse([]byte(src), "s.yaml")
	must(err)
	if _, err := p.Normalized(); err == nil || !strings.Contains(err.Error(), "load.file: trace \"data/t.csv\" not loaded") {
		t.Errorf("Normalized without trace: %v", err)
	}

	// A missing trace file names the scenario's line; a bad row names the CSV's.
	must(os.WriteFile(filepath.Join(dir, "missing.yaml"), []byte(strings.Replace(src, "data/t.csv", "nope.csv", 1)), 0o644))
	if _, err := ParseFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml:1: load.file: ") ||
		!strings.Contains(err.Error(), "nope.csv: no such file or directory") {
		t.Errorf("missing trace: %v", err)
	}
	must(os.WriteFile(filepath.Join(dir, "data", "t.csv"), []byte("seconds,rps\n0,5\n60,x\n"), 0o644))
	if _, err := ParseFile(filepath.Join(dir, "s.yaml")); err == nil || !strings.Contains(err.Error(), "t.csv:3: bad rps \"x\"") {
		t.Errorf("bad trace row: %v", err)
	}
	// A duration longer than the trace is allowed: the engine replays it.
	must(os.WriteFile(filepath.Join(dir, "data", "t.csv"), []byte("0,5\n60,7\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "long.yaml"), []byte("duration: 1h\n"+src), 0o644))
	if _, err := ParseFile(filepath.Join(dir, "long.yaml")); err != nil {
		t.Errorf("long trace scenario: %v", err)
	}
}

func TestDurationText(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {300 * time.Millisecond, "300ms"}, {time.Second, "1s"}, {90 * time.Second, "1m30s"},
		{24 * time.Hour, "24h"}, {10 * time.Minute, "10m"}, {time.Hour + 1500*time.Millisecond, "1h1.5s"},
		{-2 * time.Second, "-2s"}, {1500 * time.Microsecond, "1.5ms"},
	} {
		d := Duration(c.d)
		if got := d.String(); got != c.want {
			t.Errorf("String(%v) = %q, want %q", c.d, got, c.want)
		}
		if c.d < 0 {
			continue
		}
		back, err := time.ParseDuration(d.String())
		if err != nil || back != c.d {
			t.Errorf("%q does not read back as %v: %v", d.String(), c.d, err)
		}
		j, err := json.Marshal(d)
		if err != nil || string(j) != `"`+c.want+`"` {
			t.Errorf("JSON %s, %v", j, err)
		}
		var dj Duration
		if err := json.Unmarshal(j, &dj); err != nil || dj != d {
			t.Errorf("JSON round trip %v: %v, %v", d, dj, err)
		}
		y, err := yaml.Marshal(struct{ D Duration }{d})
		if err != nil {
			t.Fatal(err)
		}
		var back2 struct{ D Duration }
		if err := yaml.Unmarshal(y, &back2); err != nil || back2.D != d {
			t.Errorf("YAML round trip %v via %q: %v, %v", d, y, back2.D, err)
		}
	}
	var d Duration
	if err := yaml.Unmarshal([]byte("3 secs"), &d); err == nil {
		t.Error("yaml accepted \"3 secs\"")
	}
	if err := json.Unmarshal([]byte("30"), &d); err == nil {
		t.Error("json accepted a bare number")
	}
}

// A scenario written back as YAML parses to the same scenario, so tools can
// generate files from Go values.
func TestMarshalRoundTrip(t *testing.T) {
	s, err := Parse([]byte(lunch), "lunch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := yaml.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(out, "out.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, s) {
		t.Errorf("round trip differs:\n%+v\n%+v", back, s)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Error(err)
	}
}

// Every scenario shipped in content/ parses, normalizes, and reads the same
// through ParseFile and ParseFS.
func TestContentScenarios(t *testing.T) {
	names, err := filepath.Glob("../content/scenarios/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 8 {
		t.Fatalf("found %d scenarios in content/scenarios, want at least 8", len(names))
	}
	fsys := os.DirFS("../content")
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Parse(data, name); err != nil {
				t.Fatal(err)
			}
			s, err := ParseFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Normalized(); err != nil {
				t.Fatal(err)
			}
			viaFS, err := ParseFS(fsys, "scenarios/"+filepath.Base(name))
			if err != nil {
				t.Fatal(err)
			}
			viaFS.Name = s.Name // ParseFS names by the FS path, ParseFile by the OS path
			if !reflect.DeepEqual(viaFS, s) {
				t.Errorf("ParseFS and ParseFile differ")
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	data := []byte(lunch)
	for b.Loop() {
		if _, err := Parse(data, "lunch.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
