package tour

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// pane is where the keys go.
type pane int

const (
	paneProse pane = iota
	paneSim
)

// overlay is what, if anything, sits over the layout.
type overlay int

const (
	overlayNone overlay = iota
	overlayHelp
	overlayMenu
	overlayQuiz
)

// Model is the tour: one per terminal or SSH session.
type Model struct {
	course   *lessons.Course
	pricing  *sim.Pricing
	progress lessons.Progress
	path     string
	theme    string
	noColor  bool
	isDark   bool

	styles Styles
	keys   KeyMap
	help   help.Model

	width, height int
	idx           int     // current lesson
	focus         pane    // which pane has the keys (or which tab shows, when narrow)
	overlay       overlay // help, menu or quiz over the layout
	menuCursor    int
	quizQ         int // question shown in the quiz

	prose widgets.Prose
	knobs widgets.KnobPanel
	chart widgets.Chart
	stats widgets.Stats

	// The live simulation. gen numbers runs: a result whose gen is not the
	// latest is stale and dropped. tickGen numbers playhead loops: pausing
	// or restarting bumps it, so at most one loop ever advances the head.
	run      runner
	after    after
	gen      int
	pending  bool // a run is out
	rerun    bool // the knobs moved while it was: run again when it is back
	result   *sim.Result
	runErr   error
	playhead float64 // in buckets
	paused   bool
	tickGen  int
	ticking  bool
	sweep    int // ticks for the playhead to cross a run

	firstRun tea.Cmd // the run New prepared, handed out by Init

	saveGen int // debounced saves: only the latest fires
	saveSeq int // numbers saves so the writer keeps the newest
	writer  *progressWriter
	status  string // footer message
	isErr   bool
}

// Messages the tour sends itself.
type (
	simDoneMsg struct {
		gen int
		res sim.Result
		err error
	}
	tickMsg  struct{ gen int }
	saveMsg  struct{ gen int }
	savedMsg struct{ err error }
)

func newHelp(st Styles) help.Model {
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	return h
}

// lesson is the current lesson; ok is false for an empty course.
func (m Model) lesson() (lessons.Lesson, bool) {
	if m.idx < 0 || m.idx >= len(m.course.Lessons) {
		return lessons.Lesson{}, false
	}
	return m.course.Lessons[m.idx], true
}

// Init asks for the background colour (auto theme) and starts the first
// simulation. The prose renders once the window size is known.
func (m Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.theme == "" || m.theme == "auto" {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	// The first run was numbered in New: Init cannot change the model.
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

// loadLesson puts the current lesson's prose and knobs in place. The
// caller starts its simulation.
func (m *Model) loadLesson() tea.Cmd {
	l, ok := m.lesson()
	if !ok {
		m.knobs.SetKnobs(nil)
		return m.prose.SetMarkdown("# No lessons\n\nThis course has no lessons to show.")
	}
	saved := l.Clamp(m.progress.Knobs(l.Slug))
	ks := make([]widgets.Knob, len(l.Knobs))
	for i, k := range l.Knobs {
		ks[i] = widgets.Knob{Label: k.Label, Unit: k.Unit, Min: k.Min, Max: k.Max, Step: k.Step, Coarse: k.Coarse, Default: k.Default, Value: saved[i]}
	}
	m.knobs.SetKnobs(ks)
	m.result, m.runErr = nil, nil
	m.playhead = 0
	m.quizQ = firstUnanswered(l, m.progress.Answers(l.Slug))
	m.updateSimViews()
	return m.prose.SetMarkdown(m.proseMarkdown(l))
}

// proseMarkdown is the lesson's text with a pointer to its quiz, if any.
func (m Model) proseMarkdown(l lessons.Lesson) string {
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
		m.progress.SetKnobs(cur.Slug, m.knobs.Values())
	}
	m.idx = i
	l, _ := m.lesson()
	m.progress.Open(l.Slug)
	m.status, m.isErr = "", false
	cmds := []tea.Cmd{m.loadLesson(), m.startRun(), m.saveNow()}
	m.layout()
	return tea.Batch(cmds...)
}

// startRun applies the knobs to the lesson and runs the simulation off the
// UI loop, tagged with a new generation, so a result that comes back after
// a newer run was started is dropped.
func (m *Model) startRun() tea.Cmd {
	l, ok := m.lesson()
	if !ok {
		return nil
	}
	m.rerun = false
	m.gen++
	m.pending = true
	gen, values, run := m.gen, m.knobs.Values(), m.run
	opts := sim.Options{Pricing: m.pricing, Series: true, Buckets: chartBuckets}
	return func() tea.Msg {
		sc, err := l.Apply(values)
		if err != nil {
			return simDoneMsg{gen: gen, err: err}
		}
		res, err := safeRun(run, sc, opts)
		return simDoneMsg{gen: gen, res: res, err: err}
	}
}

// safeRun turns a panic in the engine into an error shown in the pane:
// a bug in one scenario must not take the learner's session down.
func safeRun(run runner, sc sim.Scenario, o sim.Options) (res sim.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("simulation failed: %v", r)
		}
	}()
	return run(sc, o)
}

// buckets is the number of points in the current result's series.
func (m Model) buckets() int {
	if m.result == nil || m.result.Series == nil {
		return 0
	}
	return len(m.result.Series.Load)
}

// startTicks starts a new playhead loop, ending any other.
func (m *Model) startTicks() tea.Cmd {
	m.tickGen++
	if m.paused || m.buckets() < 2 || m.atEnd() {
		m.ticking = false
		return nil
	}
	m.ticking = true
	return m.after(frameEvery, tickMsg{gen: m.tickGen})
}

func (m Model) atEnd() bool { return m.playhead >= float64(m.buckets()-1) }

// Update handles every message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, m.layout()

	case tea.BackgroundColorMsg:
		if m.theme == "" || m.theme == "auto" {
			return m, m.setDark(msg.IsDark())
		}
		return m, nil

	case widgets.ProseRenderedMsg:
		var cmd tea.Cmd
		m.prose, cmd = m.prose.Update(msg)
		return m, cmd

	case simDoneMsg:
		if msg.gen != m.gen {
			return m, nil // a newer run is under way or done
		}
		m.pending = false
		var next tea.Cmd
		if m.rerun {
			next = m.startRun()
		}
		first := m.result == nil
		if msg.err != nil {
			m.result, m.runErr = nil, msg.err
			m.ticking = false
			m.tickGen++
			m.updateSimViews()
			return m, next
		}
		res := msg.res
		m.result, m.runErr = &res, nil
		if first {
			m.playhead = 0
		}
		m.playhead = min(m.playhead, float64(max(0, m.buckets()-1)))
		m.updateSimViews()
		if !m.ticking {
			return m, tea.Batch(next, m.startTicks())
		}
		return m, next

	case tickMsg:
		if msg.gen != m.tickGen || m.paused {
			return m, nil
		}
		n := m.buckets()
		if n < 2 {
			m.ticking = false
			return m, nil
		}
		m.playhead = min(float64(n-1), m.playhead+float64(n-1)/float64(max(1, m.sweep)))
		m.updateSimViews()
		if m.atEnd() {
			m.ticking = false // hold at the end; space replays
			return m, nil
		}
		return m, m.after(frameEvery, tickMsg{gen: m.tickGen})

	case saveMsg:
		if msg.gen != m.saveGen {
			return m, nil
		}
		return m, m.saveNow()

	case savedMsg:
		if msg.err != nil {
			m.status, m.isErr = "could not save progress: "+msg.err.Error(), true
		}
		return m, nil

	case tea.KeyPressMsg:
		return m.handleKey(msg)

	case tea.MouseWheelMsg:
		return m.handleWheel(msg)

	case tea.MouseClickMsg:
		return m.handleClick(msg)
	}
	return m, nil
}

// setDark rebuilds every style for a new background.
func (m *Model) setDark(dark bool) tea.Cmd {
	m.isDark = dark
	m.styles = NewStyles(dark, m.noColor)
	m.help.Styles = m.styles.Help
	m.knobs.SetStyles(m.styles.Widgets)
	m.chart.SetStyles(m.styles.Widgets)
	m.stats.SetStyles(m.styles.Widgets)
	return m.prose.SetStyles(m.styles.Widgets)
}

// knobsChanged reruns the simulation and schedules a save.
func (m *Model) knobsChanged() tea.Cmd {
	if l, ok := m.lesson(); ok {
		m.progress.SetKnobs(l.Slug, m.knobs.Values())
	}
	m.updateSimViews()
	m.saveGen++
	save := m.after(saveAfter, saveMsg{gen: m.saveGen})
	if m.pending {
		// One run at a time while a key is held: note that the knobs moved
		// and run again, with the latest values, when this run is back.
		m.rerun = true
		return save
	}
	return tea.Batch(m.startRun(), save)
}

// saveNow writes a copy of the progress off the UI loop.
func (m *Model) saveNow() tea.Cmd {
	if m.path == "" {
		return nil
	}
	m.saveGen++ // a pending debounced save is now covered
	m.saveSeq++
	p, path, seq, w := m.progress.Clone(), m.path, m.saveSeq, m.writer
	return func() tea.Msg { return savedMsg{err: w.save(p, path, seq)} }
}

// progressWriter puts saves in order: they run as commands, concurrently,
// and an older one finishing last must not overwrite a newer file. One per
// model (shared by its copies), never global.
type progressWriter struct {
	mu      sync.Mutex
	written int
}

func (w *progressWriter) save(p lessons.Progress, path string, seq int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq < w.written {
		return nil // a newer save is already on disk
	}
	w.written = seq
	_, err := p.Save(path)
	return err
}

// handleKey routes a key: overlays first, then keys that work everywhere,
// then the focused pane.
func (m Model) handleKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if !m.isErr {
		m.status = "" // a note lasts until the next key; errors stay
	}
	// ctrl+c always quits; q quits from the layout and closes an overlay.
	if msg.String() == "ctrl+c" || (key.Matches(msg, k.Quit) && m.overlay == overlayNone) {
		return m, m.quit()
	}
	switch m.overlay {
	case overlayHelp:
		if key.Matches(msg, k.Close, k.Help, k.Quit) {
			m.overlay = overlayNone
		}
		return m, nil
	case overlayMenu:
		return m.menuKey(msg)
	case overlayQuiz:
		return m.quizKey(msg)
	}
	if m.tooSmall() {
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Help):
		m.overlay = overlayHelp
		return m, nil
	case key.Matches(msg, k.Menu):
		m.overlay = overlayMenu
		m.menuCursor = m.idx
		return m, nil
	case key.Matches(msg, k.Quiz):
		if l, ok := m.lesson(); ok && len(l.Quiz) > 0 {
			m.overlay = overlayQuiz
			m.quizQ = firstUnanswered(l, m.progress.Answers(l.Slug))
		} else {
			m.status, m.isErr = "This lesson has no quiz.", false
		}
		return m, nil
	case key.Matches(msg, k.Focus):
		if m.focus == paneProse {
			m.focus = paneSim
		} else {
			m.focus = paneProse
		}
		m.syncFocus()
		return m, m.layout()
	case key.Matches(msg, k.Pause):
		return m, m.togglePause()
	case key.Matches(msg, k.Reset):
		if m.knobs.Reset() {
			m.status, m.isErr = "Knobs back to the lesson's defaults.", false
			return m, m.knobsChanged()
		}
		return m, nil
	}
	if m.focus == paneSim {
		switch {
		case key.Matches(msg, k.NextSim):
			return m, m.goTo(m.idx + 1)
		case key.Matches(msg, k.PrevSim):
			return m, m.goTo(m.idx - 1)
		}
		// Paging keys still page the lesson beside the simulation.
		if m.wide() && key.Matches(msg, k.PageUp, k.PageDown) {
			var cmd tea.Cmd
			m.prose, cmd = m.prose.Update(msg)
			return m, cmd
		}
		before := m.knobs.Values()
		m.knobs, _ = m.knobs.Update(msg)
		if !slices.Equal(before, m.knobs.Values()) {
			return m, m.knobsChanged()
		}
		return m, nil
	}
	switch {
	case key.Matches(msg, k.Next):
		return m, m.goTo(m.idx + 1)
	case key.Matches(msg, k.Prev):
		return m, m.goTo(m.idx - 1)
	}
	// Fine and coarse steps also work from the prose when the simulation is
	// in view beside it, so a reader can try a number without leaving the text.
	if m.wide() && key.Matches(msg, k.Inc, k.Dec, k.IncMore, k.DecMore) && !key.Matches(msg, k.Next, k.Prev) {
		before := m.knobs.Values()
		m.knobs.Focus()
		m.knobs, _ = m.knobs.Update(msg)
		m.syncFocus()
		if !slices.Equal(before, m.knobs.Values()) {
			return m, m.knobsChanged()
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.prose, cmd = m.prose.Update(msg)
	return m, cmd
}

// quit saves where the learner is and ends the program.
func (m *Model) quit() tea.Cmd {
	if l, ok := m.lesson(); ok {
		m.progress.SetKnobs(l.Slug, m.knobs.Values())
		m.progress.Open(l.Slug)
	}
	if save := m.saveNow(); save != nil {
		return tea.Sequence(save, tea.Quit)
	}
	return tea.Quit
}

// togglePause pauses or resumes the playhead; at the end it replays.
func (m *Model) togglePause() tea.Cmd {
	if m.paused {
		m.paused = false
		m.status = ""
		return m.startTicks()
	}
	if m.atEnd() && m.buckets() > 1 {
		m.playhead = 0
		m.updateSimViews()
		return m.startTicks()
	}
	m.paused = true
	m.ticking = false
	m.tickGen++ // the loop in flight stops at its next tick
	m.updateSimViews()
	return nil
}

// syncFocus tells the knob panel whether it has the keys.
func (m *Model) syncFocus() {
	if m.focus == paneSim {
		m.knobs.Focus()
	} else {
		m.knobs.Blur()
	}
}

func (m Model) handleWheel(msg tea.MouseWheelMsg) (tea.Model, tea.Cmd) {
	if m.overlay != overlayNone || m.tooSmall() {
		return m, nil
	}
	mouse := msg.Mouse()
	overProse := m.focus == paneProse
	if m.wide() {
		overProse = mouse.X < m.proseOuterWidth()
	}
	if !overProse {
		// The wheel over the simulation chooses a knob.
		switch mouse.Button {
		case tea.MouseWheelUp:
			m.knobs.Move(-1)
		case tea.MouseWheelDown:
			m.knobs.Move(1)
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.prose, cmd = m.prose.Update(msg)
	return m, cmd
}

func (m Model) handleClick(msg tea.MouseClickMsg) (tea.Model, tea.Cmd) {
	if m.overlay != overlayNone || m.tooSmall() {
		return m, nil
	}
	mouse := msg.Mouse()
	before := m.focus
	if m.wide() {
		if mouse.X < m.proseOuterWidth() {
			m.focus = paneProse
		} else {
			m.focus = paneSim
		}
	} else if mouse.Y == 1 { // the tab bar: " ▸ Lesson   Simulation "
		switch {
		case mouse.X < 12:
			m.focus = paneProse
		case mouse.X < 26:
			m.focus = paneSim
		}
	}
	// A click on a knob's line chooses it. The knobs start on the third
	// row in both layouts, under the header and the tab bar or the pane's
	// top border (either of which carries the status).
	if m.focus == paneSim {
		if i := m.knobs.At(mouse.Y - knobsTop); i >= 0 {
			m.knobs.Select(i)
		}
	}
	m.syncFocus()
	if m.focus != before {
		return m, m.layout()
	}
	return m, nil
}

// knobsTop is the screen row of the first knob, in both layouts.
const knobsTop = 2

// firstUnanswered is the first question without a saved answer, or 0.
func firstUnanswered(l lessons.Lesson, answers []int) int {
	for i := range l.Quiz {
		if i >= len(answers) || answers[i] < 0 {
			return i
		}
	}
	return 0
}
