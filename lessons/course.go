package lessons

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Course is every lesson of a content folder, in lesson-number order.
type Course struct {
	Lessons []Lesson
}

// Load reads lessons/NN-slug.md, and the scenarios/<name>.yaml each one
// names, from fsys: the embedded content.FS, or os.DirFS(dir) for
// --content DIR. It returns the whole course or, when anything is wrong,
// no course and every problem joined with errors.Join, each naming the
// file and line; never a half-loaded set.
func Load(fsys fs.FS) (*Course, error) {
	c, errs := load(fsys)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// Lint returns every problem in a content folder; none means Load succeeds.
func Lint(fsys fs.FS) []error {
	_, errs := load(fsys)
	return errs
}

const lessonDir = "lessons"

func load(fsys fs.FS) (*Course, []error) {
	entries, err := fs.ReadDir(fsys, lessonDir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, []error{&Error{File: lessonDir, Msg: "no lessons folder: lessons live in lessons/NN-slug.md"}}
		}
		return nil, []error{&Error{File: lessonDir, Msg: err.Error()}}
	}
	var errs []error
	var all []parsed
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue // .keep, editor swap files
		}
		file := path.Join(lessonDir, name)
		if e.IsDir() {
			errs = append(errs, &Error{File: file, Msg: "unexpected folder: lessons/ holds only NN-slug.md files"})
			continue
		}
		if !strings.HasSuffix(name, ".md") {
			errs = append(errs, &Error{File: file, Msg: "not a lesson: lessons/ holds only NN-slug.md files"})
			continue
		}
		data, err := sim.ReadFileFS(fsys, file, sim.LessonFile)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p := &problems{file: file}
		l := parseLesson(file, name, data, p)
		errs = append(errs, p.errs...)
		if len(p.errs) == 0 {
			all = append(all, l)
		}
	}
	if len(all) == 0 && len(errs) == 0 {
		return nil, []error{&Error{File: lessonDir, Msg: "no lesson files (want lessons/NN-slug.md)"}}
	}
	slices.SortStableFunc(all, func(a, b parsed) int { return a.lesson.Number - b.lesson.Number })
	errs = append(errs, duplicates(all)...)

	// Several lessons may share one scenario; read and report it once.
	type loaded struct {
		s   sim.Scenario
		err error
	}
	scenarios := map[string]loaded{}
	course := &Course{}
	for _, pl := range all {
		sc, ok := scenarios[pl.scenario]
		if !ok {
			sc.s, sc.err = readScenario(fsys, pl.scenario)
			scenarios[pl.scenario] = sc
		}
		p := &problems{file: pl.lesson.Source}
		if sc.err != nil {
			p.add(pl.scenarioLine, "scenario", "%v", sc.err)
			errs = append(errs, p.errs...)
			continue
		}
		l := pl.lesson
		l.Scenario = sc.s
		checkAgainstScenario(l, pl, p)
		errs = append(errs, p.errs...)
		course.Lessons = append(course.Lessons, l)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return course, nil
}

func duplicates(all []parsed) []error {
	var errs []error
	numbers := map[int]string{}
	slugs := map[string]string{}
	for _, pl := range all {
		l := pl.lesson
		if other, dup := numbers[l.Number]; dup {
			errs = append(errs, &Error{File: l.Source, Msg: fmt.Sprintf("lesson number %02d is also used by %s", l.Number, other)})
		} else {
			numbers[l.Number] = l.Source
		}
		if other, dup := slugs[l.Slug]; dup {
			errs = append(errs, &Error{File: l.Source, Msg: fmt.Sprintf("slug %q is also used by %s", l.Slug, other)})
		} else {
			slugs[l.Slug] = l.Source
		}
	}
	return errs
}

func readScenario(fsys fs.FS, name string) (sim.Scenario, error) {
	file := "scenarios/" + name + ".yaml"
	if _, err := fs.Stat(fsys, file); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return sim.Scenario{}, fmt.Errorf("%s does not exist%s", file, scenarioChoices(fsys))
		}
		return sim.Scenario{}, err
	}
	s, err := sim.ParseFS(fsys, file)
	if err != nil {
		return sim.Scenario{}, err
	}
	// Normalize once here so a scenario that only fails with defaults
	// applied is reported against the lesson, not at the first knob turn.
	if _, err := s.Normalized(); err != nil {
		return sim.Scenario{}, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

func scenarioChoices(fsys fs.FS) string {
	matches, _ := fs.Glob(fsys, "scenarios/*.yaml")
	if len(matches) == 0 {
		return " (scenarios/ holds no .yaml files)"
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = strings.TrimSuffix(path.Base(m), ".yaml")
	}
	return " (scenarios: " + strings.Join(names, ", ") + ")"
}

// MaxChartLines is how many lines one chart draws distinguishably, by
// line shape as well as colour (so that it reads without colour too).
const MaxChartLines = 5

// chartLines counts the lines a lesson's chart draws: the load once, and
// every other series once for each target it covers.
func chartLines(l Lesson) int {
	targets := len(l.Chart.Targets)
	if targets == 0 {
		targets = len(l.Scenario.Targets)
	}
	n := 0
	for _, s := range l.Chart.Show {
		if s == "load" {
			n++
		} else {
			n += targets
		}
	}
	return n
}

// checkAgainstScenario checks what the front matter alone cannot: that
// each knob's field can be set across its whole range, and that the chart
// names targets the scenario has.
func checkAgainstScenario(l Lesson, pl parsed, p *problems) {
	names := make([]string, len(l.Scenario.Targets))
	for i, t := range l.Scenario.Targets {
		names[i] = t.Name
	}
	for i, t := range l.Chart.Targets {
		if !slices.Contains(names, t) {
			p.add(pl.targetLines[i], "chart.targets", "the scenario has no target %s (it has: %s)", sim.Quote(t), strings.Join(names, ", "))
		}
	}
	if l.Challenge != nil {
		for _, fp := range l.Challenge.check(names) {
			p.add(pl.lines.Line(fp.field), fp.field, "%s", fp.msg)
		}
	}
	for i, f := range l.Forecasts {
		for _, fp := range f.check(i, names) {
			p.add(pl.lines.Line(fp.field), fp.field, "%s", fp.msg)
		}
	}
	if n := chartLines(l); n > MaxChartLines {
		line := pl.showLine
		if line == 0 { // the default chart, over many targets
			line = pl.frontLine
		}
		p.add(line, "chart.show", "draws %d lines (load once, each other series once per target), more than the %d a chart tells apart; show fewer series or targets", n, MaxChartLines)
	}
	defaults := l.Defaults()
	if _, err := l.Apply(defaults); err != nil {
		// A bad field fails here for every knob; name the first knob it
		// concerns so the line points at it.
		var ke *knobError
		if errors.As(err, &ke) {
			p.add(pl.knobLines[ke.index], fmt.Sprintf("knobs[%d].field", ke.index), "%v", ke.err)
		} else {
			p.add(pl.frontLine, "knobs", "with every knob at its default the scenario is invalid: %v", err)
		}
		return
	}
	// Each end of each knob's range must give a valid scenario too, or a
	// learner could turn a knob into an error; so must one step either side
	// of the default, which catches a fractional step on a whole-number
	// field. The message names the knob.
	for i, k := range l.Knobs {
		for _, end := range []struct {
			name string
			v    float64
		}{{"min", k.Min}, {"max", k.Max},
			{"default + step", min(k.Default+k.Step, k.Max)}, {"default - step", max(k.Default-k.Step, k.Min)}} {
			vals := slices.Clone(defaults)
			vals[i] = end.v
			if _, err := l.Apply(vals); err != nil {
				var ke *knobError
				if errors.As(err, &ke) {
					err = ke.err
				}
				p.add(pl.knobLines[i], fmt.Sprintf("knobs[%d]", i), "at its %s (%s) the scenario is invalid: %v", end.name, fmtNum(end.v), err)
				break // one problem a knob is enough to find it
			}
		}
	}
	if len(p.errs) == 0 {
		checkCorners(l, pl, p)
	}
}

// checkCorners tries every combination of knob ends, which catches knobs
// that clash with each other (a base load above a peak load). Each knob
// alone was checked already; past six knobs the 2^n runs are not worth it.
func checkCorners(l Lesson, pl parsed, p *problems) {
	n := len(l.Knobs)
	if n < 2 || n > 6 {
		return
	}
	for mask := range 1 << n {
		vals := make([]float64, n)
		var ends []string
		for i, k := range l.Knobs {
			end, v := "min", k.Min
			if mask&(1<<i) != 0 {
				end, v = "max", k.Max
			}
			vals[i] = v
			ends = append(ends, fmt.Sprintf("%s at its %s (%s)", k.Label, end, fmtNum(v)))
		}
		if _, err := l.Apply(vals); err != nil {
			// One example is enough to act on; every corner would flood.
			p.add(pl.knobLines[0], "knobs", "with %s the scenario is invalid: %v", strings.Join(ends, ", "), err)
			return
		}
	}
}

// Name is the lesson's file name without .md, e.g. "02-idle-capacity".
func (l Lesson) Name() string { return fmt.Sprintf("%02d-%s", l.Number, l.Slug) }

// Find turns a lesson reference ("3", "03", a slug or "03-slug") into an
// index into c.Lessons.
func (c *Course) Find(ref string) (int, error) {
	r := strings.TrimSpace(ref)
	if n, err := strconv.Atoi(r); err == nil && r != "" && r[0] != '+' && r[0] != '-' {
		for i, l := range c.Lessons {
			if l.Number == n {
				return i, nil
			}
		}
	}
	for i, l := range c.Lessons {
		if r == l.Slug || r == l.Name() {
			return i, nil
		}
	}
	choices := make([]string, len(c.Lessons))
	for i, l := range c.Lessons {
		choices[i] = fmt.Sprintf("%d %s", l.Number, l.Slug)
	}
	return 0, fmt.Errorf("no lesson %s; choose a number or a name: %s", sim.Quote(ref), strings.Join(choices, ", "))
}

// Defaults returns each knob's default value.
func (l Lesson) Defaults() []float64 {
	v := make([]float64, len(l.Knobs))
	for i, k := range l.Knobs {
		v[i] = k.Default
	}
	return v
}

// Clamp fits saved knob values to the lesson as it is now: values for a
// lesson whose knobs changed count fall back to the defaults, and each
// value is held within its knob's range.
func (l Lesson) Clamp(values []float64) []float64 {
	if len(values) != len(l.Knobs) {
		return l.Defaults()
	}
	out := make([]float64, len(values))
	for i, k := range l.Knobs {
		v := values[i]
		switch {
		case math.IsNaN(v):
			v = k.Default
		case v < k.Min:
			v = k.Min
		case v > k.Max:
			v = k.Max
		}
		out[i] = v
	}
	return out
}

// knobError says which knob could not be set, so Load can point at it.
type knobError struct {
	index int
	err   error
}

func (e *knobError) Error() string { return e.err.Error() }
func (e *knobError) Unwrap() error { return e.err }

// Apply returns a copy of the lesson's scenario with each knob's field
// set to its value, normalized and ready to run. The lesson's own
// scenario is never changed.
func (l Lesson) Apply(values []float64) (sim.Scenario, error) {
	if len(values) != len(l.Knobs) {
		return sim.Scenario{}, fmt.Errorf("lesson %s has %d knobs, got %d values", l.Name(), len(l.Knobs), len(values))
	}
	s := l.Scenario.Clone()
	for i, k := range l.Knobs {
		v := values[i]
		if math.IsNaN(v) || v < k.Min || v > k.Max {
			return sim.Scenario{}, &knobError{i, fmt.Errorf("knob %s: %s is outside [%s, %s]", sim.Quote(k.Label), fmtNum(v), fmtNum(k.Min), fmtNum(k.Max))}
		}
		if err := s.Set(k.Field, knobText(v)); err != nil {
			// Set's error already names the field path.
			return sim.Scenario{}, &knobError{i, fmt.Errorf("knob %s: %w", sim.Quote(k.Label), err)}
		}
	}
	return s.Normalized()
}

// knobText writes a knob value for Scenario.Set. Stepping a knob by 0.1
// piles up binary rounding (0.30000000000000004); twelve significant
// digits remove it, so "12.000000000000002" still sets an integer field.
func knobText(v float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
