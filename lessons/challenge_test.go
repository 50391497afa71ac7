package lessons

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/serverless-tour/serverless-tour/sim"
)

func twoTargets(fleetCost, fnCost, fleetP99 float64, dropped int64) sim.Result {
	return sim.Result{Targets: []sim.TargetResult{
		{Name: "fleet", CostUSD: fleetCost, Latency: sim.Latency{P99: fleetP99}, Dropped: dropped},
		{Name: "function", CostUSD: fnCost},
	}, Pooling: &sim.PoolingResult{SharedSlots: 27, DedicatedSlots: 80}}
}

func TestConditions(t *testing.T) {
	res := twoTargets(1.10, 1.00, 2.5, 0)
	fleet := func(name string) Figure { return Figure{Name: name, Target: "fleet"} }
	for _, tc := range []struct {
		c    Condition
		want bool
	}{
		{Condition{fleet("latency_s.p99"), Below, 3, Figure{}}, true},
		{Condition{fleet("latency_s.p99"), Below, 2.5, Figure{}}, false},
		{Condition{fleet("latency_s.p99"), AtMost, 2.5, Figure{}}, true},
		{Condition{fleet("latency_s.p99"), Above, 2.5, Figure{}}, false},
		{Condition{fleet("latency_s.p99"), AtLeast, 2.5, Figure{}}, true},
		{Condition{fleet("dropped"), AtMost, 0, Figure{}}, true},
		{Condition{fleet("cost_usd"), Within, 0.1, Figure{"cost_usd", "function"}}, true},
		{Condition{fleet("cost_usd"), Within, 0.05, Figure{"cost_usd", "function"}}, false},
		{Condition{Figure{Name: "pooling.shared_slots"}, Below, 30, Figure{}}, true},
	} {
		got, _, err := tc.c.Holds(res)
		if err != nil || got != tc.want {
			t.Errorf("%s: holds %v (%v), want %v", tc.c.Short(), got, err, tc.want)
		}
	}
	if _, _, err := (Condition{Figure{"cost_usd", "lambda"}, Below, 1, Figure{}}).Holds(res); err == nil {
		t.Error("a target the run lacks should be an error")
	}
	if _, _, err := (Condition{Figure{Name: "pooling.saving"}, Below, 1, Figure{}}).Holds(sim.Result{}); err == nil {
		t.Error("a pooling figure of a run without pooling should be an error")
	}
	ch := Challenge{Goal: "g", When: []Condition{
		{fleet("latency_s.p99"), Below, 3, Figure{}},
		{fleet("cost_usd"), Below, 1, Figure{}},
	}}
	met, states := ch.Check(res)
	if met || !states[0].Holds || states[1].Holds || states[1].Value != 1.10 {
		t.Fatalf("check: met %v states %+v", met, states)
	}
	if met, _ := ch.Check(twoTargets(0.9, 1, 2, 0)); !met {
		t.Fatal("both conditions hold: the challenge is met")
	}
	if got := ch.When[0].Short(); got != "p99 latency < 3.00 s" {
		t.Errorf("Short = %q", got)
	}
	if got := (Condition{fleet("dropped"), AtMost, 0, Figure{}}).Short(); got != "dropped = 0" {
		t.Errorf("Short = %q", got)
	}
}

func TestForecasts(t *testing.T) {
	res := twoTargets(1.10, 1.00, 2.5, 0)
	n := Forecast{ID: "slots", Figure: Figure{Name: "pooling.shared_slots"}, Unit: "slots"}
	for guess, want := range map[float64]string{
		27: "You said 27 slots: the run gave 27 slots. Spot on.",
		36: "You said 36 slots; the run gave 27 slots, so you were 33% high.",
		18: "You said 18 slots; the run gave 27 slots, so you were 33% low.",
	} {
		if got := n.Verdict(guess, res); got != want {
			t.Errorf("guess %v: %q, want %q", guess, got, want)
		}
	}
	if off := n.Off(36, res); math.Abs(off-1.0/3) > 1e-9 {
		t.Errorf("off %v", off)
	}
	c := Forecast{ID: "cheaper", Pick: "lowest", Figure: Figure{Name: "cost_usd"},
		Choices: []Choice{{"fleet", "The fleet"}, {"function", "The function"}}}
	if _, i, err := c.Answer(res); err != nil || i != 1 {
		t.Fatalf("cheaper: %d %v", i, err)
	}
	if got := c.Verdict(0, res); !strings.Contains(got, "the run says The function") {
		t.Errorf("wrong choice: %q", got)
	}
	if got := c.Verdict(1, res); !strings.Contains(got, "and so did the run") {
		t.Errorf("right choice: %q", got)
	}
	if !math.IsNaN(c.Off(1, res)) {
		t.Error("a choice has no distance")
	}
}

func TestFigureAndForecastChecks(t *testing.T) {
	targets := []string{"fleet", "function"}
	for _, tc := range []struct {
		f    Figure
		want string // "" for no problem
	}{
		{Figure{"cost_usd", "fleet"}, ""},
		{Figure{Name: "pooling.saving"}, ""},
		{Figure{Name: "cost_usd"}, "name it with target"},
		{Figure{"cost_usd", "lambda"}, `no target "lambda"`},
		{Figure{"cost", "fleet"}, `unknown figure "cost"`},
	} {
		err := tc.f.check(targets)
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.f, err, tc.want)
		}
	}
	bad := Forecast{ID: "Bad ID", Pick: "cheapest", Figure: Figure{Name: "cost_usd"}, Choices: []Choice{{"fleet", "F"}}}
	var fields []string
	for _, p := range bad.check(0, targets) {
		fields = append(fields, p.field)
	}
	if got := strings.Join(fields, " "); got != "predict[0].id predict[0].ask predict[0].pick predict[0].choices" {
		t.Errorf("problems at %q", got)
	}
}

func TestChallengeSearch(t *testing.T) {
	sc, err := sim.Parse([]byte(`name: s
duration: 1h
load: {pattern: constant, rps: 1}
request: {duration: 1s}
targets: [{name: t, kind: vm, instance: m5.large, count: 2}]
`), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := Lesson{
		Scenario: sc,
		Knobs: []Knob{
			{Label: "a", Field: "targets.t.count", Min: 0, Max: 10, Step: 1, Coarse: 2, Default: 4},
			{Label: "b", Field: "load.rps", Min: 1, Max: 3, Step: 1, Coarse: 1, Default: 1},
		},
		Challenge: &Challenge{Goal: "g", When: []Condition{{Figure{"peak_instances", "t"}, AtLeast, 9, Figure{}}}},
	}
	if g := l.Knobs[0].grid(); len(g) != 6 || g[5] != 10 {
		t.Fatalf("grid %v", g)
	}
	// The nearest settings come first: the defaults themselves, then one
	// coarse step away.
	order := nearestFirst([][]float64{l.Knobs[0].grid(), l.Knobs[1].grid()}, l.Defaults(), 1)
	if len(order) != 18 || order[0][0] != 4 || order[0][1] != 1 {
		t.Fatalf("first %v of %d", order[0], len(order))
	}
	if len(nearestFirst([][]float64{make([]float64, 100), make([]float64, 100)}, []float64{0, 0}, 3)) != 3334 {
		t.Error("a stride keeps every third setting")
	}
	if _, ok, err := (Lesson{}).SearchChallenge(nil, sim.Options{}); ok || err != nil {
		t.Error("no challenge, nothing to find")
	}
	// A fake engine whose fleet is as large as the count knob says.
	run := func(s sim.Scenario, _ sim.Options) (sim.Result, error) {
		return sim.Result{Targets: []sim.TargetResult{{Name: "t", PeakInstances: s.Targets[0].Count}}}, nil
	}
	vals, ok, err := l.SearchChallenge(run, sim.Options{})
	if !ok || err != nil || vals[0] != 10 || vals[1] != 1 {
		t.Fatalf("search: %v %v %v; want the nearest setting that meets it, [10 1]", vals, ok, err)
	}
	boom := errors.New("boom")
	if _, ok, err := l.SearchChallenge(func(sim.Scenario, sim.Options) (sim.Result, error) { return sim.Result{}, boom }, sim.Options{}); ok || err == nil {
		t.Errorf("a failing engine: ok %v err %v", ok, err)
	}
}

func TestSummaryAndSources(t *testing.T) {
	sc, err := sim.Parse([]byte("name: s\nduration: 1h\nload: {pattern: constant, rps: 1}\nrequest: {duration: 1s}\ntargets: [{name: fleet, kind: vm, instance: m5.large, count: 2}]\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l := Lesson{Slug: "a", Title: "A", Scenario: sc, Prose: "# A\n\ntext\n\n## Sources\n\n- One, 2020.\n- Two, 2021.\n\n## After\n\n- not a source\n",
		Quiz:      []Question{{Prompt: "q", Choices: []string{"x", "y"}, Answer: 1}},
		Challenge: &Challenge{Goal: "g"},
		Forecasts: []Forecast{
			{ID: "n", Ask: "How many?", Figure: Figure{Name: "pooling.shared_slots"}},
			{ID: "c", Ask: "Which?", Pick: "lowest", Figure: Figure{Name: "cost_usd"}, Choices: []Choice{{"fleet", "F"}, {"function", "G"}}},
			{ID: "skipped", Ask: "Never asked"},
		}}
	if got := l.Sources(); len(got) != 2 || got[1] != "Two, 2021." {
		t.Fatalf("sources %q", got)
	}
	b := Lesson{Slug: "b", Title: "B", Prose: "## Sources\n- Two, 2021.\n- Three.\n"}
	c := &Course{Lessons: []Lesson{l, b}}
	p := NewProgress()
	p.Open("a")
	p.Answer("a", 0, 1, 1)
	p.MeetChallenge("a")
	p.Predict("a", "n", 28)
	p.Predict("a", "c", 0)
	runs := 0
	run := func(sim.Scenario, sim.Options) (sim.Result, error) { runs++; return twoTargets(1.1, 1.0, 1, 0), nil }
	s := c.Summarize(p, run, sim.Options{})
	if s.Lessons != 2 || s.Complete != 1 || s.Challenges != 1 || s.ChallengesMet != 1 || s.Right != 1 || s.Questions != 1 {
		t.Fatalf("summary %+v", s)
	}
	if runs != 1 {
		t.Errorf("%d reruns; one per lesson with guesses", runs)
	}
	if len(s.Forecasts) != 3 || !s.Forecasts[0].Made || !s.Forecasts[0].Right || s.Forecasts[1].Right || s.Forecasts[2].Made {
		t.Fatalf("forecasts %+v", s.Forecasts)
	}
	if strings.Join(s.Sources, "|") != "One, 2020.|Two, 2021.|Three." {
		t.Errorf("sources %q", s.Sources)
	}
}
