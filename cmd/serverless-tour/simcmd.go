package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/guptarohit/asciigraph"
	"github.com/spf13/cobra"

	"github.com/serverless-tour/serverless-tour/sim"
)

func newSimCmd(g *globalFlags, stdout io.Writer) *cobra.Command {
	var (
		seed   uint64
		sets   []string
		asJSON bool
		series bool
		model  string
	)
	cmd := &cobra.Command{
		Use:   "sim FILE",
		Short: "Run a scenario file and print what each target did",
		Long: "Run a scenario (see docs/scenarios.md) and print a summary per target and a\n" +
			"chart of load against capacity. Every target sees the same arrivals.",
		Example: "  serverless-tour sim content/scenarios/lunch-rush.yaml\n" +
			"  serverless-tour sim spike.yaml --seed 7 --set targets.fleet.count=20 --json",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if series && !asJSON {
				return usageError{"--series goes with --json"}
			}
			switch model {
			case "", sim.ModelAuto, sim.ModelEvents, sim.ModelFast:
			default:
				return usageError{fmt.Sprintf("--model must be auto, events or fast, not %q", model)}
			}
			scn, err := sim.ParseFile(args[0])
			if err != nil {
				return err
			}
			if err := scn.SetAll(sets); err != nil {
				return usageError{fmt.Sprintf("--set: %v", err)}
			}
			pricing, err := g.pricing()
			if err != nil {
				return err
			}
			opts := sim.Options{Seed: seed, Pricing: pricing, Series: series || !asJSON, Model: model}
			if !series {
				opts.Buckets = chartWidth
			}
			res, err := sim.Run(scn, opts)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			w := &checkedWriter{w: stdout}
			if asJSON {
				return w.done(writeJSON(w, res))
			}
			printSummary(w, res, pricing)
			return w.done(nil)
		},
	}
	cmd.Flags().Uint64Var(&seed, "seed", 0, "random seed (default: the scenario's seed)")
	cmd.Flags().StringArrayVar(&sets, "set", nil, "change a field, e.g. --set load.rps=20 --set targets.fleet.count=12 (repeatable)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of a table")
	cmd.Flags().BoolVar(&series, "series", false, "with --json, add the time series (one point per step, at most 4096)")
	cmd.Flags().StringVar(&model, "model", "", "events (every request), fast (queueing results, any volume) or auto (events when quick); default: the scenario's model:, else events")
	return cmd
}

const chartWidth = 72

// printSummary writes the per-target table (targets as columns, so a
// comparison reads across) and a chart of load against capacity.
func printSummary(w io.Writer, res sim.Result, pricing *sim.Pricing) {
	fmt.Fprintf(w, "%s · seed %d · %s simulated · %s\n", printable(res.Scenario), res.Seed, humanSeconds(res.DurationS), modelLine(res))
	if res.ModelNote != "" {
		fmt.Fprintf(w, "(%s)\n", res.ModelNote)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, f func(t sim.TargetResult) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, t := range res.Targets {
			fmt.Fprintf(tw, "%s\t", f(t))
		}
		fmt.Fprintln(tw)
	}
	row("", func(t sim.TargetResult) string { return printable(t.Name) })
	row("kind", func(t sim.TargetResult) string { return printable(t.Kind) })
	row("requests", func(t sim.TargetResult) string { return groupDigits(float64(t.Requests)) })
	row("served", func(t sim.TargetResult) string { return groupDigits(float64(t.Served)) })
	row("dropped", func(t sim.TargetResult) string { return groupDigits(float64(t.Dropped)) })
	row("throttled", func(t sim.TargetResult) string { return groupDigits(float64(t.Throttled)) })
	row("timed out", func(t sim.TargetResult) string { return groupDigits(float64(t.TimedOut)) })
	row("failed", func(t sim.TargetResult) string { return groupDigits(float64(t.Failed)) })
	row("cold starts", func(t sim.TargetResult) string { return groupDigits(float64(t.ColdStarts)) })
	row("latency p50", func(t sim.TargetResult) string { return percentile(t.Latency.P50, t.Latency.Beyond(t.Latency.P50)) })
	row("latency p99", func(t sim.TargetResult) string { return percentile(t.Latency.P99, t.Latency.Beyond(t.Latency.P99)) })
	row("latency max", func(t sim.TargetResult) string { return seconds(t.Latency.Max) })
	row("P(wait)", func(t sim.TargetResult) string { return percent(t.WaitProbability) })
	row("mean wait", func(t sim.TargetResult) string { return seconds(t.Wait.Mean) })
	row("utilisation", func(t sim.TargetResult) string { return percent(t.Utilization) })
	row("idle", func(t sim.TargetResult) string { return percent(t.IdleFraction) })
	row("peak instances", func(t sim.TargetResult) string { return groupDigits(float64(t.PeakInstances)) })
	row("cost", func(t sim.TargetResult) string { return money(t.CostUSD) })
	row("cost per million", func(t sim.TargetResult) string { return money(t.CostPerMillionUSD) })
	tw.Flush()
	for _, t := range res.Targets {
		if t.DroppedQueueFull > 0 {
			fmt.Fprintf(w, "\n%s: %s requests found the queue full at the most a run holds (no queue_limit set) and were dropped.\n",
				t.Name, groupDigits(float64(t.DroppedQueueFull)))
		}
	}
	if pricing != nil {
		fmt.Fprintf(w, "\nPrices: %s, as of %s.\n", printable(pricing.Region), printable(pricing.AsOf))
	}
	if res.Pooling != nil {
		printPooling(w, res.Pooling)
	}
	if res.Series != nil && len(res.Series.Load) > 1 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, loadChart(res))
	}
}

// modelLine says which model produced the figures: an approximation must
// never pass for a simulation on screen.
func modelLine(res sim.Result) string {
	if res.Approximate {
		return "fast model (approximate)"
	}
	return "events (every request simulated)"
}

// loadChart draws the arrival rate and each VM fleet's capacity over time,
// both in requests per second (see sim.Series.PerSecond). (Functions scale per
// request, so their "capacity" is the concurrency limit, not a line worth
// drawing.) Series are told apart by their characters, not by colour.
func loadChart(res sim.Result) string {
	s := res.Series
	data := [][]float64{s.Load}
	marks := []string{"─"}
	legends := []string{"load"}
	seriesChars := []string{"•", "+", "x", "o"}
	for i, t := range s.Targets {
		capRPS := s.PerSecond(t.Capacity)
		if res.Targets[i].Kind != "vm" || len(capRPS) != len(s.Load) || len(data) > len(seriesChars) {
			continue
		}
		data = append(data, capRPS)
		marks = append(marks, seriesChars[len(data)-2])
		legends = append(legends, printable(t.Name)+" capacity")
	}
	chars := []asciigraph.CharSet{asciigraph.DefaultCharSet}
	for _, m := range marks[1:] {
		chars = append(chars, asciigraph.CreateCharSet(m))
	}
	plot := asciigraph.PlotMany(data,
		asciigraph.Height(12),
		asciigraph.Width(chartWidth),
		asciigraph.LowerBound(0),
		asciigraph.SeriesChars(chars...),
		asciigraph.XAxisRange(0, res.DurationS/axisUnit(res.DurationS)),
		asciigraph.XAxisTickCount(5),
		asciigraph.XAxisValueFormatter(axisLabel(res.DurationS)),
	)
	var legend strings.Builder
	legend.WriteString("       requests per second over " + humanSeconds(res.DurationS) + ":  ")
	for i := range legends {
		if i > 0 {
			legend.WriteString("   ")
		}
		fmt.Fprintf(&legend, "%s %s", marks[i], legends[i])
	}
	return plot + "\n" + legend.String()
}

// axisUnit picks hours for runs of six hours or more, minutes below.
func axisUnit(durationS float64) float64 {
	if durationS >= 6*3600 {
		return 3600
	}
	if durationS >= 6*60 {
		return 60
	}
	return 1
}

func axisLabel(durationS float64) func(float64) string {
	suffix := map[float64]string{3600: "h", 60: "m", 1: "s"}[axisUnit(durationS)]
	return func(v float64) string { return fmt.Sprintf("%.0f%s", v, suffix) }
}

func seconds(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 1:
		return fmt.Sprintf("%.0f ms", v*1000)
	case v < 120:
		return fmt.Sprintf("%.2f s", v)
	default:
		return humanSeconds(v)
	}
}

// percentile shows a latency percentile, or "> X" when it lies beyond
// what the run's histogram represents (v is then that range).
func percentile(v float64, beyond bool) string {
	if beyond {
		if v >= 2*86400 {
			return fmt.Sprintf("> %.0fd", v/86400)
		}
		return "> " + seconds(v)
	}
	return seconds(v)
}

func percent(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }

func humanSeconds(v float64) string {
	switch {
	case v >= 86400 && int64(v)%86400 == 0:
		return fmt.Sprintf("%dd", int64(v)/86400)
	case v >= 3600:
		return fmt.Sprintf("%gh", float64(int64(v/36))/100)
	case v >= 60:
		return fmt.Sprintf("%gm", float64(int64(v/0.6))/100)
	default:
		return fmt.Sprintf("%gs", v)
	}
}

// printPooling reports how many slots K tenants need shared against
// dedicated, for the same latency target.
func printPooling(w io.Writer, p *sim.PoolingResult) {
	fmt.Fprintf(w, "\nPooling %s tenants (%s), each offering %.2f busy slots on average:\n", sim.Thousands(int64(p.Tenants)), printable(p.Criterion), p.OfferedLoad)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tslots\tutilisation\t\n")
	fmt.Fprintf(tw, "one shared fleet\t%s\t%s\t\n", groupDigits(float64(p.SharedSlots)), percent(p.SharedUtilization))
	fmt.Fprintf(tw, "%s dedicated fleets\t%s\t%s\t\n", sim.Thousands(int64(p.Tenants)), groupDigits(float64(p.DedicatedSlots)), percent(p.DedicatedUtilization))
	tw.Flush()
	fmt.Fprintf(w, "Sharing saves %s of the slots.\n", percent(p.Saving))
}
