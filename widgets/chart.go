package widgets

import (
	"math"
	"strings"

	tea "charm.land/bubbletea/v2"
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
//
// The plot is drawn once for each set of series, size, unit and theme
// (the setters redraw it); moving the playhead only changes how much of
// that drawing a frame shows, so a playing chart costs a frame little.
type Chart struct {
	width, height int
	styles        *Styles
	title         string
	unit          string
	series        []Series
	hours         float64 // simulated time the series span
	playhead      int     // buckets revealed; <0 means all
	message       string  // shown instead of the plot (no data, errors)
	isError       bool
	drawn         *drawing // the plot at the current settings; shared by copies, never changed
}

// NewChart returns an empty chart.
func NewChart(st *Styles) Chart {
	c := Chart{styles: st, playhead: -1}
	c.redraw()
	return c
}

// SetSize sets the chart's outer size, legend and axes included.
func (c *Chart) SetSize(w, h int) {
	if w == c.width && h == c.height {
		return
	}
	c.width, c.height = w, h
	c.redraw()
}

// SetStyles changes the theme.
func (c *Chart) SetStyles(st *Styles) {
	c.styles = st
	c.redraw()
}

// SetTitle sets the line drawn above the plot.
func (c *Chart) SetTitle(t string) {
	if t == c.title {
		return
	}
	c.title = t
	c.redraw()
}

// SetUnit names the unit of the y axis, written with its top label ("$"
// before the number, anything else after); "" for a chart of mixed units.
func (c *Chart) SetUnit(u string) {
	if u == c.unit {
		return
	}
	c.unit = u
	c.redraw()
}

// SetSeries replaces the data. hours is the simulated span of the series.
// Series past MaxSeries are dropped.
func (c *Chart) SetSeries(hours float64, s []Series) {
	if len(s) > MaxSeries {
		s = s[:MaxSeries]
	}
	c.series, c.hours = s, hours
	c.message, c.isError = "", false
	c.redraw()
}

// SetMessage shows a message in place of the plot, such as a run error.
func (c *Chart) SetMessage(msg string, isError bool) {
	c.message, c.isError = msg, isError
	c.redraw()
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

// Update does nothing: the chart is driven by its owner.
func (c Chart) Update(tea.Msg) (Chart, tea.Cmd) { return c, nil }

// LegendLines is how many lines the legend takes at width w.
func (c Chart) LegendLines(w int) int { return len(c.legend(w, true)) }

// HeightFor is the height that gives the plot rows lines at width w, with
// the legend and the x axis that go with a plot that tall.
func (c Chart) HeightFor(w, rows int) int {
	axis := 1
	if rows >= minTwoLineAxis {
		axis = 2
	}
	return rows + axis + c.LegendLines(w) + c.titleLines()
}

func (c Chart) titleLines() int {
	if c.title != "" {
		return 1
	}
	return 0
}

// minTwoLineAxis is the plot height from which the x axis takes two lines
// (ticks, then labels under them); below it the labels sit in the axis
// line itself, so a short screen keeps one more row of plot.
const minTwoLineAxis = 10

// drawing is the chart drawn in full at one size: the lines above and
// beside the plot ready to print, and the plot's cells, which a frame
// shows up to the playhead.
type drawing struct {
	head    []string // title, or the message or note shown instead of a plot
	plotted bool     // false: head is all there is
	body    []plotRow
	axis    [][]rune // the x axis (ticks and labels), without the playhead's ▲
	axisCol int      // the column of └ in the axis rows
	plotW   int
	n       int      // buckets
	legend  []string // with the playhead's "┊ now" entry
	legendE []string // without it, for a chart shown whole
	codes   chartCodes
	size    int // bytes of the chart shown whole, to size a frame's buffer
}

// plotRow is one line of the plot: its y label and axis, already styled,
// then the cells right of the axis as text, with the byte offset where
// each cell starts (and where the last ends) and the style class of each.
type plotRow struct {
	label string
	text  string
	at    []int32
	class []int8
}

// cell is the text of cells i to j.
func (r plotRow) cell(i, j int) string { return r.text[r.at[i]:r.at[j]] }

// Style classes of the plot's cells: a series index, or one of these.
const (
	classPlain int8 = -1
	classAxis  int8 = -2
	classHead  int8 = -3
)

// chartCodes are the escape sequences of each style class, found once
// per theme, so a frame wraps runs of cells by concatenation.
type chartCodes struct {
	axis, head codes
	series     []codes
}

func (cc chartCodes) of(class int8) codes {
	switch {
	case class == classAxis:
		return cc.axis
	case class == classHead:
		return cc.head
	case class >= 0 && int(class) < len(cc.series):
		return cc.series[class]
	}
	return codes{}
}

// redraw draws the chart at its current settings.
func (c *Chart) redraw() {
	d := &drawing{}
	c.drawn = d
	if c.width <= 0 || c.height <= 0 {
		return
	}
	if c.title != "" {
		d.head = append(d.head, c.styles.Heading.Render(c.title))
	}
	body := c.height - len(d.head)
	switch {
	case c.message != "":
		st := c.styles.Faint
		if c.isError {
			st = c.styles.Error
		}
		for _, l := range wrapWords(c.message, c.width) {
			d.head = append(d.head, st.Render(l))
		}
	case c.Len() < 2:
		d.head = append(d.head, c.styles.Faint.Render("no data yet"))
	case body < 4 || c.width < 16:
		d.head = append(d.head, c.styles.Faint.Render("(chart needs more room)"))
	default:
		if note := c.plot(d, body); note != "" {
			d.head = append(d.head, c.styles.Faint.Render(note))
		}
	}
}

// plot draws the axes, lines and legend into d in rows lines, or returns
// a note saying why it cannot.
func (c *Chart) plot(d *drawing, rows int) string {
	n := c.Len()
	legend, legendE := c.legend(c.width, true), c.legend(c.width, false)
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
	legendE = legendE[:min(len(legendE), len(legend))]
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return "no data yet"
	}
	lo = min(lo, 0) // rates, counts and costs read best from zero
	ax := newYAxis(lo, hi, plotRows-1, c.unit)
	labelW := ax.width()
	// Room for the y labels and the axis, and for the last x label to
	// reach two columns past the plot.
	plotW := c.width - labelW - 2 - 2
	if plotW < 8 {
		return "(chart needs more room)"
	}
	data := make([][]float64, len(c.series))
	sets := make([]asciigraph.CharSet, len(c.series))
	for i, s := range c.series {
		data[i] = make([]float64, n)
		for j := range data[i] {
			data[i][j] = math.NaN()
			if j < len(s.Values) {
				data[i][j] = s.Values[j]
			}
		}
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
	d.codes = chartCodes{axis: codesOf(c.styles.Axis), head: codesOf(c.styles.Playhead)}
	for i := range c.series {
		d.codes.series = append(d.codes.series, codesOf(c.styles.series(i)))
	}
	for i, l := range strings.Split(raw, "\n") {
		d.body = append(d.body, c.plotRow(setLabel(l, ax.label(i), labelW), plotW, d.codes))
	}
	d.axisCol = labelW + 1
	d.axis = c.xAxis(labelW, plotW, axisLines)
	d.plotW, d.n = plotW, n
	d.legend, d.legendE = legend, legendE
	d.plotted = true
	whole := *c
	whole.drawn, whole.playhead = d, -1
	d.size = len(whole.View())
	return ""
}

// plotRow splits one line of asciigraph's output at its axis: the label
// and axis styled once, the cells after it (blank up to the plot's width
// w, where asciigraph trims them) classified by the series that drew them.
func (c Chart) plotRow(line string, w int, cc chartCodes) plotRow {
	runes := []rune(line)
	axis := -1
	for i, r := range runes {
		if r == '┤' || r == '┼' {
			axis = i
			break
		}
	}
	if axis < 0 {
		return plotRow{label: string(runes), at: []int32{0}}
	}
	row := plotRow{label: string(runes[:axis]) + cc.axis.wrap(string(runes[axis]))}
	cells := runes[axis+1:]
	for len(cells) < w {
		cells = append(cells, ' ')
	}
	row.text = string(cells)
	row.at = make([]int32, 0, len(cells)+1)
	row.class = make([]int8, len(cells))
	off := int32(0)
	for i, r := range cells {
		row.at = append(row.at, off)
		off += int32(len(string(r)))
		row.class[i] = c.classify(r)
	}
	row.at = append(row.at, off)
	return row
}

// classify says which series drew a plot cell, or classPlain.
func (c Chart) classify(r rune) int8 {
	if r == ' ' {
		return classPlain
	}
	s := string(r)
	for k := range c.series {
		cs := lineSet(k)
		switch s {
		case cs.Horizontal, cs.VerticalLine, cs.ArcDownRight, cs.ArcDownLeft,
			cs.ArcUpRight, cs.ArcUpLeft, cs.EndCap, cs.StartCap:
			return int8(k)
		}
	}
	return classPlain
}

// headColumn is the plot column of the last bucket the playhead reveals,
// or -1 when the whole run shows.
func (c Chart) headColumn() int {
	d := c.drawn
	if c.playhead < 0 || c.playhead >= d.n || d.n < 2 {
		return -1
	}
	reveal := max(c.playhead, 1)
	return int(math.Round(float64(reveal-1) / float64(d.n-1) * float64(d.plotW-1)))
}

// View draws the chart at exactly its size.
func (c Chart) View() string {
	d := c.drawn
	if c.width <= 0 || c.height <= 0 || d == nil {
		return ""
	}
	if !d.plotted {
		return Fit(strings.Join(d.head, "\n"), c.width, c.height)
	}
	head := c.headColumn()
	var b strings.Builder
	// As long as the chart shown whole, and the playhead's marks.
	b.Grow(d.size + c.height*(len(d.codes.head.open)+len(d.codes.head.close)+3))
	line := 0
	newline := func() {
		if line > 0 {
			b.WriteByte('\n')
		}
		line++
	}
	for _, h := range d.head {
		newline()
		b.WriteString(FitLine(h, c.width))
	}
	for _, r := range d.body {
		newline()
		w := c.writeRow(&b, r, head)
		spaces(&b, c.width-w)
	}
	for _, a := range d.axis {
		newline()
		w := c.writeAxis(&b, a, d.axisCol, head)
		spaces(&b, c.width-w)
	}
	legend := d.legendE
	if head >= 0 {
		legend = d.legend
	}
	for _, l := range legend {
		newline()
		b.WriteString(FitLine(l, c.width))
	}
	for line < c.height {
		newline()
		spaces(&b, c.width)
	}
	return b.String()
}

// writeRow writes a plot row revealed up to the playhead's column head
// (all of it when head < 0) and returns the columns written. The column
// of the head itself shows the playhead, as the line drawn with only the
// revealed buckets would stop just short of it.
func (c Chart) writeRow(b *strings.Builder, r plotRow, head int) int {
	cc := c.drawn.codes
	b.WriteString(r.label)
	end := len(r.class)
	if head >= 0 {
		end = min(end, head)
	}
	for i := 0; i < end; {
		if i == end-1 && head >= 0 && r.class[i] >= 0 {
			cc.of(r.class[i]).write(b, endCap(r.cell(i, i+1), int(r.class[i])))
			i++
			continue
		}
		j := i + 1
		for j < end && r.class[j] == r.class[i] && !(head >= 0 && j == end-1) {
			j++
		}
		cc.of(r.class[i]).write(b, r.cell(i, j))
		i = j
	}
	if head >= 0 && head < len(r.class) {
		cc.head.write(b, string(playheadRune))
		end++
	}
	return c.drawn.axisCol + 1 + end
}

// endCap is what a series' cell becomes when its line stops there: the
// end of a horizontal run, or the cell as drawn.
func endCap(cell string, series int) string {
	if cs := lineSet(series); cell == cs.Horizontal {
		return cs.EndCap
	}
	return cell
}

// writeAxis writes an x axis row with the playhead's ▲ under the head
// column where the axis line has room for it.
func (c Chart) writeAxis(b *strings.Builder, a []rune, axisCol, head int) int {
	cc := c.drawn.codes
	col := axisCol + 1 + head
	var hasHead bool
	if head >= 0 && col < len(a) && (a[col] == '─' || a[col] == '┬') {
		hasHead = true
	}
	class := func(i int) int8 {
		switch {
		case hasHead && i == col:
			return classHead
		case i == axisCol:
			return classAxis
		case i > axisCol && (a[i] == '─' || a[i] == '┬'):
			return classAxis
		}
		return classPlain
	}
	for i := 0; i < len(a); {
		k := class(i)
		j := i + 1
		for j < len(a) && class(j) == k {
			j++
		}
		text := string(a[i:j])
		if k == classHead {
			text = "▲"
		}
		cc.of(k).write(b, text)
		i = j
	}
	return len(a)
}

// spaces writes n spaces.
func spaces(b *strings.Builder, n int) {
	for ; n > 0; n-- {
		b.WriteByte(' ')
	}
}
