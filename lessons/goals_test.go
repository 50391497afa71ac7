package lessons

import (
	"math"
	"strings"
	"testing"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/sim"
)

// The course's challenges and forecasts, as the loader reads them, run on
// the engine: each challenge is met at a stated knob setting and not at
// the defaults, and each forecast's figure at the defaults is the one the
// reveal shows, which the prose leans on.

// met runs the lesson at the given knob values and reports whether its
// challenge is met, with the figures it read.
func met(t *testing.T, l Lesson, p *sim.Pricing, set map[string]float64) (bool, []float64) {
	t.Helper()
	res := runAll(t, l, p, set, 0)
	ok, states := l.Challenge.Check(res)
	var vals []float64
	for _, s := range states {
		if s.Err != nil {
			t.Fatalf("%s: %v", l.Source, s.Err)
		}
		vals = append(vals, s.Value)
	}
	return ok, vals
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
			if l.Challenge == nil || len(l.Challenge.When) == 0 {
				t.Fatalf("%s: needs a challenge with a goal and conditions", l.Source)
			}
			set, ok := meeting[l.Slug]
			if !ok {
				t.Fatalf("%s: say here which knob setting meets the challenge", l.Source)
			}
			if ok, vals := met(t, l, p, set); !ok {
				t.Errorf("%s: challenge not met at %v: figures %v", l.Source, set, vals)
			}
			if ok, vals := met(t, l, p, nil); ok {
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
		if len(l.Forecasts) == 0 {
			continue
		}
		total++
		res := runAll(t, l, p, nil, 0)
		for _, f := range l.Forecasts {
			v, choice, err := f.Answer(res)
			if err != nil {
				t.Errorf("%s: %s: %v", l.Source, f.ID, err)
				continue
			}
			if f.IsChoice() {
				want, ok := picks[f.ID]
				if !ok {
					t.Errorf("%s: %s: say here which choice the run picks", l.Source, f.ID)
				} else if got := f.Choices[choice].Target; got != want {
					t.Errorf("%s: %s: the run picks %s (%g), the lesson expects %s", l.Source, f.ID, got, v, want)
				}
				continue
			}
			want, ok := numbers[f.ID]
			if !ok {
				t.Errorf("%s: %s: say here what figure the reveal shows", l.Source, f.ID)
				continue
			}
			if math.Abs(v-want.want) > want.tol*want.want {
				t.Errorf("%s: %s: the run gives %g, the lesson expects %g ± %.0f %%", l.Source, f.ID, v, want.want, want.tol*100)
			}
		}
	}
	if total < 4 {
		t.Errorf("%d lessons ask for a prediction; the course wants at least four", total)
	}
}

// lint's proof: every challenge of the course is reachable and not met at
// the defaults; an impossible one and one already met are reported.
func TestCheckChallenges(t *testing.T) {
	if testing.Short() {
		t.Skip("searches every lesson's knobs")
	}
	c, err := Load(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	o := sim.Options{Pricing: embeddedPricing(t)}
	for _, r := range c.CheckChallenges(sim.Run, o) {
		if r.Err != nil {
			t.Errorf("%v", r.Err)
		} else if len(r.Values) != len(r.Lesson.Knobs) || r.Setting() == "" {
			t.Errorf("%s: no setting reported", r.Lesson.Source)
		}
	}
	l := c.Lessons[0]
	impossible := *l.Challenge
	impossible.When = []Condition{{Figure: Figure{"cost_usd", "fleet"}, Op: Below, Bound: 0}}
	easy := *l.Challenge
	easy.When = []Condition{{Figure: Figure{"cost_usd", "fleet"}, Op: AtLeast, Bound: 0}}
	for ch, want := range map[*Challenge]string{&impossible: "no setting of the knobs", &easy: "already met with every knob at its default"} {
		l.Challenge = ch
		rs := (&Course{Lessons: []Lesson{l}}).CheckChallenges(sim.Run, o)
		if len(rs) != 1 || rs[0].Err == nil || !strings.Contains(rs[0].Err.Error(), want) {
			t.Errorf("want %q, got %+v", want, rs)
		}
	}
}
