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
	m.layoutSim()
	return proseCmd
}

// gap is the blank line between the sim pane's parts, dropped on short
// screens where every line is worth a chart row.
func (m Model) gap() int {
	if _, h := m.simPaneSize(); h >= 30 {
		return 1
	}
	return 0
}

// chartRowsFirst is how many plot rows the chart gets before the figures
// take any room: the chart is the point of the pane. At 80x24 that leaves
// room for the figures of every lesson in the course.
const chartRowsFirst = 9

// layoutSim shares the simulation pane's height between knobs, chart and
// figures (the status sits in the tab bar or the pane's border). The chart
// comes first, up to chartRowsFirst rows of plot; then the figures; then
// the chart again, up to maxChartHeight. It runs on resize and whenever
// the figures change.
func (m *Model) layoutSim() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	w, h := m.simPaneSize()
	n := len(m.knobs.Knobs())
	knobsH := max(1, min(n, max(1, h/4)))
	m.knobs.SetSize(w, knobsH)
	gap := m.gap()
	avail := h - knobsH - gap
	// Both measure themselves at the pane's width.
	m.chart.SetSize(w, 0)
	m.stats.SetSize(w, 0)
	lines := m.stats.Lines()
	first := m.chart.HeightFor(chartRowsFirst)
	statsH := min(lines, avail-gap-first)
	if statsH < 3 {
		statsH = 0 // a table cut to a line or two says nothing
	}
	chartH := avail
	if statsH > 0 {
		chartH = avail - statsH - gap
	}
	// Past this a taller chart shows nothing new; leave the space empty.
	chartH = min(chartH, maxChartHeight)
	m.chart.SetSize(w, max(0, chartH))
	m.stats.SetSize(w, statsH)
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
		msg := fmt.Sprintf("terminal too small: need %dx%d, have %dx%d", minWidth, minHeight, m.width, m.height)
		if m.width < len(msg) {
			msg = fmt.Sprintf("terminal too small:\nneed %dx%d, have %dx%d", minWidth, minHeight, m.width, m.height)
			msg = wrapBlock(msg, m.width)
		}
		// Say what to do about it, where there is room.
		if hint := "enlarge the window, or press q to quit"; len(hint) <= m.width && strings.Count(msg, "\n")+3 <= m.height {
			msg += "\n\n" + m.styles.Faint.Render(hint)
		}
		placed := lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, msg)
		return widgets.Fit(placed, m.width, m.height)
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

// place centres box over screen. Only the box's rows are touched: each is
// spliced between the cut ends of the screen row under it, which costs far
// less per frame than composing the whole screen cell by cell.
func (m Model) place(screen, box string) string {
	bw := min(lipgloss.Width(box), m.width)
	bh := min(lipgloss.Height(box), m.height)
	boxLines := strings.Split(widgets.Fit(box, bw, bh), "\n")
	x := max(0, (m.width-bw)/2)
	y := max(0, (m.height-bh)/2)
	lines := strings.Split(screen, "\n")
	for i, bl := range boxLines {
		row := y + i
		if row >= len(lines) {
			break
		}
		under := lines[row]
		left, right := ansi.Truncate(under, x, ""), ansi.TruncateLeft(under, x+bw, "")
		// Slivers of a line beside a box read as stray letters ("║s").
		if x < 3 {
			left = strings.Repeat(" ", x)
		}
		if r := m.width - x - bw; r < 3 {
			right = strings.Repeat(" ", max(0, r))
		}
		lines[row] = left + "\x1b[m" + bl + "\x1b[m" + right
	}
	return strings.Join(lines, "\n")
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
		case m.progress.Status(ls.Slug, ls.Requirements()).Complete:
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

// tabBar is the narrow layout's switch between the two panes. With the
// simulation shown it carries the simulation's status; the hint that tab
// switches stays while it fits.
func (m Model) tabBar() string {
	st := m.styles
	tab := func(name string, on bool) string {
		if on {
			return st.TabActive.Render("▸ " + name + " ")
		}
		return st.TabInactive.Render("  " + name + " ")
	}
	bar := " " + tab("Lesson", m.focus == paneProse) + "  " + tab("Simulation", m.focus == paneSim)
	hint := st.Faint.Render("   tab switches")
	if m.focus == paneProse {
		return widgets.FitLine(bar+hint+st.Faint.Render(" "+m.proseScroll()), m.width)
	}
	room := m.width - lipgloss.Width(bar) - 3
	status := m.simStatus(room)
	full := bar + "   " + status + hint
	if lipgloss.Width(full) <= m.width && m.simStatus(room-lipgloss.Width(hint)) == status {
		return widgets.FitLine(full, m.width)
	}
	return widgets.FitLine(bar+"   "+status, m.width)
}

// widePanes draws prose and simulation side by side, the focused one with
// a thick border and a ▸ in its title.
func (m Model) widePanes() string {
	pw := m.proseOuterWidth()
	sw := m.width - pw
	h := m.bodyHeight()
	title := "Lesson" + m.proseScroll()
	left := m.frame(m.prose.View(), pw, h, m.focus == paneProse, title, "", 0)
	// The simulation's status rides in its pane's top border.
	room := sw - 5 - lipgloss.Width(" ▸ Simulation ") - 2
	right := m.frame(m.simView(), sw, h, m.focus == paneSim, "Simulation", m.simStatus(room), 1)
	// Both frames are exactly h lines of known width: join them line by line.
	var b strings.Builder
	for i := range left {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(left[i])
		b.WriteString(right[i])
	}
	return b.String()
}

// frame draws a pane w × h with its border: thick and titled "▸ Title"
// when focused, rounded otherwise, so focus shows without colour. extra,
// already styled, follows the title in the border where it fits. inner
// is fitted inside with pad columns of padding each side. It draws the
// border itself: the content is already exact, and lipgloss would measure
// and wrap every line again on each frame.
func (m Model) frame(inner string, w, h int, focused bool, title, extra string, pad int) []string {
	st := m.styles
	border, bs := lipgloss.RoundedBorder(), st.Pane
	t := " " + title + " "
	if focused {
		border, bs = lipgloss.ThickBorder(), st.PaneFocused
		t = " ▸ " + title + " "
	}
	t = st.PaneTitle.Render(t)
	if extra != "" && lipgloss.Width(t)+lipgloss.Width(extra)+2+4 <= w {
		t += bs.Render(border.Top) + " " + extra + " "
	}
	if lipgloss.Width(t)+4 > w {
		t = ""
	}
	out := make([]string, 0, h)
	rest := max(0, w-3-lipgloss.Width(t))
	out = append(out, bs.Render(border.TopLeft+border.Top)+t+bs.Render(strings.Repeat(border.Top, rest)+border.TopRight))
	left := bs.Render(border.Left) + strings.Repeat(" ", pad)
	right := strings.Repeat(" ", pad) + bs.Render(border.Right)
	for _, l := range strings.Split(widgets.Fit(inner, max(0, w-2-2*pad), max(0, h-2)), "\n") {
		out = append(out, left+l+right)
	}
	out = append(out, bs.Render(border.BottomLeft+strings.Repeat(border.Bottom, max(0, w-2))+border.BottomRight))
	return out
}

// simView is the simulation pane's inside: knobs, chart, figures.
func (m Model) simView() string {
	parts := []string{m.knobs.View()}
	if m.gap() > 0 {
		parts = append(parts, "")
	}
	parts = append(parts, m.chart.View())
	if s := m.stats.View(); s != "" {
		if m.gap() > 0 {
			parts = append(parts, "")
		}
		parts = append(parts, s)
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
	// Over an overlay the footer shows the overlay's keys: there q closes
	// it and ←→ move between questions, whatever the pane below says.
	switch m.overlay {
	case overlayHelp:
		return []key.Binding{withHelp(k.Close, "esc/?/q", "close help")}
	case overlayMenu:
		return []key.Binding{withHelp(k.MenuUp, "↑↓", "choose"), k.Select, withHelp(k.Close, "esc/m/q", "close")}
	case overlayQuiz:
		return []key.Binding{k.Answer, withHelp(k.QuizNext, "←→", "question"), withHelp(k.Close, "esc/a/q", "close")}
	}
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

// helpBox is the ? overlay: the key groups side by side where they fit,
// stacked where they do not, then a few notes if there is room.
func (m Model) helpBox() string {
	st := m.styles
	l, _ := m.lesson()
	titles := []string{"Lessons", "Reading", "Simulation"}
	groups := m.keys.fullHelp(len(l.Quiz) > 0)
	blocks := make([]string, len(groups))
	for i, g := range groups {
		blocks[i] = st.OverlayTitle.Render(titles[i]) + "\n" + m.help.FullHelpView([][]key.Binding{g})
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
	notes := "In the simulation pane ←→ adjust the chosen knob, so n/p change lesson. " +
		"Quiz: press a, answer with the number keys. The playhead holds at the end; space replays it. " +
		"Knob values and progress are saved as you go."
	wrapW := min(maxW, max(lipgloss.Width(text), 40))
	noteLines := wrapBlock(notes, wrapW)
	// Notes only when the box still fits the screen with them.
	if lipgloss.Height(text)+lipgloss.Height(noteLines)+5 <= m.height {
		text += "\n\n" + st.Faint.Render(noteLines)
	}
	if lipgloss.Height(text)+3 <= m.height {
		text += "\n" + st.Faint.Render("esc or ? closes")
	}
	return st.Overlay.Render(squeeze(text, m.height-2))
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
		if m.progress.Status(l.Slug, l.Requirements()).Complete {
			mark = st.Done.Render("✓") + " "
		}
		cursor := "  "
		title := fmt.Sprintf("%2d. %s", l.Number, l.Title)
		open := ""
		if i == m.idx {
			open = "  (open)"
		}
		// A long title gives way to the (open) mark, then ends in "…".
		room := inner - 4
		if ansi.StringWidth(title)+ansi.StringWidth(open) > room {
			open = ""
			title = ansi.Truncate(title, room, "…")
		}
		line := title
		if i == m.menuCursor {
			cursor = st.Selected.Render("▸ ")
			line = st.Selected.Render(title)
		}
		if open != "" {
			line += st.Faint.Render(open)
		}
		b.WriteString(widgets.FitLine(cursor+mark+line, inner) + "\n")
	}
	b.WriteString("\n" + st.Faint.Render(fitHint("↑↓ choose · enter open · esc close · ✓ done", inner)))
	return st.Overlay.Width(boxW).Render(squeeze(b.String(), m.height-2))
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

// proseScroll says how far through the lesson the reader is, when there
// is more than one screen of it.
func (m Model) proseScroll() string {
	if !m.prose.Ready() || m.prose.Fits() {
		return ""
	}
	return fmt.Sprintf(" %.0f%%", m.prose.ScrollPercent()*100)
}
