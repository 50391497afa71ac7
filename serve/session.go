package serve

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2/bubbletea"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/tour"
	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// endGrace is how long a session has to save and quit once told to end,
// before its program is killed.
const endGrace = 5 * time.Second

// activeEvery is how often a session tells the hub its learner is active:
// the room view shows idle times to the second, not every key.
const activeEvery = time.Second

// Why a session ended, as the student reads it after the tour is gone.
const (
	endShutdown = "the classroom server is stopping; your progress is saved."
	endIdle     = "no key was pressed for %v, so this session ended; your progress is saved. Connect again to carry on."
	endMaxLen   = "sessions here last at most %v; your progress is saved. Connect again to carry on."
	endCrash    = "something went wrong in this session and it ended (the server and everyone else are fine); your progress up to a moment ago is saved. Connect again to carry on."
)

// session is one student's tour over SSH.
type session struct {
	s       *Server
	id      int
	st      Student
	sess    ssh.Session
	program *tea.Program
	start   time.Time

	releaseSlot func()       // gives back its place under the limits
	running     atomic.Int64 // the tour's commands running now (saves among them)

	lastInput  atomic.Int64 // unix nanoseconds of the last key or click
	lastTold   atomic.Int64 // when the hub was last told of activity
	endOnce    sync.Once
	reason     atomic.Pointer[string] // why it ended, if the server ended it
	finishedCh chan struct{}          // closed when the program has returned
}

type contextKeySession struct{}

// tourSession wraps the Bubble Tea middleware: it admits the session,
// builds its tour, registers it with the hub and the server, and, once
// the tour is over, says why to the student and logs it.
func (s *Server) tourSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if line, kind := s.refusal(sess); line != "" {
			fmt.Fprintln(sess.Stderr(), line)
			s.logRefusal(sess.Context(), kind)
			_ = sess.Exit(1)
			return
		}
		ss, line, kind := s.newSession(sess)
		if ss == nil {
			fmt.Fprintln(sess.Stderr(), line)
			s.logRefusal(sess.Context(), kind)
			_ = sess.Exit(1)
			return
		}
		defer ss.finish()
		sess.Context().SetValue(contextKeySession{}, ss)
		next(sess)
	}
}

// programFor is the Bubble Tea middleware's handler: the program
// tourSession built.
func (s *Server) programFor(sess ssh.Session) *tea.Program {
	ss, _ := sess.Context().Value(contextKeySession{}).(*session)
	if ss == nil {
		return nil
	}
	return ss.program
}

// newSession takes a place for sess under the limits and builds its tour;
// with no place it returns the line to show and the kind of refusal.
func (s *Server) newSession(sess ssh.Session) (*session, string, string) {
	if s.closing.Load() {
		return nil, "serverless-tour: the classroom server is stopping", "stopping"
	}
	release, line, kind := s.limits.acquire(sess.RemoteAddr())
	if release == nil {
		return nil, line, kind
	}
	ss := &session{s: s, id: int(s.nextID.Add(1)), st: s.studentOf(sess), sess: sess, start: s.now(), finishedCh: make(chan struct{})}
	ss.lastInput.Store(ss.start.UnixNano())
	if err := touchAbout(s.cfg.StateDir, ss.st, ss.start); err != nil {
		s.log.Error("cannot record the student", "student", ss.st.Name, "err", err)
	}
	cfg := s.tourConfig(ss)
	var t tea.Model = tour.New(cfg)
	if s.cfg.wrapTour != nil {
		t = s.cfg.wrapTour(t)
	}
	model := sessionModel{tour: t, ss: ss}
	opts := append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler(), tea.WithInput(hangupReader{sess, ss}))
	opts = append(opts, tour.ProgramOptions(cfg)...) // after: no colour wins over the terminal's profile
	ss.program = tea.NewProgram(model, opts...)

	s.mu.Lock()
	s.sessions[ss] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	ss.releaseSlot = release
	s.hub.join(ss.id, ss.st, ss.program.Send)
	pty, _, _ := sess.Pty()
	s.log.Info("connect", "student", ss.st.Name, "id", ss.st.ID, "instructor", ss.st.Instructor, "remote", sess.RemoteAddr().String(),
		"term", printable(pty.Term), "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height),
		"open", s.limits.count(), "total", s.count.session())
	go ss.watch()
	return ss, "", ""
}

// tourConfig is the tour for one student: their progress, the room's
// seed, their terminal's colours, and for an instructor the room view.
func (s *Server) tourConfig(ss *session) tour.Config {
	path := progressPath(s.cfg.StateDir, ss.st.ID)
	progress, err := lessons.LoadProgress(path)
	warning := ""
	if err != nil {
		var corrupt *lessons.CorruptProgressError
		switch {
		case errors.As(err, &corrupt):
			warning = "your saved progress was unreadable and was set aside; starting afresh"
		default:
			path, warning = "", "progress will not be saved this session: "+err.Error()
		}
		s.log.Warn("progress", "student", ss.st.Name, "id", ss.st.ID, "err", err)
	}
	noColor := false
	for _, kv := range ss.sess.Environ() {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			noColor = true
		}
	}
	cfg := tour.Config{
		Course: s.cfg.Course, Pricing: s.cfg.Pricing, Seed: s.cfg.Seed,
		Progress: progress, ProgressPath: path, Start: -1,
		Theme: "auto", NoColor: noColor, Warning: warning,
	}
	cfg.Room.OnChange = func(snap tour.Snapshot) { s.hub.report(ss.id, snap) }
	if ss.st.Instructor {
		cfg.Room.Panel = NewRoomView(theme.New(true, noColor), s.hub.setLesson, s.connectLine())
	}
	return cfg
}

// hangupReader is the session's input. When the client closes the
// session (or a multiplexed connection drops it) the tour saves and ends
// rather than wait for the idle timeout.
type hangupReader struct {
	r  io.Reader
	ss *session
}

func (h hangupReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err != nil {
		h.ss.end("")
		// Hold the end of input back until the tour has saved and quit:
		// Bubble Tea stops at once on an input error.
		<-h.ss.finishedCh
	}
	return n, err
}

// touch notes a key or a click, and tells the hub now and then.
func (ss *session) touch() {
	now := ss.s.now()
	ss.lastInput.Store(now.UnixNano())
	if now.UnixNano()-ss.lastTold.Load() >= int64(activeEvery) {
		ss.lastTold.Store(now.UnixNano())
		ss.s.hub.tryActive(ss.id, now)
	}
}

// watch ends the session when it has been idle too long or has lasted as
// long as a session may.
func (ss *session) watch() {
	cfg := ss.s.cfg
	var maxLen <-chan time.Time
	if cfg.MaxSession > 0 {
		t := time.NewTimer(cfg.MaxSession)
		defer t.Stop()
		maxLen = t.C
	}
	var idle <-chan time.Time
	var idleT *time.Timer
	if cfg.IdleTimeout > 0 {
		idleT = time.NewTimer(cfg.IdleTimeout)
		defer idleT.Stop()
		idle = idleT.C
	}
	for {
		select {
		case <-ss.finishedCh:
			return
		case <-maxLen:
			ss.end(fmt.Sprintf(endMaxLen, cfg.MaxSession))
			return
		case <-idle:
			quiet := ss.s.now().Sub(time.Unix(0, ss.lastInput.Load()))
			if quiet >= cfg.IdleTimeout {
				ss.end(fmt.Sprintf(endIdle, cfg.IdleTimeout))
				return
			}
			idleT.Reset(cfg.IdleTimeout - quiet)
		}
	}
}

// end asks the tour to save and quit, and kills it if it has not within
// endGrace. The first reason given is the one the student reads; "" is
// the client hanging up, with no one left to read it.
func (ss *session) end(reason string) {
	ss.endOnce.Do(func() {
		ss.reason.Store(&reason)
		go ss.program.Send(tour.EndSessionMsg{})
		go func() {
			select {
			case <-ss.finishedCh:
			case <-time.After(endGrace):
				ss.program.Kill()
			}
		}()
	})
}

// crashed ends a session whose tour panicked: its state is suspect, so it
// quits without a last save (the tour saved as the learner went).
func (ss *session) crashed(r any, where string) {
	ss.s.log.Error("session crashed", "student", ss.st.Name, "id", ss.st.ID, "in", where, "panic", fmt.Sprint(r))
	ss.s.log.Debug("session crashed", "stack", string(debug.Stack()))
	ss.endOnce.Do(func() {
		reason := endCrash
		ss.reason.Store(&reason)
	})
	go ss.program.Quit()
}

// finish runs when the tour is over: the hub forgets the session, the
// student reads why it ended, the log says so.
func (ss *session) finish() {
	close(ss.finishedCh)
	s := ss.s
	// Bubble Tea does not wait for commands still running: wait here for
	// a save in flight (a simulation run or a tick ends soon enough too).
	for deadline := time.Now().Add(endGrace); ss.running.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	s.hub.leave(ss.id)
	why := "quit"
	if r := ss.reason.Load(); r != nil {
		why = *r
		if why == "" {
			why = "hung up"
		} else {
			fmt.Fprintln(ss.sess.Stderr(), "serverless-tour: "+why)
		}
	}
	ss.releaseSlot()
	s.mu.Lock()
	delete(s.sessions, ss)
	s.mu.Unlock()
	s.log.Info("disconnect", "student", ss.st.Name, "id", ss.st.ID, "after", s.now().Sub(ss.start).Round(time.Second), "why", why, "open", s.limits.count())
	s.wg.Done()
}

// sessionModel is the tour as a session runs it: it notes the learner's
// activity, and turns a panic in the tour into the end of this session
// alone, with a log line.
type sessionModel struct {
	tour tea.Model // a tour.Model
	ss   *session
}

func (m sessionModel) Init() tea.Cmd { return m.ss.guard(m.tour.Init()) }

func (m sessionModel) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			m.ss.crashed(r, "update")
			model, cmd = m, nil
		}
	}()
	switch msg.(type) {
	case tea.KeyPressMsg, tea.MouseClickMsg, tea.MouseWheelMsg, tea.PasteMsg:
		m.ss.touch()
	}
	m.tour, cmd = m.tour.Update(msg)
	return m, m.ss.guard(cmd)
}

func (m sessionModel) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			m.ss.crashed(r, "view")
			v = tea.NewView("")
		}
	}()
	return m.tour.View()
}

// guard runs cmd with a recover, and the commands of a batch it returns
// likewise, so a panic off the event loop ends only this session; and
// counts it while it runs, so the session's end can wait for its saves.
func (ss *session) guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		ss.running.Add(1)
		defer ss.running.Add(-1)
		defer func() {
			if r := recover(); r != nil {
				ss.crashed(r, "command")
				msg = nil
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			guarded := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				guarded[i] = ss.guard(c)
			}
			return guarded
		}
		return msg
	}
}
