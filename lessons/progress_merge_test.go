package lessons

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

// twoWindows returns two progresses that started from one file and whose
// clocks interleave: a's stamps are odd seconds, b's even ones.
func twoWindows() (a, b Progress) {
	a.SetClock(clock(t0))                  // t0+1s, +2s, ...
	b.SetClock(clock(t0.Add(time.Second))) // t0+2s, +3s, ...
	return a, b
}

func TestMergeRules(t *testing.T) {
	cases := []struct {
		name  string
		a, b  func(p *Progress)
		check func(t *testing.T, m Progress)
	}{
		{"visited and challenges are a union",
			func(p *Progress) { p.Open("x"); p.MeetChallenge("x") },
			func(p *Progress) { p.Open("y"); p.MeetChallenge("y") },
			func(t *testing.T, m Progress) {
				for _, s := range []string{"x", "y"} {
					if r := m.Record(s); !r.Visited || !r.ChallengeMet {
						t.Errorf("%s: %+v", s, r)
					}
				}
			}},
		{"the lesson opened last is the one to resume",
			func(p *Progress) { p.Open("x") },
			func(p *Progress) { p.Open("y") }, // later stamp
			func(t *testing.T, m Progress) {
				if m.Last() != "y" {
					t.Errorf("last %q, want y", m.Last())
				}
			}},
		{"answers: newer wins, gaps filled from the older",
			func(p *Progress) { p.Answer("x", 0, 3, 1); p.Answer("x", 1, 3, 1) },
			func(p *Progress) { p.Answer("x", 1, 3, 2); p.Answer("x", 2, 3, 0) },
			func(t *testing.T, m Progress) {
				if got := m.Answers("x"); !slices.Equal(got, []int{1, 2, 0}) {
					t.Errorf("answers %v, want [1 2 0]", got)
				}
			}},
		{"knobs: the newer setting, whole",
			func(p *Progress) { p.SetKnobs("x", []float64{1, 1}) },
			func(p *Progress) { p.Open("z"); p.SetKnobs("x", []float64{2}) },
			func(t *testing.T, m Progress) {
				if got := m.Knobs("x"); !slices.Equal(got, []float64{2}) {
					t.Errorf("knobs %v, want [2]", got)
				}
			}},
		{"predictions: union, the first guess stands",
			func(p *Progress) { p.Predict("x", "peak", 10); p.Predict("x", "a-only", 1) },
			func(p *Progress) { p.Open("z"); p.Predict("x", "peak", 20); p.Predict("x", "b-only", 2) },
			func(t *testing.T, m Progress) {
				want := map[string]float64{"peak": 10, "a-only": 1, "b-only": 2}
				r := m.Record("x")
				if len(r.Predictions) != len(want) {
					t.Errorf("predictions %+v", r.Predictions)
				}
				for id, g := range want {
					if r.Predictions[id].Guess != g {
						t.Errorf("%s: %+v, want %v", id, r.Predictions[id], g)
					}
				}
			}},
		{"a version 1 completion survives",
			func(p *Progress) { p.lessons = map[string]LessonRecord{"x": {Visited: true, Completed: true}} },
			func(p *Progress) { p.Open("x") },
			func(t *testing.T, m Progress) {
				if !m.Status("x", Requirements{Questions: 3}).Complete {
					t.Error("completed lesson lost its mark")
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := twoWindows()
			c.a(&a)
			c.b(&b)
			ab, ba := a.Merge(b), b.Merge(a)
			c.check(t, ab)
			if !sameProgress(ab, ba) {
				t.Errorf("Merge is not symmetric:\n a∪b %+v\n b∪a %+v", ab.lessons, ba.lessons)
			}
		})
	}
}

// sameProgress compares what is saved, not the clocks.
func sameProgress(a, b Progress) bool {
	a.now, b.now = nil, nil
	return reflect.DeepEqual(a.Clone(), b.Clone())
}

// Random edits in two windows: the merge is symmetric, idempotent, and
// never loses anything either window recorded.
func TestMergeProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	slugs := []string{"a", "b", "c"}
	edit := func(p *Progress) {
		s := slugs[rng.IntN(len(slugs))]
		switch rng.IntN(5) {
		case 0:
			p.Open(s)
		case 1:
			p.Answer(s, rng.IntN(3), 3, rng.IntN(3))
		case 2:
			p.SetKnobs(s, []float64{float64(rng.IntN(4))})
		case 3:
			p.MeetChallenge(s)
		case 4:
			p.Predict(s, []string{"p", "q"}[rng.IntN(2)], float64(rng.IntN(9)))
		}
	}
	for range 500 {
		var a, b Progress
		// Same stamps in both windows now and then, to test the ties.
		a.SetClock(clock(t0))
		b.SetClock(clock(t0.Add(time.Duration(rng.IntN(3)) * time.Second)))
		for range rng.IntN(8) {
			edit(&a)
		}
		for range rng.IntN(8) {
			edit(&b)
		}
		ab, ba := a.Merge(b), b.Merge(a)
		if !sameProgress(ab, ba) {
			t.Fatalf("not symmetric:\n%+v\n%+v", ab.lessons, ba.lessons)
		}
		if !sameProgress(ab.Merge(ab), ab) || !sameProgress(ab.Merge(a), ab) || !sameProgress(ab.Merge(b), ab) {
			t.Fatal("merging again changed the result")
		}
		for _, src := range []Progress{a, b} {
			for slug, r := range src.lessons {
				m := ab.Record(slug)
				if (r.Visited && !m.Visited) || (r.ChallengeMet && !m.ChallengeMet) {
					t.Fatalf("%s: lost a mark: %+v from %+v", slug, m, r)
				}
				for i, ans := range r.Answers {
					if ans >= 0 && (i >= len(m.Answers) || m.Answers[i] < 0) {
						t.Fatalf("%s: answer %d lost: %v from %v", slug, i, m.Answers, r.Answers)
					}
				}
				for id := range r.Predictions {
					if _, ok := m.Predictions[id]; !ok {
						t.Fatalf("%s: prediction %s lost", slug, id)
					}
				}
			}
		}
	}
}
