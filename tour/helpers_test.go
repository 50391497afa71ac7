package tour

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
)

// realConfig is the embedded course with the built-in price table, for
// the smoke tests and benchmarks that run the real engine on real
// lessons. Both ship with the binary, so failing to load either fails.
func realConfig(tb testing.TB) Config {
	tb.Helper()
	course, err := lessons.Load(content.FS)
	if err != nil {
		tb.Fatalf("embedded course does not load: %v", err)
	}
	data, err := fs.ReadFile(content.FS, "pricing/aws-us-east-1.yaml")
	if err != nil {
		tb.Fatalf("price table: %v", err)
	}
	pricing, err := sim.ParsePricing(data, "pricing/aws-us-east-1.yaml")
	if err != nil {
		tb.Fatalf("price table: %v", err)
	}
	return Config{Course: course, Pricing: pricing, Progress: lessons.NewProgress(), Theme: "dark"}
}

// fixtureCourse loads tour/testdata/course: lessons written for these
// tests, so screens do not change when the real course does.
func fixtureCourse(tb testing.TB) *lessons.Course {
	tb.Helper()
	c, err := lessons.Load(os.DirFS("testdata/course"))
	if err != nil {
		tb.Fatalf("loading the fixture course: %v", err)
	}
	return c
}

// fakeRun is a deterministic stand-in for the engine: smooth series that
// follow the scenario's load and fleet size, so knobs visibly matter and
// screens never depend on the engine's current state.
func fakeRun(s sim.Scenario, o sim.Options) (sim.Result, error) {
	n := o.Buckets
	if n <= 0 {
		n = 96
	}
	dur := time.Duration(s.Duration)
	if dur <= 0 {
		return sim.Result{}, errors.New("fake engine: no duration")
	}
	bucket := dur / time.Duration(n)
	ser := &sim.Series{Bucket: bucket, MeanServiceS: time.Duration(s.Request.Duration).Seconds(), Load: make([]float64, n)}
	base, peak := s.Load.BaseRPS, s.Load.PeakRPS
	if s.Load.Pattern == "constant" {
		base, peak = s.Load.RPS, s.Load.RPS
	}
	peakAt := time.Duration(s.Load.PeakAt).Hours()
	for i := range ser.Load {
		h := (float64(i) + 0.5) * bucket.Hours()
		ser.Load[i] = base + (peak-base)*(0.5+0.5*math.Cos(2*math.Pi*(h-peakAt)/24))
	}
	res := sim.Result{Scenario: s.Name, Seed: s.Seed, DurationS: dur.Seconds(), Series: ser}
	svc := time.Duration(s.Request.Duration).Seconds()
	for _, t := range s.Targets {
		ts := sim.TargetSeries{Name: t.Name}
		var capFn func(load float64) float64
		if t.Kind == "vm" {
			c := float64(max(1, t.Count) * max(1, t.Concurrency))
			capFn = func(float64) float64 { return c }
		} else {
			capFn = func(l float64) float64 { return math.Ceil(l*svc) + 1 }
		}
		cost := 0.0
		var served float64
		for _, l := range ser.Load {
			c := capFn(l)
			busy := math.Min(l*svc, c)
			ts.Capacity = append(ts.Capacity, c)
			ts.Busy = append(ts.Busy, busy)
			ts.Instances = append(ts.Instances, c)
			ts.Queue = append(ts.Queue, math.Max(0, l*svc-c))
			ts.Rejected = append(ts.Rejected, 0)
			ts.ColdStart = append(ts.ColdStart, 0)
			ts.P99 = append(ts.P99, svc*4.6)
			cost += c * bucket.Hours() * 0.01
			ts.CostUSD = append(ts.CostUSD, cost)
			served += l * bucket.Seconds()
		}
		ser.Targets = append(ser.Targets, ts)
		res.Targets = append(res.Targets, sim.TargetResult{
			Name: t.Name, Kind: t.Kind, Requests: int64(served), Served: int64(served),
			Latency: sim.Latency{P99: svc * 4.6}, Utilization: 0.25, CostUSD: cost,
		})
	}
	return res, nil
}

// noTicks drops every timed message: tests send ticks themselves.
func noTicks(time.Duration, tea.Msg) tea.Cmd { return nil }

// instantTicks delivers timed messages at once, so a playhead sweeps to
// its end without a clock.
func instantTicks(_ time.Duration, msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// testConfig is a fixed starting point: the fixture course, dark theme
// (no background query), lesson 1, no progress file.
func testConfig(tb testing.TB) Config {
	// A dated price table with no prices: the fake engine costs its own way.
	return Config{Course: fixtureCourse(tb), Progress: lessons.NewProgress(), Start: 0, Theme: "dark",
		Pricing: &sim.Pricing{Region: "fixture-region", AsOf: "2025-01-01"}}
}

// newTest builds a model on the fake engine, with ticks under test control.
func newTest(tb testing.TB, cfg Config, later after) Model {
	return newModel(cfg, fakeRun, later)
}

// drive feeds msgs to the model and runs every command it returns,
// synchronously, feeding their messages back until nothing is left.
func drive(tb testing.TB, m Model, msgs ...tea.Msg) Model {
	tb.Helper()
	queue := append([]tea.Msg(nil), msgs...)
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 20000 {
			tb.Fatal("runaway message loop")
		}
		msg := queue[0]
		queue = queue[1:]
		next, cmd := m.Update(msg)
		m = next.(Model)
		queue = append(queue, runCmd(cmd)...)
	}
	return m
}

// start is Init plus a window size, driven to rest.
func start(tb testing.TB, m Model, w, h int) Model {
	tb.Helper()
	msgs := runCmd(m.Init())
	return drive(tb, m, append([]tea.Msg{tea.WindowSizeMsg{Width: w, Height: h}}, msgs...)...)
}

// runCmd runs a command and flattens batches; quitting and Bubble Tea's
// own requests are dropped.
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil, tea.QuitMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, runCmd(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// press makes a key press from its name: "a", "enter", "shift+right".
func press(s string) tea.KeyPressMsg {
	named := map[string]tea.Key{
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
		"shift+left":  {Code: tea.KeyLeft, Mod: tea.ModShift},
		"shift+right": {Code: tea.KeyRight, Mod: tea.ModShift},
		"enter":       {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape},
		"tab": {Code: tea.KeyTab}, "shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
		"space": {Code: tea.KeySpace, Text: " "}, "pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown},
		"home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd},
		"ctrl+c": {Code: 'c', Mod: tea.ModCtrl},
	}
	if k, ok := named[s]; ok {
		return tea.KeyPressMsg(k)
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg(tea.Key{Code: r, Text: s})
}

func keys(names ...string) []tea.Msg {
	out := make([]tea.Msg, len(names))
	for i, n := range names {
		out[i] = press(n)
	}
	return out
}

// screen is the model's view without escape sequences.
func screen(m Model) string { return ansi.Strip(m.View().Content) }

// checkScreen fails unless the view is exactly the window: as many lines
// as rows, none wider than the columns, and not blank.
func checkScreen(tb testing.TB, m Model) {
	tb.Helper()
	v := m.View().Content
	if m.width <= 0 || m.height <= 0 {
		return
	}
	if strings.TrimSpace(ansi.Strip(v)) == "" {
		tb.Fatalf("blank screen at %dx%d", m.width, m.height)
	}
	lines := strings.Split(v, "\n")
	if len(lines) != m.height {
		tb.Fatalf("%d lines at %dx%d", len(lines), m.width, m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > m.width {
			tb.Fatalf("line %d is %d wide at %dx%d: %q", i, w, m.width, m.height, ansi.Strip(l))
		}
	}
}

// lockedModel lets a test read the latest model a running program holds.
type lockedModel struct {
	mu sync.Mutex
	m  Model
}

func (l *lockedModel) set(m Model) { l.mu.Lock(); l.m = m; l.mu.Unlock() }
func (l *lockedModel) get() Model  { l.mu.Lock(); defer l.mu.Unlock(); return l.m }

// readAll reads what a finished teatest program wrote.
func readAll(tb testing.TB, tm interface {
	FinalOutput(testing.TB, ...teatest.FinalOpt) io.Reader
}) string {
	tb.Helper()
	b, err := io.ReadAll(tm.FinalOutput(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
