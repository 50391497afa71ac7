package tour

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/overlay"
	"github.com/serverless-tour/serverless-tour/tour/simpane"
	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// pane is where the keys go.
type pane int

const (
	paneProse pane = iota
	paneSim
)

// overlayKind is what, if anything, sits over the layout.
type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayHelp
	overlayMenu
	overlayQuiz
	overlayClosing
	overlayPanel // the host's Panel (room.go)
)

// Model is the tour: one per terminal or SSH session. It owns what is
// truly global (the course, the learner's progress, the theme, the focus,
// which overlay is open) and routes everything else: sizes to every
// child, keys to the open overlay or the focused pane, a child's messages
// to the child.
type Model struct {
	course   *lessons.Course
	progress lessons.Progress
	saver    *saver
	saveGen  int           // debounced saves: only the latest fires
	saveSeq  int           // numbers saves so the writer keeps the newest
	clock    simpane.Clock // delays the debounced save

	theme   string
	noColor bool
	isDark  bool
	styles  *theme.Styles
	keys    *KeyMap     // this session's; never changed
	help    *help.Model // the footer's; replaced, never changed, so copies of the model share it

	width, height int
	idx           int         // current lesson
	focus         pane        // which pane has the keys (or which tab shows, when narrow)
	overlay       overlayKind // help, menu or quiz over the layout

	prose   widgets.Prose
	sim     simpane.Model
	menu    overlay.Menu
	quiz    overlay.Quiz
	keyHelp overlay.KeyHelp
	closing overlay.Closing

	run     simpane.Runner // for the closing screen's reruns
	pricing *sim.Pricing

	firstRun tea.Cmd // the run New started, handed out by Init
	status   string  // footer message
	isErr    bool
	chrome   chrome // header and footer as last drawn
	room     room   // what a host (the SSH classroom) gave and asked (room.go)
}

// newHelp is the footer's help at width w.
func newHelp(st *theme.Styles, w int) *help.Model {
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	h.SetWidth(w)
	return &h
}

// lesson is the current lesson; ok is false for an empty course.
func (m Model) lesson() (lessons.Lesson, bool) {
	if m.idx < 0 || m.idx >= len(m.course.Lessons) {
		return lessons.Lesson{}, false
	}
	return m.course.Lessons[m.idx], true
}

func (m Model) hasQuiz() bool {
	l, _ := m.lesson()
	return len(l.Quiz) > 0
}

// Init asks for the background colour (auto theme) and starts the first
// simulation. The prose renders once the window size is known.
func (m Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.theme == "" || m.theme == "auto" {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	// The first run was started in New: Init cannot change the model.
	cmds = append(cmds, m.firstRun)
	return tea.Batch(cmds...)
}

func (m Model) windowTitle() string {
	l, ok := m.lesson()
	if !ok {
		return "serverless-tour"
	}
	return fmt.Sprintf("serverless-tour · %d. %s", l.Number, l.Title)
}

// loadLesson puts the current lesson's prose and simulation in place and
// starts its run.
func (m *Model) loadLesson() tea.Cmd {
	l, ok := m.lesson()
	if !ok {
		m.sim.Clear()
		return m.prose.SetMarkdown("# No lessons\n\nThis course has no lessons to show.")
	}
	return tea.Batch(m.prose.SetMarkdown(proseMarkdown(l)), m.sim.SetLesson(l, m.saved(l)))
}

// saved is what the learner did in lesson l before, for its simulation.
func (m Model) saved(l lessons.Lesson) simpane.Saved {
	s := simpane.Saved{
		Values:       m.progress.Knobs(l.Slug),
		ChallengeMet: m.progress.Status(l.Slug, l.Requirements()).ChallengeMet,
		Guesses:      map[string]float64{},
	}
	for _, f := range l.Forecasts {
		if g, ok := m.progress.Prediction(l.Slug, f.ID); ok {
			s.Guesses[f.ID] = g.Guess
		}
	}
	return s
}

// proseMarkdown is the lesson's text with a pointer to its quiz, if any.
func proseMarkdown(l lessons.Lesson) string {
	md := strings.TrimSpace(l.Prose)
	if n := len(l.Quiz); n > 0 {
		q := "question"
		if n > 1 {
			q = "questions"
		}
		md += fmt.Sprintf("\n\n---\n\n**Quiz:** %d %s on this lesson. Press `a` to answer.\n", n, q)
	}
	return md
}

// goTo opens lesson i.
func (m *Model) goTo(i int) tea.Cmd {
	n := len(m.course.Lessons)
	if n == 0 || i < 0 || i >= n || i == m.idx {
		return nil
	}
	if cur, ok := m.lesson(); ok {
		m.progress.SetKnobs(cur.Slug, m.sim.Values())
	}
	m.idx = i
	l, _ := m.lesson()
	m.progress.Open(l.Slug)
	m.status, m.isErr = "", false
	cmds := []tea.Cmd{m.loadLesson(), m.saveNow()}
	return tea.Batch(append(cmds, m.layout())...)
}

// next opens the next lesson, or after the last one the closing screen.
func (m *Model) next() tea.Cmd {
	if n := len(m.course.Lessons); n == 0 || m.idx < n-1 {
		return m.goTo(m.idx + 1)
	}
	if l, ok := m.lesson(); ok {
		m.progress.SetKnobs(l.Slug, m.sim.Values())
	}
	m.closing.Open()
	m.overlay = overlayClosing
	course, p, run, pricing := m.course, m.progress.Clone(), m.run, m.pricing
	return func() tea.Msg {
		return summaryMsg{course.Summarize(p, lessons.Runner(run), sim.Options{Pricing: pricing})}
	}
}

// summaryMsg carries the closing screen's summary, worked out off the UI
// loop since it reruns the lessons the learner made guesses in.
type summaryMsg struct{ summary lessons.Summary }

// Update routes every message. The header and footer are drawn here,
// after any message that can change what they show; the simulation's
// own messages (a playhead tick, a run's result) cannot, so a playing
// frame does not redraw them.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd, simOnly := m.route(msg)
	if !simOnly {
		cmd = next.report(cmd)
		next.chrome = next.drawChrome()
	}
	return next, cmd
}

// route hands msg to whoever it is for; simOnly says it was the
// simulation's own.
func (m Model) route(msg tea.Msg) (_ Model, _ tea.Cmd, simOnly bool) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, m.layout(), false

	case tea.BackgroundColorMsg:
		if m.theme == "" || m.theme == "auto" {
			return m, m.setDark(msg.IsDark()), false
		}
		return m, nil, false

	case tea.KeyPressMsg:
		m, cmd := m.handleKey(msg)
		return m, cmd, false

	case tea.MouseWheelMsg:
		m, cmd := m.handleWheel(msg)
		return m, cmd, false

	case tea.MouseClickMsg:
		m, cmd := m.handleClick(msg)
		return m, cmd, false

	case widgets.ProseRenderedMsg:
		var cmd tea.Cmd
		m.prose, cmd = m.prose.Update(msg)
		return m, cmd, false

	case simpane.KnobsChangedMsg:
		return m, m.knobsChanged(msg), false

	case simpane.ChallengeMetMsg:
		if m.progress.MeetChallenge(msg.Slug) {
			m.status, m.isErr = "★ Challenge met. It stays met, whatever you try next.", false
			return m, m.saveNow(), false
		}
		return m, nil, false

	case simpane.ForecastMsg:
		if m.progress.Predict(msg.Slug, msg.ID, msg.Guess) {
			return m, m.saveNow(), false
		}
		return m, nil, false

	case overlay.AnsweredMsg:
		return m, m.answered(msg), false

	case summaryMsg:
		m.closing.SetSummary(msg.summary)
		return m, nil, false

	case saveMsg:
		if msg.gen != m.saveGen {
			return m, nil, false
		}
		return m, m.saveNow(), false

	case RoomLessonMsg:
		cmd := m.roomLesson(msg)
		return m, cmd, false

	case EndSessionMsg:
		cmd := m.quit()
		return m, cmd, false

	case PanelMsg:
		cmd, closed := m.updatePanel(msg.Msg)
		if closed && m.overlay == overlayPanel {
			m.overlay = overlayNone
		}
		return m, cmd, false

	case savedMsg:
		if msg.err != nil {
			m.status, m.isErr = "could not save progress: "+msg.err.Error(), true
			return m, nil, false
		}
		// What another window saved (a lesson completed there) shows
		// here too; what this one did since the save stays newer.
		m.progress = m.progress.Merge(msg.disk)
		return m, nil, false
	}
	// Everything else is the simulation's own: its results and ticks.
	var cmd tea.Cmd
	m.sim, cmd = m.sim.Update(msg)
	return m, cmd, true
}

// setDark rebuilds every style for a new background.
func (m *Model) setDark(dark bool) tea.Cmd {
	m.isDark = dark
	m.styles = theme.New(dark, m.noColor)
	m.help = newHelp(m.styles, m.width)
	m.sim.SetStyles(m.styles)
	m.menu.SetStyles(m.styles)
	m.quiz.SetStyles(m.styles)
	m.keyHelp.SetStyles(m.styles)
	m.closing.SetStyles(m.styles)
	if m.room.panel != nil {
		m.room.panel = m.room.panel.SetStyles(m.styles)
	}
	return m.prose.SetStyles(m.styles.Widgets)
}

// knobsChanged keeps the learner's knobs and schedules a save.
func (m *Model) knobsChanged(msg simpane.KnobsChangedMsg) tea.Cmd {
	if l, ok := m.lesson(); !ok || l.Slug != msg.Slug {
		return nil // from a lesson already left
	}
	m.progress.SetKnobs(msg.Slug, msg.Values)
	if msg.Reset {
		m.status, m.isErr = "Knobs back to the lesson's defaults.", false
	}
	return m.saveLater()
}

// answered records a quiz answer.
func (m *Model) answered(msg overlay.AnsweredMsg) tea.Cmd {
	for _, l := range m.course.Lessons {
		if l.Slug == msg.Slug && m.progress.Answer(l.Slug, msg.Question, len(l.Quiz), msg.Choice) {
			return m.saveNow()
		}
	}
	return nil
}

// complete reports whether the learner has done all that lesson l asks.
func (m Model) complete(l lessons.Lesson) bool {
	return m.progress.Status(l.Slug, l.Requirements()).Complete
}

// handleKey routes a key: ctrl+c quits from anywhere; an open overlay
// takes every other key; then the layout's own keys; then the focused
// pane, or the simulation beside the prose for the knob-turning keys.
func (m Model) handleKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	if !m.isErr {
		m.status = "" // a note lasts until the next key; errors stay
	}
	switch {
	case key.Matches(msg, k.ForceQuit):
		return m, m.quit()
	case m.overlay != overlayNone:
		return m.updateOverlay(msg)
	case key.Matches(msg, k.Quit):
		return m, m.quit()
	case m.tooSmall():
		return m, nil
	}
	if next, cmd, ok := m.layoutKey(msg); ok {
		return next, cmd
	}
	if m.focus == paneSim {
		return m.simKey(msg)
	}
	return m.proseKey(msg)
}

// layoutKey handles the keys that work whichever pane has the focus:
// the overlays, the focus itself, and playing the simulation.
func (m Model) layoutKey(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		m.keyHelp.Open(m.keySections(), helpNotes)
		m.overlay = overlayHelp
	case key.Matches(msg, k.Menu):
		m.menu.Open(m.menuEntries(), m.idx)
		m.overlay = overlayMenu
	case key.Matches(msg, k.Quiz):
		l, _ := m.lesson()
		if len(l.Quiz) == 0 {
			m.status, m.isErr = "This lesson has no quiz.", false
			break
		}
		m.quiz.Open(l.Slug, l.Quiz, m.progress.Answers(l.Slug))
		m.overlay = overlayQuiz
	case m.room.panel != nil && key.Matches(msg, k.Room):
		m.openPanel()
	case key.Matches(msg, k.Focus):
		m.setFocus(1 - m.focus)
		return m, m.layout(), true
	case key.Matches(msg, k.Sim.Pause, k.Sim.Reset):
		m, cmd := m.toSim(msg)
		return m, cmd, true
	default:
		return m, nil, false
	}
	return m, nil, true
}

// simKey handles a key while the simulation has the focus: ←→ turn
// knobs there, so n and p change lesson.
func (m Model) simKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.NextSim):
		return m, m.next()
	case key.Matches(msg, k.PrevSim):
		return m, m.goTo(m.idx - 1)
	case m.wide() && key.Matches(msg, k.Prose.PageUp, k.Prose.PageDown):
		return m.toProse(msg) // the lesson beside the simulation still pages
	}
	return m.toSim(msg)
}

// proseKey handles a key while the lesson has the focus.
func (m Model) proseKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Next):
		return m, m.next()
	case key.Matches(msg, k.Prev):
		return m, m.goTo(m.idx - 1)
	case m.wide() && key.Matches(msg, k.Sim.Turning()...):
		// The knobs turn from the prose too when the simulation is in
		// view beside it, so a reader can try a number without leaving
		// the text.
		return m.toSim(msg)
	}
	return m.toProse(msg)
}

func (m Model) toSim(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.sim, cmd = m.sim.Update(msg)
	return m, cmd
}

func (m Model) toProse(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	m.prose, cmd = m.prose.Update(msg)
	return m, cmd
}

// updateOverlay hands a key to the open overlay, and closes it at once
// when the overlay says it is done, so the next key goes to the layout.
func (m Model) updateOverlay(msg tea.Msg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	closed := false
	switch m.overlay {
	case overlayHelp:
		m.keyHelp, cmd = m.keyHelp.Update(msg)
		closed = m.keyHelp.Closed()
	case overlayMenu:
		m.menu, cmd = m.menu.Update(msg)
		closed = m.menu.Closed()
		if i, ok := m.menu.Chosen(); ok {
			m.overlay = overlayNone
			return m, tea.Batch(cmd, m.goTo(i))
		}
	case overlayQuiz:
		m.quiz, cmd = m.quiz.Update(msg)
		closed = m.quiz.Closed()
	case overlayClosing:
		m.closing, cmd = m.closing.Update(msg)
		closed = m.closing.Closed()
	case overlayPanel:
		cmd, closed = m.updatePanel(msg)
	}
	if closed {
		m.overlay = overlayNone
	}
	return m, cmd
}

// menuEntries are the lessons as the menu lists them.
func (m Model) menuEntries() []overlay.Entry {
	entries := make([]overlay.Entry, len(m.course.Lessons))
	for i, l := range m.course.Lessons {
		st := m.progress.Status(l.Slug, l.Requirements())
		entries[i] = overlay.Entry{Number: l.Number, Title: l.Title, Done: st.Complete, Visited: st.Visited}
		if st.Visited {
			entries[i].Left = strings.Join(st.Left, ", ")
		}
	}
	return entries
}

// setFocus gives the keys to pane p.
func (m *Model) setFocus(p pane) {
	m.focus = p
	if p == paneSim {
		m.sim.Focus()
	} else {
		m.sim.Blur()
	}
}

// quit saves where the learner is and ends the program.
func (m *Model) quit() tea.Cmd {
	if l, ok := m.lesson(); ok {
		m.progress.SetKnobs(l.Slug, m.sim.Values())
		m.progress.Open(l.Slug)
	}
	if save := m.saveNow(); save != nil {
		return tea.Sequence(save, tea.Quit)
	}
	return tea.Quit
}
