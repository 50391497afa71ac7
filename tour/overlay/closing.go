package overlay

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// ClosingKeys are the closing screen's keys.
type ClosingKeys struct {
	Up, Down key.Binding
	Close    key.Binding
}

// DefaultClosingKeys: ↑↓ scroll, esc, enter or q closes.
func DefaultClosingKeys() ClosingKeys {
	return ClosingKeys{
		Up:    key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:  key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		Close: key.NewBinding(key.WithKeys("esc", "enter", "q"), key.WithHelp("esc/enter/q", "close")),
	}
}

// ShortHelp is the closing screen's hint.
func (k ClosingKeys) ShortHelp() []key.Binding {
	return []key.Binding{widgets.JoinKeys("↑↓", "scroll", k.Up, k.Down), k.Close}
}

// FullHelp is every key of the closing screen.
func (k ClosingKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Up, k.Down, k.Close}} }

// Closing is the screen after the last lesson: challenges met, the quiz
// score, how the guesses did, and what to read next.
type Closing struct {
	keys    *ClosingKeys // never changed
	styles  *theme.Styles
	summary *lessons.Summary // nil while it is worked out
	offset  int
	closed  bool
	width   int
	height  int
}

// NewClosing returns an empty closing screen.
func NewClosing(st *theme.Styles, keys ClosingKeys) Closing {
	return Closing{keys: &keys, styles: st}
}

// Open shows the closing screen; SetSummary fills it.
func (m *Closing) Open() {
	m.summary, m.offset, m.closed = nil, 0, false
}

// SetSummary fills the screen with where the learner stands.
func (m *Closing) SetSummary(s lessons.Summary) { m.summary = &s }

// Closed reports whether the learner closed the screen.
func (m Closing) Closed() bool { return m.closed }

// KeyMap is the closing screen's keys; the scrolling keys only while
// there is more than the box shows.
func (m Closing) KeyMap() help.KeyMap {
	k := *m.keys
	scrolls := len(m.lines(m.inner())) > m.rows()
	k.Up.SetEnabled(scrolls)
	k.Down.SetEnabled(scrolls)
	return k
}

// SetSize tells the screen the terminal's size.
func (m *Closing) SetSize(w, h int) { m.width, m.height = w, h }

// SetStyles changes the theme.
func (m *Closing) SetStyles(st *theme.Styles) { m.styles = st }

// Update scrolls or closes the screen.
func (m Closing) Update(msg tea.Msg) (Closing, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(km, m.keys.Close):
		m.closed = true
	case key.Matches(km, m.keys.Up):
		m.offset = max(0, m.offset-1)
	case key.Matches(km, m.keys.Down):
		m.offset = min(m.offset+1, max(0, len(m.lines(m.inner()))-m.rows()))
	}
	return m, nil
}

func (m Closing) boxWidth() int { return min(m.width-2, 76) }
func (m Closing) inner() int    { return max(10, m.boxWidth()-4) }

// rows is how many lines of the text the box shows: the screen less the
// border, the title and the hint.
func (m Closing) rows() int { return max(1, m.height-2-4) }

// lines is the screen's text, wrapped to w columns.
func (m Closing) lines(w int) []string {
	st := m.styles
	s := m.summary
	if s == nil {
		return []string{st.Faint.Render("Working out how you did…")}
	}
	var out []string
	add := func(text string, style func(...string) string) {
		for _, l := range strings.Split(wrapBlock(text, w), "\n") {
			if style != nil {
				l = style(l)
			}
			out = append(out, l)
		}
	}
	add(fmt.Sprintf("You completed %d of %d lessons.", s.Complete, s.Lessons), nil)
	if s.Challenges > 0 {
		add(fmt.Sprintf("Challenges met: %d of %d.", s.ChallengesMet, s.Challenges), nil)
	}
	if s.Questions > 0 {
		add(fmt.Sprintf("Quiz: %d of %d right (%d answered).", s.Right, s.Questions, s.Answered), nil)
	}
	if len(s.Forecasts) > 0 {
		out = append(out, "", st.OverlayTitle.Render("Your predictions"))
		for _, f := range s.Forecasts {
			mark := "· "
			switch {
			case f.Made && f.Right:
				mark = st.Good.Render("✓") + " "
			case f.Made:
				mark = st.Bad.Render("✗") + " "
			}
			add(mark+f.Lesson+": "+f.Ask, nil)
			if f.Made {
				add("  "+f.Verdict, st.Faint.Render)
			} else {
				add("  No guess made.", st.Faint.Render)
			}
		}
	}
	if len(s.Sources) > 0 {
		out = append(out, "", st.OverlayTitle.Render("What to read next"))
		for _, src := range s.Sources {
			add("- "+src, nil)
		}
	}
	return out
}

// View draws the closing screen's box.
func (m Closing) View() string {
	st := m.styles
	w := m.inner()
	lines := m.lines(w)
	rows := m.rows()
	off := min(m.offset, max(0, len(lines)-rows))
	shown := lines[off:min(len(lines), off+rows)]
	var b strings.Builder
	b.WriteString(st.OverlayTitle.Render("The end of the tour") + "\n\n")
	b.WriteString(strings.Join(shown, "\n") + "\n\n")
	more := ""
	if off+rows < len(lines) {
		more = " ↓ more"
	}
	b.WriteString(hint(st, m.KeyMap(), w-len([]rune(more))) + st.Faint.Render(more))
	return st.Overlay.Width(m.boxWidth()).Render(squeeze(b.String(), m.height-2))
}
