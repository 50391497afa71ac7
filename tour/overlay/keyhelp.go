package overlay

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// KeyHelpKeys are the keys of the key help.
type KeyHelpKeys struct {
	Close key.Binding
}

// DefaultKeyHelpKeys: esc, ? or q closes.
func DefaultKeyHelpKeys() KeyHelpKeys {
	return KeyHelpKeys{Close: key.NewBinding(key.WithKeys("esc", "?", "q"), key.WithHelp("esc/?/q", "close help"))}
}

// ShortHelp is the key help's hint.
func (k KeyHelpKeys) ShortHelp() []key.Binding { return []key.Binding{k.Close} }

// FullHelp is every key of the key help.
func (k KeyHelpKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Close}} }

// Section is one group of keys in the key help, under its title: the
// keys of one place in the tour.
type Section struct {
	Title string
	Keys  []key.Binding
}

// KeyHelp lists every key, grouped by where it works, with a few notes.
type KeyHelp struct {
	keys     *KeyHelpKeys // never changed
	styles   *theme.Styles
	sections []Section
	notes    string
	closed   bool
	width    int
	height   int
}

// NewKeyHelp returns an empty key help.
func NewKeyHelp(st *theme.Styles, keys KeyHelpKeys) KeyHelp {
	return KeyHelp{keys: &keys, styles: st}
}

// Open fills the key help with the keys in force and notes on them.
func (m *KeyHelp) Open(sections []Section, notes string) {
	m.sections, m.notes, m.closed = sections, notes, false
}

// Closed reports whether the learner closed the key help.
func (m KeyHelp) Closed() bool { return m.closed }

// KeyMap is the key help's own keys.
func (m KeyHelp) KeyMap() help.KeyMap { return *m.keys }

// SetSize tells the key help the screen's size.
func (m *KeyHelp) SetSize(w, h int) { m.width, m.height = w, h }

// SetStyles changes the theme.
func (m *KeyHelp) SetStyles(st *theme.Styles) {
	m.styles = st
}

// Update closes the key help.
func (m KeyHelp) Update(msg tea.Msg) (KeyHelp, tea.Cmd) {
	if km, ok := msg.(tea.KeyPressMsg); ok && key.Matches(km, m.keys.Close) {
		m.closed = true
	}
	return m, nil
}

// View draws the key groups side by side where they fit, stacked where
// they do not, then the notes if there is room.
func (m KeyHelp) View() string {
	st := m.styles
	blocks := make([]string, len(m.sections))
	for i, s := range m.sections {
		blocks[i] = st.OverlayTitle.Render(s.Title) + "\n" + newHelp(m.styles).FullHelpView([][]key.Binding{s.Keys})
	}
	maxW := m.width - 4 // border and padding
	var rows []string
	var row []string
	rowW := 0
	for _, b := range blocks {
		w := lipgloss.Width(b)
		if len(row) > 0 && rowW+3+w > maxW {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowW = nil, 0
		}
		if len(row) > 0 {
			row = append(row, "   ")
			rowW += 3
		}
		row = append(row, b)
		rowW += w
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	text := strings.Join(rows, "\n\n")
	wrapW := min(maxW, max(lipgloss.Width(text), 40))
	notes := wrapBlock(m.notes, wrapW)
	// Notes only when the box still fits the screen with them.
	if m.notes != "" && lipgloss.Height(text)+lipgloss.Height(notes)+5 <= m.height {
		text += "\n\n" + st.Faint.Render(notes)
	}
	if lipgloss.Height(text)+3 <= m.height {
		text += "\n" + hint(m.styles, *m.keys, wrapW)
	}
	return st.Overlay.Render(squeeze(text, m.height-2))
}
