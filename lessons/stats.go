package lessons

import (
	"fmt"
	"math"

	"github.com/serverless-tour/serverless-tour/sim"
)

// ChartLine is one series a lesson's chart may draw: the name chart.show
// gives it, how the legend labels it, the unit of the y axis when a chart
// draws only this kind, and how it is read from a run. It is the one
// place these live; lint checks names against it and the tour draws from
// it.
type ChartLine struct {
	Name  string
	Label string // legend, with its unit: "load req/s"
	Short string // legend for a group of targets when the unit is on the axis
	Unit  string // y axis: "/s", "s", "$", or "" (no unit)
	// Load is the arrivals, drawn once; every other line is drawn once
	// for each target.
	Load bool
	// Read gives the line's values for target t (ignored for Load).
	Read func(s *sim.Series, t sim.TargetSeries) []float64
}

// ChartLines lists the series a lesson's chart may show, in the order the
// legend uses. Capacity and busy slots are drawn as requests per second,
// the unit of the load they are drawn against.
func ChartLines() []ChartLine {
	return []ChartLine{
		{Name: "load", Label: "load req/s", Short: "load", Unit: "/s", Load: true,
			Read: func(s *sim.Series, _ sim.TargetSeries) []float64 { return s.Load }},
		{Name: "capacity", Label: "capacity req/s", Short: "capacity", Unit: "/s",
			Read: func(s *sim.Series, t sim.TargetSeries) []float64 { return s.PerSecond(t.Capacity) }},
		{Name: "busy", Label: "busy req/s", Short: "busy", Unit: "/s",
			Read: func(s *sim.Series, t sim.TargetSeries) []float64 { return s.PerSecond(t.Busy) }},
		{Name: "instances", Label: "instances", Short: "instances",
			Read: func(_ *sim.Series, t sim.TargetSeries) []float64 { return t.Instances }},
		{Name: "queue", Label: "queue", Short: "queue",
			Read: func(_ *sim.Series, t sim.TargetSeries) []float64 { return t.Queue }},
		{Name: "rejected", Label: "rejected/s", Short: "rejected", Unit: "/s",
			Read: func(_ *sim.Series, t sim.TargetSeries) []float64 { return t.Rejected }},
		{Name: "cold_starts", Label: "cold starts/s", Short: "cold starts", Unit: "/s",
			Read: func(_ *sim.Series, t sim.TargetSeries) []float64 { return t.ColdStart }},
		{Name: "p99", Label: "p99 s", Short: "p99", Unit: "s",
			Read: func(_ *sim.Series, t sim.TargetSeries) []float64 { return t.P99 }},
		{Name: "cost", Label: "cost $", Short: "cost", Unit: "$",
			Read: func(_ *sim.Series, t sim.TargetSeries) []float64 { return t.CostUSD }},
	}
}

// ChartLineByName finds a chart line by the name chart.show gives it.
func ChartLineByName(name string) (ChartLine, bool) {
	for _, l := range ChartLines() {
		if l.Name == name {
			return l, true
		}
	}
	return ChartLine{}, false
}

// SeriesNames lists the names chart.show accepts, in legend order.
func SeriesNames() []string {
	all := ChartLines()
	names := make([]string, len(all))
	for i, l := range all {
		names[i] = l.Name
	}
	return names
}

// DefaultChart is what a lesson shows when its front matter names no series.
func DefaultChart() []string { return []string{"load", "capacity", "busy"} }

// DefaultStats are the run figures a lesson shows when it names none.
func DefaultStats() []string {
	return []string{"cost_usd", "latency_s.p99", "cold_starts", "throttled", "utilization"}
}

// Format says how a figure is written for a learner.
type Format string

const (
	FormatCount   Format = "count"   // whole number with thousands separators
	FormatUSD     Format = "usd"     // dollars, more decimals when small
	FormatPercent Format = "percent" // a fraction 0–1 shown as a percentage
	FormatSeconds Format = "seconds" // seconds, shown in ms below one second
)

// Stat is one summary figure a lesson can show beside its chart. Name is
// the figure's path in `serverless-tour sim --json` (sim.TargetResult).
type Stat struct {
	Name   string
	Label  string // short, for a figure table
	Format Format
	Value  func(sim.TargetResult) float64
}

// Stats lists every figure a lesson may name in chart.stats. It is the
// one place the names, labels and formats live; the tour reads it.
func Stats() []Stat {
	count := func(f func(sim.TargetResult) int64) func(sim.TargetResult) float64 {
		return func(t sim.TargetResult) float64 { return float64(f(t)) }
	}
	return []Stat{
		{"requests", "requests", FormatCount, count(func(t sim.TargetResult) int64 { return t.Requests })},
		{"served", "served", FormatCount, count(func(t sim.TargetResult) int64 { return t.Served })},
		{"dropped", "dropped", FormatCount, count(func(t sim.TargetResult) int64 { return t.Dropped })},
		{"throttled", "throttled", FormatCount, count(func(t sim.TargetResult) int64 { return t.Throttled })},
		{"timed_out", "timed out", FormatCount, count(func(t sim.TargetResult) int64 { return t.TimedOut })},
		{"failed", "failed", FormatCount, count(func(t sim.TargetResult) int64 { return t.Failed })},
		{"cold_starts", "cold starts", FormatCount, count(func(t sim.TargetResult) int64 { return t.ColdStarts })},
		{"latency_s.mean", "mean latency", FormatSeconds, func(t sim.TargetResult) float64 { return t.Latency.Mean }},
		{"latency_s.p50", "p50 latency", FormatSeconds, func(t sim.TargetResult) float64 { return t.Latency.P50 }},
		{"latency_s.p95", "p95 latency", FormatSeconds, func(t sim.TargetResult) float64 { return t.Latency.P95 }},
		{"latency_s.p99", "p99 latency", FormatSeconds, func(t sim.TargetResult) float64 { return t.Latency.P99 }},
		{"latency_s.max", "max latency", FormatSeconds, func(t sim.TargetResult) float64 { return t.Latency.Max }},
		{"wait_s.mean", "mean wait", FormatSeconds, func(t sim.TargetResult) float64 { return t.Wait.Mean }},
		{"wait_s.p99", "p99 wait", FormatSeconds, func(t sim.TargetResult) float64 { return t.Wait.P99 }},
		{"wait_probability", "waited", FormatPercent, func(t sim.TargetResult) float64 { return t.WaitProbability }},
		{"utilization", "utilisation", FormatPercent, func(t sim.TargetResult) float64 { return t.Utilization }},
		{"idle_fraction", "idle", FormatPercent, func(t sim.TargetResult) float64 { return t.IdleFraction }},
		{"peak_instances", "peak instances", FormatCount, func(t sim.TargetResult) float64 { return float64(t.PeakInstances) }},
		{"cost_usd", "cost", FormatUSD, func(t sim.TargetResult) float64 { return t.CostUSD }},
		{"cost_per_million_usd", "cost per 1M req", FormatUSD, func(t sim.TargetResult) float64 { return t.CostPerMillionUSD }},
	}
}

// StatNames lists the names of Stats, in order.
func StatNames() []string {
	all := Stats()
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name
	}
	return names
}

// StatByName finds a stat by its JSON name.
func StatByName(name string) (Stat, bool) {
	for _, s := range Stats() {
		if s.Name == name {
			return s, true
		}
	}
	return Stat{}, false
}

// Show writes v the way this stat is shown: "1,234", "$0.0042",
// "12.5 %", "180 ms".
func (s Stat) Show(v float64) string {
	return FormatValue(s.Format, v)
}

// FormatValue writes v in format f.
func FormatValue(f Format, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	switch f {
	case FormatUSD:
		a := math.Abs(v)
		switch {
		case a == 0:
			return "$0.00"
		case a >= 1000:
			return "$" + sim.Grouped(math.Round(v), 0)
		case a >= 1:
			return fmt.Sprintf("$%.2f", v)
		default:
			// Four decimals keep a per-request price readable.
			return fmt.Sprintf("$%.4f", v)
		}
	case FormatPercent:
		return fmt.Sprintf("%.1f %%", v*100)
	case FormatSeconds:
		a := math.Abs(v)
		switch {
		case a == 0:
			return "0 ms"
		case a < 0.01:
			return fmt.Sprintf("%.1f ms", v*1000)
		case a < 1:
			return fmt.Sprintf("%.0f ms", v*1000)
		case a < 10:
			return fmt.Sprintf("%.2f s", v)
		default:
			return fmt.Sprintf("%.1f s", v)
		}
	default:
		return sim.Grouped(math.Round(v), 0)
	}
}
