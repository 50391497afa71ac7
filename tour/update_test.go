package tour

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/simpane"
)

func TestStartShowsFirstLessonAndSimulation(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 140, 40)
	s := screen(m)
	for _, want := range []string{"Lesson 1/3", "A fixture lesson", "1/3 done", "Peak load", "40 req/s", "Fleet size", "whole run", "fleet", "lambda"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if !m.prose.Ready() {
		t.Error("prose not rendered after start")
	}
	if m.sim.Result() == nil || m.sim.Err() != nil {
		t.Fatalf("no result: %v", m.sim.Err())
	}
	checkScreen(t, m)
}

func TestNavigation(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, keys("right")...)
	if m.idx != 1 || m.progress.Last() != "fixture-second" {
		t.Fatalf("after → idx %d last %q", m.idx, m.progress.Last())
	}
	// Lesson 1 has neither quiz nor challenge: visiting it completed it.
	if !complete(m, 0) {
		t.Error("a visited lesson without a quiz is not done")
	}
	m = drive(t, m, keys("l")...)
	if m.idx != 2 {
		t.Fatalf("idx %d, want 2", m.idx)
	}
	if !strings.Contains(screen(m), "Lesson 3/3") {
		t.Errorf("header not updated:\n%s", screen(m))
	}
	// Past the last lesson: the closing screen, over the last lesson.
	m = drive(t, m, keys("n")...)
	if m.idx != 2 || m.overlay != overlayClosing || !strings.Contains(screen(m), "The end of the tour") {
		t.Fatalf("after the last lesson: idx %d overlay %d\n%s", m.idx, m.overlay, screen(m))
	}
	if s := screen(m); !strings.Contains(s, "You completed 1 of 3 lessons") || !strings.Contains(s, "Quiz: 0 of 2 right (0 answered)") {
		t.Errorf("closing screen:\n%s", s)
	}
	m = drive(t, m, keys("esc", "left", "h", "p", "p")...)
	if m.idx != 0 {
		t.Fatalf("idx %d after going back, want 0", m.idx)
	}
	if complete(m, 2) {
		t.Error("moving past a lesson with a quiz must not mark it done")
	}
	// The menu opens a lesson directly.
	m = drive(t, m, keys("m", "down", "down", "enter")...)
	if m.idx != 2 || m.overlay != overlayNone {
		t.Fatalf("menu: idx %d overlay %d", m.idx, m.overlay)
	}
	// esc closes the menu without moving.
	m = drive(t, m, keys("m", "up", "esc")...)
	if m.idx != 2 || m.overlay != overlayNone {
		t.Fatalf("menu esc: idx %d overlay %d", m.idx, m.overlay)
	}
}

func TestResumeFromProgress(t *testing.T) {
	cfg := testConfig(t)
	cfg.Start = -1
	cfg.Progress.Open("fixture-second")
	cfg.Progress.SetKnobs("fixture-second", []float64{9})
	cfg.Progress.Predict("fixture-second", "fleet-cost", 5) // its forecast made, so the knobs are the learner's
	m := start(t, newTest(t, cfg, noTicks), 80, 24)
	if m.idx != 1 {
		t.Fatalf("resumed at %d, want 1", m.idx)
	}
	if v := m.sim.Values(); len(v) != 1 || v[0] != 9 {
		t.Fatalf("saved knob not restored: %v", v)
	}
}

func TestKnobAdjustAndReset(t *testing.T) {
	runs := &runCounter{}
	m := start(t, newModel(testConfig(t), runs.run, noTicks), 80, 24)
	before := runs.count()
	m = drive(t, m, keys("tab")...)
	if m.focus != paneSim || !m.sim.Focused() {
		t.Fatal("tab did not focus the simulation")
	}
	m = drive(t, m, keys("right")...) // fine step of 5
	if v := m.sim.Values()[0]; v != 45 {
		t.Fatalf("peak after → = %v, want 45", v)
	}
	if m.idx != 0 {
		t.Fatal("→ in the sim pane changed lesson")
	}
	if runs.count() == before {
		t.Fatal("knob change did not start a run")
	}
	m = drive(t, m, keys("]", "shift+right")...) // coarse step of 25
	if v := m.sim.Values()[0]; v != 95 {
		t.Fatalf("peak after two coarse steps = %v, want 95", v)
	}
	m = drive(t, m, keys("down", "-", "[")...) // fleet 4 → 3 → 1 (clamped)
	if v := m.sim.Values(); v[1] != 1 {
		t.Fatalf("fleet = %v, want clamped to 1", v[1])
	}
	if got := m.sim.Result().Series.Load; got[len(got)/2] == 0 {
		t.Fatal("no load in result")
	}
	if got := m.progress.Knobs("fixture-first"); len(got) != 2 || got[0] != 95 || got[1] != 1 {
		t.Fatalf("knobs not kept in progress: %v", got)
	}
	// The chart follows the knob: the fake engine's capacity is the fleet.
	if c := m.sim.Result().Series.Targets[0].Capacity[0]; c != 4 { // 1 VM × 4 concurrency
		t.Fatalf("capacity %v after fleet 1, want 4", c)
	}
	m = drive(t, m, keys("r")...)
	if v := m.sim.Values(); v[0] != 40 || v[1] != 4 {
		t.Fatalf("reset gave %v, want [40 4]", v)
	}
	if c := m.sim.Result().Series.Targets[0].Capacity[0]; c != 16 {
		t.Fatalf("capacity %v after reset, want 16", c)
	}
	// n/p move between lessons from the sim pane.
	m = drive(t, m, keys("n")...)
	if m.idx != 1 {
		t.Fatalf("n in sim pane: idx %d", m.idx)
	}
}

func TestFocusWideAndNarrow(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 140, 40)
	if !m.wide() {
		t.Fatal("140 columns should be side by side")
	}
	s := screen(m)
	if !strings.Contains(s, "▸ Lesson") || strings.Contains(s, "▸ Simulation") {
		t.Fatalf("focus marker should be on the lesson:\n%s", s)
	}
	m = drive(t, m, keys("tab")...)
	s = screen(m)
	if !strings.Contains(s, "▸ Simulation") || !strings.Contains(s, "▸ Peak load") {
		t.Fatalf("focus marker should be on the simulation and its first knob:\n%s", s)
	}
	// Narrow: tab switches what is shown.
	m = drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if !strings.Contains(screen(m), "Peak load") {
		t.Fatal("narrow simulation tab does not show knobs")
	}
	m = drive(t, m, keys("tab")...)
	s = screen(m)
	if strings.Contains(s, "Peak load") || !strings.Contains(s, "word wrap") {
		t.Fatalf("narrow lesson tab should show prose only:\n%s", s)
	}
}

func TestResizeTinyAndBack(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, tea.WindowSizeMsg{Width: 30, Height: 10})
	s := screen(m)
	if !strings.Contains(s, "terminal too small") || !strings.Contains(s, "need 40x12, have 30x10") {
		t.Fatalf("tiny screen:\n%s", s)
	}
	checkScreen(t, m)
	m = drive(t, m, keys("right")...) // keys do nothing while too small
	if m.idx != 0 {
		t.Fatal("navigated while too small")
	}
	m = drive(t, m, tea.WindowSizeMsg{Width: 160, Height: 50})
	s = screen(m)
	if strings.Contains(s, "too small") || !strings.Contains(s, "A fixture lesson") {
		t.Fatalf("tour did not come back:\n%s", s)
	}
	checkScreen(t, m)
}

func TestWordWrapFollowsWidth(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	narrow := m.prose.View()
	m = drive(t, m, tea.WindowSizeMsg{Width: 60, Height: 24})
	if !m.prose.Ready() {
		t.Fatal("prose not re-rendered for the new width")
	}
	wrapped := m.prose.View()
	if narrow == wrapped {
		t.Fatal("prose unchanged after a resize")
	}
	for _, l := range strings.Split(screen(m), "\n") {
		if len([]rune(strings.TrimRight(l, " "))) > 60 {
			t.Fatalf("line wider than 60: %q", l)
		}
	}
}

func TestStaleResultsDropped(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, keys("tab")...)
	// A knob change starts a run; before it is back the learner moves to
	// the next lesson, which starts another. The first result comes last.
	next, cmdKnob := m.Update(press("right"))
	m = next.(Model)
	next, cmdNext := m.Update(press("n"))
	m = next.(Model)
	knobMsgs, nextMsgs := runCmd(cmdKnob), runCmd(cmdNext)
	m = drive(t, m, nextMsgs...)
	want := m.sim.Result().Series.Targets[0].Capacity[0]
	m = drive(t, m, knobMsgs...) // stale: lesson 1's fleet must not show in lesson 2
	if got := m.sim.Result().Series.Targets[0].Capacity[0]; got != want || len(m.sim.Result().Series.Targets) != 2 {
		t.Fatalf("stale result replaced the current one: capacity %v, want %v", got, want)
	}
	if m.sim.Running() {
		t.Fatal("still running after the latest result")
	}
	if got := m.progress.Knobs("fixture-first"); len(got) != 2 || got[0] != 45 {
		t.Fatalf("lesson 1's turned knob not kept: %v", got)
	}
}

func TestRunErrorShownInPane(t *testing.T) {
	for name, run := range map[string]simpane.Runner{
		"error": func(sim.Scenario, sim.Options) (sim.Result, error) { return sim.Result{}, errors.New("engine says no") },
		"panic": func(sim.Scenario, sim.Options) (sim.Result, error) { panic("engine fell over") },
	} {
		t.Run(name, func(t *testing.T) {
			m := start(t, newModel(testConfig(t), run, noTicks), 140, 40)
			s := screen(m)
			if !strings.Contains(s, "simulation error") || !strings.Contains(s, "could not run") {
				t.Fatalf("run error not shown:\n%s", s)
			}
			checkScreen(t, m)
			m = drive(t, m, keys("tab", "right", "r", "space")...) // still usable
			checkScreen(t, m)
		})
	}
}

func TestQuizAnswersSavedAndComplete(t *testing.T) {
	cfg := testConfig(t)
	cfg.ProgressPath = filepath.Join(t.TempDir(), "progress.json")
	cfg.Start = 2
	m := start(t, newTest(t, cfg, noTicks), 80, 24)
	m = drive(t, m, keys("a")...)
	if m.overlay != overlayQuiz {
		t.Fatal("a did not open the quiz")
	}
	m = drive(t, m, keys("1")...)
	if s := screen(m); !strings.Contains(s, "Not quite: the answer is 2") || !strings.Contains(s, "by construction") || !strings.Contains(s, "sentinel") {
		t.Fatalf("feedback missing:\n%s", s)
	}
	// Every word of the explanation is on screen: none cut at the box's edge.
	for _, w := range strings.Fields(m.course.Lessons[2].Quiz[0].Explain) {
		if !strings.Contains(screen(m), w) {
			t.Fatalf("explanation word %q cut:\n%s", w, screen(m))
		}
	}
	if complete(m, 2) {
		t.Fatal("done before every question was answered")
	}
	m = drive(t, m, keys("enter", "1")...)
	if s := screen(m); !strings.Contains(s, "Right.") {
		t.Fatalf("right answer not confirmed:\n%s", s)
	}
	if !complete(m, 2) {
		t.Fatal("answering the quiz did not complete the lesson")
	}
	saved, err := lessons.LoadProgress(cfg.ProgressPath)
	if err != nil {
		t.Fatal(err)
	}
	if a := saved.Answers("fixture-quiz"); len(a) != 2 || a[0] != 0 || a[1] != 0 || !saved.Status("fixture-quiz", m.course.Lessons[2].Requirements()).Complete {
		t.Fatalf("saved progress: %+v", saved)
	}
	m = drive(t, m, keys("esc")...)
	if m.overlay != overlayNone {
		t.Fatal("esc did not close the quiz")
	}
	// A lesson without a quiz says so instead of opening an empty box.
	m = drive(t, m, keys("p", "a")...)
	if m.overlay != overlayNone || !strings.Contains(screen(m), "no quiz") {
		t.Fatal("a on a lesson without a quiz")
	}
}

func TestHelpOverlay(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, keys("?")...)
	s := screen(m)
	for _, want := range []string{"next lesson", "choose knob", "adjust more", "pause/play", "reset knobs", "esc/?/q close help"} {
		if !strings.Contains(s, want) {
			t.Errorf("help lacks %q:\n%s", want, s)
		}
	}
	checkScreen(t, m)
	m = drive(t, m, keys("right")...) // keys do not leak through the overlay
	if m.idx != 0 {
		t.Fatal("key passed through the help overlay")
	}
	m = drive(t, m, keys("?")...)
	if m.overlay != overlayNone {
		t.Fatal("? did not close help")
	}
	// On the smallest screen every overlay keeps its whole frame.
	cfg := testConfig(t)
	cfg.Start = 2
	for _, k := range [][]string{{"?"}, {"m"}, {"a", "1"}} {
		m := start(t, newTest(t, cfg, noTicks), 40, 12)
		m = drive(t, m, keys(k...)...)
		s := screen(m)
		if !strings.Contains(s, "╭") || !strings.Contains(s, "╰") {
			t.Errorf("overlay %v cut at 40x12:\n%s", k, s)
		}
		checkScreen(t, m)
	}
}

func TestQuitSavesProgress(t *testing.T) {
	cfg := testConfig(t)
	cfg.ProgressPath = filepath.Join(t.TempDir(), "progress.json")
	m := start(t, newTest(t, cfg, noTicks), 80, 24)
	m = drive(t, m, keys("tab", "right")...)
	_, cmd := m.Update(press("q"))
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	// tea.Sequence hides its parts; run the save the way quit builds it.
	mm := m
	save := mm.saveNow()
	if msg := save(); msg.(savedMsg).err != nil {
		t.Fatal(msg.(savedMsg).err)
	}
	saved, err := lessons.LoadProgress(cfg.ProgressPath)
	if err != nil {
		t.Fatal(err)
	}
	if k := saved.Knobs("fixture-first"); len(k) != 2 || k[0] != 45 {
		t.Fatalf("knobs not saved: %v", k)
	}
}

func TestSaveErrorInFooter(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, savedMsg{err: errors.New("disk full")})
	if s := screen(m); !strings.Contains(s, "could not save progress: disk full") {
		t.Fatalf("save error not in footer:\n%s", s)
	}
}

func TestBackgroundColourRebuildsStyles(t *testing.T) {
	cfg := testConfig(t)
	cfg.Theme = "auto"
	m := start(t, newTest(t, cfg, noTicks), 80, 24)
	if !m.isDark {
		t.Fatal("auto theme should start dark until told")
	}
	m = drive(t, m, tea.BackgroundColorMsg{Color: whiteColor{}})
	if m.isDark || m.styles.Widgets.Glamour != "light" {
		t.Fatalf("light background: dark=%v glamour=%q", m.isDark, m.styles.Widgets.Glamour)
	}
	if !m.prose.Ready() {
		t.Fatal("prose not re-rendered in the light style")
	}
	// A forced theme ignores the terminal.
	cfg.Theme = "dark"
	m = start(t, newTest(t, cfg, noTicks), 80, 24)
	m = drive(t, m, tea.BackgroundColorMsg{Color: whiteColor{}})
	if !m.isDark {
		t.Fatal("--theme dark was overridden")
	}
}

type whiteColor struct{}

func (whiteColor) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }

func TestEmptyCourseDoesNotCrash(t *testing.T) {
	m := newModel(Config{Theme: "dark"}, fakeRun, noTicks)
	m = start(t, m, 80, 24)
	checkScreen(t, m)
	m = drive(t, m, keys("right", "tab", "right", "m", "enter", "a", "?", "esc", "r", "space")...)
	checkScreen(t, m)
}

func TestMouse(t *testing.T) {
	click := func(x, y int) tea.Msg { return tea.MouseClickMsg(tea.Mouse{X: x, Y: y, Button: tea.MouseLeft}) }
	wheel := func(x, y int, b tea.MouseButton) tea.Msg { return tea.MouseWheelMsg(tea.Mouse{X: x, Y: y, Button: b}) }
	// Narrow: the tab bar switches, a knob's line chooses it.
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, click(15, 1))
	if m.focus != paneSim {
		t.Fatal("click on the Simulation tab")
	}
	m = drive(t, m, click(10, knobsTop+1))
	if m.sim.Knob() != 1 {
		t.Fatalf("click on the second knob chose %d", m.sim.Knob())
	}
	m = drive(t, m, click(3, 1))
	if m.focus != paneProse {
		t.Fatal("click on the Lesson tab")
	}
	// Wide: a click focuses the pane under it; the wheel scrolls the prose.
	m = start(t, newTest(t, testConfig(t), noTicks), 140, 14)
	m = drive(t, m, click(100, knobsTop))
	if m.focus != paneSim || m.sim.Knob() != 0 {
		t.Fatalf("click on the first knob: focus %d knob %d", m.focus, m.sim.Knob())
	}
	top := m.prose.View()
	m = drive(t, m, wheel(5, 5, tea.MouseWheelDown))
	if m.prose.View() == top {
		t.Fatal("wheel over the prose did not scroll it")
	}
	m = drive(t, m, wheel(100, 5, tea.MouseWheelDown))
	if m.sim.Knob() != 1 {
		t.Fatal("wheel over the simulation did not choose the next knob")
	}
}

func TestSavesLandInOrder(t *testing.T) {
	cfg := testConfig(t)
	cfg.ProgressPath = filepath.Join(t.TempDir(), "progress.json")
	m := start(t, newTest(t, cfg, noTicks), 80, 24)
	next, older := m.Update(press("n")) // saves with Last = lesson 2
	m = next.(Model)
	next, newer := m.Update(press("n")) // saves with Last = lesson 3
	m = next.(Model)
	_ = m
	// The newer save finishes first; the older must not overwrite it.
	for _, cmd := range []tea.Cmd{newer, older} {
		for _, msg := range runCmd(cmd) {
			if s, ok := msg.(savedMsg); ok && s.err != nil {
				t.Fatal(s.err)
			}
		}
	}
	saved, err := lessons.LoadProgress(cfg.ProgressPath)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Last() != "fixture-quiz" {
		t.Fatalf("last = %q: an older save overwrote a newer one", saved.Last())
	}
}

// complete reports whether lesson i counts as complete in m's progress.
func complete(m Model, i int) bool {
	l := m.course.Lessons[i]
	return m.progress.Status(l.Slug, l.Requirements()).Complete
}

// TestTwoWindowsSeeEachOthersWork: two tours on one progress file; a
// lesson completed in one shows as complete in the other after its next
// save, and neither erases the other's work.
func TestTwoWindowsSeeEachOthersWork(t *testing.T) {
	cfg := testConfig(t)
	cfg.ProgressPath = filepath.Join(t.TempDir(), "progress.json")
	cfg.Start = 2
	a := start(t, newTest(t, cfg, noTicks), 80, 24)
	cfg.Start = 0
	b := start(t, newTest(t, cfg, noTicks), 80, 24)
	a = drive(t, a, keys("a", "1", "enter", "1", "esc")...) // A answers lesson 3's quiz
	if !complete(a, 2) {
		t.Fatal("A: answering the quiz did not complete lesson 3")
	}
	if complete(b, 2) {
		t.Fatal("B knew of lesson 3 before saving")
	}
	b = drive(t, b, keys("n")...) // B moves on, which saves
	if !complete(b, 2) {
		t.Fatal("B does not show what A completed")
	}
	saved, err := lessons.LoadProgress(cfg.ProgressPath)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Last() != "fixture-second" || len(saved.Answers("fixture-quiz")) != 2 {
		t.Fatalf("one window erased the other's work: last %q answers %v", saved.Last(), saved.Answers("fixture-quiz"))
	}
}
