package lessons

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

const testScenario = `name: two-ways
duration: 1h
step: 1m
load: {pattern: constant, rps: 2}
request: {duration: 500ms, memory_mb: 512}
targets:
  - {name: fleet, kind: vm, instance: m5.large, count: 3, concurrency: 2}
  - {name: lambda, kind: function, memory_mb: 512}
`

func lessonFile(title, scenario, knobs, chart string) string {
	return "---\ntitle: " + title + "\nscenario: " + scenario + "\n" + knobs + chart + "---\n\nText.\n"
}

const twoKnobs = `knobs:
  - {label: Load, field: load.rps, min: 0.5, max: 5, step: 0.5, default: 2, unit: req/s}
  - {label: Fleet, field: targets.fleet.count, min: 1, max: 8, step: 1, default: 3}
`

func goodFS() fstest.MapFS {
	return fstest.MapFS{
		"lessons/.keep":           {},
		"lessons/02-second.md":    {Data: []byte(lessonFile("Second", "two-ways", "", ""))},
		"lessons/01-first.md":     {Data: []byte(lessonFile("First", "two-ways", twoKnobs, "chart: {show: [load, capacity], targets: [fleet], stats: [cost_usd]}\n"))},
		"scenarios/two-ways.yaml": {Data: []byte(testScenario)},
	}
}

func TestLoadGood(t *testing.T) {
	c, err := Load(goodFS())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lessons) != 2 || c.Lessons[0].Slug != "first" || c.Lessons[1].Slug != "second" {
		t.Fatalf("lessons out of order: %+v", c.Lessons)
	}
	l := c.Lessons[0]
	if l.Title != "First" || l.Number != 1 || l.Source != "lessons/01-first.md" || l.Prose != "Text." {
		t.Errorf("first lesson: %+v", l)
	}
	if l.Scenario.Name != "two-ways" || len(l.Scenario.Targets) != 2 {
		t.Errorf("scenario: %+v", l.Scenario)
	}
	if errs := Lint(goodFS()); len(errs) != 0 {
		t.Errorf("Lint of a good folder: %v", errs)
	}
}

func TestLoadErrors(t *testing.T) {
	with := func(changes map[string]string) fstest.MapFS {
		fsys := goodFS()
		for name, data := range changes {
			if data == "" {
				delete(fsys, name)
			} else {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
		}
		return fsys
	}
	cases := []struct {
		name string
		fsys fstest.MapFS
		want []string // substrings, one per expected error, in order
	}{
		{"no lessons folder", fstest.MapFS{"scenarios/x.yaml": {Data: []byte(testScenario)}},
			[]string{"lessons: no lessons folder: lessons live in lessons/NN-slug.md"}},
		{"no lesson files", fstest.MapFS{"lessons/.keep": {}},
			[]string{"lessons: no lesson files (want lessons/NN-slug.md)"}},
		{"duplicate number", with(map[string]string{"lessons/01-again.md": lessonFile("Again", "two-ways", "", "")}),
			[]string{"lessons/01-first.md: lesson number 01 is also used by lessons/01-again.md"}},
		{"duplicate slug", with(map[string]string{"lessons/03-first.md": lessonFile("Again", "two-ways", "", "")}),
			[]string{`lessons/03-first.md: slug "first" is also used by lessons/01-first.md`}},
		{"stray file", with(map[string]string{"lessons/notes.txt": "x"}),
			[]string{"lessons/notes.txt: not a lesson: lessons/ holds only NN-slug.md files"}},
		{"missing scenario", with(map[string]string{"lessons/02-second.md": lessonFile("Second", "nope", "", "")}),
			[]string{"lessons/02-second.md:3: scenario: scenarios/nope.yaml does not exist (scenarios: two-ways)"}},
		{"broken scenario", with(map[string]string{"scenarios/two-ways.yaml": strings.Replace(testScenario, "rps: 2", "rps: two", 1)}),
			[]string{"lessons/01-first.md:3: scenario: scenarios/two-ways.yaml:4:", "lessons/02-second.md:3: scenario: scenarios/two-ways.yaml:4:"}},
		{"unknown knob field", with(map[string]string{"lessons/01-first.md": lessonFile("First", "two-ways",
			"knobs:\n  - {label: L, field: load.rsp, min: 1, max: 5, step: 1, default: 2}\n", "")}),
			[]string{"lessons/01-first.md:5: knobs[0].field: knob \"L\": load.rsp: unknown field \"rsp\""}},
		{"unknown target in knob", with(map[string]string{"lessons/01-first.md": lessonFile("First", "two-ways",
			"knobs:\n  - {label: L, field: targets.fleeet.count, min: 1, max: 5, step: 1, default: 2}\n", "")}),
			[]string{`lessons/01-first.md:5: knobs[0].field: knob "L": targets.fleeet.count: no targets named "fleeet" (have fleet, lambda)`}},
		{"knob range breaks scenario", with(map[string]string{"lessons/01-first.md": lessonFile("First", "two-ways",
			"knobs:\n  - {label: Fleet, field: targets.fleet.count, min: 0, max: 5, step: 1, default: 2}\n", "")}),
			[]string{"lessons/01-first.md:5: knobs[0]: at its min (0) the scenario is invalid: targets[0].count:"}},
		{"knobs that clash", with(map[string]string{
			"scenarios/two-ways.yaml": strings.Replace(testScenario, "{pattern: constant, rps: 2}", "{pattern: diurnal, base_rps: 1, peak_rps: 4, peak_at: 14h}", 1),
			"lessons/01-first.md": lessonFile("First", "two-ways", `knobs:
  - {label: Base, field: load.base_rps, min: 0, max: 3, step: 1, default: 1}
  - {label: Peak, field: load.peak_rps, min: 2, max: 6, step: 1, default: 4}
`, "")}),
			[]string{"lessons/01-first.md:5: knobs: with Base at its max (3), Peak at its min (2) the scenario is invalid: load.peak_rps: 2 is below base_rps 3"}},
		{"chart target missing", with(map[string]string{"lessons/02-second.md": lessonFile("Second", "two-ways", "", "chart:\n  targets: [fleet, lamda]\n")}),
			[]string{`lessons/02-second.md:5: chart.targets: the scenario has no target "lamda" (it has: fleet, lambda)`}},
		{"fractional step on a whole-number field", with(map[string]string{"lessons/01-first.md": lessonFile("First", "two-ways",
			"knobs:\n  - {label: Fleet, field: targets.fleet.count, min: 1, max: 5, step: 0.5, default: 2}\n", "")}),
			[]string{"lessons/01-first.md:5: knobs[0]: at its default + step (2.5) the scenario is invalid: knob \"Fleet\": targets.fleet.count: 2.5: want a whole number"}},
		{"chart with more lines than it can tell apart", with(map[string]string{"lessons/02-second.md": lessonFile("Second", "two-ways", "", "chart:\n  show: [load, capacity, busy, rejected]\n")}),
			[]string{`lessons/02-second.md:5: chart.show: draws 7 lines (load once, each other series once per target), more than the 5`}},
		{"problems in two files", with(map[string]string{
			"lessons/02-second.md": "---\ntitle: x\n---\n",
			"lessons/01-first.md":  lessonFile("First", "two-ways", "knobs:\n  - {label: L, field: load.rps, min: 5, max: 1, step: 1, default: 2}\n", "")}),
			[]string{"lessons/01-first.md:5: knobs[0].max: must be greater than min (1 ≤ 5)",
				"lessons/01-first.md:5: knobs[0].default: must be within [min, max] (2 is outside [5, 1])",
				"lessons/02-second.md:2: scenario: required",
				"lessons/02-second.md:3: the lesson has no text after its front matter"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			course, err := Load(c.fsys)
			if err == nil || course != nil {
				t.Fatalf("Load gave %v, %v; want no course and an error", course, err)
			}
			errs := Lint(c.fsys)
			if len(errs) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(c.want), errors.Join(errs...))
			}
			for i, w := range c.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("error %d:\n got %s\nwant it to contain %s", i, errs[i], w)
				}
			}
			if err.Error() != errors.Join(errs...).Error() {
				t.Errorf("Load's error differs from Lint's:\n%v\n%v", err, errors.Join(errs...))
			}
		})
	}
}

func TestFind(t *testing.T) {
	c, err := Load(goodFS())
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]int{"1": 0, "01": 0, "2": 1, "002": 1, "first": 0, "second": 1, "02-second": 1, " 2 ": 1} {
		if got, err := c.Find(ref); err != nil || got != want {
			t.Errorf("Find(%q) = %d, %v; want %d", ref, got, err, want)
		}
	}
	for _, ref := range []string{"", "3", "0", "-1", "+1", "First", "third", "01-second"} {
		_, err := c.Find(ref)
		if err == nil {
			t.Errorf("Find(%q) succeeded", ref)
			continue
		}
		if !strings.Contains(err.Error(), "1 first, 2 second") {
			t.Errorf("Find(%q) error %q does not list the choices", ref, err)
		}
	}
}

func TestApply(t *testing.T) {
	c, err := Load(goodFS())
	if err != nil {
		t.Fatal(err)
	}
	l := c.Lessons[0]
	if got := l.Defaults(); !reflect.DeepEqual(got, []float64{2, 3}) {
		t.Errorf("Defaults() = %v", got)
	}
	s, err := l.Apply([]float64{4.5, 7})
	if err != nil {
		t.Fatal(err)
	}
	if s.Load.RPS != 4.5 || s.Targets[0].Count != 7 {
		t.Errorf("applied scenario: rps %v, count %d", s.Load.RPS, s.Targets[0].Count)
	}
	if s.Step == 0 || s.Targets[1].ConcurrencyLimit == 0 {
		t.Error("Apply did not normalize the scenario")
	}
	if l.Scenario.Load.RPS != 2 || l.Scenario.Targets[0].Count != 3 {
		t.Error("Apply changed the lesson's own scenario")
	}
	// Steps of 0.1 pile up rounding; an integer field must still take it.
	v := 0.0
	for range 30 {
		v += 0.1
	}
	if s, err := l.Apply([]float64{2, 1 + v}); err != nil || s.Targets[0].Count != 4 {
		t.Errorf("Apply(%v): count %d, %v", 1+v, s.Targets[0].Count, err)
	}
	for _, bad := range [][]float64{{2}, {2, 3, 4}, {6, 3}, {2, 0}} {
		if _, err := l.Apply(bad); err == nil {
			t.Errorf("Apply(%v) succeeded", bad)
		}
	}
	if _, err := l.Apply([]float64{2, 3.5}); err == nil {
		t.Error("Apply set an integer field to 3.5")
	}
	if got := c.Lessons[1].Defaults(); len(got) != 0 {
		t.Errorf("a lesson without knobs has defaults %v", got)
	}
	if _, err := c.Lessons[1].Apply(nil); err != nil {
		t.Errorf("Apply with no knobs: %v", err)
	}
}

func TestClamp(t *testing.T) {
	c, err := Load(goodFS())
	if err != nil {
		t.Fatal(err)
	}
	l := c.Lessons[0]
	cases := []struct{ in, want []float64 }{
		{[]float64{1, 2}, []float64{1, 2}},
		{[]float64{99, -3}, []float64{5, 1}},
		{[]float64{1}, []float64{2, 3}},
		{nil, []float64{2, 3}},
	}
	for _, cs := range cases {
		if got := l.Clamp(cs.in); !reflect.DeepEqual(got, cs.want) {
			t.Errorf("Clamp(%v) = %v, want %v", cs.in, got, cs.want)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	cases := map[string]*Error{
		"lessons/02-idle.md:14: knobs[0].max: must be greater than min (5 ≤ 10)": {File: "lessons/02-idle.md", Line: 14, Field: "knobs[0].max", Msg: "must be greater than min (5 ≤ 10)"},
		"lessons/x.md: bad name": {File: "lessons/x.md", Msg: "bad name"},
		"lessons/x.md:3: broken": {File: "lessons/x.md", Line: 3, Msg: "broken"},
	}
	for want, e := range cases {
		if e.Error() != want {
			t.Errorf("got %q, want %q", e.Error(), want)
		}
	}
}
