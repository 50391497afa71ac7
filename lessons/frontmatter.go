package lessons

import (
	"bytes"
	"math"
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
}

// fileName matches "NN-slug.md": a number of two or three digits, then a
// slug of lowercase words joined by single dashes.
var fileName = regexp.MustCompile(`^([0-9]{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$`)

// scenarioName is what a lesson may name: a file in scenarios/, never a path.
var scenarioName = regexp.MustCompile(`^[a-z0-9]+(?:[-_.][a-z0-9]+)*$`)

// parseLesson reads one lesson file. name is its path inside the content
// folder (e.g. "lessons/01-contract-of-trust.md"); base is its file name.
// Problems are added to p; the result is only meaningful when none were.
func parseLesson(name, base string, data []byte, p *problems) parsed {
	var out parsed
	m := fileName.FindStringSubmatch(base)
	if m == nil {
		p.add(0, "", "file name must be NN-slug.md (a two-digit number, a dash, then lowercase words joined by dashes)")
	} else {
		out.lesson.Number, _ = strconv.Atoi(m[1])
		out.lesson.Slug = m[2]
	}
	out.lesson.Source = name

	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		p.add(1, "", "missing front matter: the file must begin with a line \"---\", then YAML, then another \"---\"")
		return out
	}
	closing := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t") == "---" {
			closing = i
			break
		}
	}
	if closing < 0 {
		p.add(1, "", "front matter is never closed: add a line \"---\" after the YAML")
		return out
	}
	out.frontLine = 1
	out.bodyLine = closing + 2

	// Hand YAML the file from its first line, opening "---" included (a
	// YAML document marker), so the parser's line numbers are the file's.
	front := strings.Join(lines[:closing], "\n") + "\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(front), &doc); err != nil {
		line, msg := yamlErrorLine(err, []byte(front))
		p.add(line, "", "front matter: %s", msg)
		return out
	}
	d := decoder{p: p}
	d.frontMatter(&doc, &out)

	body := strings.Join(lines[closing+1:], "\n")
	out.lesson.Prose = strings.TrimSpace(body)
	if out.lesson.Prose == "" {
		p.add(closing+1, "", "the lesson has no text after its front matter")
	}
	return out
}

// yamlErrorLine pulls the 1-based line number out of a YAML syntax error.
func yamlErrorLine(err error, src []byte) (int, string) {
	line, detail, ok := sim.YAMLErrorLine(err, src)
	if !ok {
		line = 1
	}
	return line, detail
}

// decoder walks the YAML node tree by hand rather than through struct
// tags, so each message can name the field path ("knobs[0].max") and the
// line, and say what was expected in words a lesson author understands.
type decoder struct{ p *problems }

// key is one known key of a mapping and what to do with its value.
type key struct {
	name     string
	required bool
	decode   func(v *yaml.Node, path string)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// mapping decodes a YAML mapping against its known keys: unknown and
// repeated keys are errors, and so are required keys that are missing.
func (d *decoder) mapping(n *yaml.Node, path string, keys []key) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.p.add(n.Line, path, "want a mapping of keys to values, got %s", describe(n))
		return false
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		if first, dup := seen[name]; dup {
			d.p.add(k.Line, join(path, name), "repeated key (first set on line %d)", first)
			continue
		}
		seen[name] = k.Line
		i := slices.IndexFunc(keys, func(kk key) bool { return kk.name == name })
		if i < 0 {
			names := make([]string, len(keys))
			for j, kk := range keys {
				names[j] = kk.name
			}
			d.p.add(k.Line, join(path, name), "unknown key (known keys: %s)", strings.Join(names, ", "))
			continue
		}
		keys[i].decode(v, join(path, name))
	}
	for _, kk := range keys {
		if _, ok := seen[kk.name]; kk.required && !ok {
			d.p.add(n.Line, join(path, kk.name), "required")
		}
	}
	return true
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

// str decodes a non-empty text. Numbers are accepted as text ("404").
func (d *decoder) str(n *yaml.Node, path string, out *string) bool {
	n = resolve(n)
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Style&yaml.FlowStyle == 0 {
		// "Text: more text" parses as a mapping; say so, since the
		// author meant one piece of text.
		d.p.add(n.Line, path, "want text, got a mapping (a \": \" inside text starts one; put the text in quotes)")
		return false
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.p.add(n.Line, path, "want text, got %s", describe(n))
		return false
	}
	if strings.TrimSpace(n.Value) == "" {
		d.p.add(n.Line, path, "must not be empty")
		return false
	}
	*out = n.Value
	return true
}

// num decodes a finite number.
func (d *decoder) num(n *yaml.Node, path string, out *float64) bool {
	n = resolve(n)
	var f float64
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || n.Decode(&f) != nil {
		d.p.add(n.Line, path, "want a number, got %s", describe(n))
		return false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.p.add(n.Line, path, "want a finite number, got %s", n.Value)
		return false
	}
	*out = f
	return true
}

// integer decodes a whole number.
func (d *decoder) integer(n *yaml.Node, path string, out *int) bool {
	n = resolve(n)
	var i int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil {
		d.p.add(n.Line, path, "want a whole number, got %s", describe(n))
		return false
	}
	*out = i
	return true
}

// seq calls each for every item of a YAML list.
func (d *decoder) seq(n *yaml.Node, path string, each func(i int, item *yaml.Node, path string)) bool {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		d.p.add(n.Line, path, "want a list, got %s", describe(n))
		return false
	}
	for i, item := range n.Content {
		each(i, item, path+"["+strconv.Itoa(i)+"]")
	}
	return true
}

// strs decodes a list of texts and the line of each.
func (d *decoder) strs(n *yaml.Node, path string) ([]string, []int) {
	var out []string
	var lines []int
	d.seq(n, path, func(_ int, item *yaml.Node, path string) {
		var s string
		if d.str(item, path, &s) {
			out = append(out, s)
			lines = append(lines, resolve(item).Line)
		}
	})
	return out, lines
}

func (d *decoder) frontMatter(doc *yaml.Node, out *parsed) {
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			d.p.add(1, "title", "required (the front matter is empty)")
			return
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		d.p.add(1, "title", "required (the front matter is empty)")
		return
	}
	l := &out.lesson
	d.mapping(root, "", []key{
		{"title", true, func(v *yaml.Node, path string) { d.str(v, path, &l.Title) }},
		{"summary", false, func(v *yaml.Node, path string) { d.str(v, path, &l.Summary) }},
		{"scenario", true, func(v *yaml.Node, path string) {
			var s string
			if !d.str(v, path, &s) {
				return
			}
			if !scenarioName.MatchString(s) {
				d.p.add(resolve(v).Line, path, "want the name of a file in scenarios/ without .yaml (lowercase letters, digits, dashes), got %q", s)
				return
			}
			out.scenario, out.scenarioLine = s, resolve(v).Line
		}},
		{"knobs", false, func(v *yaml.Node, path string) {
			d.seq(v, path, func(_ int, item *yaml.Node, path string) {
				k, line, ok := d.knob(item, path)
				if ok {
					l.Knobs = append(l.Knobs, k)
					out.knobLines = append(out.knobLines, line)
				}
			})
		}},
		{"chart", false, func(v *yaml.Node, path string) { d.chart(v, path, out) }},
		{"quiz", false, func(v *yaml.Node, path string) {
			d.seq(v, path, func(_ int, item *yaml.Node, path string) {
				if q, ok := d.question(item, path); ok {
					l.Quiz = append(l.Quiz, q)
				}
			})
		}},
	})
	if len(l.Chart.Show) == 0 {
		l.Chart.Show = DefaultChart()
	}
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// knob decodes and checks one knob; line is the line of its field key.
func (d *decoder) knob(n *yaml.Node, path string) (Knob, int, bool) {
	var k Knob
	before := len(d.p.errs)
	var minL, maxL, stepL, coarseL, defL, fieldL int
	var hasCoarse bool
	at := func(v *yaml.Node, line *int) *yaml.Node { *line = resolve(v).Line; return v }
	ok := d.mapping(n, path, []key{
		{"label", true, func(v *yaml.Node, path string) { d.str(v, path, &k.Label) }},
		{"field", true, func(v *yaml.Node, path string) { d.str(at(v, &fieldL), path, &k.Field) }},
		{"min", true, func(v *yaml.Node, path string) { d.num(at(v, &minL), path, &k.Min) }},
		{"max", true, func(v *yaml.Node, path string) { d.num(at(v, &maxL), path, &k.Max) }},
		{"step", true, func(v *yaml.Node, path string) { d.num(at(v, &stepL), path, &k.Step) }},
		{"coarse", false, func(v *yaml.Node, path string) { hasCoarse = d.num(at(v, &coarseL), path, &k.Coarse) }},
		{"default", true, func(v *yaml.Node, path string) { d.num(at(v, &defL), path, &k.Default) }},
		{"unit", false, func(v *yaml.Node, path string) { d.str(v, path, &k.Unit) }},
	})
	if !ok || len(d.p.errs) > before {
		return k, fieldL, false
	}
	if k.Max <= k.Min {
		d.p.add(maxL, path+".max", "must be greater than min (%s ≤ %s)", fmtNum(k.Max), fmtNum(k.Min))
	}
	if k.Step <= 0 {
		d.p.add(stepL, path+".step", "must be greater than 0 (got %s)", fmtNum(k.Step))
	} else if k.Max > k.Min && k.Step > k.Max-k.Min {
		d.p.add(stepL, path+".step", "must be at most max − min (%s > %s)", fmtNum(k.Step), fmtNum(k.Max-k.Min))
	}
	if hasCoarse && k.Coarse < k.Step {
		d.p.add(coarseL, path+".coarse", "must be at least step (%s < %s)", fmtNum(k.Coarse), fmtNum(k.Step))
	}
	if !hasCoarse {
		k.Coarse = 10 * k.Step
	}
	if k.Default < k.Min || k.Default > k.Max {
		d.p.add(defL, path+".default", "must be within [min, max] (%s is outside [%s, %s])", fmtNum(k.Default), fmtNum(k.Min), fmtNum(k.Max))
	}
	return k, fieldL, len(d.p.errs) == before
}

func (d *decoder) chart(n *yaml.Node, path string, out *parsed) {
	c := &out.lesson.Chart
	d.mapping(n, path, []key{
		{"show", false, func(v *yaml.Node, path string) {
			out.showLine = resolve(v).Line
			names, lines := d.strs(v, path)
			for i, s := range names {
				if !slices.Contains(SeriesNames(), s) {
					d.p.add(lines[i], path, "unknown series %q (known: %s)", s, strings.Join(SeriesNames(), ", "))
					continue
				}
				c.Show = append(c.Show, s)
			}
		}},
		{"targets", false, func(v *yaml.Node, path string) {
			c.Targets, out.targetLines = d.strs(v, path)
		}},
		{"stats", false, func(v *yaml.Node, path string) {
			names, lines := d.strs(v, path)
			for i, s := range names {
				if _, ok := StatByName(s); !ok {
					d.p.add(lines[i], path, "unknown stat %q (known: %s)", s, strings.Join(StatNames(), ", "))
					continue
				}
				c.Stats = append(c.Stats, s)
			}
		}},
	})
}

func (d *decoder) question(n *yaml.Node, path string) (Question, bool) {
	var q Question
	before := len(d.p.errs)
	answerLine, choicesLine := 0, 0
	hasAnswer := false
	ok := d.mapping(n, path, []key{
		{"prompt", true, func(v *yaml.Node, path string) { d.str(v, path, &q.Prompt) }},
		{"choices", true, func(v *yaml.Node, path string) {
			choicesLine = resolve(v).Line
			q.Choices, _ = d.strs(v, path)
		}},
		{"answer", true, func(v *yaml.Node, path string) {
			answerLine = resolve(v).Line
			hasAnswer = d.integer(v, path, &q.Answer)
		}},
		{"explain", false, func(v *yaml.Node, path string) { d.str(v, path, &q.Explain) }},
	})
	if !ok || len(d.p.errs) > before {
		return q, false
	}
	if len(q.Choices) < 2 {
		d.p.add(choicesLine, path+".choices", "want at least 2 choices, got %d", len(q.Choices))
	} else if hasAnswer && (q.Answer < 0 || q.Answer >= len(q.Choices)) {
		d.p.add(answerLine, path+".answer", "must be an index into choices, 0 to %d (got %d)", len(q.Choices)-1, q.Answer)
	}
	return q, len(d.p.errs) == before
}
