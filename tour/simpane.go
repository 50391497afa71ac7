package tour

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// seriesLabel names a chart series for the legend, with its unit; when
// several targets share the chart it heads their group ("capacity req/s:
// ══ fleet  ━━ function").
func seriesLabel(name string) string {
	switch name {
	case "load":
		return "load req/s"
	case "capacity":
		return "capacity req/s"
	case "busy":
		return "busy req/s"
	case "rejected":
		return "rejected/s"
	case "cold_starts":
		return "cold starts/s"
	case "p99":
		return "p99 s"
	case "cost":
		return "cost $"
	}
	return name
}

// targetSeries picks one named series of a target. Capacity and busy
// slots come as requests per second, the unit of the load they are drawn
// against.
func targetSeries(ser *sim.Series, t sim.TargetSeries, name string) []float64 {
	switch name {
	case "capacity":
		return ser.PerSecond(t.Capacity)
	case "busy":
		return ser.PerSecond(t.Busy)
	case "instances":
		return t.Instances
	case "queue":
		return t.Queue
	case "rejected":
		return t.Rejected
	case "cold_starts":
		return t.ColdStart
	case "p99":
		return t.P99
	case "cost":
		return t.CostUSD
	}
	return nil
}

// shownTargets filters targets by the lesson's chart.targets.
func shownTargets(l lessons.Lesson, all []sim.TargetSeries) []sim.TargetSeries {
	if len(l.Chart.Targets) == 0 {
		return all
	}
	var out []sim.TargetSeries
	for _, want := range l.Chart.Targets {
		for _, t := range all {
			if t.Name == want {
				out = append(out, t)
			}
		}
	}
	return out
}

// defaultStats are the run figures shown when a lesson names none.
func defaultStats() []string {
	return []string{"cost_usd", "latency_s.p99", "cold_starts", "throttled", "utilization"}
}

// seriesUnit is the unit of a chart that shows one kind of series, for
// its y axis; "" when the kinds (and so the units) are mixed.
func seriesUnit(show []string) string {
	if len(show) != 1 {
		return ""
	}
	switch show[0] {
	case "load", "capacity", "busy", "rejected", "cold_starts":
		return "/s"
	case "p99":
		return "s"
	case "cost":
		return "$"
	}
	return ""
}

// lessonTargets are the names of the targets the lesson's figures show,
// known before any run: the chart's list, or the scenario's.
func lessonTargets(l lessons.Lesson) []string {
	if len(l.Chart.Targets) > 0 {
		return l.Chart.Targets
	}
	names := make([]string, len(l.Scenario.Targets))
	for i, t := range l.Scenario.Targets {
		names[i] = t.Name
	}
	return names
}

// updateSimViews refreshes the chart and the figures from the result, the
// run error and the playhead. It is cheap: no simulation happens here.
func (m *Model) updateSimViews() {
	l, ok := m.lesson()
	if !ok {
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("No lesson, no simulation.", false)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("", "")
		m.layoutSim()
		return
	}
	if m.runErr != nil {
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("The simulation could not run: "+m.runErr.Error()+"\n\nChange a knob or press r to reset them.", true)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("", "")
		m.layoutSim()
		return
	}
	m.stats.SetNote(m.priceNote())
	if m.result == nil || m.result.Series == nil {
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("Simulating…", false)
		// The figures' labels, with dashes for values: the table keeps
		// its size, so nothing jumps when the first run comes back.
		m.stats.SetTable(lessonTargets(l), m.figureRows(l, nil, -1))
		m.layoutSim()
		return
	}
	res := m.result
	ser := res.Series
	targets := shownTargets(l, ser.Targets)
	show := l.Chart.Show
	if len(show) == 0 {
		show = lessons.DefaultChart()
	}
	unit := seriesUnit(show)
	var series []widgets.Series
	for _, name := range show {
		if name == "load" {
			series = append(series, widgets.Series{Name: seriesLabel("load"), Values: ser.Load})
			continue
		}
		for _, t := range targets {
			vals := targetSeries(ser, t, name)
			if vals == nil {
				continue
			}
			s := widgets.Series{Name: seriesLabel(name), Values: vals}
			if len(targets) > 1 {
				group := seriesLabel(name)
				if unit != "" {
					group = name // the unit is on the y axis
				}
				s = widgets.Series{Group: group, Name: t.Name, Values: vals}
			}
			series = append(series, s)
		}
	}
	hours := res.DurationS / 3600
	m.chart.SetSeries(hours, series)
	m.chart.SetUnit(unit)
	n := len(ser.Load)
	head := min(n, int(math.Floor(m.playhead))+1)
	m.chart.SetPlayhead(head)
	m.chart.SetTitle("")

	cols := make([]string, len(targets))
	for c, t := range targets {
		cols[c] = t.Name
	}
	// The figures are those of the last bucket the chart reveals.
	m.stats.SetTable(cols, m.figureRows(l, targets, max(0, head-1)))
	m.layoutSim()
}

// priceNote says which price table the costs come from and its date, in
// full and short.
func (m Model) priceNote() (string, string) {
	if m.pricing != nil && m.pricing.AsOf != "" {
		return fmt.Sprintf("Prices: %s,\nas of %s.", priceRegion(m.pricing), m.pricing.AsOf), "prices of " + m.pricing.AsOf
	}
	return "No price table loaded:\ncosts read $0.", "no prices: $0"
}

// figureRows are the figures: the moment at bucket i (the playhead), then
// the whole run, with a cell per target. With no targets (no run yet)
// every value is a dash.
func (m Model) figureRows(l lessons.Lesson, targets []sim.TargetSeries, i int) []widgets.StatRow {
	cols := len(targets)
	if targets == nil {
		cols = len(lessonTargets(l))
	}
	dashes := func() []string {
		c := make([]string, max(cols, 1))
		for k := range c {
			c[k] = "–"
		}
		return c
	}
	at := func(v []float64) float64 {
		if i >= 0 && i < len(v) {
			return v[i]
		}
		return math.NaN()
	}
	section := "now" // before the first run: no clock yet
	var load []float64
	if m.result != nil && m.result.Series != nil && targets != nil {
		ser := m.result.Series
		section = "at " + clockAt(min(float64(i+1)*ser.Bucket.Seconds(), m.result.DurationS))
		load = ser.Load
	}
	perTarget := func(label string, f func(sim.TargetSeries) string) widgets.StatRow {
		r := widgets.StatRow{Label: label, Cells: dashes()}
		for c, t := range targets {
			r.Cells[c] = f(t)
		}
		return r
	}
	loadRow := widgets.StatRow{Section: section, Label: "load", Cells: dashes()[:1]}
	if targets != nil {
		loadRow.Cells = fill(cols, rate(at(load)))
	}
	// The moment's details are minor: short of room the table keeps the
	// whole run's figures, the lesson's conclusions, before them.
	rows := []widgets.StatRow{
		loadRow,
		perTarget("capacity", func(t sim.TargetSeries) string { return rate(at(m.result.Series.PerSecond(t.Capacity))) }),
		perTarget("queue", func(t sim.TargetSeries) string { return oneDecimal(at(t.Queue)) }),
		perTarget("cost so far", func(t sim.TargetSeries) string { return lessons.FormatValue(lessons.FormatUSD, at(t.CostUSD)) }),
	}
	for k := 1; k < len(rows); k++ {
		rows[k].Minor = true
	}
	names := l.Chart.Stats
	if len(names) == 0 {
		names = defaultStats()
	}
	section = "whole run"
	for _, name := range names {
		st, ok := lessons.StatByName(name)
		if !ok {
			continue
		}
		r := widgets.StatRow{Section: section, Label: st.Label, Cells: dashes()}
		section = ""
		for c, t := range targets {
			if tr, ok := findTarget(m.result.Targets, t.Name); ok {
				r.Cells[c] = st.Show(st.Value(tr))
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func priceRegion(p *sim.Pricing) string {
	if p.Region == "" {
		return "price table"
	}
	return p.Region
}

func findTarget(ts []sim.TargetResult, name string) (sim.TargetResult, bool) {
	for _, t := range ts {
		if t.Name == name {
			return t, true
		}
	}
	return sim.TargetResult{}, false
}

// fill puts s in the first of n cells: a figure shared by every target.
func fill(n int, s string) []string {
	c := make([]string, max(n, 1))
	c[0] = s
	return c
}

// oneDecimal writes a bucket's mean: "6", "4.5" (never "4.0").
func oneDecimal(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0")
}

// rate writes requests per second with two significant figures below ten
// ("0.25", "3.4", "0.0033", never "3e-03") and whole numbers with
// separators above.
func rate(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v == 0:
		return "0 req/s"
	case math.Abs(v) < 9.95:
		d := max(0, 1-int(math.Floor(math.Log10(math.Abs(v)))))
		s := strconv.FormatFloat(v, 'f', d, 64)
		if strings.Contains(s, ".") {
			s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
		}
		return s + " req/s"
	}
	return lessons.FormatValue(lessons.FormatCount, v) + " req/s"
}

// clockAt writes simulated seconds as a day clock: "13:20", or "1d 02:00".
func clockAt(sec float64) string {
	total := int(sec) / 60
	d, h, mi := total/(24*60), (total/60)%24, total%60
	if d > 0 && !(d == 1 && h == 0 && mi == 0) {
		return fmt.Sprintf("%dd %02d:%02d", d, h, mi)
	}
	if d == 1 {
		return "24:00"
	}
	return fmt.Sprintf("%02d:%02d", h, mi)
}

// simStatus says whether the simulation is playing, paused or at its end,
// the simulated clock, and whether a new run is on its way, in at most w
// columns: hints go first when room is short, then words, and the clock
// stays as long as it can.
func (m Model) simStatus(w int) string {
	st := m.styles
	var state, word, clock, now, hint string
	n := m.buckets()
	switch {
	case m.runErr != nil:
		state, word = st.Error.Render("✗"), st.Error.Render(" simulation error")
	case n < 2:
		state, word = st.Faint.Render("…"), st.Faint.Render(" simulating")
	default:
		bucket := m.result.Series.Bucket.Seconds()
		dur := m.result.DurationS
		at := clockAt(min((math.Floor(m.playhead)+1)*bucket, dur))
		clock = st.Faint.Render(fmt.Sprintf("%s / %s", at, clockAt(min(float64(n)*bucket, dur))))
		now = st.Faint.Render(at)
		switch {
		case m.paused:
			state, word = st.PaneTitle.Render("‖"), st.PaneTitle.Render(" paused")
		case m.atEnd():
			state, word = st.PaneTitle.Render("■"), st.PaneTitle.Render(" end")
			hint = st.Faint.Render("space replays")
		default:
			state, word = st.PaneTitle.Render("▶"), st.PaneTitle.Render(" playing")
		}
	}
	pending := ""
	if m.pending && m.result != nil {
		pending = st.Faint.Render("· updating…")
	}
	join := func(parts ...string) string {
		out := ""
		for _, p := range parts {
			if p == "" {
				continue
			}
			if out != "" && !strings.HasPrefix(ansi.Strip(p), " ") {
				out += "  "
			}
			out += p
		}
		return out
	}
	for _, v := range []string{
		join(state, word, clock, hint, pending),
		join(state, word, clock, pending),
		join(state, clock, pending),
		join(state, clock),
		join(state, now),
		state,
	} {
		if ansi.StringWidth(v) <= w {
			return v
		}
	}
	return ""
}
