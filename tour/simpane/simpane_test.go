package simpane_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/internal/fixture"
	"github.com/serverless-tour/serverless-tour/tour/simpane"
	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// pane is a pane on the first fixture lesson (knobs: peak load 40, fleet
// size 4), sized 78x21, its first run done.
func pane(t *testing.T, run simpane.Runner, clock simpane.Clock) (simpane.Model, lessons.Lesson) {
	t.Helper()
	l := fixture.Course(t).Lessons[0]
	m := simpane.New(theme.New(true, true), simpane.DefaultKeyMap(), run, clock, &sim.Pricing{Region: "fixture-region", AsOf: "2025-01-01"})
	m.SetSize(78, 21)
	m = drive(t, m, m.SetLesson(l, simpane.Saved{}))
	return m, l
}

// drive runs cmd and every command the messages it gives lead to,
// feeding the pane's own messages back to it; it returns the pane and
// what it told its owner.
func drive(t *testing.T, m simpane.Model, cmd tea.Cmd) simpane.Model {
	m, _ = driveTold(t, m, cmd)
	return m
}

func driveTold(t *testing.T, m simpane.Model, cmds ...tea.Cmd) (simpane.Model, []simpane.KnobsChangedMsg) {
	m, told, _ := driveAll(t, m, cmds...)
	return m, told
}

// driveAll is drive, returning every message the pane told its owner:
// knob turns apart, as they are the commonest.
func driveAll(t *testing.T, m simpane.Model, cmds ...tea.Cmd) (simpane.Model, []simpane.KnobsChangedMsg, []tea.Msg) {
	t.Helper()
	var told []simpane.KnobsChangedMsg
	var other []tea.Msg
	queue := flatten(cmds...)
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("runaway message loop")
		}
		msg := queue[0]
		queue = queue[1:]
		switch k := msg.(type) {
		case simpane.KnobsChangedMsg:
			told = append(told, k)
			continue
		case simpane.ChallengeMetMsg, simpane.ForecastMsg:
			other = append(other, k)
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		queue = append(queue, flatten(cmd)...)
	}
	return m, told, other
}

func flatten(cmds ...tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for _, cmd := range cmds {
		if cmd == nil {
			continue
		}
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			out = append(out, flatten(msg...)...)
		default:
			out = append(out, msg)
		}
	}
	return out
}

func press(s string) tea.KeyPressMsg {
	named := map[string]tea.Key{
		"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
		"shift+right": {Code: tea.KeyRight, Mod: tea.ModShift},
		"space":       {Code: tea.KeySpace, Text: " "},
	}
	if k, ok := named[s]; ok {
		return tea.KeyPressMsg(k)
	}
	return tea.KeyPressMsg(tea.Key{Code: []rune(s)[0], Text: s})
}

func keys(t *testing.T, m simpane.Model, names ...string) (simpane.Model, []simpane.KnobsChangedMsg) {
	t.Helper()
	var told []simpane.KnobsChangedMsg
	for _, n := range names {
		next, cmd := m.Update(press(n))
		var more []simpane.KnobsChangedMsg
		m, more = driveTold(t, next, cmd)
		told = append(told, more...)
	}
	return m, told
}

// counter wraps the fake engine, counting runs and remembering the last
// scenario it ran.
type counter struct {
	mu   sync.Mutex
	n    int
	last sim.Scenario
}

func (c *counter) run(s sim.Scenario, o sim.Options) (sim.Result, error) {
	c.mu.Lock()
	c.n++
	c.last = s
	c.mu.Unlock()
	return fixture.Run(s, o)
}

func (c *counter) count() int { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

func TestKnobsTurnRerunAndTell(t *testing.T) {
	runs := &counter{}
	m, l := pane(t, runs.run, fixture.NoTicks)
	m.Focus()
	m, told := keys(t, m, "right", "]", "shift+right", "down", "-")
	if v := m.Values(); v[0] != 95 || v[1] != 3 {
		t.Fatalf("values %v, want [95 3]", v)
	}
	if len(told) != 4 || told[3].Slug != l.Slug || told[3].Values[1] != 3 || told[3].Reset {
		t.Fatalf("told %+v", told)
	}
	if runs.count() != 5 {
		t.Fatalf("%d runs for the first and four turns", runs.count())
	}
	if c := m.Result().Series.Targets[0].Capacity[0]; c != 12 { // 3 VMs × 4
		t.Fatalf("capacity %v: the knobs were not simulated", c)
	}
	// ↑↓ only choose; they change nothing and tell nothing.
	_, told = keys(t, m, "up", "down")
	if len(told) != 0 {
		t.Fatalf("choosing a knob told %+v", told)
	}
	m, told = keys(t, m, "r")
	if v := m.Values(); v[0] != 40 || v[1] != 4 || len(told) != 1 || !told[0].Reset {
		t.Fatalf("reset: values %v told %+v", m.Values(), told)
	}
}

func TestStaleResultIsDropped(t *testing.T) {
	m, l := pane(t, fixture.Run, fixture.NoTicks)
	m.Focus()
	// A knob turn starts a run; before it is back the lesson is set again
	// (the learner moved on), which starts another. The first comes last.
	m, older := m.Update(press("right"))
	newer := m.SetLesson(l, simpane.Saved{Values: []float64{40, 1}})
	m = drive(t, m, newer)
	m = drive(t, m, older)
	if c := m.Result().Series.Targets[0].Capacity[0]; c != 4 { // 1 VM × 4
		t.Fatalf("capacity %v: a stale result replaced the current one", c)
	}
	if m.Running() {
		t.Fatal("still running after the latest result")
	}
}

func TestHeldKeyRunsOneAtATime(t *testing.T) {
	runs := &counter{}
	m, _ := pane(t, runs.run, fixture.NoTicks)
	m.Focus()
	m, _ = keys(t, m, "down")
	before := runs.count()
	// Three steps while the first run is out: one run now, one more with
	// the latest values when it is back.
	m, first := m.Update(press("right"))
	for range 2 {
		var cmd tea.Cmd
		m, cmd = m.Update(press("right"))
		for _, msg := range flatten(cmd) {
			if _, ok := msg.(simpane.KnobsChangedMsg); !ok {
				t.Fatalf("a turn while a run is out did more than tell: %T", msg)
			}
		}
	}
	if !m.Running() {
		t.Fatal("no run out")
	}
	m = drive(t, m, first)
	if got := runs.count() - before; got != 2 {
		t.Fatalf("%d runs for three steps while one was out, want 2", got)
	}
	if m.Running() {
		t.Fatal("still running")
	}
	if c := m.Result().Series.Targets[0].Capacity[0]; c != 7*4 { // fleet 4+3 VMs × 4
		t.Fatalf("capacity %v: the last knob value was not simulated", c)
	}
}

func TestPauseStopsThePlayhead(t *testing.T) {
	clock := &fixture.Clock{}
	m, _ := pane(t, fixture.Run, clock.After)
	tick := func(m simpane.Model, msgs []tea.Msg) simpane.Model {
		for _, msg := range msgs {
			var cmd tea.Cmd
			m, cmd = m.Update(msg)
			m = drive(t, m, cmd)
		}
		return m
	}
	m = tick(m, clock.Fire())
	m = tick(m, clock.Fire())
	moved := m.Playhead()
	if moved <= 0 {
		t.Fatal("ticks did not move the playhead")
	}
	stale := clock.Fire() // the tick on its way when space is pressed
	m, _ = keys(t, m, "space")
	if !m.Paused() || !strings.Contains(ansi.Strip(m.Status(60)), "paused") {
		t.Fatalf("space did not pause: %q", ansi.Strip(m.Status(60)))
	}
	m = tick(m, stale)
	if m.Playhead() != moved {
		t.Fatalf("paused playhead moved from %v to %v", moved, m.Playhead())
	}
	m, _ = keys(t, m, "space")
	resumed := clock.Fire()
	m = tick(m, stale) // the old loop's tick is dropped: the rate must not double
	if m.Playhead() != moved {
		t.Fatal("a stale tick moved the playhead")
	}
	m = tick(m, resumed)
	if m.Playhead() <= moved {
		t.Fatal("resume did not move the playhead")
	}
}

func TestPlayheadHoldsAtTheEndAndReplays(t *testing.T) {
	m, _ := pane(t, fixture.Run, fixture.InstantTicks)
	if !m.AtEnd() {
		t.Fatalf("playhead at %d, not at the end", m.Playhead())
	}
	if s := ansi.Strip(m.Status(60)); !strings.Contains(s, "■ end") || !strings.Contains(s, "space replays") {
		t.Fatalf("end not shown: %q", s)
	}
	clock := &fixture.Clock{}
	m, _ = pane(t, fixture.Run, clock.After)
	for !m.AtEnd() {
		msgs := clock.Fire()
		if len(msgs) == 0 {
			t.Fatal("the playhead stopped before the end")
		}
		for _, msg := range msgs {
			m, _ = m.Update(msg)
		}
	}
	if len(clock.Fire()) != 0 {
		t.Fatal("still ticking at the end")
	}
	m, _ = keys(t, m, "space")
	if m.Playhead() != 0 || len(clock.Fire()) != 1 {
		t.Fatal("space at the end did not replay")
	}
}

func TestRunErrorsShowInThePane(t *testing.T) {
	for name, run := range map[string]simpane.Runner{
		"error": func(sim.Scenario, sim.Options) (sim.Result, error) { return sim.Result{}, errors.New("engine says no") },
		"panic": func(sim.Scenario, sim.Options) (sim.Result, error) { panic("engine fell over") },
	} {
		t.Run(name, func(t *testing.T) {
			m, _ := pane(t, run, fixture.NoTicks)
			if m.Err() == nil || m.Result() != nil {
				t.Fatalf("err %v result %v", m.Err(), m.Result())
			}
			if s := ansi.Strip(m.View()); !strings.Contains(s, "could not run") {
				t.Fatalf("error not shown:\n%s", s)
			}
			if s := ansi.Strip(m.Status(40)); !strings.Contains(s, "simulation error") {
				t.Fatalf("status %q", s)
			}
			m.Focus()
			m, _ = keys(t, m, "right", "r", "space") // still usable
			_ = m.View()
		})
	}
}

// stepRun is an engine whose load differs in every bucket (bucket i
// carries 0.4 + i/1000 req/s), so a figure shows which bucket it read.
func stepRun(s sim.Scenario, o sim.Options) (sim.Result, error) {
	res, err := fixture.Run(s, o)
	if err != nil {
		return res, err
	}
	for i := range res.Series.Load {
		res.Series.Load[i] = 0.4 + float64(i)/1000
	}
	return res, nil
}

// TestNowFigureReadsThePlayheadBucket: the "at" figures are those of the
// last bucket the chart reveals, labelled with the end of that bucket, and
// a load under one request a second reads as such, not as "0 req/s".
func TestNowFigureReadsThePlayheadBucket(t *testing.T) {
	clock := &fixture.Clock{}
	m, _ := pane(t, stepRun, clock.After)
	bucket := m.Result().Series.Bucket
	seen := 0
	for !m.AtEnd() {
		i := m.Playhead()
		end := time.Duration(i+1) * bucket
		want := []string{fmt.Sprintf("at %02d:%02d", int(end.Hours()), int(end.Minutes())%60), rateText(0.4 + float64(i)/1000)}
		s := ansi.Strip(m.View())
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Fatalf("playhead %d: want %q:\n%s", i, w, s)
			}
		}
		seen++
		for _, msg := range clock.Fire() {
			m, _ = m.Update(msg)
		}
	}
	if seen < 100 {
		t.Fatalf("only %d frames checked", seen)
	}
}

// rateText is how the figures write a rate below ten requests a second.
func rateText(v float64) string {
	d := max(0, 1-int(math.Floor(math.Log10(v))))
	s := fmt.Sprintf("%.*f", d, v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + " req/s"
}

// TestClockStopsAtTheRunsEnd: a run whose last bucket is short (its
// length not a whole number of buckets) ends its clock at its duration,
// not at the end of a full last bucket.
func TestClockStopsAtTheRunsEnd(t *testing.T) {
	short := func(s sim.Scenario, o sim.Options) (sim.Result, error) {
		res, err := fixture.Run(s, o)
		res.DurationS -= res.Series.Bucket.Seconds() / 2
		return res, err
	}
	m, _ := pane(t, short, fixture.InstantTicks)
	if s := ansi.Strip(m.Status(60)); !strings.Contains(s, "23:57 / 23:57") {
		t.Fatalf("clock past the run's end: %q", s)
	}
	if !strings.Contains(ansi.Strip(m.View()), "at 23:57") {
		t.Fatalf("figures past the run's end:\n%s", ansi.Strip(m.View()))
	}
}

// TestKnobLayersNameTheKnobs: the pane's layer has a child per knob line,
// named so the tour can tell which knob a click landed on.
func TestKnobLayersNameTheKnobs(t *testing.T) {
	m, _ := pane(t, fixture.Run, fixture.NoTicks)
	layer := m.Layer()
	for i := range 2 {
		l := layer.GetLayer(fmt.Sprintf("knob:%d", i))
		if l == nil || l.GetY() != i {
			t.Fatalf("knob %d: layer %v", i, l)
		}
		if k, ok := simpane.KnobAt(l.GetID()); !ok || k != i {
			t.Fatalf("KnobAt(%q) = %d, %v", l.GetID(), k, ok)
		}
	}
	if _, ok := simpane.KnobAt("pane:sim"); ok {
		t.Fatal("a pane is not a knob")
	}
}

// TestPredictThenRun: a forecast is asked before the run shows; the knobs
// wait; the guess is told to the owner and compared with the run; then
// the challenge counts, and reaching it is told once.
func TestPredictThenRun(t *testing.T) {
	l := fixture.Course(t).Lessons[0]
	fleetCost := lessons.Figure{Name: "cost_usd", Target: "fleet"}
	l.Forecasts = []lessons.Forecast{{ID: "fleet-cost", Ask: "What will the fleet cost over the day?", Figure: fleetCost}}
	l.Challenge = &lessons.Challenge{Goal: "Spend more than $5 on the fleet.", When: []lessons.Condition{{Figure: fleetCost, Op: lessons.Above, Bound: 5}}}
	m := simpane.New(theme.New(true, true), simpane.DefaultKeyMap(), fixture.Run, fixture.NoTicks, nil)
	m.SetSize(78, 21)
	m.Focus()
	m, _ = driveTold(t, m, m.SetLesson(l, simpane.Saved{Values: []float64{40, 9}}))
	if !m.Asking() || m.Values()[1] != 4 {
		t.Fatalf("asking %v, knobs %v: a forecast is asked at the defaults", m.Asking(), m.Values())
	}
	s := ansi.Strip(m.View())
	if !strings.Contains(s, "Predict, then run") || !strings.Contains(s, "What will the fleet cost") || strings.Contains(s, "┤") {
		t.Fatalf("the run shows before the guess:\n%s", s)
	}
	m, _ = keys(t, m, "down", "right") // the knobs wait
	if m.Values()[1] != 4 {
		t.Fatal("a knob turned while a guess was asked")
	}
	m, _ = keys(t, m, "x", "enter")
	if !m.Asking() || !strings.Contains(ansi.Strip(m.View()), "type a number") {
		t.Fatal("an empty guess was committed")
	}
	var told []tea.Msg
	for _, k := range []string{"5", ".", "7", "6", "backspace", "6", "enter"} {
		next, cmd := m.Update(press(k))
		var more []tea.Msg
		m, _, more = driveAll(t, next, cmd)
		told = append(told, more...)
	}
	if f, ok := told[0].(simpane.ForecastMsg); m.Asking() || len(told) != 1 || !ok || f.Guess != 5.76 || f.ID != "fleet-cost" {
		t.Fatalf("asking %v, told %+v", m.Asking(), told)
	}
	s = ansi.Strip(m.View())
	if !strings.Contains(s, "You said $5.76; the run gave $3.84, so you were 50% high.") || !strings.Contains(s, "┤") {
		t.Fatalf("no verdict or no run after the guess:\n%s", s)
	}
	if !strings.Contains(s, "✗ cost > $5.00 ($3.84)") {
		t.Fatalf("challenge not shown unmet:\n%s", s)
	}
	// Two more VMs: 24 slots cost $5.76, which meets it, told once.
	told = nil
	for _, k := range []string{"down", "right", "right", "right", "left"} {
		next, cmd := m.Update(press(k))
		var more []tea.Msg
		m, _, more = driveAll(t, next, cmd)
		told = append(told, more...)
	}
	if !m.ChallengeMet() || len(told) != 1 || told[0] != (simpane.ChallengeMetMsg{Slug: l.Slug}) {
		t.Fatalf("fleet %v: met %v, told %+v", m.Values(), m.ChallengeMet(), told)
	}
	s = ansi.Strip(m.View())
	if !strings.Contains(s, "★ Challenge met") || strings.Contains(s, "You said") {
		t.Fatalf("met challenge, or a verdict shown off the defaults:\n%s", s)
	}
	// Met before: a new visit shows it met before, and does not tell again.
	m2 := simpane.New(theme.New(true, true), simpane.DefaultKeyMap(), fixture.Run, fixture.NoTicks, nil)
	m2.SetSize(78, 21)
	m2, _, told = driveAll(t, m2, m2.SetLesson(l, simpane.Saved{Values: []float64{40, 6}, ChallengeMet: true, Guesses: map[string]float64{"fleet-cost": 5}}))
	if m2.Asking() || len(told) != 0 || !strings.Contains(ansi.Strip(m2.View()), "★ Challenge met") {
		t.Fatalf("second visit, told %v:\n%s", told, ansi.Strip(m2.View()))
	}
	m2, _ = keys(t, m2, "down", "left", "left")
	if !strings.Contains(ansi.Strip(m2.View()), "☆ Challenge (met before)") {
		t.Fatalf("unmet again, but met before:\n%s", ansi.Strip(m2.View()))
	}
}

// TestRunWaitsForTheGuess: while a forecast is asked the playhead does not
// move; the guess starts it.
func TestRunWaitsForTheGuess(t *testing.T) {
	l := fixture.Course(t).Lessons[0]
	l.Forecasts = []lessons.Forecast{{ID: "c", Ask: "Cost?", Figure: lessons.Figure{Name: "cost_usd", Target: "fleet"}}}
	clock := &fixture.Clock{}
	m := simpane.New(theme.New(true, true), simpane.DefaultKeyMap(), fixture.Run, clock.After, nil)
	m.SetSize(78, 21)
	m = drive(t, m, m.SetLesson(l, simpane.Saved{}))
	if n := len(clock.Fire()); n != 0 || m.Playhead() != 0 {
		t.Fatalf("%d ticks set while asking, playhead %d", n, m.Playhead())
	}
	m, _ = keys(t, m, "esc")
	if n := len(clock.Fire()); n != 1 {
		t.Fatalf("%d ticks after the reveal, want 1", n)
	}
}

// TestFastModelSaysSo: figures from the fast model are marked approximate
// in the pane, as the JSON marks them.
func TestFastModelSaysSo(t *testing.T) {
	fast := func(s sim.Scenario, o sim.Options) (sim.Result, error) {
		res, err := fixture.Run(s, o)
		res.Model, res.Approximate = sim.ModelFast, true
		return res, err
	}
	m, _ := pane(t, fast, fixture.NoTicks)
	if s := ansi.Strip(m.View()); !strings.Contains(s, "approx") {
		t.Fatalf("no word of the fast model:\n%s", s)
	}
	m, _ = pane(t, fixture.Run, fixture.NoTicks)
	if s := ansi.Strip(m.View()); strings.Contains(s, "approx") {
		t.Fatalf("an event run called approximate:\n%s", s)
	}
}
