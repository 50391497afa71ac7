package lessons

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/serverless-tour/serverless-tour/sim"
)

// parsed is one lesson file read on its own, before its scenario is
// known. It keeps the lines of the values that can only be checked
// against the scenario, so those errors can point at them too.
type parsed struct {
	lesson       Lesson
	scenario     string // name from the front matter; "" when missing or bad
	scenarioLine int
	knobLines    []int // line of each knob's field:
	targetLines  []int // line of each chart target
	showLine     int   // line of chart.show
	bodyLine     int   // first line of the markdown body
	frontLine    int   // line of the opening ---
	lines        sim.YAMLLines
}

// frontMatter is what a lesson's front matter may hold: the keys, their
// types and which are required, read by sim.DecodeYAML. It fills a Lesson.
type frontMatter struct {
	Title     text           `yaml:"title" required:""`
	Summary   text           `yaml:"summary"`
	Scenario  text           `yaml:"scenario" required:""`
	Knobs     []knobFile     `yaml:"knobs" max:"12"`
	Chart     chartFile      `yaml:"chart"`
	Quiz      []questionFile `yaml:"quiz" max:"30"`
	Challenge *challengeFile `yaml:"challenge"`
	Predict   []forecastFile `yaml:"predict" max:"8"`
}

// challengeFile is a lesson's goal: conditions on the run's figures.
type challengeFile struct {
	Goal text            `yaml:"goal" required:""`
	When []conditionFile `yaml:"when" required:"" max:"8"`
}

// conditionFile is one condition: a figure and exactly one comparison.
type conditionFile struct {
	Figure  text        `yaml:"figure" required:""`
	Target  text        `yaml:"target"`
	Below   *float64    `yaml:"below"`
	Above   *float64    `yaml:"above"`
	AtMost  *float64    `yaml:"at_most"`
	AtLeast *float64    `yaml:"at_least"`
	Within  *float64    `yaml:"within"`
	Of      *figureFile `yaml:"of"`
}

type figureFile struct {
	Figure text `yaml:"figure" required:""`
	Target text `yaml:"target"`
}

// forecastFile is a guess asked before the run shows: a number, or with
// pick a choice among targets.
type forecastFile struct {
	ID      text         `yaml:"id" required:""`
	Ask     text         `yaml:"ask" required:""`
	Figure  text         `yaml:"figure" required:""`
	Target  text         `yaml:"target"`
	Unit    text         `yaml:"unit"`
	Pick    text         `yaml:"pick"`
	Choices []choiceFile `yaml:"choices" max:"8"`
}

type choiceFile struct {
	Target text `yaml:"target" required:""`
	Label  text `yaml:"label" required:""`
}

type knobFile struct {
	Label   text    `yaml:"label" required:""`
	Field   text    `yaml:"field" required:""`
	Min     float64 `yaml:"min" required:""`
	Max     float64 `yaml:"max" required:""`
	Step    float64 `yaml:"step" required:""`
	Coarse  float64 `yaml:"coarse"`
	Default float64 `yaml:"default" required:""`
	Unit    text    `yaml:"unit"`
}

type chartFile struct {
	Show    []text `yaml:"show" max:"16"`
	Targets []text `yaml:"targets" max:"16"`
	Stats   []text `yaml:"stats" max:"16"`
}

type questionFile struct {
	Prompt  text   `yaml:"prompt" required:""`
	Choices []text `yaml:"choices" required:"" max:"10"`
	Answer  index  `yaml:"answer" required:""`
	Explain text   `yaml:"explain"`
}

// text is a piece of lesson text: never blank. (sim.DecodeYAML refuses
// control characters in any text.)
type text string

func (t *text) UnmarshalYAML(n *yaml.Node) error {
	if strings.TrimSpace(n.Value) == "" {
		return fmt.Errorf("must not be empty")
	}
	*t = text(n.Value)
	return nil
}

// index is a whole number that may be out of range (negative too), so that
// the check against the choices can say what the range is.
type index int

func (i *index) UnmarshalYAML(n *yaml.Node) error {
	v, err := strconv.Atoi(n.Value)
	if n.ShortTag() != "!!int" || err != nil {
		return fmt.Errorf("want a whole number, got %s", sim.Quote(n.Value))
	}
	*i = index(v)
	return nil
}

// fileName matches "NN-slug.md": a number of two or three digits, then a
// slug of lowercase words joined by single dashes.
var fileName = regexp.MustCompile(`^([0-9]{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)

// scenarioName is what a lesson may name: a file in scenarios/, never a path.
var scenarioName = regexp.MustCompile(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)

// maxProblems is how many problems lint reports for one lesson file.
const maxProblems = 50

// parseLesson reads one lesson file. name is its path inside the content
// folder (e.g. "lessons/01-contract-of-trust.md"); base is its file name.
// Problems are added to p; the result is only meaningful when none were.
func parseLesson(name, base string, data []byte, p *problems) parsed {
	var out parsed
	if m := fileName.FindStringSubmatch(base); m == nil {
		p.add(0, "", "file name must be NN-slug.md (a two-digit number, a dash, then lowercase words joined by dashes)")
	} else {
		out.lesson.Number, _ = strconv.Atoi(m[1])
		out.lesson.Slug = m[2]
	}
	out.lesson.Source = name

	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if strings.TrimRight(lines[0], " \t") != "---" {
		p.add(1, "", "missing front matter: the file must begin with a line \"---\", then YAML, then another \"---\"")
		return out
	}
	closing := slices.IndexFunc(lines[1:], func(l string) bool { return strings.TrimRight(l, " \t") == "---" }) + 1
	if closing == 0 {
		p.add(1, "", "front matter is never closed: add a line \"---\" after the YAML")
		return out
	}
	out.frontLine = 1
	out.bodyLine = closing + 2

	// Hand YAML the file from its first line, opening "---" included (a
	// YAML document marker), so the parser's line numbers are the file's.
	front := strings.Join(lines[:closing], "\n") + "\n"
	var fm frontMatter
	yl, errs := sim.DecodeYAML([]byte(front), name, &fm, sim.YAMLOptions{What: "front matter", Want: "a mapping of keys to values", MaxErrs: maxProblems})
	p.errs = append(p.errs, errs...)
	switch {
	case len(errs) > 0:
	case yl.Empty():
		p.add(1, "title", "required (the front matter is empty)")
	default:
		out.lines = yl
		out.fill(fm, yl, p)
	}

	body := strings.Join(lines[closing+1:], "\n")
	out.lesson.Prose, out.lesson.Notes = instructorNotes(body)
	out.lesson.Prose = strings.TrimSpace(out.lesson.Prose)
	if out.lesson.Prose == "" {
		p.add(closing+1, "", "the lesson has no text after its front matter")
	}
	for i, l := range lines[closing+1:] {
		if msg := sim.CheckText(l); msg != "" {
			p.add(out.bodyLine+i, "", "the lesson text %s", msg)
			break
		}
	}
	return out
}

// fill turns decoded front matter into the lesson, checking what one
// value says about another (a knob's range, a quiz answer's choices).
func (out *parsed) fill(fm frontMatter, yl sim.YAMLLines, p *problems) {
	l := &out.lesson
	l.Title, l.Summary = string(fm.Title), string(fm.Summary)
	if s := string(fm.Scenario); !scenarioName.MatchString(s) {
		p.add(yl.Line("scenario"), "scenario", "want the name of a file in scenarios/ without .yaml (lowercase letters, digits, dashes), got %s", sim.Quote(s))
	} else {
		out.scenario, out.scenarioLine = s, yl.Line("scenario")
	}
	for i, kf := range fm.Knobs {
		path := fmt.Sprintf("knobs[%d]", i)
		if k, ok := checkKnob(kf, path, yl, p); ok {
			l.Knobs = append(l.Knobs, k)
			out.knobLines = append(out.knobLines, yl.Line(path+".field"))
		}
	}
	out.fillChart(fm.Chart, yl, p)
	for i, qf := range fm.Quiz {
		if q, ok := checkQuestion(qf, fmt.Sprintf("quiz[%d]", i), yl, p); ok {
			l.Quiz = append(l.Quiz, q)
		}
	}
	if fm.Challenge != nil {
		l.Challenge = challengeOf(*fm.Challenge, yl, p)
	}
	ids := map[string]int{}
	for i, ff := range fm.Predict {
		f := forecastOf(ff)
		path := fmt.Sprintf("predict[%d].id", i)
		if j, dup := ids[f.ID]; dup {
			p.add(yl.Line(path), path, "%s is also the id of predict[%d]; each guess is saved under its id", sim.Quote(f.ID), j)
			continue
		}
		ids[f.ID] = i
		l.Forecasts = append(l.Forecasts, f)
	}
}

// challengeOf reads a challenge; each condition must have exactly one
// comparison, and within goes with of.
func challengeOf(cf challengeFile, yl sim.YAMLLines, p *problems) *Challenge {
	ch := &Challenge{Goal: string(cf.Goal)}
	for i, c := range cf.When {
		path := fmt.Sprintf("challenge.when[%d]", i)
		cond := Condition{Figure: Figure{Name: string(c.Figure), Target: string(c.Target)}}
		n := 0
		for _, op := range []struct {
			op Op
			v  *float64
		}{{Below, c.Below}, {Above, c.Above}, {AtMost, c.AtMost}, {AtLeast, c.AtLeast}, {Within, c.Within}} {
			if op.v != nil {
				cond.Op, cond.Bound = op.op, *op.v
				n++
			}
		}
		line := yl.Line(path + ".figure") // the condition's own line, in a list of them
		switch {
		case n != 1:
			p.add(line, path, "want exactly one of below, above, at_most, at_least, within (got %d)", n)
			continue
		case cond.Op == Within && c.Of == nil:
			p.add(line, path+".of", "required with within: the figure this one must be near")
			continue
		case cond.Op != Within && c.Of != nil:
			p.add(yl.Line(path+".of"), path+".of", "goes with within only")
			continue
		}
		if c.Of != nil {
			cond.Of = Figure{Name: string(c.Of.Figure), Target: string(c.Of.Target)}
		}
		ch.When = append(ch.When, cond)
	}
	return ch
}

func forecastOf(ff forecastFile) Forecast {
	f := Forecast{ID: string(ff.ID), Ask: string(ff.Ask), Unit: string(ff.Unit), Pick: string(ff.Pick),
		Figure: Figure{Name: string(ff.Figure), Target: string(ff.Target)}}
	for _, c := range ff.Choices {
		f.Choices = append(f.Choices, Choice{Target: string(c.Target), Label: string(c.Label)})
	}
	return f
}

// instructorComment is an instructor's note in a lesson's markdown.
var instructorComment = regexp.MustCompile(`(?s)<!--\s*instructor:\s*(.*?)\s*-->`)

// instructorNotes takes the instructor's notes out of a lesson's body: the
// learner never sees them; the classroom can.
func instructorNotes(body string) (prose string, notes []string) {
	for _, m := range instructorComment.FindAllStringSubmatch(body, -1) {
		notes = append(notes, strings.Join(strings.Fields(m[1]), " "))
	}
	return instructorComment.ReplaceAllString(body, ""), notes
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// checkKnob checks one knob's range, step and default.
func checkKnob(kf knobFile, path string, yl sim.YAMLLines, p *problems) (Knob, bool) {
	k := Knob{Label: string(kf.Label), Unit: string(kf.Unit), Field: string(kf.Field),
		Min: kf.Min, Max: kf.Max, Step: kf.Step, Coarse: kf.Coarse, Default: kf.Default}
	before := len(p.errs)
	at := func(key string) int { return yl.Line(path + "." + key) }
	if k.Max <= k.Min {
		p.add(at("max"), path+".max", "must be greater than min (%s ≤ %s)", fmtNum(k.Max), fmtNum(k.Min))
	}
	if k.Step <= 0 {
		p.add(at("step"), path+".step", "must be greater than 0 (got %s)", fmtNum(k.Step))
	} else if k.Max > k.Min && k.Step > k.Max-k.Min {
		p.add(at("step"), path+".step", "must be at most max − min (%s > %s)", fmtNum(k.Step), fmtNum(k.Max-k.Min))
	}
	if !yl.Has(path + ".coarse") {
		k.Coarse = 10 * k.Step
	} else if k.Coarse < k.Step {
		p.add(at("coarse"), path+".coarse", "must be at least step (%s < %s)", fmtNum(k.Coarse), fmtNum(k.Step))
	}
	if k.Default < k.Min || k.Default > k.Max {
		p.add(at("default"), path+".default", "must be within [min, max] (%s is outside [%s, %s])", fmtNum(k.Default), fmtNum(k.Min), fmtNum(k.Max))
	}
	return k, len(p.errs) == before
}

func (out *parsed) fillChart(cf chartFile, yl sim.YAMLLines, p *problems) {
	c := &out.lesson.Chart
	out.showLine = yl.Line("chart.show")
	if !yl.Has("chart.show") {
		out.showLine = 0
	}
	for i, s := range cf.Show {
		if !slices.Contains(SeriesNames(), string(s)) {
			p.add(yl.Line(fmt.Sprintf("chart.show[%d]", i)), "chart.show", "unknown series %s (known: %s)", sim.Quote(string(s)), strings.Join(SeriesNames(), ", "))
			continue
		}
		c.Show = append(c.Show, string(s))
	}
	for i, s := range cf.Targets {
		c.Targets = append(c.Targets, string(s))
		out.targetLines = append(out.targetLines, yl.Line(fmt.Sprintf("chart.targets[%d]", i)))
	}
	for i, s := range cf.Stats {
		_, perTarget := StatByName(string(s))
		if _, whole := resultFigure(string(s)); !perTarget && !whole {
			p.add(yl.Line(fmt.Sprintf("chart.stats[%d]", i)), "chart.stats", "unknown stat %s (a target's: %s; the run's: %s)", sim.Quote(string(s)), strings.Join(StatNames(), ", "), strings.Join(resultFigureNames(), ", "))
			continue
		}
		c.Stats = append(c.Stats, string(s))
	}
	if len(c.Show) == 0 {
		c.Show = DefaultChart()
	}
}

func checkQuestion(qf questionFile, path string, yl sim.YAMLLines, p *problems) (Question, bool) {
	q := Question{Prompt: string(qf.Prompt), Answer: int(qf.Answer), Explain: string(qf.Explain)}
	for _, c := range qf.Choices {
		q.Choices = append(q.Choices, string(c))
	}
	if len(q.Choices) < 2 {
		p.add(yl.Line(path+".choices"), path+".choices", "want at least 2 choices, got %d", len(q.Choices))
		return q, false
	}
	if q.Answer < 0 || q.Answer >= len(q.Choices) {
		p.add(yl.Line(path+".answer"), path+".answer", "must be an index into choices, 0 to %d (got %d)", len(q.Choices)-1, q.Answer)
		return q, false
	}
	return q, true
}
