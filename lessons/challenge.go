package lessons

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Challenge is a lesson's goal, checked against the live simulation: a
// sentence for the learner and the conditions on the run's figures that
// must all hold at once.
type Challenge struct {
	Goal string
	When []Condition
}

// Op is how a condition compares its figure.
type Op string

const (
	Below   Op = "below"    // v < bound
	Above   Op = "above"    // v > bound
	AtMost  Op = "at_most"  // v ≤ bound
	AtLeast Op = "at_least" // v ≥ bound
	Within  Op = "within"   // |v − of| ≤ bound × |of|
)

// Ops lists every comparison, in the order messages name them.
func Ops() []Op { return []Op{Below, Above, AtMost, AtLeast, Within} }

// Condition is one test of a figure: against a bound, or within a share
// of another figure ("the fleet costs within 10 % of the function").
type Condition struct {
	Figure Figure
	Op     Op
	Bound  float64
	Of     Figure // for Within
}

// Holds tests the condition on a run, returning the figure's value.
func (c Condition) Holds(res sim.Result) (bool, float64, error) {
	v, err := c.Figure.Value(res)
	if err != nil {
		return false, v, err
	}
	switch c.Op {
	case Below:
		return v < c.Bound, v, nil
	case Above:
		return v > c.Bound, v, nil
	case AtMost:
		return v <= c.Bound, v, nil
	case AtLeast:
		return v >= c.Bound, v, nil
	case Within:
		of, err := c.Of.Value(res)
		if err != nil {
			return false, v, err
		}
		// A hair of slack, so "within 10 %" of 1.00 admits 1.10 despite
		// binary rounding.
		return math.Abs(v-of) <= c.Bound*math.Abs(of)*(1+1e-9), v, nil
	}
	return false, v, fmt.Errorf("unknown comparison %q", c.Op)
}

// Short says the condition in few words: "p99 < 3 s", "dropped = 0",
// "cost ≈ function's ±10%".
func (c Condition) Short() string {
	name := c.Figure.Name
	if st, ok := StatByName(name); ok {
		name = st.Label
	} else if rf, ok := resultFigure(name); ok {
		name = rf.Label
	}
	bound := c.Figure.Show(c.Bound)
	switch c.Op {
	case Below:
		return name + " < " + bound
	case Above:
		return name + " > " + bound
	case AtMost:
		if c.Bound == 0 {
			return name + " = " + bound
		}
		return name + " ≤ " + bound
	case AtLeast:
		return name + " ≥ " + bound
	case Within:
		return fmt.Sprintf("%s ≈ %s ±%.0f%%", name, c.Of.Label(), c.Bound*100)
	}
	return name
}

// ConditionState is one condition as a run leaves it.
type ConditionState struct {
	Condition Condition
	Holds     bool
	Value     float64 // NaN when the figure could not be read
	Err       error
}

// Check tests every condition on a run; met is whether they all hold.
func (ch Challenge) Check(res sim.Result) (met bool, states []ConditionState) {
	met = len(ch.When) > 0
	for _, c := range ch.When {
		ok, v, err := c.Holds(res)
		states = append(states, ConditionState{Condition: c, Holds: ok, Value: v, Err: err})
		met = met && ok
	}
	return met, states
}

// check says what is wrong with a challenge for a scenario with these
// targets, one message per problem, each with the path of its field.
func (ch Challenge) check(targets []string) []fieldProblem {
	var out []fieldProblem
	if strings.TrimSpace(ch.Goal) == "" {
		out = append(out, fieldProblem{"challenge.goal", "required: one sentence saying what the learner must reach"})
	}
	if len(ch.When) == 0 {
		out = append(out, fieldProblem{"challenge.when", "required: at least one condition"})
	}
	for i, c := range ch.When {
		path := fmt.Sprintf("challenge.when[%d]", i)
		if err := c.Figure.check(targets); err != nil {
			out = append(out, fieldProblem{path + ".figure", err.Error()})
		}
		if c.Op == Within {
			if err := c.Of.check(targets); err != nil {
				out = append(out, fieldProblem{path + ".of", err.Error()})
			}
			if c.Bound < 0 || c.Bound > 1 {
				out = append(out, fieldProblem{path + ".within", fmt.Sprintf("a share from 0 to 1 (0.1 for 10 %%), got %g", c.Bound)})
			}
		}
	}
	return out
}

// fieldProblem is a problem with one field of the front matter, before
// it is given its file and line.
type fieldProblem struct{ field, msg string }

// Runner runs a scenario: sim.Run, with the options lint and the tour use.
type Runner func(sim.Scenario, sim.Options) (sim.Result, error)

// maxSearch bounds the knob settings a challenge search tries: every
// combination of coarse steps, up to this many.
const maxSearch = 4096

// SearchChallenge looks for knob values, on each knob's coarse steps,
// that meet the lesson's challenge, trying the settings nearest the
// defaults first. It returns the first it finds and whether any did; a
// grid larger than maxSearch is searched in strides.
func (l Lesson) SearchChallenge(run Runner, o sim.Options) ([]float64, bool, error) {
	if l.Challenge == nil {
		return nil, false, nil
	}
	axes := make([][]float64, len(l.Knobs))
	size := 1
	for i, k := range l.Knobs {
		axes[i] = k.grid()
		size *= len(axes[i])
	}
	stride := 1
	for size/stride > maxSearch {
		stride++
	}
	var firstErr error
	for _, vals := range nearestFirst(axes, l.Defaults(), stride) {
		sc, err := l.Apply(vals)
		if err != nil {
			continue // a combination the scenario refuses; the corners check reports those
		}
		res, err := run(sc, o)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if met, _ := l.Challenge.Check(res); met {
			return vals, true, nil
		}
	}
	return nil, false, firstErr
}

// grid is the knob's values on its coarse steps, both ends included.
func (k Knob) grid() []float64 {
	step := k.Coarse
	if step <= 0 {
		step = k.Step
	}
	var out []float64
	for v := k.Min; v < k.Max-step*1e-9; v += step {
		out = append(out, roundKnob(v))
	}
	return append(out, k.Max)
}

func roundKnob(v float64) float64 { return math.Round(v*1e9) / 1e9 }

// nearestFirst lists every combination of the axes' values (every stride-th
// of them), those nearest the defaults (in steps, summed over knobs) first.
func nearestFirst(axes [][]float64, defaults []float64, stride int) [][]float64 {
	type combo struct {
		vals []float64
		dist float64
	}
	var all []combo
	idx := make([]int, len(axes))
	for n := 0; ; n++ {
		if n%stride == 0 {
			vals := make([]float64, len(axes))
			d := 0.0
			for i, j := range idx {
				vals[i] = axes[i][j]
				span := axes[i][len(axes[i])-1] - axes[i][0]
				if span > 0 {
					d += math.Abs(vals[i]-defaults[i]) / span
				}
			}
			all = append(all, combo{vals, d})
		}
		i := 0
		for ; i < len(idx); i++ {
			idx[i]++
			if idx[i] < len(axes[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(idx) {
			break
		}
	}
	slices.SortStableFunc(all, func(a, b combo) int { return cmp.Compare(a.dist, b.dist) })
	out := make([][]float64, len(all))
	for i, c := range all {
		out[i] = c.vals
	}
	return out
}

// ChallengeReport is what lint found of one lesson's challenge: the knob
// setting that meets it, or the problem.
type ChallengeReport struct {
	Lesson Lesson
	Values []float64 // a setting that meets it, when found
	Err    error     // met at the defaults, never met, or the engine failed
}

// Setting writes a found setting: "Fleet size 5 VMs, Peak 1.5 req/s".
func (r ChallengeReport) Setting() string {
	parts := make([]string, len(r.Values))
	for i, v := range r.Values {
		k := r.Lesson.Knobs[i]
		parts[i] = strings.TrimSpace(k.Label + " " + fmtNum(v) + " " + k.Unit)
	}
	return strings.Join(parts, ", ")
}

// CheckChallenges proves each lesson's challenge reachable: not met at
// the defaults (the learner must turn something), and met somewhere on
// the knobs' coarse grid.
func (c *Course) CheckChallenges(run Runner, o sim.Options) []ChallengeReport {
	var out []ChallengeReport
	for _, l := range c.Lessons {
		if l.Challenge == nil {
			continue
		}
		r := ChallengeReport{Lesson: l}
		res, err := l.runDefaults(run, o)
		switch {
		case err != nil:
			r.Err = fmt.Errorf("%s: challenge: the run at the defaults failed: %w", l.Source, err)
		default:
			if met, _ := l.Challenge.Check(*res); met {
				r.Err = &Error{File: l.Source, Field: "challenge", Msg: "already met with every knob at its default; the learner must turn something to meet it"}
				break
			}
			vals, ok, err := l.SearchChallenge(run, o)
			switch {
			case ok:
				r.Values = vals
			case err != nil:
				r.Err = fmt.Errorf("%s: challenge: searching the knobs: %w", l.Source, err)
			default:
				r.Err = &Error{File: l.Source, Field: "challenge", Msg: "no setting of the knobs (on their coarse steps) meets it; widen a knob's range or ease a condition"}
			}
		}
		out = append(out, r)
	}
	return out
}
