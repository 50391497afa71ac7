package overlay

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// MenuKeys are the lesson menu's keys.
type MenuKeys struct {
	Up, Down    key.Binding
	Top, Bottom key.Binding
	Open        key.Binding
	Close       key.Binding
}

// DefaultMenuKeys: ↑↓ choose, home/end the ends, enter opens, esc, m or q
// closes.
func DefaultMenuKeys() MenuKeys {
	return MenuKeys{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		Bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		Open:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Close:  key.NewBinding(key.WithKeys("esc", "m", "q"), key.WithHelp("esc/m/q", "close")),
	}
}

// ShortHelp is the menu's hint.
func (k MenuKeys) ShortHelp() []key.Binding {
	return []key.Binding{widgets.JoinKeys("↑↓", "choose", k.Up, k.Down), k.Open, k.Close}
}

// FullHelp is every key of the menu.
func (k MenuKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom, k.Open, k.Close}}
}

// Entry is one lesson in the menu.
type Entry struct {
	Number  int
	Title   string
	Done    bool   // complete: ✓
	Visited bool   // begun but not complete: ◐
	Left    string // what remains, for a lesson begun: "challenge, quiz 1 of 3 answered"
}

// Menu lists the lessons with their completion marks.
type Menu struct {
	keys    *MenuKeys // never changed
	styles  *theme.Styles
	entries []Entry
	current int // the lesson open now
	cursor  int
	chosen  int // the lesson chosen to open, or -1
	closed  bool
	width   int
	height  int
}

// NewMenu returns an empty menu.
func NewMenu(st *theme.Styles, keys MenuKeys) Menu {
	return Menu{keys: &keys, styles: st}
}

// Open fills the menu and puts the cursor on the lesson open now.
func (m *Menu) Open(entries []Entry, current int) {
	m.entries = entries
	m.current = current
	m.cursor = max(0, min(current, len(entries)-1))
	m.chosen, m.closed = -1, false
}

// Closed reports whether the menu closed, with or without a choice.
func (m Menu) Closed() bool { return m.closed }

// Chosen is the lesson the learner chose to open, if any.
func (m Menu) Chosen() (int, bool) { return m.chosen, m.chosen >= 0 }

// KeyMap is the menu's keys.
func (m Menu) KeyMap() help.KeyMap { return *m.keys }

// Cursor is the lesson the cursor is on.
func (m Menu) Cursor() int { return m.cursor }

// SetSize tells the menu the screen's size.
func (m *Menu) SetSize(w, h int) { m.width, m.height = w, h }

// SetStyles changes the theme.
func (m *Menu) SetStyles(st *theme.Styles) {
	m.styles = st
}

// Update moves the cursor, or closes the menu, choosing the lesson under
// the cursor with enter.
func (m Menu) Update(msg tea.Msg) (Menu, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return m, nil
	}
	n := len(m.entries)
	k := m.keys
	switch {
	case key.Matches(km, k.Close):
		m.closed = true
	case key.Matches(km, k.Up):
		m.cursor = max(0, m.cursor-1)
	case key.Matches(km, k.Down):
		m.cursor = max(0, min(n-1, m.cursor+1))
	case key.Matches(km, k.Top):
		m.cursor = 0
	case key.Matches(km, k.Bottom):
		m.cursor = max(0, n-1)
	case key.Matches(km, k.Open):
		m.closed = true
		if n > 0 {
			m.chosen = m.cursor
		}
	}
	return m, nil
}

// View draws the menu's box.
func (m Menu) View() string {
	st := m.styles
	n := len(m.entries)
	boxW := min(m.width-2, 64)
	inner := boxW - 4
	rows := max(1, min(n, m.height-8))
	first := max(0, min(m.cursor-rows/2, n-rows))
	var b strings.Builder
	b.WriteString(st.OverlayTitle.Render("Lessons") + "\n\n")
	if n == 0 {
		b.WriteString(st.Faint.Render("No lessons in this course."))
	}
	for i := first; i < first+rows && i < n; i++ {
		e := m.entries[i]
		mark := "  "
		switch {
		case e.Done:
			mark = st.Done.Render("✓") + " "
		case e.Visited:
			mark = st.Faint.Render("◐") + " "
		}
		cursor := "  "
		title := fmt.Sprintf("%2d. %s", e.Number, e.Title)
		open := ""
		if i == m.current {
			open = "  (open)"
		}
		// A long title gives way to the (open) mark, then ends in "…".
		room := inner - 4
		if ansi.StringWidth(title)+ansi.StringWidth(open) > room {
			open = ""
			title = ansi.Truncate(title, room, "…")
		}
		line := title
		if i == m.cursor {
			cursor = st.Selected.Render("▸ ")
			line = st.Selected.Render(title)
		}
		if open != "" {
			line += st.Faint.Render(open)
		}
		b.WriteString(widgets.FitLine(cursor+mark+line, inner) + "\n")
		// What is left, under the lesson the cursor is on.
		if i == m.cursor && !e.Done && e.Left != "" {
			b.WriteString(widgets.FitLine("       "+st.Faint.Render(ansi.Truncate("left: "+e.Left, inner-7, "…")), inner) + "\n")
		}
	}
	// What ✓ means, where the keys leave room for it.
	keys, legend := hint(m.styles, *m.keys, inner), " · ✓ done · ◐ begun"
	if cut := strings.HasSuffix(ansi.Strip(keys), "…"); !cut && ansi.StringWidth(keys)+len([]rune(legend)) <= inner {
		keys += st.Faint.Render(legend)
	}
	b.WriteString("\n" + keys)
	return st.Overlay.Width(boxW).Render(squeeze(b.String(), m.height-2))
}
