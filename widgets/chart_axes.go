package widgets

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// xAxis draws the time axis under the plot: a line with a tick at each
// round time and the labels under the ticks, or, in one line, the labels
// set into the axis line itself. The playhead's ▲ is a frame's to add.
func (c Chart) xAxis(labelW, plotW, lines int) [][]rune {
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
	trim := func(r []rune) []rune {
		for len(r) > 0 && r[len(r)-1] == ' ' {
			r = r[:len(r)-1]
		}
		return r
	}
	if lines == 1 {
		// The playhead's mark will give way to a label; the ┊ above still shows.
		place(axis, 3, true)
		return [][]rune{trim(axis)}
	}
	under := []rune(strings.Repeat(" ", total))
	place(under, 2, false)
	return [][]rune{trim(axis), trim(under)}
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

// legend lays out the series' marks and names in entries, one per group
// of series, wrapping entries onto as many lines as needed within w
// columns. With now, the playhead's "┊ now" comes last, and only where it
// fits on a line already there.
func (c Chart) legend(w int, now bool) []string {
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
	if now && c.Len() > 0 && (curW == 0 || curW+2+5 <= w) {
		add(entry{c.styles.Playhead.Render(string(playheadRune)) + " " + c.styles.Legend.Render("now"), 5})
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

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
