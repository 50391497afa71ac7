package lessons

import (
	"math"
	"slices"
	"strings"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Summary is where a learner stands at the end of the course: challenges
// met, the quiz score, how each forecast compared with its run, and what
// to read next.
type Summary struct {
	Lessons, Complete          int
	Challenges, ChallengesMet  int
	Questions, Answered, Right int
	Forecasts                  []ForecastOutcome
	Sources                    []string // every lesson's sources, once each, in course order
}

// ForecastOutcome is one forecast and how the learner's guess did.
type ForecastOutcome struct {
	Lesson  string // the lesson's title
	Ask     string
	Made    bool    // false: no guess was committed
	Verdict string  // "You said 12 slots; the run gave 9, …"
	Off     float64 // share the guess was off by; NaN for a choice
	Right   bool    // a choice guessed right, or a number within 10 %
}

// Summarize works out the summary. It reruns each lesson with a forecast
// the learner answered at the lesson's default knobs, the run the guess
// was about, with run and o (sim.Run and the tour's options).
func (c *Course) Summarize(p Progress, run Runner, o sim.Options) Summary {
	var s Summary
	seen := map[string]bool{}
	for _, l := range c.Lessons {
		st := p.Status(l.Slug, l.Requirements())
		s.Lessons++
		if st.Complete {
			s.Complete++
		}
		if l.Challenge != nil {
			s.Challenges++
			if st.ChallengeMet {
				s.ChallengesMet++
			}
		}
		s.Questions += len(l.Quiz)
		s.Answered += st.Answered
		s.Right += st.Right
		s.Forecasts = append(s.Forecasts, l.forecastOutcomes(p, run, o)...)
		for _, src := range l.Sources() {
			if !seen[src] {
				seen[src] = true
				s.Sources = append(s.Sources, src)
			}
		}
	}
	return s
}

func (l Lesson) forecastOutcomes(p Progress, run Runner, o sim.Options) []ForecastOutcome {
	if len(l.Forecasts) == 0 {
		return nil
	}
	var res *sim.Result
	var failed error
	var out []ForecastOutcome
	for _, f := range l.Forecasts {
		fo := ForecastOutcome{Lesson: l.Title, Ask: f.Ask, Off: math.NaN()}
		g, ok := p.Prediction(l.Slug, f.ID)
		if !ok {
			out = append(out, fo)
			continue
		}
		fo.Made = true
		if res == nil && failed == nil {
			res, failed = l.runDefaults(run, o)
		}
		if res == nil {
			fo.Verdict = "The run this guess was about could not be made again: " + failed.Error()
			out = append(out, fo)
			continue
		}
		fo.Verdict = f.Verdict(g.Guess, *res)
		fo.Off = f.Off(g.Guess, *res)
		if f.IsChoice() {
			_, right, err := f.Answer(*res)
			fo.Right = err == nil && int(g.Guess) == right
		} else {
			fo.Right = math.Abs(fo.Off) <= 0.1
		}
		out = append(out, fo)
	}
	return out
}

// runDefaults runs the lesson with every knob at its default.
func (l Lesson) runDefaults(run Runner, o sim.Options) (*sim.Result, error) {
	sc, err := l.Apply(l.Defaults())
	if err != nil {
		return nil, err
	}
	r, err := run(sc, o)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Sources are the items of the lesson's "## Sources" list.
func (l Lesson) Sources() []string {
	var out []string
	in := false
	for line := range strings.Lines(l.Prose) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "#"):
			in = strings.EqualFold(strings.TrimSpace(strings.TrimLeft(line, "#")), "sources")
		case in && (strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ")):
			out = append(out, strings.TrimSpace(line[2:]))
		}
	}
	return slices.Clip(out)
}
