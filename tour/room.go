package tour

import (
	"fmt"
	"slices"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// This file is what a host of many tours (the SSH classroom) needs of
// one: a report of where the learner stands when it changes, messages to
// move the learner or hint where the room is, a message to save and end,
// and an extra overlay the host supplies (the instructor's room view).
// The tour knows nothing of the host: it never imports it.

// RoomConfig is what a host gives the tour; the zero value is none of it.
type RoomConfig struct {
	// OnChange is told where the learner stands each time that changes
	// (the lesson, or its progress), from a command, never from Update:
	// it may block briefly without holding up the screen.
	OnChange func(Snapshot)
	// Panel is an extra overlay the learner opens with the Room key
	// (i); nil leaves the key out of the help and unbound.
	Panel Panel
}

// Snapshot is where a learner stands, as a host sees it.
type Snapshot struct {
	// Seq grows with each report of one tour: reports run as commands,
	// concurrently, so a host keeps the one with the highest Seq.
	Seq    uint64
	Lesson int    // index of the open lesson in the course
	Slug   string // its slug
	// Statuses is the learner's status in every lesson, in course order.
	Statuses []lessons.LessonStatus
}

// RoomLessonMsg says the room is on the lesson Slug. With Move the
// learner is taken there; without, the header says where the room is
// until the learner gets there.
type RoomLessonMsg struct {
	Slug string
	Move bool
}

// EndSessionMsg saves the learner's progress and ends the tour, as q
// does: the host sends it when the server stops or a session runs out
// of time.
type EndSessionMsg struct{}

// PanelMsg carries a message to the Panel, open or not, so that it keeps
// up with what it shows while closed.
type PanelMsg struct{ Msg tea.Msg }

// Panel is an overlay a host supplies, drawn over the layout like the
// lesson menu. Its methods return the changed panel, so a value type
// works.
type Panel interface {
	// Open is the panel as it opens: its Closed reports false.
	Open() Panel
	// Update handles a key while it is open, or a PanelMsg's message.
	Update(tea.Msg) (Panel, tea.Cmd)
	// View draws the box; the tour centres it, at most the size given.
	View() string
	SetSize(width, height int) Panel
	SetStyles(*theme.Styles) Panel
	// KeyMap is the panel's keys, for the footer and the help.
	KeyMap() help.KeyMap
	// Closed reports whether the learner closed it.
	Closed() bool
}

// room is the tour's side of a host.
type room struct {
	onChange func(Snapshot)
	panel    Panel
	seq      uint64
	reported *Snapshot // the last report; nil before the first
	at       string    // slug of the room's lesson, for the header; "" none
}

func newRoom(cfg RoomConfig) room {
	return room{onChange: cfg.OnChange, panel: cfg.Panel}
}

// snapshot is where the learner stands now; Seq is left to report.
func (m Model) snapshot() Snapshot {
	s := Snapshot{Lesson: m.idx, Statuses: make([]lessons.LessonStatus, len(m.course.Lessons))}
	if l, ok := m.lesson(); ok {
		s.Slug = l.Slug
	}
	for i, l := range m.course.Lessons {
		s.Statuses[i] = m.progress.Status(l.Slug, l.Requirements())
	}
	return s
}

// report adds to cmd a report for the host, if where the learner stands
// has changed since the last one.
func (m *Model) report(cmd tea.Cmd) tea.Cmd {
	if m.room.onChange == nil {
		return cmd
	}
	s := m.snapshot()
	if r := m.room.reported; r != nil && r.Lesson == s.Lesson && slices.EqualFunc(r.Statuses, s.Statuses, sameStatus) {
		return cmd
	}
	m.room.seq++
	s.Seq = m.room.seq
	m.room.reported = &s
	tell := m.room.onChange
	return tea.Batch(cmd, func() tea.Msg { tell(s); return nil })
}

func sameStatus(a, b lessons.LessonStatus) bool {
	return a.Visited == b.Visited && a.ChallengeMet == b.ChallengeMet &&
		a.Answered == b.Answered && a.Right == b.Right && a.Complete == b.Complete
}

// roomLesson moves the learner to the room's lesson, or notes it for the
// header.
func (m *Model) roomLesson(msg RoomLessonMsg) tea.Cmd {
	i := slices.IndexFunc(m.course.Lessons, func(l lessons.Lesson) bool { return l.Slug == msg.Slug })
	if i < 0 {
		return nil
	}
	m.room.at = msg.Slug
	if !msg.Move || i == m.idx {
		return nil
	}
	if m.overlay != overlayNone && m.overlay != overlayPanel {
		m.overlay = overlayNone // a menu or quiz of the lesson being left
	}
	cmd := m.goTo(i)
	m.status, m.isErr = fmt.Sprintf("The room moved to lesson %d.", i+1), false
	return cmd
}

// roomHint is the header's note of where the room is, while the learner
// is elsewhere.
func (m Model) roomHint() string {
	if m.room.at == "" {
		return ""
	}
	if l, ok := m.lesson(); ok && l.Slug == m.room.at {
		return ""
	}
	for i, l := range m.course.Lessons {
		if l.Slug == m.room.at {
			return fmt.Sprintf("room: lesson %d", i+1)
		}
	}
	return ""
}

// updatePanel hands msg (a key, or a PanelMsg's message) to the panel;
// closed reports that it closed.
func (m *Model) updatePanel(msg tea.Msg) (cmd tea.Cmd, closed bool) {
	if m.room.panel == nil {
		return nil, false
	}
	m.room.panel, cmd = m.room.panel.Update(msg)
	return cmd, m.room.panel.Closed()
}

// openPanel opens the host's panel over the layout.
func (m *Model) openPanel() {
	m.room.panel = m.room.panel.Open().SetSize(m.width, m.height)
	m.overlay = overlayPanel
}
