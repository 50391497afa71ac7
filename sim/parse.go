package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// FieldError is a problem with one field of a scenario. File and Line are
// set when the scenario came from a file; Field is the dotted path of the
// field ("targets[1].cold_start").
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Parse reads a scenario from YAML. It checks everything Normalized checks,
// and more that only the file shows (unknown keys, missing keys, keys the
// pattern or kind does not use), and reports the first problem as
// "file:line: field: what". The scenario comes back as written, without
// defaults, so that Set followed by Normalized behaves as if the file had
// said so; a missing name becomes the file's base name.
//
// Parse reads no other file: a trace scenario's Load.Trace stays empty
// (ParseFile and ParseFS load it).
func Parse(data []byte, filename string) (Scenario, error) {
	s, lines, err := parseScenario(data, filename)
	if err != nil {
		return Scenario{}, err
	}
	if _, err := s.normalize(false); err != nil {
		return Scenario{}, lines.locate(err)
	}
	return s, nil
}

// ParseFile reads a scenario file. A trace's file is read relative to the
// scenario's folder.
func ParseFile(name string) (Scenario, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return Scenario{}, err
	}
	return parseWithTrace(data, name, func(file string) (io.ReadCloser, string, error) {
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(name), filepath.FromSlash(file))
		}
		f, err := os.Open(p)
		return f, p, err
	})
}

// ParseFS reads a scenario from a file system (the embedded content, or a
// --content folder). A trace's file is read relative to the scenario's
// folder in the same file system.
func ParseFS(fsys fs.FS, name string) (Scenario, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Scenario{}, err
	}
	return parseWithTrace(data, name, func(file string) (io.ReadCloser, string, error) {
		p := path.Join(path.Dir(name), file)
		f, err := fsys.Open(p)
		return f, p, err
	})
}

type traceOpener func(file string) (rc io.ReadCloser, resolved string, err error)

func parseWithTrace(data []byte, name string, open traceOpener) (Scenario, error) {
	s, lines, err := parseScenario(data, name)
	if err != nil {
		return Scenario{}, err
	}
	if s.Load.Pattern == "trace" && s.Load.File != "" {
		rc, resolved, err := open(s.Load.File)
		if err != nil {
			return Scenario{}, lines.locate(fieldErr("load.file", "%v", err))
		}
		rates, step, err := LoadTrace(rc, resolved)
		rc.Close()
		if err != nil {
			return Scenario{}, err
		}
		s.Load.Trace, s.Load.TraceStep = rates, step
	}
	if _, err := s.normalize(true); err != nil {
		return Scenario{}, lines.locate(err)
	}
	return s, nil
}

// maxTicks bounds duration/step so that a typo ("step: 1ns") is an error
// rather than a run that never ends.
const maxTicks = 100_000_000

// maxRequests bounds the requests one run may have to simulate (counted at
// the load's peak rate, over every pooling tenant): about half a minute of
// work. Past it a typo ("rps: 1e9") would run for hours or exhaust memory.
const maxRequests = 300_000_000

// maxSlots bounds a fleet's size (VMs × concurrency) and a function's
// concurrency limit: each slot is memory the run holds.
const maxSlots = 1_000_000

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
	if err := c.checkModel(); err != nil {
		return c, err
	}
	if err := c.normalizeLoad(needTrace); err != nil {
		return c, err
	}
	if c.Step < 0 {
		return c, fieldErr("step", "must not be negative")
	}
	if c.Step == 0 {
		c.Step = Duration(time.Second)
	}
	if c.Duration < 0 {
		return c, fieldErr("duration", "must not be negative")
	}
	if c.Duration == 0 && c.Load.Pattern == "trace" && len(c.Load.Trace) > 0 {
		c.Duration = Duration(time.Duration(len(c.Load.Trace)) * c.Load.TraceStep)
	}
	if c.Duration == 0 && !(c.Load.Pattern == "trace" && !needTrace) {
		return c, fieldErr("duration", "required, and must be > 0 (e.g. 24h)")
	}
	if c.Duration > 0 {
		if c.Step > c.Duration {
			return c, fieldErr("step", "%v is longer than the duration %v", c.Step, c.Duration)
		}
		if ticks := int64(c.Duration) / int64(c.Step); ticks > maxTicks {
			return c, fieldErr("step", "%v over %v is %d ticks; at most %d (use a longer step)", c.Step, c.Duration, ticks, maxTicks)
		}
	}
	if err := c.normalizeLoadTimes(); err != nil {
		return c, err
	}
	if err := c.normalizeRequest(); err != nil {
		return c, err
	}
	if len(c.Targets) == 0 {
		return c, fieldErr("targets", "at least one target is required")
	}
	seen := map[string]int{}
	for i := range c.Targets {
		t := &c.Targets[i]
		p := fmt.Sprintf("targets[%d]", i)
		if t.Name == "" {
			return c, fieldErr(p+".name", "required")
		}
		if !targetNameRE.MatchString(t.Name) {
			return c, fieldErr(p+".name", "%q: use letters, digits, '-' and '_' (it names the target in --set paths)", t.Name)
		}
		if j, dup := seen[t.Name]; dup {
			return c, fieldErr(p+".name", "%q is already the name of targets[%d]", t.Name, j)
		}
		seen[t.Name] = i
		var err error
		switch t.Kind {
		case "vm":
			err = c.normalizeVM(t, p)
		case "function":
			err = c.normalizeFunction(t, p)
		case "":
			err = fieldErr(p+".kind", "required (%s)", strings.Join(enumValues("kind"), " or "))
		default:
			err = badEnum(p+".kind", "kind", t.Kind)
		}
		if err != nil {
			return c, err
		}
	}
	if c.Pooling != nil {
		if c.Pooling.Tenants < 2 {
			return c, fieldErr("pooling.tenants", "must be ≥ 2 (pooling compares several tenants)")
		}
		if c.Pooling.Tenants > 1000 {
			return c, fieldErr("pooling.tenants", "at most 1000")
		}
		if c.Pooling.P99 < 0 {
			return c, fieldErr("pooling.p99", "must not be negative")
		}
	}
	if c.Duration > 0 && c.eventCapApplies() {
		tenants := 1.0
		if c.Pooling != nil {
			tenants += float64(c.Pooling.Tenants) // the tenants, then the shared fleet's replays
		}
		peak := c.Load.peakRPS()
		if n := peak * time.Duration(c.Duration).Seconds() * tenants; n > maxRequests || math.IsInf(n, 0) || math.IsNaN(n) {
			return c, fieldErr("load", "up to %.3g requests (%.4g req/s at the peak for %v%s); a run simulates at most %.0e one by one, so lower the rate, shorten the duration or set model: auto",
				n, peak, c.Duration, map[bool]string{true: ", for every pooling tenant", false: ""}[c.Pooling != nil], float64(maxRequests))
		}
	}
	for i := range c.Services {
		sv := &c.Services[i]
		p := fmt.Sprintf("services[%d]", i)
		if sv.Name == "" {
			return c, fieldErr(p+".name", "required")
		}
		// Service names are checked against the price table when the run is
		// priced, so a table can add services without a change here.
		if err := checkNumber(p+".per_request", sv.Per); err != nil {
			return c, err
		}
		if sv.Per == 0 {
			sv.Per = 1
		}
	}
	return c, nil
}

func (c *Scenario) normalizeLoad(needTrace bool) error {
	l := &c.Load
	for _, f := range []struct {
		name string
		v    float64
	}{{"rps", l.RPS}, {"base_rps", l.BaseRPS}, {"peak_rps", l.PeakRPS}, {"on_rps", l.OnRPS},
		{"off_rps", l.OffRPS}, {"from_rps", l.FromRPS}, {"to_rps", l.ToRPS}} {
		if err := checkNumber("load."+f.name, f.v); err != nil {
			return err
		}
	}
	switch l.Pattern {
	case "":
		return fieldErr("load.pattern", "required (%s)", strings.Join(enumValues("pattern"), ", "))
	case "constant", "ramp":
	case "diurnal":
		if l.PeakRPS < l.BaseRPS {
			return fieldErr("load.peak_rps", "%g is below base_rps %g", l.PeakRPS, l.BaseRPS)
		}
		if l.PeakAt < 0 || l.PeakAt >= Duration(24*time.Hour) {
			return fieldErr("load.peak_at", "a time of day, from 0s to under 24h (e.g. 14h)")
		}
	case "business-hours":
		if l.Open == 0 {
			l.Open = Duration(9 * time.Hour)
		}
		if l.Close == 0 {
			l.Close = Duration(17 * time.Hour)
		}
		if l.Open < 0 || l.Open >= Duration(24*time.Hour) {
			return fieldErr("load.open", "a time of day, from 0s to under 24h (e.g. 9h)")
		}
		if l.Close <= l.Open || l.Close > Duration(24*time.Hour) {
			return fieldErr("load.close", "a time of day after open (%v) and at most 24h", l.Open)
		}
	case "spike":
		if len(l.Spikes) == 0 {
			return fieldErr("load.spikes", "the spike pattern needs at least one spike")
		}
		for i, sp := range l.Spikes {
			p := fmt.Sprintf("load.spikes[%d]", i)
			if sp.At < 0 {
				return fieldErr(p+".at", "must not be negative")
			}
			if sp.Duration <= 0 {
				return fieldErr(p+".duration", "must be > 0")
			}
			if err := checkNumber(p+".rps", sp.RPS); err != nil {
				return err
			}
		}
	case "bursty":
		if l.On <= 0 {
			return fieldErr("load.on", "must be > 0")
		}
		if l.Off <= 0 {
			return fieldErr("load.off", "must be > 0")
		}
	case "trace":
		if len(l.Trace) > 0 {
			if l.TraceStep <= 0 {
				return fieldErr("load.file", "trace has no step")
			}
			for i, r := range l.Trace {
				if err := checkNumber(fmt.Sprintf("load.file row %d", i+1), r); err != nil {
					return err
				}
			}
		} else if l.File == "" {
			return fieldErr("load.file", "required for the trace pattern")
		} else if needTrace {
			return fieldErr("load.file", "trace %q not loaded (read the scenario with ParseFile or ParseFS)", l.File)
		}
	default:
		return badEnum("load.pattern", "pattern", l.Pattern)
	}
	return nil
}

// normalizeLoadTimes checks the load's times against the duration, once the
// duration is known.
func (c *Scenario) normalizeLoadTimes() error {
	if c.Load.Pattern != "spike" || c.Duration == 0 {
		return nil
	}
	for i, sp := range c.Load.Spikes {
		if sp.At >= c.Duration {
			return fieldErr(fmt.Sprintf("load.spikes[%d].at", i), "%v is not before the end of the scenario (%v)", sp.At, c.Duration)
		}
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

func (c *Scenario) normalizeVM(t *Target, p string) error {
	for _, f := range []struct {
		name string
		v    int
	}{{"count", t.Count}, {"min", t.Min}, {"max", t.Max}, {"concurrency", t.Concurrency},
		{"queue_limit", t.QueueLimit}, {"zones", t.Zones}} {
		if f.v < 0 {
			return fieldErr(p+"."+f.name, "must not be negative")
		}
	}
	if t.Instance == "" {
		return fieldErr(p+".instance", "required for a vm (e.g. m5.large)")
	}
	if t.Concurrency == 0 {
		t.Concurrency = 1
	}
	if t.Zones == 0 {
		t.Zones = 1
	}
	if t.Zones > 64 {
		return fieldErr(p+".zones", "at most 64")
	}
	if t.Purchase == "" {
		t.Purchase = "on-demand"
	}
	if !isEnum("purchase", t.Purchase) {
		return badEnum(p+".purchase", "purchase", t.Purchase)
	}
	if size := float64(max(t.Count, t.Max)) * float64(t.Concurrency); size > maxSlots {
		field := ".count"
		if t.Max > t.Count {
			field = ".max"
		}
		return fieldErr(p+field, "%.0f VMs × concurrency %d is more than the %d slots a run can hold", size/float64(t.Concurrency), t.Concurrency, maxSlots)
	}
	autoscale := t.Min > 0 || t.Max > 0
	switch {
	case t.Count > 0 && autoscale:
		return fieldErr(p+".count", "give either count (a fixed fleet) or min/max (autoscaling), not both")
	case t.Count == 0 && !autoscale:
		return fieldErr(p+".count", "a vm needs count ≥ 1, or min and max for autoscaling")
	case autoscale:
		if t.Min == 0 {
			// Target tracking on utilisation has no signal from an empty
			// fleet, so a fleet never scales to zero.
			t.Min = 1
		}
		if t.Max == 0 {
			return fieldErr(p+".max", "required with min (autoscaling)")
		}
		if t.Max < t.Min {
			return fieldErr(p+".max", "%d is below min %d", t.Max, t.Min)
		}
		if t.TargetUtil == 0 {
			t.TargetUtil = 0.6
		}
		if t.BootDelay == 0 {
			t.BootDelay = Duration(60 * time.Second)
		}
		if t.Cooldown == 0 {
			t.Cooldown = Duration(300 * time.Second)
		}
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
	for i, o := range t.Outages {
		op := fmt.Sprintf("%s.outages[%d]", p, i)
		if o.Zone < 0 || o.Zone >= t.Zones {
			return fieldErr(op+".zone", "%d: zones are numbered 0 to %d", o.Zone, t.Zones-1)
		}
		if o.At < 0 {
			return fieldErr(op+".at", "must not be negative")
		}
		if c.Duration > 0 && o.At >= c.Duration {
			return fieldErr(op+".at", "%v is not before the end of the scenario (%v)", o.At, c.Duration)
		}
		if o.Duration <= 0 {
			return fieldErr(op+".duration", "must be > 0")
		}
		// A zone is either down or up: overlapping outages of one zone
		// would be one longer outage, so say so rather than guess.
		for j, e := range t.Outages[:i] {
			if e.Zone == o.Zone && o.At < e.At+e.Duration && e.At < o.At+o.Duration {
				return fieldErr(op+".at", "zone %d is already down then (outages[%d]); merge the two into one outage", o.Zone, j)
			}
		}
	}
	return nil
}

func (c *Scenario) normalizeFunction(t *Target, p string) error {
	for _, f := range []struct {
		name string
		v    int
	}{{"memory_mb", t.MemoryMB}, {"concurrency_limit", t.ConcurrencyLimit}, {"scale_rate", t.ScaleRate},
		{"provisioned", t.Provisioned}, {"retries", t.Retries}} {
		if f.v < 0 {
			return fieldErr(p+"."+f.name, "must not be negative")
		}
	}
	for _, f := range []struct {
		name string
		v    Duration
	}{{"cold_start", t.ColdStart}, {"keep_alive", t.KeepAlive}, {"scale_interval", t.ScaleInterval}} {
		if f.v < 0 {
			return fieldErr(p+"."+f.name, "must not be negative")
		}
	}
	if t.MemoryMB == 0 {
		t.MemoryMB = c.Request.MemoryMB
	}
	if err := checkMemory(p+".memory_mb", t.MemoryMB); err != nil {
		return err
	}
	if t.Arch == "" {
		t.Arch = "x86_64"
	}
	if !isEnum("arch", t.Arch) {
		return badEnum(p+".arch", "arch", t.Arch)
	}
	if t.ColdStart == 0 {
		t.ColdStart = Duration(250 * time.Millisecond)
	}
	if t.ColdStart > Duration(10*time.Second) {
		// Lambda stops an init phase after 10 s.
		return fieldErr(p+".cold_start", "%v: at most 10s (Lambda's init limit)", t.ColdStart)
	}
	if t.KeepAlive == 0 {
		t.KeepAlive = Duration(10 * time.Minute)
	}
	if t.ConcurrencyLimit == 0 {
		t.ConcurrencyLimit = 1000
	}
	if t.ScaleRate == 0 {
		t.ScaleRate = 1000
	}
	if t.ScaleInterval == 0 {
		t.ScaleInterval = Duration(10 * time.Second)
	}
	if t.ConcurrencyLimit > maxSlots {
		return fieldErr(p+".concurrency_limit", "%d is more than the %d environments a run can hold", t.ConcurrencyLimit, maxSlots)
	}
	if t.Provisioned > t.ConcurrencyLimit {
		return fieldErr(p+".provisioned", "%d is above concurrency_limit %d", t.Provisioned, t.ConcurrencyLimit)
	}
	if t.Retries > 10 {
		return fieldErr(p+".retries", "at most 10")
	}
	if c.Request.Timeout > Duration(MaxFunctionTimeout) {
		return fieldErr("request.timeout", "%v is above Lambda's 15m limit, and %s is a function", c.Request.Timeout, p)
	}
	return nil
}

var targetNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

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

// enumValues lists the values a named enumeration accepts.
func enumValues(enum string) []string {
	switch enum {
	case "pattern":
		return []string{"constant", "diurnal", "business-hours", "spike", "bursty", "ramp", "trace"}
	case "distribution":
		return []string{"fixed", "exponential", "lognormal"}
	case "kind":
		return []string{"vm", "function"}
	case "arch":
		return []string{"x86_64", "arm64"}
	case "purchase":
		return []string{"on-demand", "savings-plan"}
	}
	return nil
}

func isEnum(enum, v string) bool {
	for _, e := range enumValues(enum) {
		if e == v {
			return true
		}
	}
	return false
}

func badEnum(field, enum, v string) error {
	msg := fmt.Sprintf("unknown %s %q (want %s)", enum, v, strings.Join(enumValues(enum), ", "))
	if near := nearest(v, enumValues(enum)); near != "" {
		msg = fmt.Sprintf("unknown %s %q (did you mean %s? want %s)", enum, v, near, strings.Join(enumValues(enum), ", "))
	}
	return &FieldError{Field: field, Msg: msg}
}

// enumOf names the enumeration a string field draws from, if any.
func enumOf(owner reflect.Type, tag string) string {
	switch {
	case owner == reflect.TypeOf(Load{}) && tag == "pattern":
		return "pattern"
	case owner == reflect.TypeOf(Request{}) && tag == "distribution":
		return "distribution"
	case owner == reflect.TypeOf(Target{}) && tag == "kind":
		return "kind"
	case owner == reflect.TypeOf(Target{}) && tag == "arch":
		return "arch"
	case owner == reflect.TypeOf(Target{}) && tag == "purchase":
		return "purchase"
	}
	return ""
}

// nearest returns the candidate within a small edit distance of s, for
// "did you mean" hints.
func nearest(s string, candidates []string) string {
	best, bestD := "", 3
	if len(s) <= 3 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance counts insertions, deletions, substitutions and swaps of
// neighbours ("rsp" is one from "rps").
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return len(a) + len(b)
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// ---- Duration ----

// String writes the duration the way a scenario file would ("24h", "1m30s",
// "300ms"), without Go's trailing zero units.
func (d Duration) String() string {
	v := time.Duration(d)
	if v == 0 {
		return "0s"
	}
	if v < 0 {
		return "-" + Duration(-v).String()
	}
	if v < time.Second {
		return v.String()
	}
	var b strings.Builder
	if h := v / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		v -= h * time.Hour
	}
	if m := v / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
		v -= m * time.Minute
	}
	if v > 0 {
		b.WriteString(strconv.FormatFloat(v.Seconds(), 'f', -1, 64))
		b.WriteString("s")
	}
	return b.String()
}

// parseDurationText reads a Go duration string, refusing negatives.
func parseDurationText(s string) (Duration, error) {
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("bad duration %q (write a number and a unit: 300ms, 30s, 10m, 24h)", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("duration %q must not be negative", s)
	}
	return Duration(v), nil
}

// UnmarshalYAML reads a Go duration string; a bare 0 is also accepted.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("want a duration such as 30s, got a %s", kindName(n))
	}
	if n.ShortTag() == "!!int" || n.ShortTag() == "!!float" {
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && f == 0 {
			*d = 0
			return nil
		}
		return fmt.Errorf("bad duration %q: give a unit, e.g. %ss", n.Value, n.Value)
	}
	v, err := parseDurationText(n.Value)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"30s\"")
	}
	v, err := parseDurationText(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ---- decoding ----

// lineIndex maps field paths to the line where the file wrote them.
type lineIndex struct {
	file  string
	lines map[string]int
}

// locate gives a FieldError the file and the line of its field, or of the
// nearest enclosing field the file wrote.
func (li lineIndex) locate(err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return err
	}
	out := *fe
	out.File = li.file
	out.Line = li.lineOf(fe.Field)
	return &out
}

func (li lineIndex) lineOf(field string) int {
	for p := field; ; {
		if l, ok := li.lines[p]; ok {
			return l
		}
		i := max(strings.LastIndexByte(p, '.'), strings.LastIndexByte(p, '['))
		if i <= 0 {
			return li.lines[""]
		}
		p = p[:i]
	}
}

func (li lineIndex) has(field string) bool {
	_, ok := li.lines[field]
	return ok
}

func parseScenario(data []byte, filename string) (Scenario, lineIndex, error) {
	li := lineIndex{file: filename, lines: map[string]int{}}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return Scenario{}, li, &FieldError{File: filename, Msg: "empty scenario (want a mapping with name, duration, load, request, targets)"}
		}
		return Scenario{}, li, yamlSyntaxError(filename, err, data)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		line := extra.Line
		if err != nil {
			return Scenario{}, li, yamlSyntaxError(filename, err, data)
		}
		return Scenario{}, li, &FieldError{File: filename, Line: line, Msg: "a scenario file holds one YAML document; found a second one"}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	var s Scenario
	d := &nodeDecoder{li: li, active: map[*yaml.Node]bool{}}
	if err := d.decode(root, reflect.ValueOf(&s).Elem(), ""); err != nil {
		return Scenario{}, li, err
	}
	if err := checkWritten(s, li); err != nil {
		return Scenario{}, li, err
	}
	if s.Name == "" && !li.has("name") {
		base := filepath.Base(filename)
		s.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return s, li, nil
}

func yamlSyntaxError(filename string, err error, data []byte) error {
	line, detail, _ := YAMLErrorLine(err, data)
	return &FieldError{File: filename, Line: line, Msg: "YAML syntax: " + detail}
}

// nodeDecoder fills a value from a yaml.Node tree itself, rather than
// through yaml.Unmarshal, so that every error carries the field's path and
// line even in flow mappings, where many fields share one line.
type nodeDecoder struct {
	li     lineIndex
	active map[*yaml.Node]bool // aliases being expanded, to refuse cycles
	budget int                 // nodes visited, to refuse alias bombs
}

func (d *nodeDecoder) fail(n *yaml.Node, field, format string, args ...any) error {
	return &FieldError{File: d.li.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return fmt.Sprintf("string %q", n.Value)
		case "!!null":
			return "empty value"
		case "!!bool":
			return "bool " + n.Value
		}
		return n.Value
	}
	return "YAML node"
}

var durationType = reflect.TypeOf(Duration(0))

func (d *nodeDecoder) decode(n *yaml.Node, v reflect.Value, field string) error {
	d.budget++
	if d.budget > 1_000_000 {
		return d.fail(n, field, "document too large (too many nodes or aliases)")
	}
	if n.Kind == yaml.AliasNode {
		if d.active[n.Alias] {
			return d.fail(n, field, "alias *%s refers to itself", n.Value)
		}
		d.active[n.Alias] = true
		defer delete(d.active, n.Alias)
		return d.decode(n.Alias, v, field)
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && v.Kind() != reflect.Pointer {
		return d.fail(n, field, "has no value")
	}
	if v.Type() == durationType {
		var dur Duration
		if err := dur.UnmarshalYAML(n); err != nil {
			return d.fail(n, field, "%v", err)
		}
		v.Set(reflect.ValueOf(dur))
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
			v.Set(reflect.Zero(v.Type()))
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := d.decode(n, p.Elem(), field); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Struct:
		return d.decodeStruct(n, v, field)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return d.fail(n, field, "want a list, got a %s", kindName(n))
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			p := fmt.Sprintf("%s[%d]", field, i)
			d.li.lines[p] = c.Line
			if err := d.decode(c, s.Index(i), p); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return d.fail(n, field, "want a single value, got a %s", kindName(n))
	}
	tag := n.ShortTag()
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
	case reflect.Bool:
		if tag != "!!bool" {
			return d.fail(n, field, "want true or false, got %s", kindName(n))
		}
		b, err := strconv.ParseBool(n.Value)
		if err != nil {
			return d.fail(n, field, "want true or false, got %s", kindName(n))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Uint64, reflect.Float64:
		if tag != "!!int" && tag != "!!float" {
			return d.fail(n, field, "want a number, got %s", kindName(n))
		}
		if err := setNumber(v, n.Value); err != nil {
			return d.fail(n, field, "%v", err)
		}
	default:
		return d.fail(n, field, "cannot hold %s", kindName(n))
	}
	return nil
}

func (d *nodeDecoder) decodeStruct(n *yaml.Node, v reflect.Value, field string) error {
	if n.Kind != yaml.MappingNode {
		want := "a mapping of keys"
		if field == "" {
			want = "a mapping with name, duration, load, request, targets"
		}
		return d.fail(n, field, "want %s, got a %s", want, kindName(n))
	}
	if field == "" {
		d.li.lines[""] = n.Line
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.fail(k, field, "keys must be plain names")
		}
		key := k.Value
		p := joinField(field, key)
		if key == "<<" {
			return d.fail(k, field, "YAML merge keys (<<) are not supported; write the fields out")
		}
		if seen[key] {
			return d.fail(k, p, "written twice")
		}
		seen[key] = true
		fv, ok := fieldByTag(v, key)
		if !ok {
			msg := fmt.Sprintf("unknown field %q", key)
			if near := nearest(key, tagNames(v.Type())); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			return &FieldError{File: d.li.file, Line: k.Line, Field: field, Msg: msg}
		}
		d.li.lines[p] = k.Line
		if err := d.decode(val, fv, p); err != nil {
			return err
		}
		if fv.Kind() == reflect.String {
			if enum := enumOf(v.Type(), key); enum != "" && !isEnum(enum, fv.String()) {
				err := badEnum(p, enum, fv.String()).(*FieldError)
				err.File, err.Line = d.li.file, val.Line
				return err
			}
		}
	}
	return nil
}

func joinField(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// yamlTag is a struct field's YAML key, or "" for fields the file cannot set.
func yamlTag(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

func fieldByTag(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if yamlTag(t.Field(i)) == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func tagNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlTag(t.Field(i)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// setNumber parses text into an int, uint64 or float64 field. Ints accept an
// integral float ("12.0") because knobs are floats.
func setNumber(v reflect.Value, text string) error {
	text = strings.TrimSpace(text)
	f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil {
		if strings.HasPrefix(text, ".") && (strings.EqualFold(text[1:], "inf") || strings.EqualFold(text[1:], "nan")) {
			return fmt.Errorf("%s is not a finite number", text)
		}
		if i, ierr := strconv.ParseInt(text, 0, 64); ierr == nil {
			f = float64(i)
		} else {
			return fmt.Errorf("bad number %q", text)
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("%s is not a finite number", text)
	}
	if f < 0 {
		return fmt.Errorf("%s: must not be negative", text)
	}
	switch v.Kind() {
	case reflect.Float64:
		v.SetFloat(f)
	case reflect.Int:
		if f != math.Trunc(f) {
			return fmt.Errorf("%s: want a whole number", text)
		}
		if f > math.MaxInt32 {
			return fmt.Errorf("%s is too large", text)
		}
		v.SetInt(int64(f))
	case reflect.Uint64:
		if u, err := strconv.ParseUint(text, 0, 64); err == nil {
			v.SetUint(u)
			return nil
		}
		if f != math.Trunc(f) || f >= math.MaxUint64 {
			return fmt.Errorf("%s: want a whole number", text)
		}
		v.SetUint(uint64(f))
	}
	return nil
}

// checkWritten reports keys the file wrote that the pattern, distribution
// or kind does not use, and keys it must write that are missing. These are
// checks on the file, not the values: a knob may still set any field.
func checkWritten(s Scenario, li lineIndex) error {
	missing := func(parent, key, why string) error {
		return &FieldError{File: li.file, Line: li.lineOf(parent), Field: joinField(parent, key), Msg: "required" + why}
	}
	unused := func(field, why string) error {
		return &FieldError{File: li.file, Line: li.lineOf(field), Field: field, Msg: "not used " + why}
	}
	if !li.has("duration") && s.Load.Pattern != "trace" {
		return missing("", "duration", " (how long to simulate, e.g. 24h)")
	}
	for _, k := range []string{"load", "request", "targets"} {
		if !li.has(k) {
			return missing("", k, "")
		}
	}
	if !li.has("load.pattern") {
		return missing("load", "pattern", " ("+strings.Join(enumValues("pattern"), ", ")+")")
	}
	uses := map[string][]string{
		"constant":       {"rps"},
		"diurnal":        {"base_rps", "peak_rps", "peak_at"},
		"business-hours": {"base_rps", "peak_rps", "open", "close"},
		"spike":          {"rps", "spikes"},
		"bursty":         {"on_rps", "off_rps", "on", "off"},
		"ramp":           {"from_rps", "to_rps"},
		"trace":          {"file"},
	}
	needs := map[string][]string{
		"constant":       {"rps"},
		"diurnal":        {"base_rps", "peak_rps", "peak_at"},
		"business-hours": {"base_rps", "peak_rps"},
		"spike":          {"spikes"},
		"bursty":         {"on_rps", "on", "off"},
		"ramp":           {"from_rps", "to_rps"},
		"trace":          {"file"},
	}
	pat := s.Load.Pattern
	for _, k := range needs[pat] {
		if !li.has("load." + k) {
			return missing("load", k, " by the "+pat+" pattern")
		}
	}
	for _, k := range tagNames(reflect.TypeOf(Load{})) {
		if k == "pattern" || !li.has("load."+k) || contains(uses[pat], k) {
			continue
		}
		return unused("load."+k, "by the "+pat+" pattern")
	}
	for i := range s.Load.Spikes {
		p := fmt.Sprintf("load.spikes[%d]", i)
		for _, k := range []string{"at", "duration", "rps"} {
			if !li.has(p + "." + k) {
				return missing(p, k, "")
			}
		}
	}
	if !li.has("request.duration") {
		return missing("request", "duration", " (the mean service time, e.g. 200ms)")
	}
	if li.has("request.sigma") && s.Request.Distribution != "lognormal" {
		return unused("request.sigma", "by the "+orDefault(s.Request.Distribution, "exponential")+" distribution (only lognormal)")
	}
	vmOnly := []string{"instance", "count", "min", "max", "concurrency", "target_utilization", "boot_delay", "cooldown", "queue_limit", "zones", "outages", "purchase"}
	fnOnly := []string{"memory_mb", "arch", "cold_start", "keep_alive", "concurrency_limit", "scale_rate", "scale_interval", "provisioned", "retries", "free_tier"}
	for i, t := range s.Targets {
		p := fmt.Sprintf("targets[%d]", i)
		for _, k := range []string{"name", "kind"} {
			if !li.has(p + "." + k) {
				return missing(p, k, "")
			}
		}
		other := fnOnly
		if t.Kind == "function" {
			other = vmOnly
		}
		for _, k := range other {
			if li.has(p + "." + k) {
				hint := ""
				if k == "concurrency" {
					hint = "; a function serves one request per instance: did you mean concurrency_limit?"
				}
				return unused(p+"."+k, "by a "+t.Kind+hint)
			}
		}
		if t.Kind == "vm" && (li.has(p + ".count")) {
			for _, k := range []string{"target_utilization", "cooldown"} {
				if li.has(p + "." + k) {
					return unused(p+"."+k, "by a fixed fleet (count); give min and max to autoscale")
				}
			}
		}
		for j := range t.Outages {
			op := fmt.Sprintf("%s.outages[%d]", p, j)
			for _, k := range []string{"zone", "at", "duration"} {
				if !li.has(op + "." + k) {
					return missing(op, k, "")
				}
			}
		}
	}
	if s.Pooling != nil && !li.has("pooling.tenants") {
		return missing("pooling", "tenants", "")
	}
	for i := range s.Services {
		if p := fmt.Sprintf("services[%d]", i); !li.has(p + ".name") {
			return missing(p, "name", "")
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
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
