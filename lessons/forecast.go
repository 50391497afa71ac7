package lessons

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Forecast is a guess a lesson asks for before its run is revealed: a
// number (how many VMs the pooled fleet needs) or a choice among the
// targets (which costs less). It refers to the run at the lesson's
// default knobs; the learner's guess is saved under ID.
type Forecast struct {
	ID     string
	Ask    string
	Figure Figure
	Unit   string // for a number
	// Pick, for a choice: "lowest" or "highest" names the target whose
	// Figure is lowest or highest; Choices label the targets.
	Pick    string
	Choices []Choice
}

// Choice is one target a choice forecast offers, with its label.
type Choice struct {
	Target string
	Label  string
}

// IsChoice reports whether the forecast is a choice among targets.
func (f Forecast) IsChoice() bool { return f.Pick != "" }

// Answer is what the run says: the figure's value for a number, or the
// index of the right choice (with the value it was chosen by).
func (f Forecast) Answer(res sim.Result) (value float64, choice int, err error) {
	if !f.IsChoice() {
		v, err := f.Figure.Value(res)
		return v, -1, err
	}
	choice = -1
	for i, c := range f.Choices {
		v, err := Figure{Name: f.Figure.Name, Target: c.Target}.Value(res)
		if err != nil {
			return math.NaN(), -1, err
		}
		if choice < 0 || (f.Pick == "lowest" && v < value) || (f.Pick == "highest" && v > value) {
			value, choice = v, i
		}
	}
	return value, choice, nil
}

// Verdict says how a guess compares with the run: "You said 12 slots;
// the run needed 9, 33 % more than it." For a choice, guess is the index
// chosen.
func (f Forecast) Verdict(guess float64, res sim.Result) string {
	v, right, err := f.Answer(res)
	if err != nil {
		return "The run could not answer this: " + err.Error()
	}
	if f.IsChoice() {
		i := int(guess)
		if i < 0 || i >= len(f.Choices) {
			return "No guess."
		}
		if i == right {
			return fmt.Sprintf("You said %s, and so did the run (%s).", f.Choices[i].Label, f.show(v))
		}
		return fmt.Sprintf("You said %s; the run says %s (%s).", f.Choices[i].Label, f.Choices[right].Label, f.show(v))
	}
	said := f.show(guess)
	was := f.show(v)
	if v == 0 {
		if guess == 0 {
			return fmt.Sprintf("You said %s: exactly right.", said)
		}
		return fmt.Sprintf("You said %s; the run gave %s.", said, was)
	}
	off := (guess - v) / math.Abs(v)
	switch {
	case math.Abs(off) < 0.005:
		return fmt.Sprintf("You said %s: the run gave %s. Spot on.", said, was)
	case off > 0:
		return fmt.Sprintf("You said %s; the run gave %s, so you were %.0f%% high.", said, was, off*100)
	default:
		return fmt.Sprintf("You said %s; the run gave %s, so you were %.0f%% low.", said, was, -off*100)
	}
}

// Off is how far a number guess was from the run, as a share of the run's
// figure (0.33 for a third too high); NaN for a choice or a zero figure.
func (f Forecast) Off(guess float64, res sim.Result) float64 {
	v, _, err := f.Answer(res)
	if f.IsChoice() || err != nil || v == 0 {
		return math.NaN()
	}
	return (guess - v) / math.Abs(v)
}

func (f Forecast) show(v float64) string {
	s := f.Figure.Show(v)
	if f.Unit != "" && f.Figure.Format() == FormatCount {
		unit := f.Unit
		if v == 1 {
			unit = strings.TrimSuffix(unit, "s") // "1 request", not "1 requests"
		}
		s += " " + unit
	}
	return s
}

var forecastID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// check says what is wrong with forecast i for a scenario with these
// targets.
func (f Forecast) check(i int, targets []string) []fieldProblem {
	path := fmt.Sprintf("predict[%d]", i)
	var out []fieldProblem
	if !forecastID.MatchString(f.ID) {
		out = append(out, fieldProblem{path + ".id", fmt.Sprintf("want lowercase words joined by dashes (it names the saved guess), got %q", f.ID)})
	}
	if strings.TrimSpace(f.Ask) == "" {
		out = append(out, fieldProblem{path + ".ask", "required: the question the learner answers"})
	}
	if !f.IsChoice() {
		if err := f.Figure.check(targets); err != nil {
			out = append(out, fieldProblem{path + ".figure", err.Error()})
		}
		if len(f.Choices) > 0 {
			out = append(out, fieldProblem{path + ".choices", "go with pick (lowest or highest)"})
		}
		return out
	}
	if f.Pick != "lowest" && f.Pick != "highest" {
		out = append(out, fieldProblem{path + ".pick", fmt.Sprintf("lowest or highest, not %q", f.Pick)})
	}
	if _, ok := StatByName(f.Figure.Name); !ok {
		out = append(out, fieldProblem{path + ".figure", fmt.Sprintf("a choice compares a figure of each target (known: %s)", strings.Join(StatNames(), ", "))})
	}
	if len(f.Choices) < 2 {
		out = append(out, fieldProblem{path + ".choices", "want at least two targets to choose between"})
	}
	for _, c := range f.Choices {
		if err := (Figure{Name: f.Figure.Name, Target: c.Target}).check(targets); err != nil && len(out) == 0 {
			out = append(out, fieldProblem{path + ".choices", err.Error()})
		}
	}
	return out
}
