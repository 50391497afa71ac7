package lessons

import (
	"cmp"
	"slices"
	"time"
)

// Merge combines two copies of one learner's progress (two windows, or a
// window and the file another window saved) so that neither loses work:
//
//   - visited, challenge met and completed are kept if either copy has them;
//   - predictions are the union; for one id in both, the earlier guess
//     stands (a guess is committed once);
//   - quiz answers come from the copy that answered last, and a question
//     it left unanswered keeps the other copy's answer;
//   - knob values and the lesson to resume from come from the copy that
//     changed them last.
//
// Ties (equal stamps) are broken by value, so Merge(a, b) and Merge(b, a)
// are the same, and Merge(a, a) is a. p's clock is kept.
func (p Progress) Merge(q Progress) Progress {
	out := p.Clone()
	if newer(q.lastAt, p.lastAt, cmp.Compare(q.last, p.last)) {
		out.last, out.lastAt = q.last, q.lastAt
	}
	for slug, theirs := range q.lessons {
		mine, ok := out.lessons[slug]
		if !ok {
			out.lessons[slug] = theirs.clone()
			continue
		}
		out.lessons[slug] = mergeRecords(mine, theirs)
	}
	return out
}

// newer reports whether the change stamped a is to win over the one
// stamped b; tie (a comparison of the values) decides equal stamps.
func newer(a, b time.Time, tie int) bool {
	if c := a.Compare(b); c != 0 {
		return c > 0
	}
	return tie > 0
}

func mergeRecords(a, b LessonRecord) LessonRecord {
	out := LessonRecord{
		Visited:      a.Visited || b.Visited,
		ChallengeMet: a.ChallengeMet || b.ChallengeMet,
		Completed:    a.Completed || b.Completed,
		Updated:      later(a.Updated, b.Updated),
	}
	// Answers: the newer list, its gaps filled from the older one.
	na, oa := a, b
	if newer(b.AnswersAt, a.AnswersAt, slices.Compare(b.Answers, a.Answers)) {
		na, oa = b, a
	}
	out.AnswersAt = na.AnswersAt
	if n := max(len(na.Answers), len(oa.Answers)); n > 0 {
		out.Answers = make([]int, n)
		for i := range out.Answers {
			out.Answers[i] = -1
			if i < len(na.Answers) && na.Answers[i] >= 0 {
				out.Answers[i] = na.Answers[i]
			} else if i < len(oa.Answers) {
				out.Answers[i] = oa.Answers[i]
			}
		}
	}
	// Knobs: the newer setting, whole.
	nk := a
	if newer(b.KnobsAt, a.KnobsAt, slices.Compare(b.Knobs, a.Knobs)) {
		nk = b
	}
	out.Knobs, out.KnobsAt = slices.Clone(nk.Knobs), nk.KnobsAt
	// Predictions: the union; the first guess for an id stands.
	if len(a.Predictions)+len(b.Predictions) > 0 {
		out.Predictions = make(map[string]Prediction, len(a.Predictions)+len(b.Predictions))
		for _, preds := range []map[string]Prediction{a.Predictions, b.Predictions} {
			for id, g := range preds {
				have, ok := out.Predictions[id]
				if !ok || newer(have.At, g.At, cmp.Compare(have.Guess, g.Guess)) {
					out.Predictions[id] = g
				}
			}
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
