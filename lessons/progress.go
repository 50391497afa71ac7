package lessons

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// Progress is what the tour remembers of a learner between runs: per
// lesson, keyed by slug (not number, so renumbering a course keeps it),
// whether it was visited, its challenge met, its quiz answers, its knob
// settings and its predictions. The rules for changing it live in its
// methods; the zero value is an empty progress ready to use.
//
// Every change is stamped with the time it was made, so that two copies
// edited apart (two windows, two SSH sessions with one key) can be merged
// without losing either's work: see Merge.
type Progress struct {
	last    string    // slug of the lesson open most recently
	lastAt  time.Time // when it was opened
	lessons map[string]LessonRecord
	now     func() time.Time // stamps changes; nil means time.Now
}

// LessonRecord is what Progress holds for one lesson. It is also the
// shape of one entry of the progress file's "lessons" object.
type LessonRecord struct {
	Visited      bool `json:"visited,omitempty"`
	ChallengeMet bool `json:"challenge_met,omitempty"`
	// Completed is true for a lesson completed under version 1's rule
	// (the learner moved past it); it stays complete. Later completion is
	// worked out by Status, from the rest of the record.
	Completed bool `json:"completed,omitempty"`
	// Answers holds the chosen index per quiz question, -1 unanswered.
	Answers   []int     `json:"answers,omitempty"`
	AnswersAt time.Time `json:"answers_at,omitzero"`
	Knobs     []float64 `json:"knobs,omitempty"`
	KnobsAt   time.Time `json:"knobs_at,omitzero"`
	// Predictions are the learner's guesses by prediction id; the first
	// one committed stands.
	Predictions map[string]Prediction `json:"predictions,omitempty"`
	// Updated is when anything in this record last changed.
	Updated time.Time `json:"updated,omitzero"`
}

// Prediction is a guess committed before a simulation revealed the figure.
type Prediction struct {
	Guess float64   `json:"guess"`
	At    time.Time `json:"at"`
}

// maxQuestions bounds a quiz's length as Progress records it, so a bad
// caller cannot make it allocate without limit.
const maxQuestions = 100

// NewProgress returns an empty Progress (the same as the zero value).
func NewProgress() Progress { return Progress{} }

// SetClock makes p stamp its changes with now instead of the wall clock,
// for tests that pin which of two edits is newer.
func (p *Progress) SetClock(now func() time.Time) { p.now = now }

// stamp is the time a change is recorded at: UTC, to the millisecond, so
// that it reads the same after a trip through the file.
func (p *Progress) stamp() time.Time {
	now := time.Now
	if p.now != nil {
		now = p.now
	}
	return now().UTC().Truncate(time.Millisecond)
}

// Clone returns a copy of p that shares nothing with it, so it can be
// saved off the UI loop while p goes on changing.
func (p Progress) Clone() Progress {
	c := p
	c.lessons = make(map[string]LessonRecord, len(p.lessons))
	for slug, r := range p.lessons {
		c.lessons[slug] = r.clone()
	}
	return c
}

func (r LessonRecord) clone() LessonRecord {
	r.Answers = slices.Clone(r.Answers)
	r.Knobs = slices.Clone(r.Knobs)
	r.Predictions = maps.Clone(r.Predictions)
	return r
}

// update changes the record of slug through f, stamping it.
func (p *Progress) update(slug string, f func(r *LessonRecord, at time.Time)) {
	if p.lessons == nil {
		p.lessons = map[string]LessonRecord{}
	}
	at := p.stamp()
	r := p.lessons[slug]
	f(&r, at)
	r.Updated = at
	p.lessons[slug] = r
}

// Last is the slug of the lesson opened most recently ("" if none).
func (p Progress) Last() string { return p.last }

// Record returns a copy of what p holds for slug.
func (p Progress) Record(slug string) LessonRecord { return p.lessons[slug].clone() }

// Knobs returns the knob values saved for slug (nil if none).
func (p Progress) Knobs(slug string) []float64 { return slices.Clone(p.lessons[slug].Knobs) }

// Answers returns the chosen index per question of slug's quiz, -1 for
// an unanswered one (nil if none was answered).
func (p Progress) Answers(slug string) []int { return slices.Clone(p.lessons[slug].Answers) }

// Prediction returns the guess committed for prediction id of slug.
func (p Progress) Prediction(slug, id string) (Prediction, bool) {
	g, ok := p.lessons[slug].Predictions[id]
	return g, ok
}

// Open records that the learner opened slug: it becomes the lesson to
// resume from, and is visited.
func (p *Progress) Open(slug string) {
	if slug == "" {
		return
	}
	p.update(slug, func(r *LessonRecord, at time.Time) {
		r.Visited = true
		p.last, p.lastAt = slug, at
	})
}

// SetKnobs records slug's knob values. Values equal to those recorded
// change nothing (so a window that never moved a knob cannot outvote
// one that did); a non-finite value is refused and nothing recorded.
func (p *Progress) SetKnobs(slug string, values []float64) bool {
	if slug == "" || slices.ContainsFunc(values, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }) {
		return false
	}
	if r, ok := p.lessons[slug]; ok && r.KnobsAt != (time.Time{}) && slices.Equal(r.Knobs, values) {
		return true
	}
	p.update(slug, func(r *LessonRecord, at time.Time) {
		r.Knobs, r.KnobsAt = slices.Clone(values), at
		if len(values) == 0 {
			r.Knobs = nil
		}
	})
	return true
}

// Answer records choice for question (0-based) of slug's quiz of
// questions questions. It reports whether the answer was recorded: a
// question or choice out of range is not.
func (p *Progress) Answer(slug string, question, questions, choice int) bool {
	if slug == "" || questions < 1 || questions > maxQuestions || question < 0 || question >= questions || choice < 0 {
		return false
	}
	p.update(slug, func(r *LessonRecord, at time.Time) {
		answers := make([]int, questions)
		for i := range answers {
			answers[i] = -1
			if i < len(r.Answers) {
				answers[i] = r.Answers[i]
			}
		}
		answers[question] = choice
		r.Answers, r.AnswersAt = answers, at
	})
	return true
}

// MeetChallenge records that slug's challenge was met; it stays met. It
// reports whether this call was the first to meet it.
func (p *Progress) MeetChallenge(slug string) bool {
	if slug == "" || p.lessons[slug].ChallengeMet {
		return false
	}
	p.update(slug, func(r *LessonRecord, _ time.Time) { r.ChallengeMet = true })
	return true
}

// Predict commits the learner's guess for prediction id of slug. A guess
// is committed once: it reports false, and changes nothing, if one is
// already there (or the guess is not a finite number).
func (p *Progress) Predict(slug, id string, guess float64) bool {
	if slug == "" || id == "" || math.IsNaN(guess) || math.IsInf(guess, 0) {
		return false
	}
	if _, ok := p.lessons[slug].Predictions[id]; ok {
		return false
	}
	p.update(slug, func(r *LessonRecord, at time.Time) {
		r.Predictions = maps.Clone(r.Predictions)
		if r.Predictions == nil {
			r.Predictions = map[string]Prediction{}
		}
		r.Predictions[id] = Prediction{Guess: guess, At: at}
	})
	return true
}

// Requirements says what a lesson asks of a learner before it is
// complete, so that Progress need not know the lesson's fields.
type Requirements struct {
	Challenge bool  // the lesson has a challenge to meet
	Questions int   // its quiz has this many questions (0: no quiz)
	Key       []int // the right choice per question; optional, for the score
}

// LessonStatus is where a learner stands in one lesson.
type LessonStatus struct {
	Visited      bool
	ChallengeMet bool
	Answered     int  // quiz questions answered
	Right        int  // of those, answered right (counted only when Requirements.Key is given)
	Complete     bool // see Status
	// Left says in a few words what remains: "challenge", "quiz 1 of 3
	// answered", or "not opened yet" for a lesson with neither. Empty once
	// complete.
	Left []string
}

// Status tells where the learner stands in slug. A lesson is complete
// when its challenge is met (if it has one) and every quiz question is
// answered (if it has any); a lesson with neither is complete once
// visited. Moving past a lesson does not complete it. A lesson completed
// under version 1's rule stays complete.
func (p Progress) Status(slug string, req Requirements) LessonStatus {
	r := p.lessons[slug]
	s := LessonStatus{Visited: r.Visited, ChallengeMet: r.ChallengeMet}
	for i := 0; i < req.Questions && i < len(r.Answers); i++ {
		if r.Answers[i] < 0 {
			continue
		}
		s.Answered++
		if i < len(req.Key) && r.Answers[i] == req.Key[i] {
			s.Right++
		}
	}
	if req.Challenge && !r.ChallengeMet {
		s.Left = append(s.Left, "challenge")
	}
	if req.Questions > 0 && s.Answered < req.Questions {
		s.Left = append(s.Left, fmt.Sprintf("quiz %d of %d answered", s.Answered, req.Questions))
	}
	if !req.Challenge && req.Questions <= 0 && !r.Visited {
		s.Left = append(s.Left, "not opened yet")
	}
	s.Complete = r.Completed || len(s.Left) == 0
	if s.Complete {
		s.Left = nil
	}
	return s
}
