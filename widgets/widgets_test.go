package widgets

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func lines(s string) []string { return strings.Split(ansi.Strip(s), "\n") }

func checkSize(t *testing.T, what, s string, w, h int) {
	t.Helper()
	ls := strings.Split(s, "\n")
	if len(ls) != h {
		t.Fatalf("%s: %d lines, want %d", what, len(ls), h)
	}
	for i, l := range ls {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%s: line %d is %d wide, want %d: %q", what, i, got, w, ansi.Strip(l))
		}
	}
}

func TestFit(t *testing.T) {
	got := Fit("abcdef\n\x1b[1mbold\x1b[m\nx\ny", 4, 3)
	want := []string{"abcd", "bold", "x   "}
	if l := lines(got); strings.Join(l, "|") != strings.Join(want, "|") {
		t.Fatalf("Fit = %q", l)
	}
	checkSize(t, "Fit", got, 4, 3)
	if Fit("x", 0, 3) != "" || Fit("x", 3, 0) != "" {
		t.Fatal("zero size should be empty")
	}
}

func series(n int, f func(x float64) float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = f(float64(i) / float64(n-1))
	}
	return v
}

func TestChartTellsSeriesApartWithoutColour(t *testing.T) {
	c := NewChart(NewStyles(true, true))
	c.SetSize(60, 16)
	c.SetSeries(24, []Series{
		{Name: "load", Values: series(96, func(x float64) float64 { return 50 + 40*math.Sin(2*math.Pi*x) })},
		{Name: "capacity", Values: series(96, func(float64) float64 { return 100 })},
		{Name: "queue", Values: series(96, func(x float64) float64 { return 10 * x })},
	})
	out := c.View()
	checkSize(t, "chart", out, 60, 16)
	s := ansi.Strip(out)
	for _, want := range []string{"── load", "══ capacity", "━━ queue", "0h", "24h", "100"} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q:\n%s", want, s)
		}
	}
	// Each series draws with its own runes.
	for _, r := range []string{"╭", "═", "━"} {
		if strings.Count(s, r) < 2 {
			t.Errorf("series rune %q missing:\n%s", r, s)
		}
	}
	if strings.Contains(out, "\x1b[3") || strings.Contains(out, "\x1b[38") {
		t.Errorf("no-colour chart has colour: %q", out)
	}
}

func TestChartPlayheadReveals(t *testing.T) {
	c := NewChart(NewStyles(true, false))
	c.SetSize(60, 14)
	c.SetSeries(24, []Series{{Name: "load", Values: series(100, func(x float64) float64 { return 1 + 9*x })}})
	c.SetPlayhead(-1)
	full := ansi.Strip(c.View())
	c.SetPlayhead(50)
	half := ansi.Strip(c.View())
	if !strings.Contains(half, "┊") || !strings.Contains(half, "▲") || !strings.Contains(half, "now") {
		t.Fatalf("no playhead:\n%s", half)
	}
	if strings.Contains(full, "┊") {
		t.Fatalf("playhead drawn with everything revealed:\n%s", full)
	}
	// Fewer line cells are drawn when only half is revealed, on the same axes.
	count := func(s string) int { return strings.Count(s, "─") + strings.Count(s, "╭") + strings.Count(s, "╯") }
	if count(half) >= count(full) {
		t.Fatalf("half reveal drew as much as full: %d vs %d", count(half), count(full))
	}
	if lines(full)[1][:5] != lines(half)[1][:5] {
		t.Fatalf("y axis moved with the playhead:\n%s\n%s", full, half)
	}
}

func TestChartMessagesAndTinySizes(t *testing.T) {
	c := NewChart(NewStyles(false, false))
	c.SetSize(30, 6)
	c.SetMessage("The simulation could not run: something long enough to wrap", true)
	out := c.View()
	checkSize(t, "message", out, 30, 6)
	if !strings.Contains(ansi.Strip(out), "could not run") {
		t.Fatal(out)
	}
	for _, sz := range [][2]int{{1, 1}, {5, 3}, {16, 4}, {200, 60}} {
		c.SetSeries(1, []Series{{Name: "a", Values: []float64{1, 2, 3}}, {Name: "b", Values: []float64{math.NaN(), math.Inf(1), 0}}})
		c.SetSize(sz[0], sz[1])
		checkSize(t, "tiny chart", c.View(), sz[0], sz[1])
	}
}

func TestKnobStepsClampAndSnap(t *testing.T) {
	k := Knob{Min: 0.1, Max: 1, Step: 0.1, Coarse: 0.3, Default: 0.5, Value: 0.5}
	for i := 0; i < 3; i++ {
		k.Nudge(1, false)
	}
	if k.Value != 0.8 {
		t.Fatalf("three fine steps from 0.5 = %v, want 0.8 exactly", k.Value)
	}
	if !k.Nudge(1, true) || k.Value != 1 {
		t.Fatalf("coarse step past max = %v, want 1", k.Value)
	}
	if k.Nudge(1, false) {
		t.Fatal("a step at max reported a change")
	}
	k.Set(0.37)
	if k.Value != 0.4 {
		t.Fatalf("Set(0.37) snapped to %v, want 0.4", k.Value)
	}
	k2 := Knob{Min: 1, Max: 20, Step: 1, Value: 4}
	k2.Nudge(1, true) // coarse defaults to 10 steps
	if k2.Value != 14 {
		t.Fatalf("default coarse = %v, want 14", k2.Value)
	}
}

func TestKnobPanel(t *testing.T) {
	p := NewKnobPanel(NewStyles(true, true))
	p.SetKnobs([]Knob{
		{Label: "Peak load", Unit: "req/s", Min: 10, Max: 200, Step: 5, Default: 40, Value: 40},
		{Label: "Fleet size", Unit: "VMs", Min: 1, Max: 20, Step: 1, Default: 4, Value: 4},
	})
	p.SetSize(60, 2)
	p.Focus()
	key := func(code rune, mod tea.KeyMod) tea.KeyPressMsg { return tea.KeyPressMsg(tea.Key{Code: code, Mod: mod}) }
	p, _ = p.Update(key(tea.KeyDown, 0))
	p, _ = p.Update(key(tea.KeyRight, 0))
	p, _ = p.Update(key(tea.KeyRight, tea.ModShift))
	if v := p.Values(); v[0] != 40 || v[1] != 15 {
		t.Fatalf("values %v, want [40 15]", v)
	}
	out := p.View()
	checkSize(t, "panel", out, 60, 2)
	l := lines(out)
	if !strings.HasPrefix(l[1], "▸ Fleet size") || strings.HasPrefix(l[0], "▸") {
		t.Fatalf("marker not on the chosen knob:\n%s", strings.Join(l, "\n"))
	}
	for _, want := range []string{"15 VMs", " 1 [", "] 20", "40 req/s", "10 [", "] 200"} {
		if !strings.Contains(ansi.Strip(out), want) {
			t.Errorf("panel lacks %q:\n%s", want, ansi.Strip(out))
		}
	}
	p.Blur()
	if l := lines(p.View()); !strings.HasPrefix(l[1], "▹") {
		t.Fatalf("unfocused marker: %q", l[1])
	}
	p, _ = p.Update(key(tea.KeyRight, 0))
	if p.Values()[1] != 15 {
		t.Fatal("an unfocused panel took a key")
	}
	if !p.Reset() || p.Values()[1] != 4 {
		t.Fatalf("reset: %v", p.Values())
	}
	for _, w := range []int{1, 10, 25, 200} {
		p.SetSize(w, 2)
		checkSize(t, "narrow panel", p.View(), w, 2)
	}
}

func TestStatsTable(t *testing.T) {
	s := NewStats(NewStyles(true, true))
	s.SetTable([]string{"fleet", "lambda"}, []StatRow{
		{Section: "now", Label: "load", Cells: []string{"12 req/s"}},
		{Label: "cost so far", Cells: []string{"$1.25", "$0.1230"}},
		{Section: "run", Label: "p99", Cells: []string{"920 ms", "1.30 s"}},
	})
	s.SetNote("Prices: us-east-1, as of 2025-11-01.", "")
	if s.Lines() != 5 {
		t.Fatalf("Lines = %d", s.Lines())
	}
	s.SetSize(50, 5)
	out := ansi.Strip(s.View())
	checkSize(t, "stats", s.View(), 50, 5)
	for _, want := range []string{"fleet", "lambda", "cost so far", "$0.1230", "as of 2025-11-01"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lack %q:\n%s", want, out)
		}
	}
	// Wide enough, the sections sit side by side: fewer lines.
	s.SetSize(100, 10)
	if s.Lines() != 4 {
		t.Fatalf("side by side Lines = %d, want 4", s.Lines())
	}
	if l := lines(s.View()); !strings.HasPrefix(l[0], "now") || !strings.Contains(l[0], "run") {
		t.Fatalf("sections not side by side:\n%s", strings.Join(l, "\n"))
	}
	// Short of room, rows go from the end but the date of the prices stays.
	s.SetSize(50, 3)
	out = ansi.Strip(s.View())
	if !strings.Contains(out, "as of 2025-11-01") || strings.Contains(out, "p99") {
		t.Fatalf("cut table:\n%s", out)
	}
}

// render runs a command and hands its message back to the pane.
func render(t *testing.T, p Prose, cmd tea.Cmd) Prose {
	t.Helper()
	if cmd == nil {
		return p
	}
	p, _ = p.Update(cmd())
	return p
}

func TestProseRendersCachesAndRewraps(t *testing.T) {
	md := "# Title\n\n" + strings.Repeat("word ", 60) + "\n\n- a\n- b\n"
	p := NewProse(NewStyles(true, false), DefaultProseKeys())
	cmd := p.SetSize(40, 10)
	if cmd != nil {
		t.Fatal("nothing to render before markdown is set")
	}
	p = render(t, p, p.SetMarkdown(md))
	if !p.Ready() {
		t.Fatal("not ready after rendering")
	}
	checkSize(t, "prose", p.View(), 40, 10)
	for _, l := range lines(p.View()) {
		if len(strings.TrimRight(l, " ")) > 38 {
			t.Fatalf("line past the wrap width: %q", l)
		}
	}
	// A new width asks for a rendering; until it comes the old one shows, clipped.
	cmd = p.SetSize(70, 10)
	if cmd == nil || p.Ready() {
		t.Fatal("a new width should ask for a new rendering")
	}
	checkSize(t, "prose before rewrap", p.View(), 70, 10)
	p = render(t, p, cmd)
	wide := p.View()
	if !strings.Contains(ansi.Strip(wide), strings.Repeat("word ", 12)) {
		t.Fatalf("not rewrapped wider:\n%s", ansi.Strip(wide))
	}
	// Back to a width seen before: from the cache, at once.
	if cmd := p.SetSize(40, 10); cmd != nil || !p.Ready() {
		t.Fatal("a cached width should not render again")
	}
	// A stale rendering (the old width) does not replace the current one.
	stale := p.SetSize(55, 10)
	p = render(t, p, p.SetSize(40, 10))
	p = render(t, p, stale)
	for _, l := range lines(p.View()) {
		if len(strings.TrimRight(l, " ")) > 38 {
			t.Fatalf("stale rendering shown: %q", l)
		}
	}
	// Scrolling.
	p.SetSize(40, 3)
	top := p.View()
	p, _ = p.Update(tea.KeyPressMsg(tea.Key{Code: tea.KeyDown}))
	if p.View() == top {
		t.Fatal("↓ did not scroll")
	}
	p, _ = p.Update(tea.KeyPressMsg(tea.Key{Code: tea.KeyEnd}))
	if !p.AtBottom() {
		t.Fatal("end did not reach the bottom")
	}
}

func TestProseStyles(t *testing.T) {
	md := "# Title\n\n## Part\n\nSome *text*, **strong** and `code`."
	for _, tc := range []struct {
		dark, noColor bool
		style         string
	}{{true, false, "dark"}, {false, false, "light"}, {true, true, PlainStyle}} {
		st := NewStyles(tc.dark, tc.noColor)
		if st.Glamour != tc.style {
			t.Fatalf("glamour style %q, want %q", st.Glamour, tc.style)
		}
		out, err := RenderMarkdown(md, 40, st.Glamour)
		if err != nil {
			t.Fatal(err)
		}
		hasColour := strings.Contains(out, "\x1b[38") || strings.Contains(out, "\x1b[48")
		if tc.noColor && hasColour {
			t.Errorf("no-colour rendering has colour: %q", out)
		}
		if !tc.noColor && !hasColour {
			t.Errorf("%s rendering has no colour", tc.style)
		}
	}
}

// TestPlainProseHasNoMarkdownMarks: without colour the prose is still
// formatted, with bold, italic and reverse, not shown as raw markdown
// (glamour's own "ascii" and "notty" styles print "## Part" and "*text*").
func TestPlainProseHasNoMarkdownMarks(t *testing.T) {
	out, err := RenderMarkdown("# Title\n\n## Part\n\nSome *text*, **strong** and `code`.", 40, PlainStyle)
	if err != nil {
		t.Fatal(err)
	}
	plain := ansi.Strip(out)
	for _, raw := range []string{"#", "*", "`"} {
		if strings.Contains(plain, raw) {
			t.Errorf("plain prose shows the markdown mark %q:\n%s", raw, plain)
		}
	}
	for _, want := range []string{"Title", "Part", "text", "strong", "code"} {
		if !strings.Contains(plain, want) {
			t.Errorf("plain prose lacks %q:\n%s", want, plain)
		}
	}
	for _, sgr := range []string{"\x1b[1m", "\x1b[3m", "\x1b[7m"} {
		if !strings.Contains(out, sgr) {
			t.Errorf("plain prose lacks the attribute %q: %q", sgr, out)
		}
	}
	for _, seq := range sgrParams(out) {
		for _, p := range strings.Split(seq, ";") {
			if n, err := strconv.Atoi(p); err == nil && (n >= 30 && n <= 49 || n >= 90 && n <= 107) && n != 39 && n != 49 {
				t.Fatalf("plain prose has a colour parameter %d in %q", n, seq)
			}
		}
	}
}

// sgrParams lists the parameters of every SGR sequence in s.
func sgrParams(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			return out
		}
		if !strings.ContainsAny(s[:j], "\x1b") {
			out = append(out, s[:j])
		}
		s = s[j+1:]
	}
}

// plotRows counts the chart's plot lines: those with a y axis rune.
func plotRows(s string) int {
	n := 0
	for _, l := range lines(s) {
		if strings.ContainsAny(l, "┤┼") {
			n++
		}
	}
	return n
}

// TestYAxisLabelsAreRoundAndTrue: every y label sits on the row whose
// value it names, the values are round (1, 2, 2.5, 5 … steps, not 16.2 or
// 8.57), the top covers the data without wasting much height, and there
// are enough labels to read the scale by.
func TestYAxisLabelsAreRoundAndTrue(t *testing.T) {
	for _, hi := range []float64{0.192, 0.9, 1, 2.3, 6, 17.3, 20, 37, 140, 4321, 2.6e6} {
		for rows := 3; rows <= 30; rows++ {
			ax := newYAxis(0, hi, rows, "")
			if ax.hi < hi || ax.hi > 1.7*hi {
				t.Errorf("max %v on %d rows: top %v", hi, rows, ax.hi)
			}
			if len(ax.labels) < 2 || len(ax.labels) > 7 {
				t.Errorf("max %v on %d rows: %d labels %v", hi, rows, len(ax.labels), ax.labels)
			}
			if ax.labels[rows] != "0" {
				t.Errorf("max %v on %d rows: bottom label %q", hi, rows, ax.labels[rows])
			}
			var step float64
			for r, l := range ax.labels {
				v := ax.hi - float64(r)*ax.hi/float64(rows)
				if r < rows && step == 0 {
					step = v
				}
				want := axisNumber(v, v)
				got, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(l, "k"), "M"), "G"), 64)
				if err != nil {
					t.Fatalf("label %q: %v", l, err)
				}
				scale := map[byte]float64{'k': 1e3, 'M': 1e6, 'G': 1e9}[l[len(l)-1]]
				if scale > 0 {
					got *= scale
				}
				if math.Abs(got-v) > 1e-9*math.Max(1, v) {
					t.Errorf("max %v on %d rows: row %d reads %q, is %v (%s)", hi, rows, r, l, v, want)
				}
				// Round: at most two significant digits beyond the step's.
				m := got / math.Pow(10, math.Floor(math.Log10(math.Max(got, 1e-12))))
				if got != 0 && math.Abs(m*10-math.Round(m*10)) > 1e-6 && math.Abs(m*4-math.Round(m*4)) > 1e-6 {
					t.Errorf("max %v on %d rows: label %q is not round", hi, rows, l)
				}
			}
		}
	}
}

func TestChartUnitAndShortHeight(t *testing.T) {
	c := NewChart(NewStyles(true, true))
	// 80x24's chart: 11 lines keep 9 rows of plot, the x labels in the axis
	// line and a legend of grouped series on one line.
	c.SetSize(78, 11)
	c.SetSeries(2, []Series{
		{Name: "load req/s", Values: series(240, func(x float64) float64 { return 2 + 15*x })},
		{Group: "capacity", Name: "fleet", Values: series(240, func(float64) float64 { return 6 })},
		{Group: "capacity", Name: "function", Values: series(240, func(x float64) float64 { return 3 + 14*x })},
		{Group: "busy", Name: "fleet", Values: series(240, func(float64) float64 { return 2 })},
		{Group: "busy", Name: "function", Values: series(240, func(float64) float64 { return 1 })},
	})
	out := c.View()
	checkSize(t, "short chart", out, 78, 11)
	s := ansi.Strip(out)
	if n := plotRows(s); n != 9 {
		t.Errorf("%d plot rows in 11 lines, want 9:\n%s", n, s)
	}
	if !strings.Contains(s, "── load req/s  capacity: ══ fleet  ━━ function  busy: ·· fleet  ** function") {
		t.Errorf("legend not grouped on one line:\n%s", s)
	}
	if !strings.Contains(s, "└0h ") || !strings.Contains(s, " 1h30 ") || !strings.Contains(s, " 2h") {
		t.Errorf("x labels not in the axis line:\n%s", s)
	}
	if c.HeightFor(78, 9) != 11 {
		t.Errorf("HeightFor(78, 9) = %d, want 11", c.HeightFor(78, 9))
	}
	// A cost chart writes its unit with the top label.
	c.SetUnit("$")
	c.SetSeries(1, []Series{{Name: "cost", Values: series(60, func(x float64) float64 { return 0.192 * x })}})
	if s := ansi.Strip(c.View()); !strings.Contains(s, "$0.2┤") {
		t.Errorf("no unit on the top label:\n%s", s)
	}
}

// TestXAxisLabels: ticks at round times, written as minutes past the
// hour (1h15, never a rounded 1.2h), and never touching each other at
// any width.
func TestXAxisLabels(t *testing.T) {
	for h, want := range map[float64]string{0: "0h", 0.5: "30m", 1: "1h", 1.25: "1h15", 1.5: "1h30", 1.75: "1h45", 24: "24h", 1.0 / 6: "10m"} {
		if got := hoursLabel(h); got != want {
			t.Errorf("hoursLabel(%v) = %q, want %q", h, got, want)
		}
	}
	label := regexp.MustCompile(`^(\d+h(\d\d)?|\d+m)$`)
	for _, hours := range []float64{0.5, 1, 1.5, 2, 3, 6, 24, 48} {
		for _, w := range []int{38, 60, 78, 84, 120} {
			for _, h := range []int{11, 16} {
				c := NewChart(NewStyles(true, true))
				c.SetSize(w, h)
				c.SetSeries(hours, []Series{{Name: "load", Values: series(100, func(x float64) float64 { return 10 * x })}})
				ls := lines(c.View())
				var axis string
				for i, l := range ls {
					if strings.Contains(l, "└") {
						axis = l
						if h == 16 {
							axis = ls[i+1] // the labels under the ticks
						}
					}
				}
				if axis == "" {
					t.Fatalf("%vh at %dx%d: no axis:\n%s", hours, w, h, strings.Join(ls, "\n"))
				}
				tokens := strings.Fields(strings.Map(func(r rune) rune {
					if strings.ContainsRune("└─┬▲", r) {
						return ' '
					}
					return r
				}, axis))
				if len(tokens) < 2 {
					t.Errorf("%vh at %dx%d: labels %q", hours, w, h, axis)
				}
				for _, tok := range tokens {
					if !label.MatchString(tok) {
						t.Errorf("%vh at %dx%d: label %q in %q", hours, w, h, tok, axis)
					}
				}
			}
		}
	}
}

func TestStatsFoldNoteAndDropMinorRows(t *testing.T) {
	rows := []StatRow{
		{Section: "at 01:00", Label: "load", Cells: []string{"2 req/s"}},
		{Label: "capacity", Cells: []string{"6", "7"}, Minor: true},
		{Label: "cost so far", Cells: []string{"$0.10", "$0.01"}, Minor: true},
		{Section: "whole run", Label: "cost", Cells: []string{"$0.58", "$0.10"}},
		{Label: "p99 latency", Cells: []string{"4.61 s", "2.26 s"}},
		{Label: "dropped", Cells: []string{"302", "0"}},
		{Label: "cold starts", Cells: []string{"0", "20"}},
		{Label: "throttled", Cells: []string{"0", "0"}},
	}
	s := NewStats(NewStyles(true, true))
	s.SetTable([]string{"fleet", "function"}, rows)
	s.SetNote("Prices: us-east-1,\nas of 2026-11-27.", "prices of 2026-11-27")
	// Side by side, the note fits under the shorter first section.
	s.SetSize(78, 0)
	if s.Lines() != 6 {
		t.Fatalf("Lines = %d, want 6 (note folded)", s.Lines())
	}
	s.SetSize(78, 6)
	out := lines(s.View())
	if !strings.HasPrefix(out[4], "Prices: us-east-1,") || !strings.HasPrefix(out[5], "as of 2026-11-27.") {
		t.Fatalf("note not under the first section:\n%s", strings.Join(out, "\n"))
	}
	if !strings.Contains(out[5], "throttled") {
		t.Fatalf("last figure lost:\n%s", strings.Join(out, "\n"))
	}
	// Stacked and short of room: the short note takes the heading's empty
	// corner and the minor rows go before any of the whole run's.
	s.SetSize(50, 7)
	out = lines(s.View())
	joined := strings.Join(out, "\n")
	if !strings.HasPrefix(out[0], "prices of 2026-11-27") {
		t.Fatalf("short note not in the heading:\n%s", joined)
	}
	if strings.Contains(joined, "capacity") || !strings.Contains(joined, "throttled") || !strings.Contains(joined, "at 01:00") {
		t.Fatalf("minor rows not dropped first:\n%s", joined)
	}
	checkSize(t, "stacked stats", s.View(), 50, 7)
}

// BenchmarkChartFrame is one frame of a playing chart at 160x50's size:
// the plot was drawn when the series came; a frame only cuts it at the
// playhead.
func BenchmarkChartFrame(b *testing.B) {
	c := NewChart(NewStyles(true, false))
	c.SetSize(96, 30)
	c.SetSeries(24, []Series{
		{Name: "load", Values: series(288, func(x float64) float64 { return 1 + 9*x })},
		{Group: "capacity", Name: "fleet", Values: series(288, func(float64) float64 { return 6 })},
		{Group: "capacity", Name: "function", Values: series(288, func(x float64) float64 { return 2 + 8*x })},
	})
	i := 0
	for b.Loop() {
		c.SetPlayhead(i % 288)
		_ = c.View()
		i++
	}
}
