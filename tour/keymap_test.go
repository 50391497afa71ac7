package tour

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
)

// keyUniverse is every key a learner might press: every letter, digit and
// mark, the named keys, and the ctrl and shift combinations the tour or
// its libraries could answer to.
func keyUniverse() []string {
	var all []string
	for r := '!'; r <= '~'; r++ {
		all = append(all, string(r))
	}
	all = append(all, "up", "down", "left", "right", "shift+left", "shift+right", "shift+up", "shift+down",
		"enter", "esc", "tab", "shift+tab", "space", "backspace", "delete", "pgup", "pgdown", "home", "end", "f1")
	for r := 'a'; r <= 'z'; r++ {
		all = append(all, "ctrl+"+string(r))
	}
	return all
}

// pressAny makes a key press from any name keyUniverse gives.
func pressAny(s string) tea.KeyPressMsg {
	named := map[string]tea.Key{
		"shift+up": {Code: tea.KeyUp, Mod: tea.ModShift}, "shift+down": {Code: tea.KeyDown, Mod: tea.ModShift},
		"backspace": {Code: tea.KeyBackspace}, "delete": {Code: tea.KeyDelete}, "f1": {Code: tea.KeyF1},
	}
	if k, ok := named[s]; ok {
		return tea.KeyPressMsg(k)
	}
	if c, ok := strings.CutPrefix(s, "ctrl+"); ok && len(c) == 1 {
		return tea.KeyPressMsg(tea.Key{Code: rune(c[0]), Mod: tea.ModCtrl})
	}
	return press(s)
}

// acts reports whether key k does anything in m: changes the screen or
// asks for work (a run, a save, quitting).
func acts(m Model, k string) bool {
	m.progress = m.progress.Clone() // copies of a model share the progress's maps
	before := screen(m)
	next, cmd := m.Update(pressAny(k))
	return cmd != nil || screen(next.(Model)) != before
}

// keyContext is one place the keys go, in the states from which every key
// that works there can show it.
type keyContext struct {
	name   string
	states []Model
	// footer is the help line the learner sees there; listed, every key
	// the context's help shows (the footer and, for the layout, the key
	// help's sections); own, the keys that must work there.
	footer, listed, own []key.Binding
}

// TestEveryKeyInHelpWorksAndEveryWorkingKeyIsInHelp walks each context's
// keymap: every key its help lists works there (in at least one of a few
// states: the prose at its top or bottom, either knob chosen, the first or
// a later question), and no key works there unless its help lists it.
func TestEveryKeyInHelpWorksAndEveryWorkingKeyIsInHelp(t *testing.T) {
	fixture := fixtureCourse(t)
	// The middle lesson has neighbours both ways, two knobs and a quiz, so
	// every key has something to act on.
	middle := fixture.Lessons[0]
	middle.Slug, middle.Quiz = "middle", fixture.Lessons[2].Quiz
	course := &lessons.Course{Lessons: []lessons.Lesson{fixture.Lessons[1], middle, fixture.Lessons[2]}}
	cfg := testConfig(t)
	cfg.Course, cfg.Start = course, 1
	at := func(w, h int, setup ...string) Model {
		return drive(t, start(t, newTest(t, cfg, noTicks), w, h), keys(setup...)...)
	}

	var contexts []keyContext
	for _, size := range []struct {
		name string
		w, h int
	}{{"wide", 140, 24}, {"narrow", 80, 24}} {
		reading := at(size.w, size.h)
		k := reading.keys
		sections := reading.keySections()
		var all []key.Binding
		for _, s := range sections {
			all = append(all, s.Keys...)
		}
		own := append(slices.Clone(sections[0].Keys), sections[1].Keys...)
		if size.name == "wide" {
			own = append(own, k.Sim.Turning()...) // the knobs beside the prose
		}
		contexts = append(contexts, keyContext{
			name:   "reading " + size.name,
			states: []Model{reading, at(size.w, size.h, "end")},
			footer: reading.keysInForce().ShortHelp(), listed: all,
			own: own,
		})
		sim := at(size.w, size.h, "tab")
		simOwn := append(slices.Clone(sections[2].Keys), k.Focus, k.Menu, k.Quiz, k.Help, k.Quit, k.ForceQuit)
		simStates := []Model{sim, at(size.w, size.h, "tab", "down", "right")}
		if size.name == "wide" {
			simOwn = append(simOwn, k.Prose.PageUp, k.Prose.PageDown) // the lesson beside still pages
			simStates = append(simStates, at(size.w, size.h, "end", "tab"))
		}
		contexts = append(contexts, keyContext{
			name: "simulation " + size.name, states: simStates,
			footer: sim.keysInForce().ShortHelp(), listed: all, own: simOwn,
		})
	}
	for _, ov := range []struct {
		name  string
		open  []string
		more  [][]string // further states
		keyOf func(Model) [][]key.Binding
	}{
		{"key help", []string{"?"}, nil, func(m Model) [][]key.Binding { return m.keyHelp.KeyMap().FullHelp() }},
		{"menu", []string{"m"}, [][]string{{"m", "end"}, {"m", "home"}}, func(m Model) [][]key.Binding { return m.menu.KeyMap().FullHelp() }},
		{"quiz", []string{"a"}, [][]string{{"a", "1"}, {"a", "right"}}, func(m Model) [][]key.Binding { return m.quiz.KeyMap().FullHelp() }},
		{"closing screen", []string{"n", "n"}, [][]string{{"n", "n", "down"}}, func(m Model) [][]key.Binding { return m.closing.KeyMap().FullHelp() }},
	} {
		m := at(80, 24, ov.open...)
		states := []Model{m}
		for _, s := range ov.more {
			states = append(states, at(80, 24, s...))
		}
		var listed []key.Binding
		for _, g := range ov.keyOf(m) {
			listed = append(listed, g...)
		}
		// ctrl+c quits from anywhere; the key help's Lessons section says so.
		listed = append(listed, m.keys.ForceQuit)
		contexts = append(contexts, keyContext{name: ov.name, states: states, footer: m.keysInForce().ShortHelp(), listed: listed, own: listed})
	}

	// A forecast asked before the run: its keys, and the layout's.
	ask := middle
	ask.Forecasts = []lessons.Forecast{{ID: "peak", Ask: "How high?", Figure: lessons.Figure{Name: "cost_usd", Target: "fleet"}}}
	askCfg := cfg
	askCfg.Course = &lessons.Course{Lessons: []lessons.Lesson{fixture.Lessons[1], ask, fixture.Lessons[2]}}
	asking := drive(t, start(t, newTest(t, askCfg, noTicks), 80, 24), keys("tab")...)
	typed := drive(t, asking, keys("4")...)
	k := asking.keys
	askOwn := append(asking.sim.ForecastHelp(), k.Focus, k.Menu, k.Quiz, k.Help, k.Quit, k.ForceQuit, k.NextSim, k.PrevSim)
	contexts = append(contexts, keyContext{
		name: "forecast", states: []Model{asking, typed},
		footer: asking.keysInForce().ShortHelp(), own: askOwn,
		listed: append(slices.Clone(askOwn), k.Sim.Pause, k.Sim.Reset),
	})

	for _, c := range contexts {
		t.Run(c.name, func(t *testing.T) {
			works := func(k string) bool {
				for _, s := range c.states {
					if acts(s, k) {
						return true
					}
				}
				return false
			}
			keysOf := func(bs []key.Binding) []string {
				var out []string
				for _, b := range bs {
					if b.Enabled() {
						out = append(out, b.Keys()...)
					}
				}
				return out
			}
			for _, b := range append(slices.Clone(c.footer), c.own...) {
				if !b.Enabled() {
					continue
				}
				for _, k := range b.Keys() {
					if !works(k) {
						t.Errorf("%q (help: %q %q) is listed but does nothing", k, b.Help().Key, b.Help().Desc)
					}
				}
			}
			listed := keysOf(c.listed)
			for _, k := range keyUniverse() {
				if !slices.Contains(listed, k) && works(k) {
					t.Errorf("%q works but no help lists it", k)
				}
			}
		})
	}
}

// TestHalfPageKeysAreOff: d and u were meant to do nothing, but the
// viewport kept its default half-page keys; the prose now gets its keys
// at construction.
func TestHalfPageKeysAreOff(t *testing.T) {
	for _, k := range []string{"d", "u"} {
		m := start(t, newTest(t, testConfig(t), noTicks), 80, 14)
		m = drive(t, m, keys("down", "down", "down")...)
		before := screen(m)
		if after := screen(drive(t, m, keys(k)...)); after != before {
			t.Errorf("%s scrolled the lesson", k)
		}
	}
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 14)
	if screen(drive(t, m, keys("ctrl+d")...)) == screen(m) {
		t.Error("ctrl+d, a page down, did not scroll")
	}
}

// TestClicksLandOnWhatIsDrawn: at every size, a click on each knob's
// line, found on screen by its label, chooses that knob, and a click on a
// tab or pane focuses it.
func TestClicksLandOnWhatIsDrawn(t *testing.T) {
	click := func(x, y int) tea.Msg { return tea.MouseClickMsg(tea.Mouse{X: x, Y: y, Button: tea.MouseLeft}) }
	find := func(m Model, text string) (int, int) {
		for y, l := range strings.Split(screen(m), "\n") {
			if x := strings.Index(l, text); x >= 0 {
				return len([]rune(l[:x])), y
			}
		}
		return -1, -1
	}
	for _, size := range [][2]int{{80, 24}, {60, 16}, {110, 30}, {140, 40}, {200, 60}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := start(t, newTest(t, testConfig(t), noTicks), size[0], size[1])
			if !m.wide() {
				x, y := find(m, "Simulation")
				m = drive(t, m, click(x+2, y))
				if m.focus != paneSim {
					t.Fatalf("click on the Simulation tab at %d,%d", x, y)
				}
			}
			for i, label := range []string{"Fleet size", "Peak load"} {
				x, y := find(m, label)
				if x < 0 {
					t.Fatalf("%q not on screen:\n%s", label, screen(m))
				}
				m = drive(t, m, click(x+3, y))
				if want := 1 - i; m.sim.Knob() != want || m.focus != paneSim {
					t.Fatalf("click on %q at %d,%d: knob %d focus %d", label, x, y, m.sim.Knob(), m.focus)
				}
			}
			if m.wide() {
				m = drive(t, m, click(2, size[1]/2))
			} else {
				tabs := strings.Split(screen(m), "\n")[1]
				m = drive(t, m, click(len([]rune(tabs[:strings.Index(tabs, "Lesson")]))+1, 1))
			}
			if m.focus != paneProse {
				t.Fatal("click on the lesson did not focus it")
			}
			// Over an overlay a click changes nothing underneath.
			m = drive(t, m, keys("m")...)
			x, y := find(m, "Fleet size")
			if x >= 0 {
				before := m.focus
				m = drive(t, m, click(x, y))
				if m.focus != before || m.overlay != overlayMenu {
					t.Fatal("a click went through the menu")
				}
			}
		})
	}
}
