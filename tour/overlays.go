package tour

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/widgets"
)

// menuKey handles keys while the lesson menu is open.
func (m Model) menuKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	n := len(m.course.Lessons)
	switch {
	case key.Matches(msg, k.Close, k.Menu, k.Quit):
		m.overlay = overlayNone
	case key.Matches(msg, k.MenuUp):
		m.menuCursor = max(0, m.menuCursor-1)
	case key.Matches(msg, k.MenuDown):
		m.menuCursor = max(0, min(n-1, m.menuCursor+1))
	case key.Matches(msg, k.Top):
		m.menuCursor = 0
	case key.Matches(msg, k.Bottom):
		m.menuCursor = max(0, n-1)
	case key.Matches(msg, k.Select):
		m.overlay = overlayNone
		return m, m.goTo(m.menuCursor)
	}
	return m, nil
}

// quizKey handles keys while the quiz is open: a number answers, enter or
// → moves on, ← goes back, esc closes.
func (m Model) quizKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	l, ok := m.lesson()
	if !ok || len(l.Quiz) == 0 {
		m.overlay = overlayNone
		return m, nil
	}
	q := max(0, min(m.quizQ, len(l.Quiz)-1))
	switch {
	case key.Matches(msg, k.Close, k.Quiz, k.Quit):
		m.overlay = overlayNone
	case key.Matches(msg, k.Answer):
		choice := int(msg.String()[0] - '1')
		if choice >= len(l.Quiz[q].Choices) {
			return m, nil
		}
		m.progress.Answer(l.Slug, q, len(l.Quiz), choice)
		return m, m.saveNow()
	case key.Matches(msg, k.QuizNext):
		if q+1 < len(l.Quiz) {
			m.quizQ = q + 1
		} else if key.Matches(msg, k.Select) {
			m.overlay = overlayNone
		}
	case key.Matches(msg, k.QuizPrev):
		m.quizQ = max(0, q-1)
	}
	return m, nil
}

// quizBox draws the current question, its choices and, once answered,
// whether the answer was right and why.
func (m Model) quizBox() string {
	st := m.styles
	l, ok := m.lesson()
	if !ok || len(l.Quiz) == 0 {
		return ""
	}
	boxW := min(m.width-2, 72)
	inner := boxW - 4
	q := max(0, min(m.quizQ, len(l.Quiz)-1))
	qq := l.Quiz[q]
	answers := m.progress.Answers(l.Slug)
	chosen := -1
	if q < len(answers) {
		chosen = answers[q]
	}
	var b strings.Builder
	b.WriteString(st.OverlayTitle.Render(fmt.Sprintf("Quiz · question %d of %d", q+1, len(l.Quiz))) + "\n\n")
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
	hint := "1-9 answer · ←→ question · esc close"
	switch {
	case chosen >= 0 && q+1 == len(l.Quiz):
		hint = "1-9 change answer · enter close"
	case chosen >= 0:
		hint = "1-9 change answer · enter or → next question · esc close"
	}
	b.WriteString(st.Faint.Render(fitHint(hint, inner)))
	text := squeeze(b.String(), m.height-2)
	return st.Overlay.Width(boxW).Render(widgets.Fit(text, inner, strings.Count(text, "\n")+1))
}

// squeeze fits an overlay's text into n lines (its border takes the rest
// of the screen's height): first blank lines go, then the tail, marked.
func squeeze(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if n <= 0 || len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	kept := lines[:1]
	for _, l := range lines[1:] {
		if strings.TrimSpace(ansi.Strip(l)) != "" {
			kept = append(kept, l)
		}
	}
	if len(kept) > n {
		kept = append(kept[:max(0, n-1)], "… (a larger window shows the rest)")
	}
	return strings.Join(kept, "\n")
}

// hanging wraps s at w columns, indenting the lines after the first by
// indent columns: a wrapped quiz choice stays under its text, clear of
// the marks and numbers.
func hanging(s string, w, indent int) string {
	lines := strings.Split(wrapBlock(s, w), "\n")
	if len(lines) == 1 || w <= indent+10 {
		return strings.Join(lines, "\n")
	}
	rest := strings.Join(lines[1:], " ")
	more := strings.Split(wrapBlock(rest, w-indent), "\n")
	for i := range more {
		more[i] = strings.Repeat(" ", indent) + more[i]
	}
	return lines[0] + "\n" + strings.Join(more, "\n")
}

// fitHint keeps as many of a hint's " · " parts as fit in w columns, so
// it never wraps or stops mid-word.
func fitHint(hint string, w int) string {
	parts := strings.Split(hint, " · ")
	for n := len(parts); n > 0; n-- {
		if h := strings.Join(parts[:n], " · "); ansi.StringWidth(h) <= w {
			return h
		}
	}
	return ""
}
