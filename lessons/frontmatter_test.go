package lessons

import (
	"reflect"
	"strings"
	"testing"
)

const goodFront = `---
title: The contract of trust
summary: What you hand over.
scenario: lesson-trust
knobs:
  - {label: Peak load, field: load.peak_rps, min: 1, max: 200, step: 1, coarse: 10, default: 40, unit: req/s}
  - label: Fleet size
    field: targets.fleet.count
    min: 1
    max: 20
    step: 1
    default: 4
chart: {show: [load, capacity], targets: [fleet], stats: [cost_usd, latency_s.p99]}
quiz:
  - prompt: Who patches the host?
    choices: [You, The provider]
    answer: 1
    explain: Below the function, it is theirs.
---

# Heading

Some prose.
`

func TestParseGoodLesson(t *testing.T) {
	p := &problems{file: "lessons/01-contract-of-trust.md"}
	got := parseLesson(p.file, "01-contract-of-trust.md", []byte(goodFront), p)
	if len(p.errs) > 0 {
		t.Fatalf("errors: %v", p.errs)
	}
	want := Lesson{
		Number: 1, Slug: "contract-of-trust", Title: "The contract of trust", Summary: "What you hand over.",
		Prose: "# Heading\n\nSome prose.", Source: "lessons/01-contract-of-trust.md",
		Knobs: []Knob{
			{Label: "Peak load", Unit: "req/s", Min: 1, Max: 200, Step: 1, Coarse: 10, Default: 40, Field: "load.peak_rps"},
			{Label: "Fleet size", Min: 1, Max: 20, Step: 1, Coarse: 10, Default: 4, Field: "targets.fleet.count"},
		},
		Chart: Chart{Show: []string{"load", "capacity"}, Targets: []string{"fleet"}, Stats: []string{"cost_usd", "latency_s.p99"}},
		Quiz:  []Question{{Prompt: "Who patches the host?", Choices: []string{"You", "The provider"}, Answer: 1, Explain: "Below the function, it is theirs."}},
	}
	if !reflect.DeepEqual(got.lesson, want) {
		t.Errorf("got  %+v\nwant %+v", got.lesson, want)
	}
	if got.scenario != "lesson-trust" || got.scenarioLine != 4 {
		t.Errorf("scenario %q on line %d", got.scenario, got.scenarioLine)
	}
	if !reflect.DeepEqual(got.knobLines, []int{6, 8}) || !reflect.DeepEqual(got.targetLines, []int{13}) {
		t.Errorf("knob lines %v, target lines %v", got.knobLines, got.targetLines)
	}
}

func TestParseCRLFAndDefaults(t *testing.T) {
	src := "---\r\ntitle: T\r\nscenario: s\r\n---\r\nBody\r\n"
	p := &problems{file: "lessons/07-x.md"}
	got := parseLesson(p.file, "07-x.md", []byte("\ufeff"+src), p)
	if len(p.errs) > 0 {
		t.Fatal(p.errs)
	}
	if got.lesson.Prose != "Body" || !reflect.DeepEqual(got.lesson.Chart.Show, DefaultChart()) || got.lesson.Number != 7 {
		t.Errorf("got %+v", got.lesson)
	}
}

// edit replaces one line of goodFront (1-based) with repl, which may
// span several lines or be empty to delete it.
func edit(line int, repl string) string {
	lines := strings.Split(goodFront, "\n")
	lines[line-1] = repl
	return strings.Join(lines, "\n")
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, base, src string
		want            []string // every error, in order
	}{
		{"bad file name", "1-x.md", goodFront,
			[]string{"lessons/1-x.md: file name must be NN-slug.md (a two-digit number, a dash, then lowercase words joined by dashes)"}},
		{"upper-case slug", "01-Trust.md", goodFront,
			[]string{"lessons/01-Trust.md: file name must be NN-slug.md (a two-digit number, a dash, then lowercase words joined by dashes)"}},
		{"no front matter", "01-x.md", "# Just markdown\n",
			[]string{`lessons/01-x.md:1: missing front matter: the file must begin with a line "---", then YAML, then another "---"`}},
		{"unclosed", "01-x.md", "---\ntitle: x\n\nbody\n",
			[]string{`lessons/01-x.md:1: front matter is never closed: add a line "---" after the YAML`}},
		{"yaml syntax", "01-x.md", edit(3, "summary: [unclosed"),
			[]string{"lessons/01-x.md:3: YAML syntax: did not find expected ',' or ']'"}},
		{"bad indentation", "01-x.md", edit(3, "  summary: x"),
			[]string{"lessons/01-x.md:3: YAML syntax: mapping values are not allowed in this context"}},
		{"missing title", "01-x.md", edit(2, ""),
			[]string{"lessons/01-x.md:3: title: required"}},
		{"empty title", "01-x.md", edit(2, "title: '  '"),
			[]string{"lessons/01-x.md:2: title: must not be empty"}},
		{"missing scenario", "01-x.md", edit(4, ""),
			[]string{"lessons/01-x.md:2: scenario: required"}},
		{"scenario path", "01-x.md", edit(4, "scenario: ../etc/passwd"),
			[]string{`lessons/01-x.md:4: scenario: want the name of a file in scenarios/ without .yaml (lowercase letters, digits, dashes), got "../etc/passwd"`}},
		{"unknown key", "01-x.md", edit(3, "sumary: x"),
			[]string{`lessons/01-x.md:3: unknown field "sumary" (did you mean summary?)`}},
		{"repeated key", "01-x.md", edit(3, "title: again"),
			[]string{"lessons/01-x.md:3: title: written twice (first on line 2)"}},
		{"max below min", "01-x.md", edit(10, "    max: 0.5"),
			[]string{"lessons/01-x.md:10: knobs[1].max: must be greater than min (0.5 ≤ 1)", "lessons/01-x.md:12: knobs[1].default: must be within [min, max] (4 is outside [1, 0.5])"}},
		{"zero step", "01-x.md", edit(11, "    step: 0"),
			[]string{"lessons/01-x.md:11: knobs[1].step: must be greater than 0 (got 0)"}},
		{"step wider than range", "01-x.md", edit(11, "    step: 50"),
			[]string{"lessons/01-x.md:11: knobs[1].step: must be at most max − min (50 > 19)"}},
		{"default outside", "01-x.md", edit(12, "    default: 21"),
			[]string{"lessons/01-x.md:12: knobs[1].default: must be within [min, max] (21 is outside [1, 20])"}},
		{"missing default", "01-x.md", edit(12, ""),
			[]string{"lessons/01-x.md:7: knobs[1].default: required"}},
		{"coarse below step", "01-x.md", edit(6, "  - {label: Peak load, field: load.peak_rps, min: 1, max: 200, step: 5, coarse: 2, default: 40}"),
			[]string{"lessons/01-x.md:6: knobs[0].coarse: must be at least step (2 < 5)"}},
		{"text for a number", "01-x.md", edit(9, "    min: one"),
			[]string{`lessons/01-x.md:9: knobs[1].min: want a number, got string "one"`}},
		{"infinite", "01-x.md", edit(10, "    max: .inf"),
			[]string{"lessons/01-x.md:10: knobs[1].max: .inf is not a finite number"}},
		{"unknown knob key", "01-x.md", edit(12, "    defualt: 4"),
			[]string{`lessons/01-x.md:12: knobs[1]: unknown field "defualt" (did you mean default?)`, "lessons/01-x.md:7: knobs[1].default: required"}},
		{"knobs not a list", "01-x.md", edit(5, "knobs: 3"), // the old items then fail to parse as YAML
			[]string{"lessons/01-x.md:6: YAML syntax: mapping values are not allowed in this context"}},
		{"unknown series", "01-x.md", edit(13, "chart: {show: [load, lod]}"),
			[]string{"lessons/01-x.md:13: chart.show: unknown series \"lod\" (known: load, capacity, busy, instances, queue, rejected, cold_starts, p99, cost)"}},
		{"unknown stat", "01-x.md", edit(13, "chart: {stats: [p99]}"),
			[]string{"lessons/01-x.md:13: chart.stats: unknown stat \"p99\" (a target's: " + strings.Join(StatNames(), ", ") + "; the run's: " + strings.Join(resultFigureNames(), ", ") + ")"}},
		{"answer out of range", "01-x.md", edit(17, "    answer: 2"),
			[]string{"lessons/01-x.md:17: quiz[0].answer: must be an index into choices, 0 to 1 (got 2)"}},
		{"negative answer", "01-x.md", edit(17, "    answer: -1"),
			[]string{"lessons/01-x.md:17: quiz[0].answer: must be an index into choices, 0 to 1 (got -1)"}},
		{"answer not whole", "01-x.md", edit(17, "    answer: 1.5"),
			[]string{`lessons/01-x.md:17: quiz[0].answer: want a whole number, got "1.5"`}},
		{"one choice", "01-x.md", edit(16, "    choices: [Only]"),
			[]string{"lessons/01-x.md:16: quiz[0].choices: want at least 2 choices, got 1"}},
		{"empty body", "01-x.md", strings.SplitAfter(goodFront, "\n---\n")[0] + "\n  \n",
			[]string{"lessons/01-x.md:19: the lesson has no text after its front matter"}},
		{"empty front matter", "01-x.md", "---\n---\nBody\n",
			[]string{"lessons/01-x.md:1: title: required (the front matter is empty)"}},
		{"front matter a list", "01-x.md", "---\n- a\n---\nBody\n",
			[]string{"lessons/01-x.md:2: want a mapping of keys to values, got a list"}},
		{"colon in text", "01-x.md", edit(3, "summary: Lesson one: trust"),
			[]string{"lessons/01-x.md:3: YAML syntax: mapping values are not allowed in this context"}},
		{"colon in a choice", "01-x.md", edit(16, "    choices:\n      - You: always\n      - The provider"),
			[]string{`lessons/01-x.md:17: quiz[0].choices[0]: want text, got a mapping (a ": " inside text starts one; put the text in quotes)`}},
		{"mapping for text", "01-x.md", edit(3, "summary: {a: b}"),
			[]string{"lessons/01-x.md:3: summary: want text, got a mapping"}},
		{"null title", "01-x.md", edit(2, "title:"),
			[]string{"lessons/01-x.md:2: title: has no value"}},
		{"knobs a number", "01-x.md", strings.Replace(goodFront, "knobs:\n", "knobs: 3\nknobz:\n", 1),
			[]string{"lessons/01-x.md:5: knobs: want a list, got 3", `lessons/01-x.md:6: unknown field "knobz" (did you mean knobs?)`}},
		{"unclosed flow in a knob", "01-x.md", edit(6, "  - {label: Peak load, field: load.peak_rps"),
			[]string{"lessons/01-x.md:6: YAML syntax: did not find expected ',' or '}'"}},
		{"several at once", "01-x.md", edit(2, "title: [a]\nsummary: {}"),
			[]string{"lessons/01-x.md:2: title: want text, got a list", "lessons/01-x.md:3: summary: want text, got a mapping", "lessons/01-x.md:4: summary: written twice (first on line 3)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &problems{file: "lessons/" + c.base}
			parseLesson(p.file, c.base, []byte(c.src), p)
			var got []string
			for _, e := range p.errs {
				got = append(got, e.Error())
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// A challenge, forecasts and instructor notes read from a lesson file, and
// the mistakes an author can make in them, each at its line and field.
func TestChallengeAndPredictFrontMatter(t *testing.T) {
	withGoals := func(extra string) string {
		return strings.Replace(goodFront, "quiz:\n", extra+"quiz:\n", 1)
	}
	good := withGoals(`challenge:
  goal: Keep p99 under 3 s.
  when:
    - {figure: latency_s.p99, target: fleet, below: 3}
    - {figure: cost_usd, target: fleet, within: 0.1, of: {figure: cost_usd, target: function}}
predict:
  - {id: fleet-cost, ask: "What will the fleet cost?", figure: cost_usd, target: fleet, unit: $}
  - id: cheaper
    ask: Which is cheaper?
    pick: lowest
    figure: cost_usd
    choices:
      - {target: fleet, label: The fleet}
      - {target: function, label: The function}
`) + "\n<!-- instructor: Ask the room first.\n  Then run it. -->\nMore prose.\n"
	p := &problems{file: "lessons/01-x.md"}
	got := parseLesson(p.file, "01-x.md", []byte(good), p).lesson
	if len(p.errs) > 0 {
		t.Fatalf("errors: %v", p.errs)
	}
	wantCh := &Challenge{Goal: "Keep p99 under 3 s.", When: []Condition{
		{Figure: Figure{"latency_s.p99", "fleet"}, Op: Below, Bound: 3},
		{Figure: Figure{"cost_usd", "fleet"}, Op: Within, Bound: 0.1, Of: Figure{"cost_usd", "function"}},
	}}
	if !reflect.DeepEqual(got.Challenge, wantCh) {
		t.Errorf("challenge %+v", got.Challenge)
	}
	if len(got.Forecasts) != 2 || got.Forecasts[0].Unit != "$" || got.Forecasts[1].Choices[1] != (Choice{"function", "The function"}) {
		t.Errorf("forecasts %+v", got.Forecasts)
	}
	if len(got.Notes) != 1 || got.Notes[0] != "Ask the room first. Then run it." || strings.Contains(got.Prose, "instructor") {
		t.Errorf("notes %q, prose %q", got.Notes, got.Prose)
	}
	if !got.Requirements().Challenge {
		t.Error("a lesson with a challenge requires it")
	}
	for _, tc := range []struct{ extra, want string }{
		{"challenge:\n  goal: G\n  when:\n    - {figure: cost_usd, target: fleet, below: 1, above: 0}\n",
			"lessons/01-x.md:17: challenge.when[0]: want exactly one of below, above, at_most, at_least, within (got 2)"},
		{"challenge:\n  goal: G\n  when:\n    - {figure: cost_usd, target: fleet, within: 0.1}\n",
			"lessons/01-x.md:17: challenge.when[0].of: required with within: the figure this one must be near"},
		{"challenge:\n  goal: G\n",
			"lessons/01-x.md:14: challenge.when: required"},
		{"predict:\n  - {id: a, ask: A, figure: cost_usd, target: fleet}\n  - {id: a, ask: B, figure: cost_usd, target: fleet}\n",
			"lessons/01-x.md:16: predict[1].id: \"a\" is also the id of predict[0]; each guess is saved under its id"},
	} {
		p := &problems{file: "lessons/01-x.md"}
		parseLesson(p.file, "01-x.md", []byte(withGoals(tc.extra)), p)
		if len(p.errs) != 1 || p.errs[0].Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.extra, p.errs, tc.want)
		}
	}
}
