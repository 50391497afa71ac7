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
	m.help = newHelp(m.styles, m.width)
	m.menu.SetSize(m.width, m.height)
	m.quiz.SetSize(m.width, m.height)
	m.keyHelp.SetSize(m.width, m.height)
	m.closing.SetSize(m.width, m.height)
	if m.room.panel != nil {
		m.room.panel = m.room.panel.SetSize(m.width, m.height)
	}
	m.sim.SetSize(m.simPaneSize())
	if m.wide() {
		return m.prose.SetSize(m.proseOuterWidth()-2, m.bodyHeight()-2)
	}
	return m.prose.SetSize(m.width, m.bodyHeight())
}

// View draws the whole screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = m.windowTitle()
	return v
}

// Names of the layers a click can land on.
const (
	layerProse      = "pane:prose"
	layerSim        = "pane:sim"
	layerTabLesson  = "tab:lesson"
	layerTabSim     = "tab:sim"
	layerOverlay    = "overlay"
	simInsetWide    = 2 // the sim pane's content starts after its border and a column of padding
	simInsetNarrow  = 1 // and after a column of margin in the narrow tab
	tabBarLeftInset = 1
)

// render draws the screen as a string of exactly width × height cells.
// The layout's parts tile the screen, so they are joined line by line; an
// open overlay is a layer above them, put in place by the compositor.
func (m Model) render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	screen, _ := m.compose(false)
	if box := m.overlayLayer(); box != nil {
		return widgets.Fit(lipgloss.NewCompositor(lipgloss.NewLayer(screen), box).Render(), m.width, m.height)
	}
	return screen
}

// compose draws the layout: header, panes (side by side, or the tab bar
// and one pane) and footer. With layers it also gives the same parts as
// layers at their places, named for hit tests.
func (m Model) compose(layers bool) (string, []*lipgloss.Layer) {
	var b strings.Builder
	header, footer := m.chrome.header, m.chrome.footer
	if m.chrome.width != m.width {
		c := m.drawChrome() // a model not yet updated
		header, footer = c.header, c.footer
	}
	var ls []*lipgloss.Layer
	if layers {
		ls = append(ls, lipgloss.NewLayer(header))
	}
	if m.wide() {
		left, right := m.widePanes()
		// The frame's exact size: one allocation for the whole screen.
		b.Grow(len(header) + left.size() + right.size() + len(footer) + m.height)
		b.WriteString(header)
		b.WriteByte('\n')
		for i := range m.bodyHeight() {
			left.writeLine(&b, i)
			right.writeLine(&b, i)
			b.WriteByte('\n')
		}
		if layers {
			sim := m.sim.Layer().X(simInsetWide).Y(1)
			ls = append(ls,
				lipgloss.NewLayer(left.String()).ID(layerProse).Y(1),
				lipgloss.NewLayer(right.String(), sim).ID(layerSim).X(m.proseOuterWidth()).Y(1))
		}
	} else {
		b.Grow(m.width * m.height * 3)
		b.WriteString(header)
		b.WriteByte('\n')
		bar, tabs := m.tabBar()
		b.WriteString(bar)
		b.WriteByte('\n')
		var body string
		if m.focus == paneSim {
			body = widgets.Fit(indent(m.sim.View()), m.width, m.bodyHeight())
		} else {
			body = widgets.Fit(m.prose.View(), m.width, m.bodyHeight())
		}
		b.WriteString(body)
		b.WriteByte('\n')
		if layers {
			ls = append(ls, lipgloss.NewLayer(bar, tabs...).Y(1))
			if m.focus == paneSim {
				ls = append(ls, lipgloss.NewLayer(body, m.sim.Layer().X(simInsetNarrow)).ID(layerSim).Y(2))
			} else {
				ls = append(ls, lipgloss.NewLayer(body).ID(layerProse).Y(2))
			}
		}
	}
	b.WriteString(footer)
	if layers {
		ls = append(ls, lipgloss.NewLayer(footer).Y(m.height-1))
	}
	return b.String(), ls
}

// overlayLayer is the open overlay's box, centred over the layout, or nil.
// Slivers of the screen under it narrower than three columns read as stray
// letters beside the box ("║s"), so the layer blanks them.
func (m Model) overlayLayer() *lipgloss.Layer {
	var box string
	switch m.overlay {
	case overlayHelp:
		box = m.keyHelp.View()
	case overlayMenu:
		box = m.menu.View()
	case overlayQuiz:
		box = m.quiz.View()
	case overlayClosing:
		box = m.closing.View()
	case overlayPanel:
		box = m.room.panel.View()
	default:
		return nil
	}
	bw, bh := min(lipgloss.Width(box), m.width), min(lipgloss.Height(box), m.height)
	box = widgets.Fit(box, bw, bh)
	x, y := max(0, (m.width-bw)/2), max(0, (m.height-bh)/2)
	left, right := 0, 0
	if x < 3 {
		left, x = x, 0
	}
	if r := m.width - (x + left) - bw; r < 3 {
		right = r
	}
	if left > 0 || right > 0 {
		lines := strings.Split(box, "\n")
		for i, l := range lines {
			lines[i] = strings.Repeat(" ", left) + l + strings.Repeat(" ", max(0, right))
		}
		box = strings.Join(lines, "\n")
	}
	return lipgloss.NewLayer(box).ID(layerOverlay).X(x).Y(y).Z(1)
}

// hit is the name of the layer drawn at (x, y), the same layers a frame
// is drawn from, so a click lands on what the learner sees.
func (m Model) hit(x, y int) string {
	_, ls := m.compose(true)
	if box := m.overlayLayer(); box != nil {
		ls = append(ls, box)
	}
	return lipgloss.NewCompositor(ls...).Hit(x, y).ID()
}

// tooSmallView says the window is too small, and what to do about it.
func (m Model) tooSmallView() string {
	msg := fmt.Sprintf("terminal too small: need %dx%d, have %dx%d", minWidth, minHeight, m.width, m.height)
	if m.width < len(msg) {
		msg = fmt.Sprintf("terminal too small:\nneed %dx%d, have %dx%d", minWidth, minHeight, m.width, m.height)
		msg = ansi.Wrap(msg, m.width, "")
	}
	// Say what to do about it, where there is room.
	if hint := "enlarge the window, or press q to quit"; len(hint) <= m.width && strings.Count(msg, "\n")+3 <= m.height {
		msg += "\n\n" + m.styles.Faint.Render(hint)
	}
	placed := lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, msg)
	return widgets.Fit(placed, m.width, m.height)
}

// chrome is the header and the footer, drawn once per change of what
// they show rather than on every frame.
type chrome struct {
	width          int
	header, footer string
}

func (m Model) drawChrome() chrome {
	if m.width <= 0 || m.tooSmall() {
		return chrome{}
	}
	return chrome{m.width, m.header(), m.footer()}
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
		s := m.progress.Status(ls.Slug, ls.Requirements())
		switch {
		case s.Complete:
			done++
			marks.WriteString(st.Done.Render("✓"))
		case i == m.idx:
			marks.WriteString(st.HeaderTitle.Render("●"))
		case s.Visited:
			marks.WriteString(st.HeaderFaint.Render("◐"))
		default:
			marks.WriteString(st.HeaderFaint.Render("·"))
		}
	}
	right := st.HeaderFaint.Render(fmt.Sprintf("%d/%d done ", done, n))
	if hint := m.roomHint(); hint != "" {
		right = st.HeaderTitle.Render(hint) + st.HeaderFaint.Render(" · ") + right
	}
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

// tabBar is the narrow layout's switch between the two panes, and the
// layers of its two tabs. With the simulation shown it carries the
// simulation's status; the hint that tab switches stays while it fits.
func (m Model) tabBar() (string, []*lipgloss.Layer) {
	st := m.styles
	tab := func(name string, on bool) string {
		if on {
			return st.TabActive.Render("▸ " + name + " ")
		}
		return st.TabInactive.Render("  " + name + " ")
	}
	lesson, sim := tab("Lesson", m.focus == paneProse), tab("Simulation", m.focus == paneSim)
	tabs := []*lipgloss.Layer{
		lipgloss.NewLayer(lesson).ID(layerTabLesson).X(tabBarLeftInset),
		lipgloss.NewLayer(sim).ID(layerTabSim).X(tabBarLeftInset + lipgloss.Width(lesson) + 2),
	}
	bar := strings.Repeat(" ", tabBarLeftInset) + lesson + "  " + sim
	hint := st.Faint.Render("   tab switches")
	if m.focus == paneProse {
		return widgets.FitLine(bar+hint+st.Faint.Render(" "+m.proseScroll()), m.width), tabs
	}
	room := m.width - lipgloss.Width(bar) - 3
	status := m.sim.Status(room)
	full := bar + "   " + status + hint
	if lipgloss.Width(full) <= m.width && m.sim.Status(room-lipgloss.Width(hint)) == status {
		return widgets.FitLine(full, m.width), tabs
	}
	return widgets.FitLine(bar+"   "+status, m.width), tabs
}

// widePanes draws prose and simulation side by side, each exactly the
// body's height, the focused one with a thick border and a ▸ in its title.
func (m Model) widePanes() (left, right paneFrame) {
	pw := m.proseOuterWidth()
	sw := m.width - pw
	h := m.bodyHeight()
	title := "Lesson" + m.proseScroll()
	left = m.frame(m.prose.Window(), pw, h, m.focus == paneProse, title, "", 0)
	// The simulation's status rides in its pane's top border.
	room := sw - 5 - lipgloss.Width(" ▸ Simulation ") - 2
	right = m.frame(m.sim.Lines(), sw, h, m.focus == paneSim, "Simulation", m.sim.Status(room), 1)
	return left, right
}

// paneFrame is a pane inside its border, kept in parts so that a frame
// writes it line by line beside its neighbour without copying each line.
type paneFrame struct {
	top, bottom string   // the border's top and bottom lines
	left, right string   // the border (and padding) either side of each line
	inner       []string // the pane's lines, each exactly its width
}

// writeLine writes line i of the framed pane: the top border, a line of
// the pane between the sides, or the bottom border.
func (f paneFrame) writeLine(b *strings.Builder, i int) {
	switch {
	case i == 0:
		b.WriteString(f.top)
	case i <= len(f.inner):
		b.WriteString(f.left)
		b.WriteString(f.inner[i-1])
		b.WriteString(f.right)
	default:
		b.WriteString(f.bottom)
	}
}

// size is how many bytes the framed pane's lines take.
func (f paneFrame) size() int {
	n := len(f.top) + len(f.bottom) + len(f.inner)*(len(f.left)+len(f.right))
	for _, l := range f.inner {
		n += len(l)
	}
	return n
}

// String is the framed pane, for a layer.
func (f paneFrame) String() string {
	var b strings.Builder
	for i := range len(f.inner) + 2 {
		if i > 0 {
			b.WriteByte('\n')
		}
		f.writeLine(&b, i)
	}
	return b.String()
}

// frame draws a pane w × h with its border: thick and titled "▸ Title"
// when focused, rounded otherwise, so focus shows without colour. extra,
// already styled, follows the title in the border where it fits. inner
// is fitted inside with pad columns of padding each side. It draws the
// border itself: the content is already exact, and lipgloss would measure
// and wrap every line again on each frame. The pane's lines come exact
// from the pane (Window, Lines); any others are fitted.
func (m Model) frame(inner []string, w, h int, focused bool, title, extra string, pad int) paneFrame {
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
	rest := max(0, w-3-lipgloss.Width(t))
	return paneFrame{
		top:    bs.Render(border.TopLeft+border.Top) + t + bs.Render(strings.Repeat(border.Top, rest)+border.TopRight),
		bottom: bs.Render(border.BottomLeft + strings.Repeat(border.Bottom, max(0, w-2)) + border.BottomRight),
		left:   bs.Render(border.Left) + strings.Repeat(" ", pad),
		right:  strings.Repeat(" ", pad) + bs.Render(border.Right),
		inner:  fitLines(inner, max(0, w-2-2*pad), max(0, h-2)),
	}
}

// fitLines makes lines exactly h lines of w columns, passing them through
// untouched when they already are.
func fitLines(lines []string, w, h int) []string {
	if len(lines) == h && (h == 0 || ansi.StringWidth(lines[0]) == w) {
		return lines
	}
	return strings.Split(widgets.Fit(strings.Join(lines, "\n"), w, h), "\n")
}

// footer: the short help for where the keys go, or a status message.
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
	var short []key.Binding
	if m.overlay == overlayNone {
		short = m.shortKeys()
	} else {
		short = m.keysInForce().ShortHelp()
	}
	return widgets.FitLine(" "+m.help.ShortHelpView(short), m.width)
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
