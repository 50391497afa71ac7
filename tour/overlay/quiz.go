package overlay

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// QuizKeys are the quiz's keys.
type QuizKeys struct {
	Answer key.Binding // 1-9 choose an answer
	Next   key.Binding // the next question
	Prev   key.Binding // the previous question
	Done   key.Binding // the next question, or close after the last
	Close  key.Binding
}

// DefaultQuizKeys: a number answers, → or enter moves on, ← goes back,
// enter after the last question and esc, a or q close.
func DefaultQuizKeys() QuizKeys {
	return QuizKeys{
		Answer: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "answer")),
		Next:   key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next question")),
		Prev:   key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous question")),
		Done:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next question, or close")),
		Close:  key.NewBinding(key.WithKeys("esc", "a", "q"), key.WithHelp("esc/a/q", "close")),
	}
}

// ShortHelp is the quiz's hint before a question is answered.
func (k QuizKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Answer, widgets.JoinKeys("←→", "question", k.Next, k.Prev), k.Close}
}

// FullHelp is every key of the quiz.
func (k QuizKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Answer, k.Next, k.Prev, k.Done, k.Close}}
}

// answeredKeys is the hint once the question on screen is answered: what
// comes next depends on whether it is the last.
type answeredKeys struct {
	QuizKeys
	last bool
}

func (k answeredKeys) ShortHelp() []key.Binding {
	change := widgets.Relabel(k.Answer, k.Answer.Help().Key, "change answer")
	if k.last {
		return []key.Binding{change, widgets.Relabel(k.Done, "enter", "close")}
	}
	return []key.Binding{change, widgets.JoinKeys("enter/→", "next question", k.Done, k.Next), k.Close}
}

// AnsweredMsg says the learner chose answer Choice to question Question
// of lesson Slug's quiz.
type AnsweredMsg struct {
	Slug     string
	Question int
	Choice   int
}

// Quiz asks a lesson's questions one at a time and, once one is
// answered, says whether the answer was right and why.
type Quiz struct {
	keys      *QuizKeys // never changed
	styles    *theme.Styles
	slug      string
	questions []lessons.Question
	answers   []int // chosen index per question, -1 unanswered
	q         int   // the question shown
	closed    bool
	width     int
	height    int
}

// NewQuiz returns an empty quiz.
func NewQuiz(st *theme.Styles, keys QuizKeys) Quiz {
	return Quiz{keys: &keys, styles: st}
}

// Open shows lesson slug's questions with the answers given so far,
// at the first question not yet answered.
func (m *Quiz) Open(slug string, questions []lessons.Question, answers []int) {
	m.slug, m.questions = slug, questions
	m.answers = make([]int, len(questions))
	for i := range m.answers {
		m.answers[i] = -1
		if i < len(answers) {
			m.answers[i] = answers[i]
		}
	}
	m.q = max(0, slices.Index(m.answers, -1))
	m.closed = false
}

// Closed reports whether the learner closed the quiz.
func (m Quiz) Closed() bool { return m.closed }

// Question is the question shown, from 0.
func (m Quiz) Question() int { return m.q }

// KeyMap is the quiz's keys, as they stand for the question shown: the
// number keys are those of its choices.
func (m Quiz) KeyMap() help.KeyMap {
	k := *m.keys
	k.Answer = m.answerKeys()
	if m.chosen() >= 0 {
		return answeredKeys{k, m.q+1 == len(m.questions)}
	}
	return k
}

// answerKeys is the number keys that choose one of the shown question's
// choices: 1 to 3 for three choices.
func (m Quiz) answerKeys() key.Binding {
	b := m.keys.Answer
	if m.q >= len(m.questions) {
		return b
	}
	n := min(len(m.questions[m.q].Choices), len(b.Keys()))
	b.SetKeys(b.Keys()[:n]...)
	b.SetHelp(fmt.Sprintf("1-%d", n), b.Help().Desc)
	return b
}

// SetSize tells the quiz the screen's size.
func (m *Quiz) SetSize(w, h int) { m.width, m.height = w, h }

// SetStyles changes the theme.
func (m *Quiz) SetStyles(st *theme.Styles) {
	m.styles = st
}

// chosen is the answer given to the question shown, or -1.
func (m Quiz) chosen() int {
	if m.q < len(m.answers) {
		return m.answers[m.q]
	}
	return -1
}

// Update answers, moves between questions or closes the quiz.
func (m Quiz) Update(msg tea.Msg) (Quiz, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	if len(m.questions) == 0 {
		m.closed = true
		return m, nil
	}
	k := m.keys
	switch {
	case key.Matches(km, k.Close):
		m.closed = true
	case key.Matches(km, m.answerKeys()):
		choice := int(km.String()[0] - '1')
		// A fresh slice: the quiz is a value, and an older copy of it
		// keeps the answers it showed.
		m.answers = slices.Clone(m.answers)
		m.answers[m.q] = choice
		answered := AnsweredMsg{Slug: m.slug, Question: m.q, Choice: choice}
		return m, func() tea.Msg { return answered }
	case key.Matches(km, k.Next, k.Done):
		if m.q+1 < len(m.questions) {
			m.q++
		} else if key.Matches(km, k.Done) {
			m.closed = true
		}
	case key.Matches(km, k.Prev):
		m.q = max(0, m.q-1)
	}
	return m, nil
}

// View draws the current question, its choices and, once answered,
// whether the answer was right and why.
func (m Quiz) View() string {
	st := m.styles
	if len(m.questions) == 0 {
		return ""
	}
	boxW := min(m.width-2, 72)
	inner := boxW - 4
	qq := m.questions[m.q]
	chosen := m.chosen()
	var b strings.Builder
	b.WriteString(st.OverlayTitle.Render(fmt.Sprintf("Quiz · question %d of %d", m.q+1, len(m.questions))) + "\n\n")
	b.WriteString(wrapBlock(qq.Prompt, inner) + "\n\n")
	for i, c := range qq.Choices {
		mark := "  "
		line := fmt.Sprintf("%d) %s", i+1, c)
		if chosen >= 0 {
			switch {
			case i == qq.Answer:
				mark = st.Good.Render("✓ ")
			case i == chosen:
				mark = st.Bad.Render("✗ ")
			}
		}
		if i == chosen {
			line = st.Selected.Render(line)
		}
		b.WriteString(hanging(mark+line, inner, 5) + "\n")
	}
	b.WriteString("\n")
	if chosen >= 0 {
		verdict := st.Good.Render("Right.")
		if chosen != qq.Answer {
			verdict = st.Bad.Render(fmt.Sprintf("Not quite: the answer is %d.", qq.Answer+1))
		}
		b.WriteString(wrapBlock(verdict+" "+qq.Explain, inner) + "\n\n")
	}
	b.WriteString(hint(m.styles, m.KeyMap(), inner))
	text := squeeze(b.String(), m.height-2)
	return st.Overlay.Width(boxW).Render(widgets.Fit(text, inner, strings.Count(text, "\n")+1))
}
