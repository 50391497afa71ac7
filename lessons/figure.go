package lessons

import (
	"fmt"
	"math"
	"strings"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Figure names one number of a run: a per-target figure (a name of Stats,
// with the target it is read from) or, without a target, a figure of the
// whole result (ResultFigures). Challenges test figures and forecasts
// reveal them.
type Figure struct {
	Name   string
	Target string
}

// ResultFigure is a number of a whole run rather than of one target, such
// as what pooling saves.
type ResultFigure struct {
	Name   string
	Label  string
	Format Format
	// Value reads the figure; ok is false when the run does not have it
	// (a pooling figure of a run without pooling).
	Value func(sim.Result) (v float64, ok bool)
}

// ResultFigures lists the figures of a whole run a lesson may name, by
// their path in `serverless-tour sim --json`.
func ResultFigures() []ResultFigure {
	pool := func(f func(p *sim.PoolingResult) float64) func(sim.Result) (float64, bool) {
		return func(r sim.Result) (float64, bool) {
			if r.Pooling == nil {
				return 0, false
			}
			return f(r.Pooling), true
		}
	}
	return []ResultFigure{
		{"pooling.shared_slots", "shared slots", FormatCount, pool(func(p *sim.PoolingResult) float64 { return float64(p.SharedSlots) })},
		{"pooling.dedicated_slots", "dedicated slots", FormatCount, pool(func(p *sim.PoolingResult) float64 { return float64(p.DedicatedSlots) })},
		{"pooling.saving", "slots saved", FormatPercent, pool(func(p *sim.PoolingResult) float64 { return p.Saving })},
		{"pooling.shared_utilization", "shared utilisation", FormatPercent, pool(func(p *sim.PoolingResult) float64 { return p.SharedUtilization })},
		{"pooling.dedicated_utilization", "dedicated utilisation", FormatPercent, pool(func(p *sim.PoolingResult) float64 { return p.DedicatedUtilization })},
	}
}

// ResultFigureByName finds a figure of the whole run by its name.
func ResultFigureByName(name string) (ResultFigure, bool) { return resultFigure(name) }

func resultFigure(name string) (ResultFigure, bool) {
	for _, f := range ResultFigures() {
		if f.Name == name {
			return f, true
		}
	}
	return ResultFigure{}, false
}

// check says what is wrong with f for a scenario with these targets, or
// nil.
func (f Figure) check(targets []string) error {
	if f.Target == "" {
		if _, ok := resultFigure(f.Name); ok {
			return nil
		}
		if _, ok := StatByName(f.Name); ok {
			return fmt.Errorf("%s is a figure of one target: name it with target (%s)", f.Name, strings.Join(targets, ", "))
		}
		return fmt.Errorf("unknown figure %q (a target's: %s; the run's: %s)", f.Name, strings.Join(StatNames(), ", "), strings.Join(resultFigureNames(), ", "))
	}
	if _, ok := StatByName(f.Name); !ok {
		return fmt.Errorf("unknown figure %q for a target (known: %s)", f.Name, strings.Join(StatNames(), ", "))
	}
	for _, t := range targets {
		if t == f.Target {
			return nil
		}
	}
	return fmt.Errorf("the scenario has no target %q (it has: %s)", f.Target, strings.Join(targets, ", "))
}

func resultFigureNames() []string {
	var out []string
	for _, f := range ResultFigures() {
		out = append(out, f.Name)
	}
	return out
}

// Value reads the figure from a run.
func (f Figure) Value(res sim.Result) (float64, error) {
	if f.Target == "" {
		rf, ok := resultFigure(f.Name)
		if !ok {
			return math.NaN(), fmt.Errorf("unknown figure %q", f.Name)
		}
		v, ok := rf.Value(res)
		if !ok {
			return math.NaN(), fmt.Errorf("the run has no %s", f.Name)
		}
		return v, nil
	}
	st, ok := StatByName(f.Name)
	if !ok {
		return math.NaN(), fmt.Errorf("unknown figure %q", f.Name)
	}
	for _, t := range res.Targets {
		if t.Name == f.Target {
			return st.Value(t), nil
		}
	}
	return math.NaN(), fmt.Errorf("the run has no target %q", f.Target)
}

// Format is how the figure is written for a learner.
func (f Figure) Format() Format {
	if st, ok := StatByName(f.Name); ok {
		return st.Format
	}
	if rf, ok := resultFigure(f.Name); ok {
		return rf.Format
	}
	return FormatCount
}

// Label names the figure for a learner: "fleet p99 latency".
func (f Figure) Label() string {
	if st, ok := StatByName(f.Name); ok && f.Target != "" {
		return f.Target + " " + st.Label
	}
	if rf, ok := resultFigure(f.Name); ok {
		return rf.Label
	}
	return f.Name
}

// Show writes v as this figure is written: "$1.15", "2.10 s", "12".
func (f Figure) Show(v float64) string { return FormatValue(f.Format(), v) }
