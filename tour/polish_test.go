package tour

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
)

// chartRows counts the plot lines on a screen: those with a y axis rune.
func chartRows(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.ContainsAny(l, "┤┼") {
			n++
		}
	}
	return n
}

// TestChartComesFirstAt80x24 walks the real course's simulation tabs at
// 80x24: the chart keeps at least eight rows of plot, and every
// whole-run figure the lesson names is still on screen.
func TestChartComesFirstAt80x24(t *testing.T) {
	cfg := realConfig(t)
	course := cfg.Course
	m := start(t, newModel(cfg, sim.Run, noTicks), 80, 24)
	m = drive(t, m, keys("tab")...)
	for i, l := range course.Lessons {
		if m.idx != i {
			t.Fatalf("at lesson %d, want %d", m.idx, i)
		}
		m = answerForecasts(t, m)
		s := screen(m)
		if n := chartRows(s); n < 8 {
			t.Errorf("%s: %d rows of chart at 80x24, want ≥ 8:\n%s", l.Name(), n, s)
		}
		for _, name := range l.Chart.Stats {
			label := name
			if st, ok := lessons.StatByName(name); ok {
				label = st.Label
			} else if rf, ok := lessons.ResultFigureByName(name); ok {
				label = rf.Label
			}
			if !strings.Contains(s, label) {
				t.Errorf("%s: the figure %q is cut at 80x24:\n%s", l.Name(), label, s)
			}
		}
		checkScreen(t, m)
		m = drive(t, m, keys("n")...)
	}
}

// TestStatusRidesInTheTabBarAndBorder: the simulation's status takes no
// line of its own: it sits in the narrow layout's tab bar and in the
// wide layout's pane border, and the knobs start right under them.
func TestStatusRidesInTheTabBarAndBorder(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	m = drive(t, m, keys("tab")...)
	rows := strings.Split(screen(m), "\n")
	if !strings.Contains(rows[1], "▸ Simulation") || !strings.Contains(rows[1], "▶ playing") || !strings.Contains(rows[1], "tab switches") {
		t.Errorf("tab bar: %q", rows[1])
	}
	if !strings.Contains(rows[knobsTop], "Peak load") {
		t.Errorf("first knob not on row %d:\n%s", knobsTop, strings.Join(rows, "\n"))
	}
	m = drive(t, m, keys("space")...)
	if rows := strings.Split(screen(m), "\n"); !strings.Contains(rows[1], "‖ paused") {
		t.Errorf("tab bar when paused: %q", rows[1])
	}
	m = start(t, newTest(t, testConfig(t), noTicks), 140, 40)
	rows = strings.Split(screen(m), "\n")
	if !strings.Contains(rows[1], "Simulation ─ ▶ playing") {
		t.Errorf("border: %q", rows[1])
	}
	if !strings.Contains(rows[knobsTop], "Peak load") {
		t.Errorf("first knob not on row %d:\n%s", knobsTop, strings.Join(rows, "\n"))
	}
	// Too narrow for everything: hints go, the clock stays, nothing is cut.
	m = start(t, newTest(t, testConfig(t), noTicks), 40, 12)
	m = drive(t, m, keys("tab")...)
	if rows := strings.Split(screen(m), "\n"); !regexp.MustCompile(`▶ +\d\d:\d\d`).MatchString(rows[1]) {
		t.Errorf("narrow tab bar: %q", rows[1])
	}
}

// TestNoColorProseIsFormatted: with NoColor the lesson shows its
// headings and emphasis formatted, not as markdown source.
func TestNoColorProseIsFormatted(t *testing.T) {
	cfg := testConfig(t)
	cfg.NoColor = true
	m := start(t, newTest(t, cfg, noTicks), 80, 40)
	s := screen(m)
	if !strings.Contains(s, "A second heading") || !strings.Contains(s, "bold") {
		t.Fatalf("prose missing:\n%s", s)
	}
	for _, raw := range []string{"## A second heading", "**bold**", "# A fixture lesson"} {
		if strings.Contains(s, raw) {
			t.Errorf("no-colour prose shows markdown %q:\n%s", raw, s)
		}
	}
}

// TestFooterFollowsOverlays: over the help, the menu and the quiz the
// footer shows their keys, since there q closes and ←→ change question.
func TestFooterFollowsOverlays(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 80, 24)
	footer := func(m Model) string {
		rows := strings.Split(screen(m), "\n")
		return rows[len(rows)-1]
	}
	if f := footer(m); !strings.Contains(f, "q quit") {
		t.Fatalf("layout footer: %q", f)
	}
	for _, tc := range []struct{ open, want string }{{"?", "close help"}, {"m", "enter open"}, {"n", ""}, {"n", ""}, {"a", "1-3 answer"}} {
		m = drive(t, m, keys(tc.open)...)
		if tc.want == "" {
			continue
		}
		f := footer(m)
		if !strings.Contains(f, tc.want) || strings.Contains(f, "quit") {
			t.Errorf("footer over %q: %q", tc.open, f)
		}
		m = drive(t, m, keys("esc")...)
	}
}

// TestNarrowOverlaysKeepWordsWhole: at 40x12 the menu's long titles end
// in "…" and its hint drops whole parts instead of wrapping, a wrapped
// quiz choice hangs under its own text, and no stray letters of the
// screen below show beside a box.
func TestNarrowOverlaysKeepWordsWhole(t *testing.T) {
	cfg := testConfig(t)
	course := *cfg.Course
	course.Lessons = append(course.Lessons[:0:0], course.Lessons...)
	long := course.Lessons[2]
	long.Title = "A fixture with a quiz and a title far too long for forty columns"
	long.Quiz = append(long.Quiz[:0:0], long.Quiz...)
	q := long.Quiz[0]
	q.Choices = []string{"The first", "The second, which runs long enough to wrap in a narrow box", "The third"}
	long.Quiz[0] = q
	course.Lessons[2] = long
	cfg.Course = &course
	m := start(t, newTest(t, cfg, noTicks), 40, 12)
	m = drive(t, m, keys("m")...)
	s := screen(m)
	if !strings.Contains(s, "3. A fixture with a quiz and… │") {
		t.Errorf("long title not ended with …:\n%s", s)
	}
	if !regexp.MustCompile(`│ ↑↓ choose · enter open (·|…) *│`).MatchString(s) {
		t.Errorf("menu hint wrapped or cut:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "│") && !strings.HasSuffix(strings.TrimRight(l, " "), "│") {
			t.Errorf("stray text beside the box: %q", l)
		}
	}
	m = drive(t, m, keys("esc", "n", "n", "a", "2")...)
	s = screen(m)
	if !strings.Contains(s, "│ ✓ 2) The second, which runs long   │") || !strings.Contains(s, "│      enough to wrap in a narrow    │") {
		t.Errorf("wrapped choice does not hang under its text:\n%s", s)
	}
	checkScreen(t, m)
}

// TestFiguresHoldTheirPlaceWhileSimulating: before the first run comes
// back the figures show their labels with dashes, where they will stay,
// instead of an empty pane that jumps when the numbers arrive.
func TestFiguresHoldTheirPlaceWhileSimulating(t *testing.T) {
	m := newTest(t, testConfig(t), noTicks)
	first := m.firstRun
	m = drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = drive(t, m, keys("tab")...)
	row := func(s, what string) int {
		for i, l := range strings.Split(s, "\n") {
			if strings.Contains(l, what) {
				return i
			}
		}
		return -1
	}
	before := screen(m)
	if !strings.Contains(before, "Simulating…") || !strings.Contains(before, "cost so far      –") || row(before, "whole run") < 0 {
		t.Fatalf("no placeholder figures:\n%s", before)
	}
	m = drive(t, m, runCmd(first)...)
	after := screen(m)
	if m.sim.Result() == nil {
		t.Fatal("no result")
	}
	if b, a := row(before, "whole run"), row(after, "whole run"); b != a {
		t.Errorf("figures moved from row %d to %d:\n%s\n%s", b, a, before, after)
	}
}

// TestTooSmallSaysWhatToDo: the too-small message says how to get out.
func TestTooSmallSaysWhatToDo(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 39, 11)
	if s := screen(m); !strings.Contains(s, "need 40x12, have 39x11") || !strings.Contains(s, "press q to quit") {
		t.Fatalf("too-small screen:\n%s", s)
	}
	checkScreen(t, m)
}
