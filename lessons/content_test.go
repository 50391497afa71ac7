package lessons

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/sim"
)

// The embedded course must load, and each lesson must meet the house
// standard: real length, a "Try this" section, a short quiz, and lines a
// narrow terminal pane can show.
func TestEmbeddedCourse(t *testing.T) {
	if errs := Lint(content.FS); len(errs) > 0 {
		for _, e := range errs {
			t.Error(e)
		}
		t.FailNow()
	}
	c, err := Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Lessons) < 2 {
		t.Fatalf("%d lessons; the tour needs at least two", len(c.Lessons))
	}
	for i, l := range c.Lessons {
		if l.Number != i+1 {
			t.Errorf("%s: lessons should be numbered 1, 2, 3… in order", l.Source)
		}
		if l.Summary == "" || len(l.Knobs) == 0 {
			t.Errorf("%s: needs a summary and at least one knob", l.Source)
		}
		if n := len(l.Quiz); n < 2 || n > 3 {
			t.Errorf("%s: %d quiz questions, want 2–3", l.Source, n)
		}
		for qi, q := range l.Quiz {
			for _, c := range q.Choices {
				// A choice is one line in the quiz box at 80 columns.
				if w := utf8.RuneCountInString(c); w > 60 {
					t.Errorf("%s: quiz[%d] choice %q is %d columns; keep choices within 60", l.Source, qi, c, w)
				}
			}
		}
		words := len(strings.Fields(l.Prose))
		if words < 400 || words > 950 {
			t.Errorf("%s: %d words, want about 400–900", l.Source, words)
		}
		if !strings.Contains(l.Prose, "\n## Try this\n") {
			t.Errorf("%s: no \"## Try this\" section", l.Source)
		}
		lines := strings.Split(l.Prose, "\n")
		for n, line := range lines {
			// Glamour wraps paragraphs and list items itself, but not
			// tables or code, which must fit a narrow pane as written.
			fixed := strings.HasPrefix(line, "|") || strings.HasPrefix(line, "    ")
			if w := utf8.RuneCountInString(line); fixed && w > 60 {
				t.Errorf("%s: body line %d is a %d-column table or code line; keep those within 60", l.Source, n+1, w)
			}
			// Glamour keeps a list item's line breaks, which leaves
			// ragged lines in a pane of another width: one line per item.
			if n > 0 && strings.HasPrefix(lines[n-1], "- ") && strings.HasPrefix(line, "  ") && strings.TrimSpace(line) != "" {
				t.Errorf("%s: body line %d continues a list item; write each item on one line", l.Source, n+1)
			}
		}
		if strings.Contains(l.Prose, "<") && strings.Contains(l.Prose, ">") {
			t.Errorf("%s: looks like HTML; a terminal cannot show it", l.Source)
		}
	}
}

func embeddedPricing(t *testing.T) *sim.Pricing {
	t.Helper()
	data, err := fs.ReadFile(content.FS, "pricing/aws-us-east-1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.ParsePricing(data, "pricing/aws-us-east-1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run applies knob values by label to a lesson and runs it.
func run(t *testing.T, l Lesson, p *sim.Pricing, set map[string]float64) map[string]sim.TargetResult {
	t.Helper()
	vals := l.Defaults()
	for label, v := range set {
		found := false
		for i, k := range l.Knobs {
			if k.Label == label {
				vals[i], found = v, true
			}
		}
		if !found {
			t.Fatalf("%s has no knob %q", l.Source, label)
		}
	}
	s, err := l.Apply(vals)
	if err != nil {
		t.Fatal(err)
	}
	r, err := sim.Run(s, sim.Options{Pricing: p})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]sim.TargetResult{}
	for _, tr := range r.Targets {
		out[tr.Name] = tr
	}
	return out
}

// The lessons' "Try this" lists promise what the learner will see; the
// engine must keep those promises, or the prose must change.
func TestLessonClaims(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson's simulation")
	}
	c, err := Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	p := embeddedPricing(t)
	lesson := func(slug string) Lesson {
		i, err := c.Find(slug)
		if err != nil {
			t.Fatal(err)
		}
		return c.Lessons[i]
	}

	t.Run("contract-of-trust", func(t *testing.T) {
		l := lesson("contract-of-trust")
		d := run(t, l, p, nil)
		if d["fleet"].Dropped == 0 || d["function"].Dropped+d["function"].Throttled != 0 {
			t.Errorf("defaults: the fleet should drop some of the surge and the function none: %+v", d)
		}
		if r := d["fleet"].Latency.P99 / d["function"].Latency.P99; r < 1.5 || r > 3 {
			t.Errorf("defaults: fleet p99 is %.1f× the function's, prose says about twice", r)
		}
		big := run(t, l, p, map[string]float64{"Surge size": 20})
		if big["fleet"].Dropped < 1000 || big["function"].ColdStarts <= d["function"].ColdStarts {
			t.Errorf("surge 20: want thousands dropped by the fleet and more cold starts: %+v", big)
		}
		capped := run(t, l, p, map[string]float64{"Reserved concurrency": 5})
		if capped["function"].Throttled == 0 {
			t.Error("reserved concurrency 5: the function should throttle")
		}
		for n := 4.0; ; n++ {
			r := run(t, l, p, map[string]float64{"Fleet size": n})
			if r["fleet"].Dropped == 0 {
				if ratio := r["fleet"].CostUSD / r["function"].CostUSD; ratio < 6 || ratio > 9 {
					t.Errorf("fleet of %v survives at %.1f× the function's cost; prose says about seven", n, ratio)
				}
				break
			}
			if n >= 12 {
				t.Fatal("no fleet size gets through the surge")
			}
		}
	})

	t.Run("idle-capacity", func(t *testing.T) {
		l := lesson("idle-capacity")
		d := run(t, l, p, nil)
		if u := d["fleet"].Utilization; u < 0.25 || u > 0.35 {
			t.Errorf("defaults: fleet utilisation %.2f, prose says about 30 %%", u)
		}
		if d["function"].IdleFraction < 0.5 {
			t.Errorf("defaults: function idle %.2f, prose says it is high", d["function"].IdleFraction)
		}
		one := run(t, l, p, map[string]float64{"Fleet size": 1})
		if one["fleet"].TimedOut == 0 || one["fleet"].Latency.P99 < 20 {
			t.Errorf("one VM: want timeouts and p99 near 30 s: %+v", one["fleet"])
		}
		if r := d["fleet"].CostUSD / one["fleet"].CostUSD; r < 2.9 || r > 3.1 {
			t.Errorf("one VM should cost a third of three: ratio %.2f", r)
		}
		night := run(t, l, p, map[string]float64{"Night-time load": 0})
		if night["fleet"].CostUSD != d["fleet"].CostUSD || night["function"].CostUSD >= d["function"].CostUSD {
			t.Errorf("no night load: fleet cost should stay, function's fall: %+v", night)
		}
	})

	t.Run("pay-per-use", func(t *testing.T) {
		l := lesson("pay-per-use")
		cheaper := func(set map[string]float64) string {
			r := run(t, l, p, set)
			if r["fleet"].CostUSD < r["function"].CostUSD {
				return "fleet"
			}
			return "function"
		}
		if d := run(t, l, p, nil); d["function"].CostUSD > d["fleet"].CostUSD/4 {
			t.Errorf("at 0.5 req/s the function should cost a small fraction of the fleet: %+v", d)
		}
		// Break-even near 3.2 req/s with two VMs, 1.6 with one.
		for _, c := range []struct {
			rate, fleet float64
			want        string
		}{{2.9, 2, "function"}, {3.5, 2, "fleet"}, {1.4, 1, "function"}, {1.8, 1, "fleet"}} {
			if got := cheaper(map[string]float64{"Request rate": c.rate, "Fleet size": c.fleet}); got != c.want {
				t.Errorf("%v req/s, %v VMs: %s is cheaper, prose says %s", c.rate, c.fleet, got, c.want)
			}
		}
		if got := cheaper(map[string]float64{"Request rate": 4, "Function memory": 512}); got != "function" {
			t.Error("at 512 MB the function should stay cheaper across the fleet's whole range")
		}
		over := run(t, l, p, map[string]float64{"Request rate": 2.5, "Fleet size": 1})
		if over["fleet"].TimedOut == 0 {
			t.Error("one VM at 2.5 req/s should fall behind")
		}
	})
}
