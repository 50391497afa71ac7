package lessons

import (
	"io/fs"
	"math"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/sim"
)

// The course's challenges and predictions are written to the schema the
// tour's mechanics implement (challenge: goal, when; predict: id, ask,
// figure …). These tests read them straight from the lesson files, so
// they check what a learner will meet, and run them on the engine: each
// challenge is met at a stated knob setting and not at the defaults, and
// each prediction's figure at the defaults is the one the reveal shows.

// goalSpec is a lesson's challenge and predictions as written.
type goalSpec struct {
	Challenge *struct {
		Goal string     `yaml:"goal"`
		When []condSpec `yaml:"when"`
	} `yaml:"challenge"`
	Predict []predictSpec `yaml:"predict"`
}

type figureSpec struct {
	Figure string `yaml:"figure"`
	Target string `yaml:"target"`
}

type condSpec struct {
	figureSpec `yaml:",inline"`
	Below      *float64    `yaml:"below"`
	Above      *float64    `yaml:"above"`
	AtMost     *float64    `yaml:"at_most"`
	AtLeast    *float64    `yaml:"at_least"`
	Within     *float64    `yaml:"within"`
	Of         *figureSpec `yaml:"of"`
}

type predictSpec struct {
	ID      string            `yaml:"id"`
	Ask     string            `yaml:"ask"`
	Figure  string            `yaml:"figure"`
	Target  string            `yaml:"target"`
	Unit    string            `yaml:"unit"`
	Pick    string            `yaml:"pick"`
	Choices map[string]string `yaml:"choices"`
}

// goals reads a lesson file's challenge and predict blocks.
func goals(t *testing.T, l Lesson) goalSpec {
	t.Helper()
	data, err := fs.ReadFile(content.FS, l.Source)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(string(data), "\n---\n", 2)
	if len(parts) != 2 {
		t.Fatalf("%s: no front matter", l.Source)
	}
	var g goalSpec
	if err := yaml.Unmarshal([]byte(strings.TrimPrefix(parts[0], "---\n")), &g); err != nil {
		t.Fatalf("%s: %v", l.Source, err)
	}
	return g
}

// value reads a figure from a run: a target's stat by its JSON name, or
// without a target a pooling figure of the whole run.
func value(t *testing.T, res sim.Result, f figureSpec) float64 {
	t.Helper()
	if f.Target == "" {
		p := res.Pooling
		if p == nil {
			t.Fatalf("%s: the run has no pooling result", f.Figure)
		}
		switch f.Figure {
		case "pooling.shared_slots":
			return float64(p.SharedSlots)
		case "pooling.dedicated_slots":
			return float64(p.DedicatedSlots)
		case "pooling.saving":
			return p.Saving
		case "pooling.shared_utilization":
			return p.SharedUtilization
		case "pooling.dedicated_utilization":
			return p.DedicatedUtilization
		}
		t.Fatalf("unknown figure %q", f.Figure)
	}
	st, ok := StatByName(f.Figure)
	if !ok {
		t.Fatalf("unknown figure %q", f.Figure)
	}
	for _, tr := range res.Targets {
		if tr.Name == f.Target {
			return st.Value(tr)
		}
	}
	t.Fatalf("%s: no target %q", f.Figure, f.Target)
	return math.NaN()
}

// holds tests one condition; exactly one comparison must be given.
func (c condSpec) holds(t *testing.T, res sim.Result) (bool, float64) {
	t.Helper()
	v := value(t, res, c.figureSpec)
	var ok []bool
	if c.Below != nil {
		ok = append(ok, v < *c.Below)
	}
	if c.Above != nil {
		ok = append(ok, v > *c.Above)
	}
	if c.AtMost != nil {
		ok = append(ok, v <= *c.AtMost)
	}
	if c.AtLeast != nil {
		ok = append(ok, v >= *c.AtLeast)
	}
	if c.Within != nil {
		if c.Of == nil {
			t.Fatalf("%s: within without of", c.Figure)
		}
		of := value(t, res, *c.Of)
		ok = append(ok, math.Abs(v-of) <= *c.Within*math.Abs(of))
	}
	if len(ok) != 1 {
		t.Fatalf("%s: want exactly one of below, above, at_most, at_least, within; got %d", c.Figure, len(ok))
	}
	return ok[0], v
}

// met runs the lesson at the given knob values and reports whether every
// condition of its challenge holds, with the figures it read.
func met(t *testing.T, l Lesson, g goalSpec, p *sim.Pricing, set map[string]float64) (bool, []float64) {
	t.Helper()
	res := runAll(t, l, p, set, 0)
	all := true
	var vals []float64
	for _, c := range g.Challenge.When {
		ok, v := c.holds(t, res)
		all = all && ok
		vals = append(vals, v)
	}
	return all, vals
}

// Every lesson has a challenge, met at the setting stated here and not
// at the defaults; the lead's lint searches the knob grid for one too.
func TestLessonChallenges(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson's simulation")
	}
	c, err := Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	p := embeddedPricing(t)
	// The knob setting that meets each lesson's challenge.
	meeting := map[string]map[string]float64{
		"contract-of-trust": {"Fleet size": 4},
		"idle-capacity":     {"Fleet size": 2},
		"pooling":           {"Tenants": 16},
		"pay-per-use":       {"Function memory": 1769, "Request rate": 1.8},
		"paying-for-it":     {"Request rate": 1.4},
		"peaks":             {"Provisioned concurrency": 40, "Fleet floor": 6},
		"zone-outage":       {"Fleet size": 3, "Zones": 3},
	}
	for _, l := range c.Lessons {
		t.Run(l.Slug, func(t *testing.T) {
			g := goals(t, l)
			if g.Challenge == nil || strings.TrimSpace(g.Challenge.Goal) == "" || len(g.Challenge.When) == 0 {
				t.Fatalf("%s: needs a challenge with a goal and conditions", l.Source)
			}
			set, ok := meeting[l.Slug]
			if !ok {
				t.Fatalf("%s: say here which knob setting meets the challenge", l.Source)
			}
			if ok, vals := met(t, l, g, p, set); !ok {
				t.Errorf("%s: challenge not met at %v: figures %v", l.Source, set, vals)
			}
			if ok, vals := met(t, l, g, p, nil); ok {
				t.Errorf("%s: challenge already met at the defaults (figures %v); the learner must turn something", l.Source, vals)
			}
		})
	}
}

// Each prediction's figure at the defaults is what the reveal will show;
// the lessons' prose leans on these values.
func TestLessonPredictions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson's simulation")
	}
	c, err := Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	p := embeddedPricing(t)
	numbers := map[string]struct{ want, tol float64 }{
		"fleet-dropped":       {302, 0.15}, // lesson 1: about 300 of the surge
		"shared-slots":        {11, 0},     // lesson 3: 11 slots against 29
		"fleet-per-million":   {106, 0.05}, // lesson 4: $0.192 over 1,800 requests
		"spike-cold-starts":   {45, 0.15},  // lesson 6: 9 at the start, 36 in the spike
		"lean-fleet-timeouts": {657, 0.15}, // lesson 7: the survivor at 125 %
	}
	picks := map[string]string{
		"cheapest-of-four": "arm", // lesson 5: $0.10 against the plan's $0.12
	}
	total := 0
	for _, l := range c.Lessons {
		g := goals(t, l)
		if len(g.Predict) == 0 {
			continue
		}
		total++
		res := runAll(t, l, p, nil, 0)
		for _, f := range g.Predict {
			if f.ID == "" || f.Ask == "" || f.Figure == "" {
				t.Errorf("%s: a prediction needs id, ask and figure: %+v", l.Source, f)
				continue
			}
			if f.Pick != "" {
				want, ok := picks[f.ID]
				if !ok {
					t.Errorf("%s: %s: say here which choice the run picks", l.Source, f.ID)
					continue
				}
				best, bestV := "", 0.0
				for target := range f.Choices {
					v := value(t, res, figureSpec{f.Figure, target})
					if best == "" || (f.Pick == "lowest" && v < bestV) || (f.Pick == "highest" && v > bestV) {
						best, bestV = target, v
					}
				}
				if best != want {
					t.Errorf("%s: %s: the run picks %s (%g), the lesson expects %s", l.Source, f.ID, best, bestV, want)
				}
				continue
			}
			want, ok := numbers[f.ID]
			if !ok {
				t.Errorf("%s: %s: say here what figure the reveal shows", l.Source, f.ID)
				continue
			}
			if v := value(t, res, figureSpec{f.Figure, f.Target}); math.Abs(v-want.want) > want.tol*want.want {
				t.Errorf("%s: %s: the run gives %g, the lesson expects %g ± %.0f %%", l.Source, f.ID, v, want.want, want.tol*100)
			}
		}
	}
	if total < 4 {
		t.Errorf("%d lessons ask for a prediction; the course wants at least four", total)
	}
}
