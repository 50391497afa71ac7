package tour

import (
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// snapshots collects what the tour reports, as a host would.
type snapshots struct {
	mu  sync.Mutex
	all []Snapshot
}

func (s *snapshots) add(x Snapshot) { s.mu.Lock(); s.all = append(s.all, x); s.mu.Unlock() }

func (s *snapshots) last(t *testing.T) Snapshot {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.all) == 0 {
		t.Fatal("no snapshot reported")
	}
	return s.all[len(s.all)-1]
}

func (s *snapshots) count() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.all) }

func TestReportsWhereTheLearnerStandsWhenItChanges(t *testing.T) {
	var got snapshots
	cfg := testConfig(t)
	cfg.Room.OnChange = got.add
	m := start(t, newTest(t, cfg, noTicks), 100, 30)
	first := got.last(t)
	if first.Lesson != 0 || first.Slug != "fixture-first" || len(first.Statuses) != 3 || !first.Statuses[0].Visited {
		t.Fatalf("first report: %+v", first)
	}
	n := got.count()
	m = drive(t, m, keys("down", "down", "up")...) // scrolling changes nothing reported
	if got.count() != n {
		t.Fatalf("%d reports after scrolling, want %d", got.count(), n)
	}
	m = drive(t, m, keys("right", "right")...)
	s := got.last(t)
	if s.Lesson != 2 || s.Seq <= first.Seq || !s.Statuses[1].Visited {
		t.Fatalf("after moving: %+v", s)
	}
	// Answering the quiz is reported, with the score.
	m = drive(t, m, keys("a", "1")...)
	s = got.last(t)
	if s.Statuses[2].Answered != 1 {
		t.Fatalf("answer not reported: %+v", s.Statuses[2])
	}
	_ = m
}

func TestRoomLessonMovesOrHints(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 100, 30)
	m = drive(t, m, RoomLessonMsg{Slug: "fixture-quiz"})
	if m.idx != 0 {
		t.Fatalf("a hint moved the learner to %d", m.idx)
	}
	if !strings.Contains(screen(m), "room: lesson 3") {
		t.Fatalf("no hint in the header:\n%s", screen(m))
	}
	// Once there, the hint goes.
	m = drive(t, m, keys("right", "right")...)
	if strings.Contains(screen(m), "room: lesson") {
		t.Fatalf("hint stays on the room's lesson:\n%s", screen(m))
	}
	m = drive(t, m, keys("m")...) // a menu open when the room moves closes
	m = drive(t, m, RoomLessonMsg{Slug: "fixture-second", Move: true})
	if m.idx != 1 || m.overlay != overlayNone {
		t.Fatalf("move: idx %d overlay %d", m.idx, m.overlay)
	}
	if !strings.Contains(screen(m), "The room moved to lesson 2.") {
		t.Fatalf("no note of the move:\n%s", screen(m))
	}
	m = drive(t, m, RoomLessonMsg{Slug: "no-such-lesson", Move: true})
	if m.idx != 1 {
		t.Fatalf("unknown slug moved the learner to %d", m.idx)
	}
}

func TestEndSessionSavesAndQuits(t *testing.T) {
	cfg := testConfig(t)
	cfg.ProgressPath = filepath.Join(t.TempDir(), "p.json")
	m := start(t, newTest(t, cfg, noTicks), 100, 30)
	m = drive(t, m, keys("right")...)
	_, cmd := m.Update(EndSessionMsg{})
	if cmd == nil {
		t.Fatal("no command: neither save nor quit")
	}
	quit := false
	var walk func(tea.Cmd)
	walk = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.QuitMsg:
			quit = true
		case tea.BatchMsg:
			for _, c := range msg {
				walk(c)
			}
		default:
			// a sequence: run its parts in order
			if seq, ok := asSequence(msg); ok {
				for _, c := range seq {
					walk(c)
				}
			}
		}
	}
	walk(cmd)
	if !quit {
		t.Error("EndSessionMsg did not quit")
	}
	p, err := lessons.LoadProgress(cfg.ProgressPath)
	if err != nil || p.Last() != "fixture-second" {
		t.Fatalf("saved progress: last %q, err %v", p.Last(), err)
	}
}

// asSequence opens tea.Sequence's message, whose type is unexported:
// a slice of commands.
func asSequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	return v.Convert(reflect.TypeFor[[]tea.Cmd]()).Interface().([]tea.Cmd), true
}

// testPanel is a host's panel that counts what it was given.
type testPanel struct {
	closed bool
	w, h   int
	msgs   []string
	dark   *theme.Styles
}

type panelNote string

func (p testPanel) Open() Panel { p.closed = false; return p }
func (p testPanel) Update(msg tea.Msg) (Panel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.String() == "esc" {
			p.closed = true
		}
		p.msgs = append(p.msgs, "key:"+msg.String())
	case panelNote:
		p.msgs = append(p.msgs, string(msg))
	}
	return p, nil
}
func (p testPanel) View() string {
	return "ROOM PANEL " + strings.Join(p.msgs, ",")
}
func (p testPanel) SetSize(w, h int) Panel           { p.w, p.h = w, h; return p }
func (p testPanel) SetStyles(st *theme.Styles) Panel { p.dark = st; return p }
func (p testPanel) KeyMap() help.KeyMap              { return panelKeys{} }
func (p testPanel) Closed() bool                     { return p.closed }

type panelKeys struct{}

func (panelKeys) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close room"))}
}
func (k panelKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func TestPanelOpensOnlyWhenThere(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 100, 30)
	m = drive(t, m, keys("i")...)
	if m.overlay != overlayNone {
		t.Fatalf("i opened overlay %d with no panel", m.overlay)
	}
	m = drive(t, m, keys("?")...)
	if strings.Contains(screen(m), "room view") {
		t.Fatalf("help lists the room key without a panel:\n%s", screen(m))
	}

	cfg := testConfig(t)
	cfg.Room.Panel = testPanel{}
	m = start(t, newTest(t, cfg, noTicks), 100, 30)
	m = drive(t, m, keys("?")...)
	if !strings.Contains(screen(m), "room view") {
		t.Fatalf("help does not list the room key:\n%s", screen(m))
	}
	m = drive(t, m, keys("esc", "i")...)
	if m.overlay != overlayPanel {
		t.Fatalf("i did not open the panel: overlay %d", m.overlay)
	}
	if p := m.room.panel.(testPanel); p.w != 100 || p.h != 30 {
		t.Fatalf("panel sized %dx%d", p.w, p.h)
	}
	// Messages for the panel reach it; keys go to it while it is open.
	m = drive(t, m, PanelMsg{Msg: panelNote("hello")}, press("x"))
	s := screen(m)
	if !strings.Contains(s, "ROOM PANEL hello,key:x") || !strings.Contains(s, "close room") {
		t.Fatalf("panel not drawn with its keys:\n%s", s)
	}
	if m.idx != 0 {
		t.Fatal("a key for the panel reached the layout")
	}
	m = drive(t, m, keys("esc")...)
	if m.overlay != overlayNone {
		t.Fatalf("esc did not close the panel: overlay %d", m.overlay)
	}
	m = drive(t, m, PanelMsg{Msg: panelNote("closed")})
	if p := m.room.panel.(testPanel); p.msgs[len(p.msgs)-1] != "closed" {
		t.Fatalf("a closed panel missed a message: %v", p.msgs)
	}
	checkScreen(t, m)
}

func TestSeedReachesEveryRun(t *testing.T) {
	var mu sync.Mutex
	var seeds []uint64
	run := func(s sim.Scenario, o sim.Options) (sim.Result, error) {
		mu.Lock()
		seeds = append(seeds, o.Seed)
		mu.Unlock()
		return fakeRun(s, o)
	}
	cfg := testConfig(t)
	cfg.Seed = 4242
	m := start(t, newModel(cfg, run, noTicks), 100, 30)
	drive(t, m, keys("tab", "right", "n")...)
	mu.Lock()
	defer mu.Unlock()
	if len(seeds) < 3 {
		t.Fatalf("%d runs", len(seeds))
	}
	for _, s := range seeds {
		if s != 4242 {
			t.Fatalf("a run had seed %d, want 4242: %v", s, seeds)
		}
	}
}
