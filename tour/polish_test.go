package tour

import (
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

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
// 80x24: the chart keeps at least chartRowsFirst rows of plot, and every
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
		s := screen(m)
		if n := chartRows(s); n < chartRowsFirst {
			t.Errorf("%s: %d rows of chart at 80x24, want ≥ %d:\n%s", l.Name(), n, chartRowsFirst, s)
		}
		for _, name := range l.Chart.Stats {
			st, ok := lessons.StatByName(name)
			if ok && !strings.Contains(s, st.Label) {
				t.Errorf("%s: the figure %q is cut at 80x24:\n%s", l.Name(), st.Label, s)
			}
		}
		checkScreen(t, m)
		m = drive(t, m, keys("n")...)
	}
}

// stepRun is an engine whose load differs in every bucket (bucket i
// carries 0.4 + i/1000 req/s), so a figure shows which bucket it read.
func stepRun(s sim.Scenario, o sim.Options) (sim.Result, error) {
	res, err := fakeRun(s, o)
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
	m := start(t, newModel(testConfig(t), stepRun, noTicks), 80, 24)
	m = drive(t, m, keys("tab")...)
	bucket := m.result.Series.Bucket
	for _, ph := range []float64{0, 0.6, 1, 9.99, 47.5, float64(m.buckets() - 1)} {
		m.playhead = ph
		m.updateSimViews()
		i := int(ph)
		end := time.Duration(i+1) * bucket
		clock := fmt.Sprintf("at %02d:%02d", int(end.Hours()), int(end.Minutes())%60)
		load := rate(0.4 + float64(i)/1000)
		s := screen(m)
		if !strings.Contains(s, clock) || !strings.Contains(s, load) {
			t.Errorf("playhead %v: want %q and %q:\n%s", ph, clock, load, s)
		}
		if m.chart.Len() != m.buckets() {
			t.Fatalf("chart holds %d buckets of %d", m.chart.Len(), m.buckets())
		}
	}
	for v, want := range map[float64]string{0.45: "0.45 req/s", 0.5: "0.5 req/s", 0: "0 req/s", 0.0033: "0.0033 req/s", 0.00005: "0.00005 req/s", 3.44: "3.4 req/s", 9.96: "10 req/s", 1234: "1,234 req/s"} {
		if got := rate(v); got != want {
			t.Errorf("rate(%v) = %q, want %q", v, got, want)
		}
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
	for _, tc := range []struct{ open, want string }{{"?", "close help"}, {"m", "enter open"}, {"n", ""}, {"n", ""}, {"a", "1-9 answer"}} {
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
	if !strings.Contains(s, "│ ↑↓ choose · enter open · esc close │") {
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

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, bl, _ := c.RGBA()
		f := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(bl)
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestThemesReadOnAProjector: text, borders, bars and the footer's
// separators keep a contrast a projector does not wash out, on white for
// the light theme and on a dark terminal for the dark one (text 4.5:1,
// lines and marks 3:1, the empty part of a knob's bar 2:1).
func TestThemesReadOnAProjector(t *testing.T) {
	for _, tc := range []struct {
		dark bool
		bg   color.Color
	}{{false, color.White}, {true, color.RGBA{0x0d, 0x11, 0x17, 0xff}}} {
		st := NewStyles(tc.dark, false)
		w := st.Widgets
		for _, c := range []struct {
			name string
			s    lipgloss.Style
			min  float64
		}{
			{"footer key", st.Help.ShortKey, 4.5}, {"footer text", st.Help.ShortDesc, 4.5},
			{"footer separator", st.Help.ShortSeparator, 3}, {"status", st.Status, 4.5},
			{"faint", st.Faint, 4.5}, {"header", st.HeaderFaint, 4.5},
			{"unfocused border", st.Pane, 3}, {"focused border", st.PaneFocused, 3},
			{"tab", st.TabInactive, 4.5}, {"chart axis", w.Axis, 3}, {"legend", w.Legend, 4.5},
			{"figure label", w.Label, 4.5}, {"figure", w.Value, 4.5}, {"heading", w.Heading, 4.5},
			{"knob bar", w.BarFull, 3}, {"knob bar, empty", w.BarEmpty, 2},
		} {
			fg := c.s.GetForeground()
			if _, none := fg.(lipgloss.NoColor); none || fg == nil {
				t.Errorf("dark=%v %s: no colour", tc.dark, c.name)
				continue
			}
			if r := contrast(fg, tc.bg); r < c.min {
				t.Errorf("dark=%v %s: contrast %.1f:1, want %.1f:1", tc.dark, c.name, r, c.min)
			}
		}
		for i, s := range w.Series {
			if r := contrast(s.GetForeground(), tc.bg); r < 4.5 {
				t.Errorf("dark=%v series %d: contrast %.1f:1", tc.dark, i, r)
			}
		}
	}
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
	if m.result == nil {
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

// TestClockStopsAtTheRunsEnd: a run whose last bucket is short (its
// length not a whole number of buckets) ends its clock at its duration,
// not at the end of a full last bucket.
func TestClockStopsAtTheRunsEnd(t *testing.T) {
	short := func(s sim.Scenario, o sim.Options) (sim.Result, error) {
		res, err := fakeRun(s, o)
		res.DurationS -= res.Series.Bucket.Seconds() / 2
		return res, err
	}
	m := start(t, newModel(testConfig(t), short, noTicks), 80, 24)
	m = drive(t, m, keys("tab")...)
	m.playhead = float64(m.buckets() - 1)
	m.updateSimViews()
	rows := strings.Split(screen(m), "\n")
	if !strings.Contains(rows[1], "23:57 / 23:57") || !strings.Contains(screen(m), "at 23:57") {
		t.Fatalf("clock past the run's end:\n%s", screen(m))
	}
}
