package lessons

// Requirements says what this lesson asks before it counts as complete
// (see Progress.Status), with its quiz's key for the score.
func (l Lesson) Requirements() Requirements {
	key := make([]int, len(l.Quiz))
	for i, q := range l.Quiz {
		key[i] = q.Answer
	}
	return Requirements{Challenge: l.Challenge != nil, Questions: len(l.Quiz), Key: key}
}
