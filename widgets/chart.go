package widgets

import (
	"fmt"
	"math"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/guptarohit/asciigraph"
)

// Series is one named line on a chart: one value per time bucket.
type Series struct {
	Name   string
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

// plot draws the axes, lines, playhead and legend in rows lines.
func (c Chart) plot(rows int) []string {
	n := c.Len()
	legend := c.legend()
	// Lines: plot body, x axis, x labels, legend.
	plotRows := rows - 2 - len(legend)
	if plotRows < 2 {
		legend = nil
		plotRows = rows - 2
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
	if hi <= lo {
		hi = lo + 1
	}
	hi = niceCeil(hi) // a round top label reads faster
	eps := (hi - lo) * 1e-9
	yfmt := func(v float64) string {
		if math.Abs(v) < eps {
			v = 0 // float noise at the bottom of the axis
		}
		return compact(v)
	}
	labelW := max(len(yfmt(hi)), len(yfmt(lo)), len(yfmt((hi+lo)/2)))
	// Room for the y labels, the axis, and half of the last x label.
	plotW := c.width - labelW - 5
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
	ticks := niceTicks(c.hours, plotW)
	raw := asciigraph.PlotMany(data,
		asciigraph.Width(plotW),
		asciigraph.Height(plotRows-1),
		asciigraph.LowerBound(lo),
		asciigraph.UpperBound(hi),
		asciigraph.Offset(2),
		asciigraph.SeriesChars(sets...),
		asciigraph.YAxisValueFormatter(yfmt),
		asciigraph.XAxisRange(0, c.hours),
		asciigraph.XAxisTickCount(ticks),
		asciigraph.XAxisValueFormatter(func(v float64) string { return hoursLabel(v) }),
	)
	lines := strings.Split(raw, "\n")
	// The playhead column, counted from the plot's left edge.
	head := -1
	if c.playhead >= 0 && c.playhead < n {
		head = int(math.Round(float64(reveal-1) / float64(n-1) * float64(plotW-1)))
	}
	out := make([]string, 0, len(lines)+len(legend))
	// Label about every fourth row (and the last), not every one.
	every := max(1, (plotRows-1)/max(1, (plotRows-1)/4))
	for i, l := range lines {
		xaxis := i >= len(lines)-2
		last := i == len(lines)-3 // the bottom plot row, labelled always
		crowded := !last && len(lines)-3-i < 2
		if !xaxis && ((i%every != 0 && !last) || crowded) {
			l = blankLabel(l)
		}
		out = append(out, c.colourLine(l, head, xaxis))
	}
	return append(out, legend...)
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
	if xaxis && head >= 0 && axis >= 0 && strings.ContainsRune(line, '└') {
		col := axis + 1 + head
		if col < len(runes) {
			runes[col] = '▲'
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

// legend lays out "── name" items, wrapping onto as many lines as needed.
func (c Chart) legend() []string {
	var lines []string
	var cur strings.Builder
	curW := 0
	for i, s := range c.series {
		item := c.styles.series(i).Render(legendMark(i)) + " " + c.styles.Legend.Render(s.Name)
		w := len([]rune(legendMark(i))) + 1 + len([]rune(s.Name))
		if curW > 0 && curW+2+w > c.width {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		if curW > 0 {
			cur.WriteString("  ")
			curW += 2
		}
		cur.WriteString(item)
		curW += w
	}
	if c.playhead >= 0 && c.playhead < c.Len() {
		mark := c.styles.Playhead.Render(string(playheadRune)) + " " + c.styles.Legend.Render("now")
		if curW > 0 && curW+7 > c.width {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		if curW > 0 {
			cur.WriteString("  ")
		}
		cur.WriteString(mark)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// hoursLabel writes a tick of simulated time: "0h", "6h", "1.5h", "30m".
func hoursLabel(h float64) string {
	switch {
	case h == 0:
		return "0h"
	case h < 1:
		return fmt.Sprintf("%.0fm", h*60)
	case h == math.Trunc(h):
		return fmt.Sprintf("%.0fh", h)
	default:
		return fmt.Sprintf("%.1fh", h)
	}
}

// compact writes a number in at most about six characters: 0.25, 12.5,
// 840, 1.2k, 3.4M.
func compact(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0"
	case a >= 1e9:
		return trimZero(fmt.Sprintf("%.1f", v/1e9)) + "G"
	case a >= 1e6:
		return trimZero(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a >= 1e4:
		return trimZero(fmt.Sprintf("%.0f", v/1e3)) + "k"
	case a >= 1e3:
		return trimZero(fmt.Sprintf("%.1f", v/1e3)) + "k"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return trimZero(fmt.Sprintf("%.1f", v))
	case a >= 0.01:
		return trimZero(fmt.Sprintf("%.2f", v))
	default:
		return trimZero(fmt.Sprintf("%.1g", v))
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

// blankLabel removes the y label of a plot line, keeping the axis.
func blankLabel(line string) string {
	runes := []rune(line)
	for i, r := range runes {
		if r == '┤' || r == '┼' {
			for j := 0; j < i; j++ {
				runes[j] = ' '
			}
			break
		}
	}
	return string(runes)
}

// niceTicks picks how many x ticks to draw so they fall on round hours
// (every 1, 2, 3, 4, 6, 12 or 24 h) and labels have room, about 8
// columns each.
func niceTicks(hours float64, cols int) int {
	most := max(2, cols/8)
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
