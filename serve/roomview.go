package serve

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/tour"
	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// RoomKeys are the room view's keys.
type RoomKeys struct {
	Up, Down   key.Binding // scroll the students
	Prev, Next key.Binding // choose the lesson to set
	SetLesson  key.Binding
	Close      key.Binding
}

// DefaultRoomKeys: ↑↓ scroll, ←→ choose a lesson, enter sets it for the
// room, esc, i or q closes.
func DefaultRoomKeys() RoomKeys {
	return RoomKeys{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		Prev:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous lesson")),
		Next:      key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next lesson")),
		SetLesson: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "set room's lesson")),
		Close:     key.NewBinding(key.WithKeys("esc", "i", "q"), key.WithHelp("esc/i/q", "close")),
	}
}

// ShortHelp is the room view's hint line.
func (k RoomKeys) ShortHelp() []key.Binding {
	return []key.Binding{widgets.JoinKeys("←→", "lesson", k.Prev, k.Next), k.SetLesson, widgets.JoinKeys("↑↓", "scroll", k.Up, k.Down), k.Close}
}

// FullHelp is every key of the room view.
func (k RoomKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Prev, k.Next, k.SetLesson, k.Close}}
}

// RoomView is the instructor's live view of the room: a row per student
// and a summary, and the lesson the room is on, which the instructor
// sets. It draws the latest RoomState the hub sent; it asks for nothing.
type RoomView struct {
	keys      *RoomKeys
	styles    *theme.Styles
	state     RoomState
	choice    int // the lesson the instructor would set
	scroll    int // the first student row shown
	closed    bool
	width     int
	height    int
	setLesson func(slug string)
	connect   string // what students type, for an empty room
}

var _ tour.Panel = RoomView{}

// NewRoomView is an empty room view; setLesson is called with the lesson
// the instructor sets; connect is what students type to join.
func NewRoomView(st *theme.Styles, setLesson func(slug string), connect string) RoomView {
	keys := DefaultRoomKeys()
	return RoomView{keys: &keys, styles: st, setLesson: setLesson, connect: connect, state: RoomState{RoomLesson: -1}}
}

// Open is the view as it opens, its lesson choice on the room's lesson.
func (r RoomView) Open() tour.Panel {
	r.closed = false
	if r.state.RoomLesson >= 0 {
		r.choice = r.state.RoomLesson
	}
	return r
}

// Closed reports whether the instructor closed the view.
func (r RoomView) Closed() bool { return r.closed }

// KeyMap is the view's keys.
func (r RoomView) KeyMap() help.KeyMap { return *r.keys }

// SetSize is the screen the view may take.
func (r RoomView) SetSize(w, h int) tour.Panel { r.width, r.height = w, h; return r }

// SetStyles changes the theme.
func (r RoomView) SetStyles(st *theme.Styles) tour.Panel { r.styles = st; return r }

// Update takes a new RoomState from the hub, or a key.
func (r RoomView) Update(msg tea.Msg) (tour.Panel, tea.Cmd) {
	switch msg := msg.(type) {
	case RoomState:
		if r.state.Lessons == nil && msg.RoomLesson >= 0 {
			r.choice = msg.RoomLesson
		}
		r.state = msg
		r.choice = max(0, min(r.choice, len(msg.Lessons)-1))
		r.scroll = max(0, min(r.scroll, len(msg.Students)-1))
	case tea.KeyPressMsg:
		k := r.keys
		switch {
		case key.Matches(msg, k.Close):
			r.closed = true
		case key.Matches(msg, k.Up):
			r.scroll = max(0, r.scroll-1)
		case key.Matches(msg, k.Down):
			r.scroll = max(0, min(r.scroll+1, len(r.state.Students)-r.rows()))
		case key.Matches(msg, k.Prev):
			r.choice = max(0, r.choice-1)
		case key.Matches(msg, k.Next):
			r.choice = max(0, min(r.choice+1, len(r.state.Lessons)-1))
		case key.Matches(msg, k.SetLesson):
			if r.choice < len(r.state.Lessons) && r.setLesson != nil {
				slug, set := r.state.Lessons[r.choice].Slug, r.setLesson
				return r, func() tea.Msg { set(slug); return nil }
			}
		}
	}
	return r, nil
}

// boxWidth is the view's width inside its border.
func (r RoomView) inner() int { return max(20, min(r.width-2, 104)-4) }

// rows is how many student rows fit: the screen less the box's border,
// title, header, summary, lesson line and keys.
func (r RoomView) rows() int { return max(1, r.height-2-12) }

// View draws the room.
func (r RoomView) View() string {
	st, s, w := r.styles, r.state, r.inner()
	var b strings.Builder
	line := func(text string) { b.WriteString(widgets.FitLine(text, w) + "\n") }
	title := fmt.Sprintf("Room · %s", plural(len(s.Students), "student"))
	if s.Instructors > 0 {
		title += " · " + plural(s.Instructors, "instructor")
	}
	line(st.OverlayTitle.Render(title))
	line("")
	// Name, lesson, challenges, quiz, idle: the lesson column takes what
	// is left.
	const nameW, numW, idleW = 14, 11, 7
	lessonW := max(8, w-nameW-2*numW-idleW-4)
	row := func(name, lesson, ch, quiz, idle string) string {
		return pad(name, nameW) + " " + pad(lesson, lessonW) + " " + pad(ch, numW) + " " + pad(quiz, numW) + " " + pad(idle, idleW)
	}
	line(st.Faint.Render(row("name", "lesson", "challenges", "quiz right", "idle")))
	nCh, nQ := 0, 0
	for _, l := range s.Lessons {
		if l.Challenge {
			nCh++
		}
		nQ += l.Questions
	}
	rows := r.rows()
	shown := 0
	for i := r.scroll; i < len(s.Students) && shown < rows; i++ {
		sr := s.Students[i]
		name := sr.Name
		if sr.Sessions > 1 {
			name += fmt.Sprintf(" ×%d", sr.Sessions)
		}
		lesson, ch, quiz := "…", "–", "–"
		if sr.Reported && sr.Lesson < len(s.Lessons) {
			l := s.Lessons[sr.Lesson]
			lesson = fmt.Sprintf("%d. %s", l.Number, l.Title)
			if nCh > 0 {
				ch = fmt.Sprintf("%d/%d", sr.Challenges, nCh)
			}
			if nQ > 0 && sr.Answered > 0 {
				quiz = fmt.Sprintf("%d/%d", sr.QuizRight, sr.Answered)
			}
		}
		line(row(name, lesson, ch, quiz, idle(s.Now.Sub(sr.LastActive))))
		shown++
	}
	if len(s.Students) == 0 {
		line(st.Faint.Render("No students connected yet. They type: " + r.connect))
	} else if more := len(s.Students) - r.scroll - shown; more > 0 {
		line(st.Faint.Render(fmt.Sprintf("… %d more (↓)", more)))
	}
	line("")
	line(r.onEachLesson())
	line(r.stuck())
	line("")
	line(r.lessonChooser())
	b.WriteString(widgets.FitLine(helpLine(st, *r.keys, w), w))
	box := st.Overlay.Width(w + 4).Render(b.String())
	return widgets.Fit(box, min(lineWidth(box), r.width), min(strings.Count(box, "\n")+1, r.height))
}

// onEachLesson says how many students are on each lesson.
func (r RoomView) onEachLesson() string {
	s := r.state
	counts := make([]int, len(s.Lessons))
	for _, sr := range s.Students {
		if sr.Reported && sr.Lesson < len(counts) {
			counts[sr.Lesson]++
		}
	}
	parts := make([]string, len(counts))
	for i, n := range counts {
		parts[i] = fmt.Sprintf("%d: %d", s.Lessons[i].Number, n)
	}
	return r.styles.PaneTitle.Render("On each lesson  ") + strings.Join(parts, " · ")
}

// stuck names the lesson where most students have something left: with
// its challenge unmet, where lessons have challenges.
func (r RoomView) stuck() string {
	s := r.state
	label := r.styles.PaneTitle.Render("Most stuck  ")
	best, bestN, bestOn := -1, 0, 0
	what := map[string]int{}
	for i, l := range s.Lessons {
		n, on := 0, 0
		reasons := map[string]int{}
		for _, sr := range s.Students {
			if !sr.Reported || sr.Lesson != i {
				continue
			}
			on++
			if len(sr.Left) > 0 && (!l.Challenge || slices.Contains(sr.Left, "challenge")) {
				n++
				for _, why := range sr.Left {
					reasons[why]++
				}
			}
		}
		if n > bestN {
			best, bestN, bestOn, what = i, n, on, reasons
		}
	}
	if best < 0 {
		return label + "no one: every student is done with the lesson they are on"
	}
	l := s.Lessons[best]
	on := "to do there"
	if l.Challenge {
		on = "its challenge"
	} else if why := mostCommon(what); why != "" {
		on = why
	}
	return label + fmt.Sprintf("lesson %d. %s: %d of %d there (%s)", l.Number, l.Title, bestN, bestOn, on)
}

// lessonChooser shows the room's lesson and the one enter would set.
func (r RoomView) lessonChooser() string {
	st, s := r.styles, r.state
	if len(s.Lessons) == 0 {
		return st.Faint.Render("This course has no lessons.")
	}
	l := s.Lessons[r.choice]
	now := "not set"
	if s.RoomLesson >= 0 && s.RoomLesson < len(s.Lessons) {
		now = fmt.Sprintf("lesson %d", s.Lessons[s.RoomLesson].Number)
	}
	how := "students see a hint"
	if s.Follow {
		how = "students are moved"
	}
	return st.PaneTitle.Render("Room's lesson  ") + now + "  " + st.Selected.Render(fmt.Sprintf("‹ %d. %s ›", l.Number, l.Title)) + st.Faint.Render("  enter sets it; "+how)
}

func mostCommon(counts map[string]int) string {
	best, n := "", 0
	for k, c := range counts {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}

func helpLine(st *theme.Styles, km help.KeyMap, w int) string {
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	h.SetWidth(w)
	return h.ShortHelpView(km.ShortHelp())
}

// idle is a duration as the room view shows it: 5s, 3m, 1h05m.
func idle(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// pad fits s to exactly w columns.
func pad(s string, w int) string {
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}

func lineWidth(s string) int {
	w := 0
	for l := range strings.SplitSeq(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}
