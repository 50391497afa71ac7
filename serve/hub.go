package serve

import (
	"cmp"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/tour"
)

// The hub is the room: it learns from each session, by messages, where its
// learner stands, and tells the instructors' room views and, when the
// instructor sets the room's lesson, every session. It never reads a
// session's model; one goroutine owns its state.

// Timing of the room view's updates.
const (
	// publishEvery gathers a burst of changes (thirty students pressing
	// keys) into one update of each room view.
	publishEvery = 200 * time.Millisecond
	// heartbeat refreshes the room views' idle times when nothing else
	// changes.
	heartbeat = 5 * time.Second
)

// RoomState is the room as a room view draws it.
type RoomState struct {
	Now         time.Time
	Lessons     []LessonInfo
	Students    []StudentRow // connected students, by name
	Instructors int          // instructors connected
	RoomLesson  int          // index of the room's lesson, -1 if none was set
	Follow      bool         // students are moved to the room's lesson
}

// LessonInfo is what the room view shows of a lesson.
type LessonInfo struct {
	Number    int
	Title     string
	Slug      string
	Challenge bool
	Questions int
}

// StudentRow is one connected student.
type StudentRow struct {
	ID, Name   string
	Sessions   int  // sessions open with this key or name
	Reported   bool // their tour has said where they are
	Lesson     int  // index of their open lesson
	Complete   int  // lessons complete
	Challenges int  // challenges met
	QuizRight  int  // quiz answers right, of QuizAnswered
	Answered   int
	LastActive time.Time
	Left       []string // what is left in their open lesson
}

type (
	joinEvent struct {
		id   int
		st   Student
		send func(tea.Msg) // into the session's program
		at   time.Time
	}
	leaveEvent  struct{ id int }
	reportEvent struct {
		id   int
		snap tour.Snapshot
	}
	activeEvent struct {
		id int
		at time.Time
	}
	setLessonEvent struct{ slug string }
)

type member struct {
	st      Student
	send    func(tea.Msg)
	snap    *tour.Snapshot
	active  time.Time
	mailbox chan RoomState // an instructor's room view; nil for students
}

type hub struct {
	events chan any
	done   chan struct{}
	exited chan struct{}
	course *lessons.Course
	follow bool
	now    func() time.Time
	onSet  func(slug string) // logs the instructor's move

	// Owned by run.
	members map[int]*member
	lesson  string // the room's lesson
}

func newHub(course *lessons.Course, follow bool, now func() time.Time, onSet func(string)) *hub {
	h := makeHub(course, follow, now, onSet)
	go h.run()
	return h
}

// makeHub is a hub not yet running: tests hand it events directly.
func makeHub(course *lessons.Course, follow bool, now func() time.Time, onSet func(string)) *hub {
	return &hub{
		events: make(chan any, 256), done: make(chan struct{}), exited: make(chan struct{}),
		course: course, follow: follow, now: now, onSet: onSet,
		members: map[int]*member{},
	}
}

// send hands the hub an event; once the hub has stopped it drops it.
func (h *hub) send(ev any) {
	select {
	case h.events <- ev:
	case <-h.done:
	}
}

func (h *hub) join(id int, st Student, send func(tea.Msg)) {
	h.send(joinEvent{id: id, st: st, send: send, at: h.now()})
}
func (h *hub) leave(id int)                   { h.send(leaveEvent{id}) }
func (h *hub) report(id int, s tour.Snapshot) { h.send(reportEvent{id, s}) }
func (h *hub) active(id int, at time.Time)    { h.send(activeEvent{id, at}) }

// tryActive tells the hub of activity unless it is busy: a dropped note
// only delays an idle time, and a key press must never wait for the hub.
func (h *hub) tryActive(id int, at time.Time) {
	select {
	case h.events <- activeEvent{id, at}:
	default:
	}
}
func (h *hub) setLesson(slug string) { h.send(setLessonEvent{slug}) }
func (h *hub) stop()                 { close(h.done); <-h.exited }
func (h *hub) lessonIndex(slug string) int {
	return slices.IndexFunc(h.course.Lessons, func(l lessons.Lesson) bool { return l.Slug == slug })
}

func (h *hub) run() {
	defer close(h.exited)
	defer func() {
		for _, m := range h.members {
			if m.mailbox != nil {
				close(m.mailbox)
			}
		}
	}()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	var publish <-chan time.Time // set while a publish is due
	due := func() {
		if publish == nil {
			publish = time.After(publishEvery)
		}
	}
	for {
		select {
		case <-h.done:
			return
		case <-beat.C:
			h.publish()
		case <-publish:
			publish = nil
			h.publish()
		case ev := <-h.events:
			if h.handle(ev) {
				due()
			}
		}
	}
}

// handle applies an event; it reports whether the room views need it.
func (h *hub) handle(ev any) bool {
	switch ev := ev.(type) {
	case joinEvent:
		m := &member{st: ev.st, send: ev.send, active: ev.at}
		if ev.st.Instructor {
			m.mailbox = make(chan RoomState, 1)
			go deliver(m.mailbox, ev.send)
			m.mailbox <- h.state() // the view has something at once
		}
		h.members[ev.id] = m
		if h.lesson != "" {
			go ev.send(tour.RoomLessonMsg{Slug: h.lesson, Move: h.follow || ev.st.Instructor})
		}
		return true
	case leaveEvent:
		if m, ok := h.members[ev.id]; ok {
			if m.mailbox != nil {
				close(m.mailbox)
			}
			delete(h.members, ev.id)
		}
		return true
	case reportEvent:
		m, ok := h.members[ev.id]
		if !ok || (m.snap != nil && m.snap.Seq >= ev.snap.Seq) {
			return false // gone, or a report older than one already here
		}
		m.snap = &ev.snap
		return true
	case activeEvent:
		if m, ok := h.members[ev.id]; ok && ev.at.After(m.active) {
			m.active = ev.at
		}
		return false // the heartbeat shows idle times
	case setLessonEvent:
		if h.lessonIndex(ev.slug) < 0 {
			return false
		}
		h.lesson = ev.slug
		for _, m := range h.members {
			go m.send(tour.RoomLessonMsg{Slug: ev.slug, Move: h.follow || m.st.Instructor})
		}
		if h.onSet != nil {
			h.onSet(ev.slug)
		}
		return true
	}
	return false
}

// deliver hands each room state to an instructor's session, newest only:
// a slow session skips states, never holds up the hub.
func deliver(mailbox <-chan RoomState, send func(tea.Msg)) {
	for st := range mailbox {
		send(tour.PanelMsg{Msg: st})
	}
}

// publish gives every room view the room as it is now.
func (h *hub) publish() {
	var st *RoomState
	for _, m := range h.members {
		if m.mailbox == nil {
			continue
		}
		if st == nil {
			s := h.state()
			st = &s
		}
		select {
		case <-m.mailbox: // drop a state not yet delivered: this one is newer
		default:
		}
		m.mailbox <- *st
	}
}

// state is the room now: one row per student, however many sessions
// they have open (the most recently active one speaks for them).
func (h *hub) state() RoomState {
	st := RoomState{Now: h.now(), RoomLesson: h.lessonIndex(h.lesson), Follow: h.follow}
	reqs := make([]lessons.Requirements, len(h.course.Lessons))
	for i, l := range h.course.Lessons {
		reqs[i] = l.Requirements()
		st.Lessons = append(st.Lessons, LessonInfo{Number: l.Number, Title: l.Title, Slug: l.Slug, Challenge: reqs[i].Challenge, Questions: reqs[i].Questions})
	}
	rows := map[string]*StudentRow{}
	for _, m := range h.members {
		if m.st.Instructor {
			st.Instructors++
			continue
		}
		r, ok := rows[m.st.ID]
		if ok {
			r.Sessions++
			if !m.active.After(r.LastActive) {
				continue
			}
		} else {
			r = &StudentRow{ID: m.st.ID, Name: m.st.Name, Sessions: 1}
			rows[m.st.ID] = r
		}
		r.LastActive = m.active
		if m.snap != nil {
			fillRow(r, *m.snap, reqs)
		}
	}
	for _, r := range rows {
		st.Students = append(st.Students, *r)
	}
	slices.SortFunc(st.Students, func(a, b StudentRow) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return st
}

func fillRow(r *StudentRow, s tour.Snapshot, reqs []lessons.Requirements) {
	r.Reported, r.Lesson = true, s.Lesson
	r.Complete, r.Challenges, r.QuizRight, r.Answered, r.Left = 0, 0, 0, 0, nil
	for i, ls := range s.Statuses {
		if ls.Complete {
			r.Complete++
		}
		if i < len(reqs) && reqs[i].Challenge && ls.ChallengeMet {
			r.Challenges++
		}
		r.QuizRight += ls.Right
		r.Answered += ls.Answered
		if i == s.Lesson {
			r.Left = ls.Left
		}
	}
}
