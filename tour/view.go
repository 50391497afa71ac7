package tour

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/widgets"
)

func (m Model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

// wide is the side-by-side layout.
func (m Model) wide() bool { return m.width >= wideFrom }

// proseOuterWidth is the prose pane's width, border included, when wide:
// near half the screen, held between a readable 44 and 90 columns.
func (m Model) proseOuterWidth() int {
	return max(44, min(90, m.width*46/100))
}

// bodyHeight is what is left between header (and tabs) and footer.
func (m Model) bodyHeight() int {
	h := m.height - 2 // header, footer
	if !m.wide() {
		h-- // tab bar
	}
	return max(0, h)
}

// simPaneSize is the inner size of the simulation pane.
func (m Model) simPaneSize() (int, int) {
	if m.wide() {
		// Border and a column of padding each side.
		return m.width - m.proseOuterWidth() - 4, m.bodyHeight() - 2
	}
	return m.width - 2, m.bodyHeight() // a column of margin each side
}

// layout sizes every child for the window; it returns the prose
// rendering for a new width, if one is needed.
func (m *Model) layout() tea.Cmd {
	if m.width <= 0 || m.height <= 0 {
		return nil
	}
	m.help.SetWidth(m.width)
	var proseCmd tea.Cmd
	if m.wide() {
		proseCmd = m.prose.SetSize(m.proseOuterWidth()-2, m.bodyHeight()-2)
	} else {
		proseCmd = m.prose.SetSize(m.width, m.bodyHeight())
	}
	w, h := m.simPaneSize()
	knobsH := min(len(m.knobs.Knobs()), max(1, h/4))
	if len(m.knobs.Knobs()) == 0 {
		knobsH = 1
	}
	m.knobs.SetSize(w, knobsH)
	// Status, knobs, a blank line, chart, a blank line, figures.
	avail := h - 1 - knobsH - 1
	statsH := min(m.stats.Lines(), max(0, avail-1-8))
	if avail-statsH-1 < 6 {
		statsH = 0
	}
	if m.stats.Lines() == 0 {
		// Before the first result the table is empty; keep room for it so
		// the chart does not jump when the figures arrive.
		statsH = min(11, max(0, avail-1-8))
	}
	chartH := avail
	if statsH > 0 {
		chartH = avail - statsH - 1
	}
	// Past this a taller chart shows nothing new; leave the space empty.
	chartH = min(chartH, maxChartHeight)
	m.chart.SetSize(w, max(0, chartH))
	m.stats.SetSize(w, statsH)
	return proseCmd
}

// View draws the whole screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = m.windowTitle()
	return v
}

// render draws the screen as a string of exactly width × height cells.
func (m Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		msg := fmt.Sprintf("terminal too small:\nneed %dx%d, have %dx%d", minWidth, minHeight, m.width, m.height)
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, msg)
	}
	var rows []string
	rows = append(rows, m.header())
	if m.wide() {
		rows = append(rows, m.widePanes())
	} else {
		rows = append(rows, m.tabBar())
		if m.focus == paneSim {
			rows = append(rows, widgets.Fit(indent(m.simView()), m.width, m.bodyHeight()))
		} else {
			rows = append(rows, widgets.Fit(m.prose.View(), m.width, m.bodyHeight()))
		}
	}
	rows = append(rows, m.footer())
	screen := widgets.Fit(strings.Join(rows, "\n"), m.width, m.height)
	switch m.overlay {
	case overlayHelp:
		screen = m.place(screen, m.helpBox())
	case overlayMenu:
		screen = m.place(screen, m.menuBox())
	case overlayQuiz:
		screen = m.place(screen, m.quizBox())
	}
	return screen
}

// place centres box over screen with the lipgloss compositor.
func (m Model) place(screen, box string) string {
	box = widgets.Fit(box, min(lipgloss.Width(box), m.width), min(lipgloss.Height(box), m.height))
	x := max(0, (m.width-lipgloss.Width(box))/2)
	y := max(0, (m.height-lipgloss.Height(box))/2)
	c := lipgloss.NewCompositor(
		lipgloss.NewLayer(screen),
		lipgloss.NewLayer(box).X(x).Y(y).Z(1),
	)
	return widgets.Fit(c.Render(), m.width, m.height)
}

// header: "Lesson 2/5 · Title" and the completion marks.
func (m Model) header() string {
	st := m.styles
	n := len(m.course.Lessons)
	l, ok := m.lesson()
	left := st.HeaderTitle.Render("serverless-tour")
	if ok {
		left = st.HeaderFaint.Render(fmt.Sprintf(" Lesson %d/%d · ", m.idx+1, n)) + st.HeaderTitle.Render(l.Title)
	}
	done := 0
	var marks strings.Builder
	for i, ls := range m.course.Lessons {
		switch {
		case m.progress.Completed[ls.Slug]:
			done++
			marks.WriteString(st.Done.Render("✓"))
		case i == m.idx:
			marks.WriteString(st.HeaderTitle.Render("●"))
		default:
			marks.WriteString(st.HeaderFaint.Render("·"))
		}
	}
	right := st.HeaderFaint.Render(fmt.Sprintf("%d/%d done ", done, n))
	if n <= 24 && m.width >= 70 {
		right = marks.String() + " " + right
	}
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Narrow: the title gives way, the progress stays.
		left = ansi.Truncate(left, max(0, m.width-lipgloss.Width(right)-2), "…")
		gap = m.width - lipgloss.Width(left) - lipgloss.Width(right)
	}
	return widgets.FitLine(left+strings.Repeat(" ", max(1, gap))+right, m.width)
}

// tabBar is the narrow layout's switch between the two panes.
func (m Model) tabBar() string {
	st := m.styles
	tab := func(name string, on bool) string {
		if on {
			return st.TabActive.Render("▸ " + name + " ")
		}
		return st.TabInactive.Render("  " + name + " ")
	}
	bar := " " + tab("Lesson", m.focus == paneProse) + "  " + tab("Simulation", m.focus == paneSim) +
		st.Faint.Render("   tab switches")
	if m.focus == paneProse && m.prose.Ready() {
		bar += st.Faint.Render(fmt.Sprintf("  %3.0f%%", m.prose.ScrollPercent()*100))
	}
	return widgets.FitLine(bar, m.width)
}

// widePanes draws prose and simulation side by side, the focused one with
// a thick border and a ▸ in its title.
func (m Model) widePanes() string {
	st := m.styles
	pw := m.proseOuterWidth()
	sw := m.width - pw
	h := m.bodyHeight()
	frame := func(inner string, w int, focused bool, title string, pad int) string {
		style := st.Pane
		if focused {
			style = st.PaneFocused
		}
		box := style.Width(w).Height(h).Padding(0, pad).Render(widgets.Fit(inner, w-2-2*pad, h-2))
		// The title sits in the top border: "┏━ ▸ Lesson ━━━".
		lines := strings.SplitN(box, "\n", 2)
		if len(lines) == 2 && w > len(title)+6 {
			t := " " + title + " "
			if focused {
				t = " ▸ " + title + " "
			}
			top := ansi.Truncate(lines[0], 2, "") + st.PaneTitle.Render(t) + ansi.TruncateLeft(lines[0], 2+lipgloss.Width(t), "")
			lines[0] = top
		}
		return strings.Join(lines, "\n")
	}
	title := "Lesson"
	if m.prose.Ready() {
		title = fmt.Sprintf("Lesson %3.0f%%", m.prose.ScrollPercent()*100)
	}
	left := frame(m.prose.View(), pw, m.focus == paneProse, title, 0)
	right := frame(m.simView(), sw, m.focus == paneSim, "Simulation", 1)
	return lipgloss.JoinHorizontal(lipgloss.Top, left, right)
}

// simView is the simulation pane's inside: status, knobs, chart, figures.
func (m Model) simView() string {
	w, _ := m.simPaneSize()
	parts := []string{widgets.FitLine(m.simStatus(), w), m.knobs.View(), "", m.chart.View()}
	if s := m.stats.View(); s != "" {
		parts = append(parts, "", s)
	}
	return strings.Join(parts, "\n")
}

// footer: the short help for where the focus is, or a status message.
func (m Model) footer() string {
	st := m.styles
	if m.status != "" {
		style := st.Status
		prefix := ""
		if m.isErr {
			style = st.Error
			prefix = "! "
		}
		return widgets.FitLine(" "+style.Render(prefix+m.status), m.width)
	}
	return widgets.FitLine(" "+m.help.View(shortHelp{bindings: m.shortBindings()}), m.width)
}

// shortBindings is the footer's help, for the focused pane.
func (m Model) shortBindings() []key.Binding {
	k := m.keys
	l, _ := m.lesson()
	quiz := k.Quiz
	quiz.SetEnabled(len(l.Quiz) > 0)
	if m.focus == paneSim {
		return []key.Binding{
			withHelp(k.KnobUp, "↑↓", "knob"), withHelp(k.Inc, "←→", "adjust"),
			withHelp(k.Pause, "space", "pause"), withHelp(k.Reset, "r", "reset"), withHelp(k.NextSim, "n/p", "lesson"),
			k.Help, k.Quit,
		}
	}
	return []key.Binding{
		withHelp(k.Next, "←→", "lesson"), withHelp(k.Down, "↑↓", "scroll"), withHelp(k.Focus, "tab", "simulation"), k.Menu, quiz, k.Help, k.Quit,
	}
}

// helpBox is the ? overlay.
func (m Model) helpBox() string {
	st := m.styles
	l, _ := m.lesson()
	hm := m.help
	hm.SetWidth(max(20, m.width-8))
	body := hm.FullHelpView(m.keys.fullHelp(len(l.Quiz) > 0))
	notes := st.Faint.Render("In the simulation pane ←→ adjust the chosen knob, so n/p change lesson.\n" +
		"Quiz: press a, answer with the number keys. The playhead holds at the end;\n" +
		"space replays. Knob values and progress are saved as you go.")
	text := st.OverlayTitle.Render("Keys") + "\n\n" + body + "\n\n" + notes + "\n\n" + st.Faint.Render("esc or ? closes")
	return st.Overlay.MaxWidth(m.width).Render(wrapBlock(text, m.width-4))
}

// menuBox lists the lessons with their completion marks.
func (m Model) menuBox() string {
	st := m.styles
	n := len(m.course.Lessons)
	boxW := min(m.width-2, 64)
	inner := boxW - 4
	rows := max(1, min(n, m.height-8))
	first := max(0, min(m.menuCursor-rows/2, n-rows))
	var b strings.Builder
	b.WriteString(st.OverlayTitle.Render("Lessons") + "\n\n")
	if n == 0 {
		b.WriteString(st.Faint.Render("No lessons in this course."))
	}
	for i := first; i < first+rows && i < n; i++ {
		l := m.course.Lessons[i]
		mark := "  "
		if m.progress.Completed[l.Slug] {
			mark = st.Done.Render("✓") + " "
		}
		cursor := "  "
		line := fmt.Sprintf("%2d. %s", l.Number, l.Title)
		if i == m.idx {
			line += st.Faint.Render("  (open)")
		}
		if i == m.menuCursor {
			cursor = st.Selected.Render("▸ ")
			line = st.Selected.Render(fmt.Sprintf("%2d. %s", l.Number, l.Title))
			if i == m.idx {
				line += st.Faint.Render("  (open)")
			}
		}
		b.WriteString(widgets.FitLine(cursor+mark+line, inner) + "\n")
	}
	b.WriteString("\n" + st.Faint.Render("↑↓ choose · enter open · esc close · ✓ done"))
	return st.Overlay.Width(boxW).Render(b.String())
}

// wrapBlock wraps every line of s at width w, keeping escape sequences.
func wrapBlock(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Wrap(s, w, "")
}

// indent puts one column of margin before every line.
func indent(s string) string {
	return " " + strings.ReplaceAll(s, "\n", "\n ")
}
