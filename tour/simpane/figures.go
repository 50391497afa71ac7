package simpane

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// shownRun is what a result draws, worked out once when it arrives: the
// chart's lines, and every figure but those of the playhead's moment,
// which a tick only looks up.
type shownRun struct {
	buckets   int
	bucketS   float64 // seconds a bucket spans
	durationS float64
	hours     float64
	series    []widgets.Series
	unit      string
	columns   []string    // the targets the figures show
	load      []float64   // req/s per bucket
	capacity  [][]float64 // req/s per bucket, per column
	queue     [][]float64 // mean requests waiting, per column
	cost      [][]float64 // cumulative $, per column
	whole     []widgets.StatRow
}

func newShownRun(l lessons.Lesson, res *sim.Result) *shownRun {
	ser := res.Series
	if ser == nil {
		return nil
	}
	targets := shownTargets(l, ser.Targets)
	s := &shownRun{
		buckets:   len(ser.Load),
		bucketS:   ser.Bucket.Seconds(),
		durationS: res.DurationS,
		hours:     res.DurationS / 3600,
		load:      ser.Load,
		unit:      chartUnit(l.Chart.Show),
	}
	for _, name := range l.Chart.Show {
		line, ok := lessons.ChartLineByName(name)
		if !ok {
			continue
		}
		if line.Load {
			s.series = append(s.series, widgets.Series{Name: line.Label, Values: ser.Load})
			continue
		}
		for _, t := range targets {
			vals := line.Read(ser, t)
			if vals == nil {
				continue
			}
			if len(targets) == 1 {
				s.series = append(s.series, widgets.Series{Name: line.Label, Values: vals})
				continue
			}
			group := line.Label
			if s.unit != "" {
				group = line.Short // the unit is on the y axis
			}
			s.series = append(s.series, widgets.Series{Group: group, Name: t.Name, Values: vals})
		}
	}
	for _, t := range targets {
		s.columns = append(s.columns, t.Name)
		s.capacity = append(s.capacity, ser.PerSecond(t.Capacity))
		s.queue = append(s.queue, t.Queue)
		s.cost = append(s.cost, t.CostUSD)
	}
	s.whole = wholeRun(l, res, s.columns)
	return s
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

// chartUnit is the unit of a chart that shows one kind of series, for
// its y axis; "" when the kinds (and so the units) are mixed.
func chartUnit(show []string) string {
	if len(show) != 1 {
		return ""
	}
	if line, ok := lessons.ChartLineByName(show[0]); ok {
		return line.Unit
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

// dashes is a row of n "–" cells: a figure not known yet.
func dashes(n int) []string {
	c := make([]string, max(n, 1))
	for k := range c {
		c[k] = "–"
	}
	return c
}

// wholeRun is the figures of the whole run the lesson asks for, a cell per
// column (a figure of the run as a whole, such as pooling's, in the
// first); with no result (no run yet) every value is a dash.
func wholeRun(l lessons.Lesson, res *sim.Result, columns []string) []widgets.StatRow {
	names := l.Chart.Stats
	if len(names) == 0 {
		names = lessons.DefaultStats()
	}
	var rows []widgets.StatRow
	section := "whole run"
	for _, name := range names {
		if rf, ok := lessons.ResultFigureByName(name); ok {
			r := widgets.StatRow{Section: section, Label: rf.Label, Cells: dashes(1)}
			section = ""
			if res != nil {
				if v, ok := rf.Value(*res); ok {
					r.Cells[0] = lessons.FormatValue(rf.Format, v)
				}
			}
			rows = append(rows, r)
			continue
		}
		st, ok := lessons.StatByName(name)
		if !ok {
			continue
		}
		r := widgets.StatRow{Section: section, Label: st.Label, Cells: dashes(len(columns))}
		section = ""
		for c, col := range columns {
			if res == nil {
				break
			}
			for _, tr := range res.Targets {
				if tr.Name == col {
					r.Cells[c] = st.Show(st.Value(tr))
				}
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// figures are the rows of the table: the moment at bucket i (the
// playhead), then the whole run. With no run shown every value is a dash.
func (m Model) figures(i int) (columns []string, rows []widgets.StatRow) {
	s := m.shown
	if s == nil {
		columns = lessonTargets(*m.lesson)
		n := len(columns)
		rows = []widgets.StatRow{
			{Section: "now", Label: "load", Cells: dashes(1)},
			{Label: "capacity", Cells: dashes(n), Minor: true},
			{Label: "queue", Cells: dashes(n), Minor: true},
			{Label: "cost so far", Cells: dashes(n), Minor: true},
		}
		return columns, append(rows, wholeRun(*m.lesson, nil, columns)...)
	}
	at := func(v []float64) float64 {
		if i >= 0 && i < len(v) {
			return v[i]
		}
		return math.NaN()
	}
	perColumn := func(label string, vs [][]float64, show func(float64) string) widgets.StatRow {
		r := widgets.StatRow{Label: label, Cells: make([]string, max(1, len(vs))), Minor: true}
		for c, v := range vs {
			r.Cells[c] = show(at(v))
		}
		return r
	}
	load := widgets.StatRow{Section: "at " + clockAt(min(float64(i+1)*s.bucketS, s.durationS)), Label: "load", Cells: make([]string, max(1, len(s.columns)))}
	load.Cells[0] = rate(at(s.load))
	// The moment's details are minor: short of room the table keeps the
	// whole run's figures, the lesson's conclusions, before them.
	rows = []widgets.StatRow{
		load,
		perColumn("capacity", s.capacity, rate),
		perColumn("queue", s.queue, oneDecimal),
		perColumn("cost so far", s.cost, func(v float64) string { return lessons.FormatValue(lessons.FormatUSD, v) }),
	}
	return s.columns, append(rows, s.whole...)
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
