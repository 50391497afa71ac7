package tour

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// seriesLabel names a chart series for the legend.
func seriesLabel(name string) string {
	switch name {
	case "load":
		return "load req/s"
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

// targetSeries picks one named series of a target.
func targetSeries(t sim.TargetSeries, name string) []float64 {
	switch name {
	case "capacity":
		return t.Capacity
	case "busy":
		return t.Busy
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

// updateSimViews refreshes the chart and the figures from the result, the
// run error and the playhead. It is cheap: no simulation happens here.
func (m *Model) updateSimViews() {
	l, ok := m.lesson()
	if !ok {
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("No lesson, no simulation.", false)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("")
		m.layoutSim()
		return
	}
	if m.runErr != nil {
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("The simulation could not run: "+m.runErr.Error()+"\n\nChange a knob or press r to reset them.", true)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("")
		m.layoutSim()
		return
	}
	if m.result == nil || m.result.Series == nil {
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("Simulating…", false)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("")
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
	var series []widgets.Series
	for _, name := range show {
		if name == "load" {
			series = append(series, widgets.Series{Name: seriesLabel("load"), Values: ser.Load})
			continue
		}
		for _, t := range targets {
			vals := targetSeries(t, name)
			if vals == nil {
				continue
			}
			label := seriesLabel(name)
			if len(ser.Targets) > 1 {
				label = t.Name + " " + label
			}
			series = append(series, widgets.Series{Name: label, Values: vals})
		}
	}
	hours := res.DurationS / 3600
	m.chart.SetSeries(hours, series)
	n := len(ser.Load)
	head := int(math.Floor(m.playhead)) + 1
	if head >= n {
		head = n
	}
	m.chart.SetPlayhead(head)
	m.chart.SetTitle("")

	// Figures: the moment under the playhead, then the whole run.
	i := max(0, min(n-1, head-1))
	cols := make([]string, len(targets))
	for c, t := range targets {
		cols[c] = t.Name
	}
	at := func(v []float64) float64 {
		if i < len(v) {
			return v[i]
		}
		return math.NaN()
	}
	clock := clockAt(float64(i+1) * ser.Bucket.Seconds())
	var rows []widgets.StatRow
	rows = append(rows, widgets.StatRow{Section: "at " + clock, Label: "load", Cells: fill(len(cols), rate(at(ser.Load)))})
	perTarget := func(label string, f func(sim.TargetSeries) string) widgets.StatRow {
		r := widgets.StatRow{Label: label, Cells: make([]string, len(targets))}
		for c, t := range targets {
			r.Cells[c] = f(t)
		}
		return r
	}
	rows = append(rows,
		perTarget("capacity", func(t sim.TargetSeries) string { return oneDecimal(at(t.Capacity)) }),
		perTarget("queue", func(t sim.TargetSeries) string { return oneDecimal(at(t.Queue)) }),
		perTarget("cost so far", func(t sim.TargetSeries) string { return lessons.FormatValue(lessons.FormatUSD, at(t.CostUSD)) }),
	)
	names := l.Chart.Stats
	if len(names) == 0 {
		names = defaultStats()
	}
	section := "whole run"
	for _, name := range names {
		st, ok := lessons.StatByName(name)
		if !ok {
			continue
		}
		r := widgets.StatRow{Section: section, Label: st.Label, Cells: make([]string, len(targets))}
		section = ""
		for c, t := range targets {
			if tr, ok := findTarget(res.Targets, t.Name); ok {
				r.Cells[c] = st.Show(st.Value(tr))
			}
		}
		rows = append(rows, r)
	}
	m.stats.SetTable(cols, rows)
	if m.pricing != nil && m.pricing.AsOf != "" {
		m.stats.SetNote(fmt.Sprintf("Prices: %s, as of %s.", priceRegion(m.pricing), m.pricing.AsOf))
	} else {
		m.stats.SetNote("No price table loaded: costs read $0.")
	}
	m.layoutSim()
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
// ("0.25", "3.4") and whole numbers with separators above.
func rate(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.Abs(v) < 10:
		return strconv.FormatFloat(v, 'g', 2, 64) + " req/s"
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

// simStatus is the line above the knobs: playing, paused or at the end,
// the simulated clock, and whether a new run is on its way.
func (m Model) simStatus() string {
	st := m.styles
	var b strings.Builder
	n := m.buckets()
	switch {
	case m.runErr != nil:
		b.WriteString(st.Error.Render("✗ simulation error"))
	case n < 2:
		b.WriteString(st.Faint.Render("… simulating"))
	default:
		bucket := m.result.Series.Bucket.Seconds()
		now := clockAt((math.Floor(m.playhead) + 1) * bucket)
		end := clockAt(float64(n) * bucket)
		switch {
		case m.paused:
			b.WriteString(st.PaneTitle.Render("‖ paused"))
		case m.atEnd():
			b.WriteString(st.PaneTitle.Render("■ end"))
		default:
			b.WriteString(st.PaneTitle.Render("▶ playing"))
		}
		b.WriteString(st.Faint.Render(fmt.Sprintf("  %s / %s", now, end)))
		if m.atEnd() && !m.paused {
			b.WriteString(st.Faint.Render("  space replays"))
		}
	}
	if m.pending && m.result != nil {
		b.WriteString(st.Faint.Render("  · updating…"))
	}
	return b.String()
}
