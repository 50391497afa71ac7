// Package simpane is the tour's simulation pane: a lesson's knobs, the
// chart of its run, and the figures beside it. It owns the run's whole
// life: applying the knobs to the lesson's scenario, running it off the
// UI loop (one run at a time, results of superseded runs dropped, a
// panicking run turned into an error), and a playhead that sweeps the
// run's simulated time, which space pauses and replays. It tells its
// owner what happened with messages: KnobsChangedMsg when the learner
// turned a knob.
package simpane

import (
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// Runner runs a scenario: sim.Run, or a stand-in in tests.
type Runner func(sim.Scenario, sim.Options) (sim.Result, error)

// Clock delivers msg after d: tea.Tick in the app; tests deliver at once,
// or never.
type Clock func(d time.Duration, msg tea.Msg) tea.Cmd

// Timing of the live simulation.
const (
	// FrameEvery is the playhead's tick: smooth enough to read as motion,
	// rare enough to leave the terminal idle most of the time.
	FrameEvery = 50 * time.Millisecond
	// SweepFrames is how many ticks the playhead takes to cross a run:
	// 240 × 50 ms = 12 s for a simulated day.
	SweepFrames = 240
	// Buckets is how many points each series keeps; more than any
	// terminal is wide, few enough to run in milliseconds.
	Buckets = 288
)

// KnobsChangedMsg says the learner turned the knobs of lesson Slug to
// Values; Reset says they were all put back to the defaults at once.
type KnobsChangedMsg struct {
	Slug   string
	Values []float64
	Reset  bool
}

// Messages the pane sends itself. gen numbers runs and ticks numbers
// playhead loops, so that a late result or tick is recognised and
// dropped.
type (
	runDoneMsg struct {
		gen int
		res sim.Result
		err error
	}
	tickMsg struct{ gen int }
)

// Model is the simulation pane.
type Model struct {
	keys    *KeyMap // never changed
	styles  *theme.Styles
	run     Runner
	clock   Clock
	pricing *sim.Pricing
	seed    uint64 // 0: the scenario's own

	lesson  *lessons.Lesson // nil: no lesson
	focused bool
	width   int
	height  int

	knobs widgets.KnobPanel
	chart widgets.Chart
	stats widgets.Stats

	runs  runs
	play  playback
	shown *shownRun // what the last good run draws, computed once per run
	goal  goal
	above []string // the goal's lines over the chart, drawn on each change
}

// runs is the state of the simulations: one out at a time, numbered.
type runs struct {
	gen     int         // the latest run's number; others' results are stale
	pending bool        // a run is out
	rerun   bool        // the knobs moved while it was: run again when it is back
	result  *sim.Result // the latest result, nil before it or after an error
	err     error
}

// playback is the playhead sweeping a result's simulated time.
type playback struct {
	head    float64 // in buckets
	paused  bool
	gen     int  // the loop in force; pausing or restarting starts a new one
	ticking bool // a tick of loop gen is on its way
	sweep   int  // ticks for the playhead to cross a run
}

// New returns an empty pane that runs scenarios with run, priced with
// pricing (nil: costs read zero), and times its playhead with clock.
func New(st *theme.Styles, keys KeyMap, run Runner, clock Clock, pricing *sim.Pricing) Model {
	m := Model{
		keys: &keys, styles: st, run: run, clock: clock, pricing: pricing,
		knobs: widgets.NewKnobPanel(st.Widgets),
		chart: widgets.NewChart(st.Widgets),
		stats: widgets.NewStats(st.Widgets),
		play:  playback{sweep: SweepFrames},
	}
	m.knobs.Keys = keys.Knobs
	return m
}

// KeyMap is the pane's keys.
func (m Model) KeyMap() KeyMap { return *m.keys }

// SetSeed makes every run use seed (0: each scenario's own), so that a
// room of learners sees the same numbers.
func (m *Model) SetSeed(seed uint64) { m.seed = seed }

// SetSweep sets how many ticks the playhead takes to cross a run.
func (m *Model) SetSweep(ticks int) { m.play.sweep = max(1, ticks) }

// SetLesson shows lesson l with the learner's saved work (its knobs are
// clamped to the lesson, or the defaults when they do not fit it) and
// starts its run. A forecast still to make is asked before the run shows.
func (m *Model) SetLesson(l lessons.Lesson, s Saved) tea.Cmd {
	m.lesson = &l
	saved := l.Clamp(s.Values)
	ks := make([]widgets.Knob, len(l.Knobs))
	for i, k := range l.Knobs {
		ks[i] = widgets.Knob{Label: k.Label, Unit: k.Unit, Min: k.Min, Max: k.Max, Step: k.Step, Coarse: k.Coarse, Default: k.Default, Value: saved[i]}
	}
	m.knobs.SetKnobs(ks)
	m.startGoal(l, s)
	m.runs.result, m.runs.err, m.shown = nil, nil, nil
	m.play.head = 0
	m.refresh()
	return m.startRun()
}

// Clear shows no lesson: a course with none.
func (m *Model) Clear() {
	m.lesson = nil
	m.goal = goal{}
	m.knobs.SetKnobs(nil)
	m.runs = runs{gen: m.runs.gen + 1}
	m.shown = nil
	m.refresh()
}

// Values is the current value of every knob.
func (m Model) Values() []float64 { return m.knobs.Values() }

// Result is the latest run's result, or nil while there is none (before
// the first run, or after an error).
func (m Model) Result() *sim.Result { return m.runs.result }

// Err is the latest run's error, if it failed.
func (m Model) Err() error { return m.runs.err }

// Running reports whether a run is out.
func (m Model) Running() bool { return m.runs.pending }

// Paused reports whether the learner paused the playhead.
func (m Model) Paused() bool { return m.play.paused }

// AtEnd reports whether the playhead has reached the end of the run.
func (m Model) AtEnd() bool { return m.play.head >= float64(m.buckets()-1) }

// Playhead is the bucket the playhead is in.
func (m Model) Playhead() int { return int(m.play.head) }

// Focus gives the pane the keys: the chosen knob shows ▸.
func (m *Model) Focus() {
	m.focused = true
	m.knobs.Focus()
}

// Blur takes the keys away.
func (m *Model) Blur() {
	m.focused = false
	m.knobs.Blur()
}

// Focused reports whether the pane has the keys.
func (m Model) Focused() bool { return m.focused }

// Knob is the index of the chosen knob.
func (m Model) Knob() int { return m.knobs.Cursor() }

// SelectKnob chooses knob i, if there is one.
func (m *Model) SelectKnob(i int) { m.knobs.Select(i) }

// SetStyles changes the theme.
func (m *Model) SetStyles(st *theme.Styles) {
	m.styles = st
	m.knobs.SetStyles(st.Widgets)
	m.chart.SetStyles(st.Widgets)
	m.stats.SetStyles(st.Widgets)
	m.goal.input.SetStyles(st.Input)
	m.refresh()
}

// Update handles the pane's keys, the mouse wheel over it (which chooses
// a knob), and its own run results and ticks. The owner decides which
// keys reach it: all of them while it has the focus, and the knob-turning
// keys from beside it.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case runDoneMsg:
		return m.runDone(msg)
	case tickMsg:
		return m.tick(msg)
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			m.knobs.Move(-1)
		case tea.MouseWheelDown:
			m.knobs.Move(1)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	if m.Asking() {
		return m.forecastKey(msg)
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Pause):
		return m, m.togglePause()
	case key.Matches(msg, k.Reset):
		if m.knobs.Reset() {
			return m, m.knobsChanged(true)
		}
		return m, nil
	case key.Matches(msg, k.Knobs.Up):
		m.knobs.Move(-1)
	case key.Matches(msg, k.Knobs.Down):
		m.knobs.Move(1)
	default:
		before := m.knobs.Values()
		switch {
		case key.Matches(msg, k.Knobs.IncCoarse):
			m.knobs.Nudge(1, true)
		case key.Matches(msg, k.Knobs.DecCoarse):
			m.knobs.Nudge(-1, true)
		case key.Matches(msg, k.Knobs.Inc):
			m.knobs.Nudge(1, false)
		case key.Matches(msg, k.Knobs.Dec):
			m.knobs.Nudge(-1, false)
		}
		if !slices.Equal(before, m.knobs.Values()) {
			return m, m.knobsChanged(false)
		}
	}
	return m, nil
}

// knobsChanged reruns the simulation and tells the owner.
func (m *Model) knobsChanged(reset bool) tea.Cmd {
	m.refresh()
	changed := KnobsChangedMsg{Slug: m.lesson.Slug, Values: m.knobs.Values(), Reset: reset}
	tell := func() tea.Msg { return changed }
	if m.runs.pending {
		// One run at a time while a key is held: note that the knobs moved
		// and run again, with the latest values, when this run is back.
		m.runs.rerun = true
		return tell
	}
	return tea.Batch(m.startRun(), tell)
}

// startRun applies the knobs to the lesson and runs the simulation off the
// UI loop, tagged with a new generation, so a result that comes back after
// a newer run was started is dropped.
func (m *Model) startRun() tea.Cmd {
	if m.lesson == nil {
		return nil
	}
	m.runs.rerun = false
	m.runs.gen++
	m.runs.pending = true
	gen, values, run, l := m.runs.gen, m.knobs.Values(), m.run, *m.lesson
	opts := sim.Options{Seed: m.seed, Pricing: m.pricing, Series: true, Buckets: Buckets}
	return func() tea.Msg {
		sc, err := l.Apply(values)
		if err != nil {
			return runDoneMsg{gen: gen, err: err}
		}
		res, err := safeRun(run, sc, opts)
		return runDoneMsg{gen: gen, res: res, err: err}
	}
}

// safeRun turns a panic in the engine into an error shown in the pane:
// a bug in one scenario must not take the learner's session down.
func safeRun(run Runner, sc sim.Scenario, o sim.Options) (res sim.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("simulation failed: %v", r)
		}
	}()
	return run(sc, o)
}

func (m Model) runDone(msg runDoneMsg) (Model, tea.Cmd) {
	if msg.gen != m.runs.gen {
		return m, nil // a newer run is under way or done
	}
	m.runs.pending = false
	var next tea.Cmd
	if m.runs.rerun {
		next = m.startRun()
	}
	if msg.err != nil {
		m.runs.result, m.runs.err, m.shown = nil, msg.err, nil
		m.play.ticking = false
		m.play.gen++
		m.refresh()
		return m, next
	}
	first := m.runs.result == nil
	res := msg.res
	m.runs.result, m.runs.err = &res, nil
	m.shown = newShownRun(*m.lesson, &res)
	if first {
		m.play.head = 0
	}
	m.play.head = min(m.play.head, float64(max(0, m.buckets()-1)))
	met := m.checkGoal(&res)
	m.refresh()
	if !m.play.ticking {
		return m, tea.Batch(next, met, m.startTicks())
	}
	return m, tea.Batch(next, met)
}

// buckets is the number of points in the current result's series.
func (m Model) buckets() int {
	if m.shown == nil {
		return 0
	}
	return m.shown.buckets
}

// startTicks starts a new playhead loop, ending any other.
func (m *Model) startTicks() tea.Cmd {
	m.play.gen++
	// While a guess is asked the run waits, hidden, at its start.
	if m.play.paused || m.buckets() < 2 || m.AtEnd() || m.Asking() {
		m.play.ticking = false
		return nil
	}
	m.play.ticking = true
	return m.clock(FrameEvery, tickMsg{gen: m.play.gen})
}

func (m Model) tick(msg tickMsg) (Model, tea.Cmd) {
	if msg.gen != m.play.gen || m.play.paused {
		return m, nil
	}
	n := m.buckets()
	if n < 2 {
		m.play.ticking = false
		return m, nil
	}
	m.play.head = min(float64(n-1), m.play.head+float64(n-1)/float64(max(1, m.play.sweep)))
	m.showPlayhead()
	if m.AtEnd() {
		m.play.ticking = false // hold at the end; space replays
		return m, nil
	}
	return m, m.clock(FrameEvery, tickMsg{gen: m.play.gen})
}

// togglePause pauses or resumes the playhead; at the end it replays.
func (m *Model) togglePause() tea.Cmd {
	if m.play.paused {
		m.play.paused = false
		return m.startTicks()
	}
	if m.AtEnd() && m.buckets() > 1 {
		m.play.head = 0
		m.showPlayhead()
		return m.startTicks()
	}
	m.play.paused = true
	m.play.ticking = false
	m.play.gen++ // the loop in flight stops at its next tick
	return nil
}

// Reset puts every knob back to its default, as r does.
func (m *Model) Reset() tea.Cmd {
	if m.knobs.Reset() {
		return m.knobsChanged(true)
	}
	return nil
}
