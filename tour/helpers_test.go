package tour

import (
	"io"
	"io/fs"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/internal/fixture"
	"github.com/serverless-tour/serverless-tour/tour/simpane"
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

// knobsTop is the screen row of the first knob, in both layouts: under
// the header and the tab bar, or the header and the pane's top border.
const knobsTop = 2

// The fixture course, the stand-in engine and the clocks tests control.
var (
	fixtureCourse = fixture.Course
	fakeRun       = fixture.Run
	noTicks       = fixture.NoTicks
	instantTicks  = fixture.InstantTicks
)

// testConfig is a fixed starting point: the fixture course, dark theme
// (no background query), lesson 1, no progress file.
func testConfig(tb testing.TB) Config {
	// A dated price table with no prices: the fake engine costs its own way.
	return Config{Course: fixtureCourse(tb), Progress: lessons.NewProgress(), Start: 0, Theme: "dark",
		Pricing: &sim.Pricing{Region: "fixture-region", AsOf: "2025-01-01"}}
}

// newTest builds a model on the fake engine, with ticks under test control.
func newTest(tb testing.TB, cfg Config, later simpane.Clock) Model {
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

// runCounter wraps the fake engine and counts the runs it is asked for.
type runCounter struct {
	mu sync.Mutex
	n  int
}

func (r *runCounter) run(s sim.Scenario, o sim.Options) (sim.Result, error) {
	r.mu.Lock()
	r.n++
	r.mu.Unlock()
	return fakeRun(s, o)
}

func (r *runCounter) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// answerForecasts guesses 1 (or the first choice) for every forecast the
// simulation pane asks, as a learner would, so the run shows.
func answerForecasts(tb testing.TB, m Model) Model {
	tb.Helper()
	for i := 0; m.sim.Asking(); i++ {
		if i > 10 {
			tb.Fatal("the pane keeps asking")
		}
		if m.focus != paneSim {
			m = drive(tb, m, keys("tab")...)
		}
		m = drive(tb, m, keys("1", "enter")...)
	}
	return m
}
