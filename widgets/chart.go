package widgets

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
)

// Series is one named line on a chart: one value per time bucket. Series
// next to each other with the same Group share one legend entry,
// "group: ══ name  ━━ name", which keeps the legend to one line.
type Series struct {
	Name   string
	Group  string
	Values []float64
}

// lineSet is the shape of the i-th series, so series are told apart
// without colour: light, double, heavy, dotted and starred lines. Their
// runes are disjoint, so the chart can colour each cell by the series
// that drew it.
func lineSet(i int) asciigraph.CharSet {
	switch i {
	case 1:
		return asciigraph.CharSet{Horizontal: "═", VerticalLine: "║", ArcDownRight: "╔", ArcDownLeft: "╗", ArcUpRight: "╚", ArcUpLeft: "╝", EndCap: "═", StartCap: "═"}
	case 2:
		return asciigraph.CharSet{Horizontal: "━", VerticalLine: "┃", ArcDownRight: "┏", ArcDownLeft: "┓", ArcUpRight: "┗", ArcUpLeft: "┛", EndCap: "╸", StartCap: "╺"}
	case 3:
		return asciigraph.CreateCharSet("·")
	case 4:
		return asciigraph.CreateCharSet("*")
	}
	return asciigraph.DefaultCharSet
}

// legendMark is how each line set appears in the legend.
func legendMark(i int) string {
	return [...]string{"──", "══", "━━", "··", "**"}[i%MaxSeries]
}

// MaxSeries is how many series a chart tells apart; more are dropped.
const MaxSeries = 5

const playheadRune = '┊'

// Chart draws several time series over simulated hours with a y axis, an
// x axis in hours, a legend and a playhead. Series are revealed up to the
// playhead, on axes fixed by the whole run so nothing jumps as it moves.
type Chart struct {
	width, height int
	styles        Styles
	title         string
	unit          string
	series        []Series
	hours         float64 // simulated time the series span
	playhead      int     // buckets revealed; <0 means all
	message       string  // shown instead of the plot (no data, errors)
	isError       bool
}

// NewChart returns an empty chart.
func NewChart(st Styles) Chart {
	return Chart{styles: st, playhead: -1}
}

// SetSize sets the chart's outer size, legend and axes included.
func (c *Chart) SetSize(w, h int) { c.width, c.height = w, h }

// SetStyles changes the theme.
func (c *Chart) SetStyles(st Styles) { c.styles = st }

// SetTitle sets the line drawn above the plot.
func (c *Chart) SetTitle(t string) { c.title = t }

// SetSeries replaces the data. hours is the simulated span of the series.
// Series past MaxSeries are dropped.
func (c *Chart) SetSeries(hours float64, s []Series) {
	if len(s) > MaxSeries {
		s = s[:MaxSeries]
	}
	c.series, c.hours = s, hours
	c.message, c.isError = "", false
}

// SetMessage shows a message in place of the plot, such as a run error.
func (c *Chart) SetMessage(msg string, isError bool) {
	c.message, c.isError = msg, isError
}

// SetPlayhead reveals the first n buckets; n < 0 reveals all.
func (c *Chart) SetPlayhead(n int) { c.playhead = n }

// Len is the number of buckets in the longest series.
func (c Chart) Len() int {
	n := 0
	for _, s := range c.series {
		n = max(n, len(s.Values))
	}
	return n
}

// Update does nothing yet: the chart is driven by its owner.
func (c Chart) Update(tea.Msg) (Chart, tea.Cmd) { return c, nil }

// View draws the chart at exactly its size.
func (c Chart) View() string {
	if c.width <= 0 || c.height <= 0 {
		return ""
	}
	var out []string
	if c.title != "" {
		out = append(out, c.styles.Heading.Render(c.title))
	}
	body := c.height - len(out)
	switch {
	case c.message != "":
		st := c.styles.Faint
		if c.isError {
			st = c.styles.Error
		}
		msg := wrapWords(c.message, c.width)
		for _, l := range msg {
			out = append(out, st.Render(l))
		}
	case c.Len() < 2:
		out = append(out, c.styles.Faint.Render("no data yet"))
	case body < 4 || c.width < 16:
		out = append(out, c.styles.Faint.Render("(chart needs more room)"))
	default:
		out = append(out, c.plot(body)...)
	}
	return Fit(strings.Join(out, "\n"), c.width, c.height)
}

// minTwoLineAxis is the plot height from which the x axis takes two lines
// (ticks, then labels under them); below it the labels sit in the axis
// line itself, so a short screen keeps one more row of plot.
const minTwoLineAxis = 10

// plot draws the axes, lines, playhead and legend in rows lines.
func (c Chart) plot(rows int) []string {
	n := c.Len()
	legend := c.legend(c.width)
	// Lines: plot body, x axis (one or two lines), legend.
	axisLines := 2
	plotRows := rows - axisLines - len(legend)
	if plotRows < minTwoLineAxis {
		axisLines = 1
		plotRows = rows - axisLines - len(legend)
	}
	for plotRows < 4 && len(legend) > 0 {
		legend = legend[:len(legend)-1] // a plot before a full legend
		plotRows++
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return []string{c.styles.Faint.Render("no data yet")}
	}
	lo = min(lo, 0) // rates, counts and costs read best from zero
	ax := newYAxis(lo, hi, plotRows-1, c.unit)
	labelW := ax.width()
	// Room for the y labels and the axis, and for the last x label to
	// reach two columns past the plot.
	plotW := c.width - labelW - 2 - 2
	if plotW < 8 {
		return []string{c.styles.Faint.Render("(chart needs more room)")}
	}
	reveal := n
	if c.playhead >= 0 && c.playhead < n {
		reveal = max(c.playhead, 1)
	}
	data := make([][]float64, len(c.series))
	for i, s := range c.series {
		d := make([]float64, n)
		for j := range d {
			if j < len(s.Values) && j < reveal {
				d[j] = s.Values[j]
			} else {
				d[j] = math.NaN()
			}
		}
		data[i] = d
	}
	sets := make([]asciigraph.CharSet, len(c.series))
	for i := range sets {
		sets[i] = lineSet(i)
	}
	blank := strings.Repeat(" ", labelW)
	raw := asciigraph.PlotMany(data,
		asciigraph.Width(plotW),
		asciigraph.Height(plotRows-1),
		asciigraph.LowerBound(ax.lo),
		asciigraph.UpperBound(ax.hi),
		asciigraph.Offset(2),
		asciigraph.SeriesChars(sets...),
		asciigraph.YAxisValueFormatter(func(float64) string { return blank }),
	)
	lines := strings.Split(raw, "\n")
	// The playhead column, counted from the plot's left edge.
	head := -1
	if c.playhead >= 0 && c.playhead < n {
		head = int(math.Round(float64(reveal-1) / float64(n-1) * float64(plotW-1)))
	}
	out := make([]string, 0, len(lines)+axisLines+len(legend))
	for i, l := range lines {
		out = append(out, c.colourLine(setLabel(l, ax.label(i), labelW), head, false))
	}
	for _, l := range c.xAxis(labelW, plotW, head, axisLines) {
		out = append(out, c.colourLine(l, head, true))
	}
	return append(out, legend...)
}

// xAxis draws the time axis under the plot: a line with a tick at each
// round time and the labels under the ticks, or, in one line, the labels
// set into the axis line itself.
func (c Chart) xAxis(labelW, plotW, head, lines int) []string {
	n := niceTicks(c.hours, plotW)
	cols := make([]int, n)
	labels := make([]string, n)
	for i := range cols {
		cols[i] = int(math.Round(float64(plotW-1) * float64(i) / float64(n-1)))
		labels[i] = hoursLabel(c.hours * float64(i) / float64(n-1))
	}
	left := labelW + 1            // the └ column
	total := left + 1 + plotW + 2 // the last label may reach past the plot
	axis := []rune(strings.Repeat(" ", left) + "└" + strings.Repeat("─", plotW) + "  ")
	for _, col := range cols {
		axis[left+1+col] = '┬'
	}
	// place puts each label centred on its tick, dropping one that would
	// come within gap columns of the one before.
	place := func(row []rune, gap int, into bool) {
		last := -1
		for i, l := range labels {
			lr := []rune(l)
			start := left + 1 + cols[i] - len(lr)/2
			start = max(start, left+1)
			start = min(start, total-len(lr))
			if last >= 0 && start < last+gap {
				continue
			}
			for j, r := range lr {
				row[start+j] = r
			}
			if into {
				// A space either side keeps the label off the line.
				if b := start - 1; b > left && (row[b] == '─' || row[b] == '┬') {
					row[b] = ' '
				}
				if a := start + len(lr); a < len(row) && (row[a] == '─' || row[a] == '┬') {
					row[a] = ' '
				}
			}
			last = start + len(lr)
		}
	}
	if lines == 1 {
		place(axis, 3, true)
		// The playhead's mark gives way to a label; the ┊ above still shows.
		if head >= 0 && head < plotW && (axis[left+1+head] == '─' || axis[left+1+head] == '┬') {
			axis[left+1+head] = '▲'
		}
		return []string{strings.TrimRight(string(axis), " ")}
	}
	if head >= 0 && head < plotW {
		axis[left+1+head] = '▲'
	}
	under := []rune(strings.Repeat(" ", total))
	place(under, 2, false)
	return []string{strings.TrimRight(string(axis), " "), strings.TrimRight(string(under), " ")}
}

// setLabel replaces the y label of a plot line (everything before the
// axis) with label, right-aligned in w columns and a space.
func setLabel(line, label string, w int) string {
	runes := []rune(line)
	for i, r := range runes {
		if r == '┤' || r == '┼' {
			pad := w + 1 - len([]rune(label))
			return strings.Repeat(" ", max(0, pad)) + label + string(runes[i:])
		}
	}
	return line
}

// colourLine styles one plot line: series runes take their series style,
// axis runes the axis style, and the playhead column is marked where empty.
func (c Chart) colourLine(line string, head int, xaxis bool) string {
	runes := []rune(line)
	axis := -1
	for i, r := range runes {
		if r == '┤' || r == '┼' || r == '└' {
			axis = i
			break
		}
	}
	if head >= 0 && axis >= 0 && !xaxis {
		col := axis + 1 + head
		for len(runes) <= col {
			runes = append(runes, ' ')
		}
		if runes[col] == ' ' {
			runes[col] = playheadRune
		}
	}
	var b strings.Builder
	flush := func(seg []rune, st int) {
		if len(seg) == 0 {
			return
		}
		switch {
		case st == -1:
			b.WriteString(string(seg))
		case st == -2:
			b.WriteString(c.styles.Axis.Render(string(seg)))
		case st == -3:
			b.WriteString(c.styles.Playhead.Render(string(seg)))
		default:
			b.WriteString(c.styles.series(st).Render(string(seg)))
		}
	}
	start, cur := 0, -1
	for i, r := range runes {
		k := c.classify(r, i, axis, xaxis)
		if k != cur {
			flush(runes[start:i], cur)
			start, cur = i, k
		}
	}
	flush(runes[start:], cur)
	return b.String()
}

// classify says which style a chart cell takes: a series index, -1 plain,
// -2 axis, -3 playhead.
func (c Chart) classify(r rune, i, axis int, xaxis bool) int {
	if r == playheadRune || r == '▲' {
		return -3
	}
	if xaxis || i <= axis {
		if i == axis || (xaxis && i > axis && r != ' ' && (r == '─' || r == '┬')) {
			return -2
		}
		return -1
	}
	if r == ' ' {
		return -1
	}
	s := string(r)
	for k := range c.series {
		cs := lineSet(k)
		switch s {
		case cs.Horizontal, cs.VerticalLine, cs.ArcDownRight, cs.ArcDownLeft,
			cs.ArcUpRight, cs.ArcUpLeft, cs.EndCap, cs.StartCap:
			return k
		}
	}
	return -1
}

// legend lays out the series' marks and names in entries, one per group
// of series, wrapping entries onto as many lines as needed within w
// columns. The playhead's "┊ now" comes last, and only where it fits on
// a line already there.
func (c Chart) legend(w int) []string {
	type entry struct {
		text  string
		width int
	}
	var entries []entry
	for i := 0; i < len(c.series); {
		s := c.series[i]
		var b strings.Builder
		width := 0
		if s.Group != "" {
			b.WriteString(c.styles.Legend.Render(s.Group + ":"))
			width += ansi.StringWidth(s.Group) + 1
		}
		j := i
		for ; j < len(c.series) && (j == i || (s.Group != "" && c.series[j].Group == s.Group)); j++ {
			if width > 0 {
				sep := " "
				if j > i {
					sep = "  "
				}
				b.WriteString(sep)
				width += len(sep)
			}
			mark := legendMark(j)
			b.WriteString(c.styles.series(j).Render(mark) + " " + c.styles.Legend.Render(c.series[j].Name))
			width += ansi.StringWidth(mark) + 1 + ansi.StringWidth(c.series[j].Name)
		}
		entries = append(entries, entry{b.String(), width})
		i = j
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	add := func(e entry) {
		if curW > 0 && curW+2+e.width > w {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		if curW > 0 {
			cur.WriteString("  ")
			curW += 2
		}
		cur.WriteString(e.text)
		curW += e.width
	}
	for _, e := range entries {
		add(e)
	}
	if c.playhead >= 0 && c.playhead < c.Len() && (curW == 0 || curW+2+5 <= w) {
		add(entry{c.styles.Playhead.Render(string(playheadRune)) + " " + c.styles.Legend.Render("now"), 5})
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// LegendLines is how many lines the legend takes at the chart's width.
func (c Chart) LegendLines() int { return len(c.legend(c.width)) }

// HeightFor is the chart height that gives the plot rows lines, with the
// legend and the x axis that go with a plot that tall.
func (c Chart) HeightFor(rows int) int {
	axis := 1
	if rows >= minTwoLineAxis {
		axis = 2
	}
	return rows + axis + c.LegendLines() + c.titleLines()
}

func (c Chart) titleLines() int {
	if c.title != "" {
		return 1
	}
	return 0
}

// SetUnit names the unit of the y axis, written with its top label ("$"
// before the number, anything else after); "" for a chart of mixed units.
func (c *Chart) SetUnit(u string) { c.unit = u }

// hoursLabel writes a tick of simulated time: "0h", "6h", "30m", "1h30".
// Fractions of an hour are minutes, never rounded decimals (1.25 h is
// "1h15", not "1.2h").
func hoursLabel(h float64) string {
	mins := int(math.Round(h * 60))
	switch {
	case mins == 0:
		return "0h"
	case mins < 60:
		return fmt.Sprintf("%dm", mins)
	case mins%60 == 0:
		return fmt.Sprintf("%dh", mins/60)
	default:
		return fmt.Sprintf("%dh%02d", mins/60, mins%60)
	}
}

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// wrapWords breaks text into lines of at most w columns at spaces.
func wrapWords(text string, w int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			switch {
			case line == "":
				line = word
			case len([]rune(line))+1+len([]rune(word)) <= w:
				line += " " + word
			default:
				out = append(out, line)
				line = word
			}
		}
		out = append(out, line)
	}
	return out
}

// niceTicks picks how many x ticks to draw so they fall on round hours
// (every 1, 2, 3, 4, 6, 12 or 24 h) and labels have room, about 10
// columns each.
func niceTicks(hours float64, cols int) int {
	most := max(2, cols/10)
	for _, step := range []float64{1.0 / 6, 0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 72, 168} {
		n := math.Round(hours/step*1e6) / 1e6
		if n >= 1 && n == math.Trunc(n) && int(n)+1 <= most {
			return int(n) + 1
		}
	}
	return max(2, min(6, cols/10))
}

// niceCeil rounds v up to 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a
// power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return v
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if f*p >= v*(1-1e-12) {
			return f * p
		}
	}
	return 10 * p
}

// yAxis is the chart's vertical scale: its range and which rows carry a
// label. Labels fall exactly on rows, at round values, so every label
// tells the truth about the row it sits on.
type yAxis struct {
	lo, hi float64
	rows   int            // intervals between the bottom and top rows
	labels map[int]string // by row, 0 at the top
}

// newYAxis picks the top of the axis and the label rows for data between
// lo and hi on rows+1 plot rows. With lo at zero it tries every spacing of
// labels (every p rows) and, for each, the smallest round step whose top
// covers hi; it keeps the one that wastes least height, preferring labels
// three to six rows apart, four to six in all, and a label on the top row.
// unit, if any, is written with the top label ("$" before, others after).
func newYAxis(lo, hi float64, rows int, unit string) yAxis {
	ax := yAxis{lo: lo, rows: max(1, rows), labels: map[int]string{}}
	if hi <= lo {
		hi = lo + 1
	}
	if lo < 0 {
		// Not drawn by this app's series; label the ends and the middle.
		ax.hi = niceCeil(hi)
		step := (ax.hi - lo) / 2
		for _, r := range []int{0, ax.rows / 2, ax.rows} {
			v := ax.hi - float64(r)*(ax.hi-lo)/float64(ax.rows)
			ax.labels[r] = axisNumber(v, step)
		}
		ax.unitLabel(unit)
		return ax
	}
	// Round label steps, times a power of ten, with a small cost for the
	// less round ones.
	steps := [...]struct{ f, cost float64 }{
		{1, 0}, {1.5, 0.08}, {2, 0}, {2.5, 0.05}, {3, 0.08}, {4, 0.08}, {5, 0}, {6, 0.08}, {8, 0.08},
	}
	best, bestP, bestStep := math.Inf(1), ax.rows, 0.0
	for p := 1; p <= ax.rows; p++ {
		if p == 1 && ax.rows > 2 {
			continue // a label on every row is noise
		}
		need := (hi - lo) * float64(p) / float64(ax.rows) // smallest step
		e := math.Pow(10, math.Floor(math.Log10(need)))
		for _, mult := range []float64{e, 10 * e} {
			for _, st := range steps {
				step := st.f * mult
				if step < need*(1-1e-9) {
					continue
				}
				top := lo + step*float64(ax.rows)/float64(p)
				count := ax.rows/p + 1
				score := top/hi + st.cost
				if ax.rows%p != 0 {
					score += 0.1 // the top row would have no label
				}
				if ax.rows >= 6 && p < 3 {
					score += 0.1 * float64(3-p)
				}
				if p > 6 {
					score += 0.05 * float64(p-6)
				}
				if count > 6 {
					score += 0.1 * float64(count-6)
				}
				if count < 3 && ax.rows >= 6 {
					score += 0.08
				}
				if score < best-1e-9 {
					best, bestP, bestStep = score, p, step
				}
				break // larger steps of this power only waste more
			}
		}
	}
	ax.hi = lo + bestStep*float64(ax.rows)/float64(bestP)
	for k := 0; k*bestP <= ax.rows; k++ {
		ax.labels[ax.rows-k*bestP] = axisNumber(lo+float64(k)*bestStep, bestStep)
	}
	ax.unitLabel(unit)
	return ax
}

// unitLabel writes the unit into the topmost label.
func (ax *yAxis) unitLabel(unit string) {
	if unit == "" {
		return
	}
	for r := 0; r <= ax.rows; r++ {
		if l, ok := ax.labels[r]; ok {
			if unit == "$" {
				ax.labels[r] = "$" + l
			} else {
				ax.labels[r] = l + " " + unit
			}
			return
		}
	}
}

// label is the label of row r (0 at the top), or "".
func (ax yAxis) label(r int) string { return ax.labels[r] }

// width is the widest label.
func (ax yAxis) width() int {
	w := 1
	for _, l := range ax.labels {
		w = max(w, len([]rune(l)))
	}
	return w
}

// axisNumber writes an axis value with as many decimals as its step
// needs, so 2.5-steps read 2.5, 5, 7.5 and never round to 3 or 8; large
// values take k, M and G.
func axisNumber(v, step float64) string {
	a := math.Abs(v)
	if a < step*1e-9 {
		return "0"
	}
	for _, u := range []struct {
		div float64
		suf string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if a >= u.div && step >= u.div/10 {
			return trimZero(strconv.FormatFloat(v/u.div, 'f', decimals(step/u.div), 64)) + u.suf
		}
	}
	return trimZero(strconv.FormatFloat(v, 'f', decimals(step), 64))
}

// decimals is how many decimals show a multiple of step exactly.
func decimals(step float64) int {
	for d := 0; d < 9; d++ {
		x := step * math.Pow(10, float64(d))
		if math.Abs(x-math.Round(x)) < 1e-6*math.Max(1, x) {
			return d
		}
	}
	return 9
}
