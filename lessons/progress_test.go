package lessons

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// clock is a test clock that moves one second per stamp.
func clock(start time.Time) func() time.Time {
	t := start
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

var t0 = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func newTestProgress() Progress {
	var p Progress
	p.SetClock(clock(t0))
	return p
}

func TestLessonStatus(t *testing.T) {
	quiz3 := Requirements{Questions: 3, Key: []int{1, 0, 2}}
	challenge := Requirements{Challenge: true}
	both := Requirements{Challenge: true, Questions: 2}
	neither := Requirements{}
	cases := []struct {
		name string
		do   func(p *Progress)
		req  Requirements
		want LessonStatus
	}{
		{"untouched, no requirements", func(*Progress) {}, neither,
			LessonStatus{Left: []string{"not opened yet"}}},
		{"visited, no requirements", func(p *Progress) { p.Open("a") }, neither,
			LessonStatus{Visited: true, Complete: true}},
		{"visited is not enough with a quiz", func(p *Progress) { p.Open("a") }, quiz3,
			LessonStatus{Visited: true, Left: []string{"quiz 0 of 3 answered"}}},
		{"quiz partly answered", func(p *Progress) { p.Open("a"); p.Answer("a", 1, 3, 0) }, quiz3,
			LessonStatus{Visited: true, Answered: 1, Right: 1, Left: []string{"quiz 1 of 3 answered"}}},
		{"quiz answered, one wrong", func(p *Progress) {
			p.Open("a")
			p.Answer("a", 0, 3, 1)
			p.Answer("a", 1, 3, 1)
			p.Answer("a", 2, 3, 2)
		}, quiz3, LessonStatus{Visited: true, Answered: 3, Right: 2, Complete: true}},
		{"challenge not met", func(p *Progress) { p.Open("a") }, challenge,
			LessonStatus{Visited: true, Left: []string{"challenge"}}},
		{"challenge met", func(p *Progress) { p.Open("a"); p.MeetChallenge("a") }, challenge,
			LessonStatus{Visited: true, ChallengeMet: true, Complete: true}},
		{"challenge met, quiz not answered", func(p *Progress) { p.Open("a"); p.MeetChallenge("a"); p.Answer("a", 0, 2, 0) }, both,
			LessonStatus{Visited: true, ChallengeMet: true, Answered: 1, Left: []string{"quiz 1 of 2 answered"}}},
		{"quiz answered, challenge not met", func(p *Progress) { p.Answer("a", 0, 2, 0); p.Answer("a", 1, 2, 0) }, both,
			LessonStatus{Answered: 2, Left: []string{"challenge"}}},
		{"nothing done with both", func(*Progress) {}, both,
			LessonStatus{Left: []string{"challenge", "quiz 0 of 2 answered"}}},
		{"opening the next lesson does not complete this one", func(p *Progress) { p.Open("a"); p.Open("b") }, quiz3,
			LessonStatus{Visited: true, Left: []string{"quiz 0 of 3 answered"}}},
		{"answers beyond a shorter quiz do not count", func(p *Progress) { p.Answer("a", 2, 3, 2) }, Requirements{Questions: 2},
			LessonStatus{Left: []string{"quiz 0 of 2 answered"}}},
		{"knobs alone do not visit", func(p *Progress) { p.SetKnobs("a", []float64{1}) }, neither,
			LessonStatus{Left: []string{"not opened yet"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newTestProgress()
			c.do(&p)
			if got := p.Status("a", c.req); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Status = %+v\nwant     %+v", got, c.want)
			}
		})
	}
}

func TestOpenSetsLastAndVisits(t *testing.T) {
	p := newTestProgress()
	p.Open("a")
	p.Open("b")
	if p.Last() != "b" || !p.Record("a").Visited || !p.Record("b").Visited {
		t.Fatalf("last %q, records %+v %+v", p.Last(), p.Record("a"), p.Record("b"))
	}
	p.Open("")
	if p.Last() != "b" {
		t.Errorf("Open(\"\") moved last to %q", p.Last())
	}
}

func TestAnswerRules(t *testing.T) {
	cases := []struct {
		name                        string
		question, questions, choice int
		ok                          bool
		want                        []int
	}{
		{"first of three", 0, 3, 2, true, []int{2, -1, -1}},
		{"last of three", 2, 3, 0, true, []int{-1, -1, 0}},
		{"question past the end", 3, 3, 0, false, nil},
		{"negative question", -1, 3, 0, false, nil},
		{"negative choice", 0, 3, -1, false, nil},
		{"no questions", 0, 0, 0, false, nil},
		{"absurd quiz", 0, maxQuestions + 1, 0, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newTestProgress()
			if ok := p.Answer("a", c.question, c.questions, c.choice); ok != c.ok {
				t.Fatalf("Answer returned %v, want %v", ok, c.ok)
			}
			if got := p.Answers("a"); !slices.Equal(got, c.want) {
				t.Errorf("answers %v, want %v", got, c.want)
			}
		})
	}
	// A second answer changes the choice and keeps the others; a quiz that
	// grew keeps the answers it had.
	p := newTestProgress()
	p.Answer("a", 0, 2, 1)
	p.Answer("a", 0, 2, 0)
	p.Answer("a", 2, 3, 1)
	if got := p.Answers("a"); !slices.Equal(got, []int{0, -1, 1}) {
		t.Errorf("answers %v, want [0 -1 1]", got)
	}
}

func TestPredictionIsCommittedOnce(t *testing.T) {
	p := newTestProgress()
	if !p.Predict("a", "peak", 12) {
		t.Fatal("first guess refused")
	}
	first, _ := p.Prediction("a", "peak")
	if p.Predict("a", "peak", 99) {
		t.Error("second guess accepted")
	}
	if got, ok := p.Prediction("a", "peak"); !ok || got != first || got.Guess != 12 {
		t.Errorf("guess now %+v, want the first, 12", got)
	}
	if !p.Predict("a", "other", 3) || !p.Predict("b", "peak", 4) {
		t.Error("guesses for another id or lesson refused")
	}
	for _, bad := range []struct {
		slug, id string
		v        float64
	}{{"a", "", 1}, {"", "x", 1}, {"a", "nan", nan()}, {"a", "inf", inf()}} {
		if p.Predict(bad.slug, bad.id, bad.v) {
			t.Errorf("Predict(%q, %q, %v) accepted", bad.slug, bad.id, bad.v)
		}
	}
}

func TestMeetChallengeStays(t *testing.T) {
	p := newTestProgress()
	if !p.MeetChallenge("a") || p.MeetChallenge("a") {
		t.Fatal("want true the first time, false after")
	}
	if !p.Record("a").ChallengeMet {
		t.Error("not recorded")
	}
}

func TestSetKnobs(t *testing.T) {
	p := newTestProgress()
	v := []float64{1, 2}
	p.SetKnobs("a", v)
	v[0] = 99 // the caller's slice is not kept
	at := p.Record("a").KnobsAt
	if got := p.Knobs("a"); !slices.Equal(got, []float64{1, 2}) {
		t.Fatalf("knobs %v", got)
	}
	p.SetKnobs("a", []float64{1, 2})
	if p.Record("a").KnobsAt != at {
		t.Error("setting the same values restamped them")
	}
	if p.SetKnobs("a", []float64{1, nan()}) || !slices.Equal(p.Knobs("a"), []float64{1, 2}) {
		t.Error("a NaN knob was recorded")
	}
	p.SetKnobs("a", []float64{3})
	if !p.Record("a").KnobsAt.After(at) || !slices.Equal(p.Knobs("a"), []float64{3}) {
		t.Errorf("new values not recorded: %+v", p.Record("a"))
	}
}

func TestCloneSharesNothing(t *testing.T) {
	p := newTestProgress()
	p.Open("a")
	p.Answer("a", 0, 2, 1)
	p.SetKnobs("a", []float64{1})
	p.Predict("a", "x", 1)
	c := p.Clone()
	p.Answer("a", 0, 2, 0)
	p.SetKnobs("a", []float64{2})
	p.Predict("a", "y", 2)
	p.Open("b")
	r := c.Record("a")
	if r.Answers[0] != 1 || r.Knobs[0] != 1 || len(r.Predictions) != 1 || c.Last() != "a" {
		t.Errorf("clone changed with the original: %+v last %q", r, c.Last())
	}
	// A record handed out is a copy too.
	r.Answers[0] = 7
	if c.Answers("a")[0] != 1 {
		t.Error("Record shares its slices")
	}
}

func TestZeroProgressIsUsable(t *testing.T) {
	var p Progress
	p.Open("a")
	p.Answer("a", 0, 1, 0)
	if !p.Status("a", Requirements{Questions: 1}).Complete {
		t.Error("zero Progress did not record")
	}
	var z Progress
	if z.Knobs("x") != nil || z.Answers("x") != nil || z.Last() != "" || z.Status("x", Requirements{}).Complete {
		t.Error("zero Progress reports something")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
