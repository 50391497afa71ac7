package serve

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/tour/theme"
)

func roomState() RoomState {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	return RoomState{
		Now: now, RoomLesson: -1, Instructors: 1,
		Lessons: []LessonInfo{
			{Number: 1, Title: "Trust", Slug: "trust", Questions: 3},
			{Number: 2, Title: "Idle", Slug: "idle", Challenge: true},
			{Number: 3, Title: "Pay", Slug: "pay", Questions: 2},
		},
		Students: []StudentRow{
			{Name: "ann", Reported: true, Lesson: 1, Left: []string{"challenge"}, LastActive: now.Add(-5 * time.Second)},
			{Name: "ben", Reported: true, Lesson: 1, Left: []string{"challenge"}, Challenges: 0, QuizRight: 2, Answered: 3, LastActive: now.Add(-3 * time.Minute)},
			{Name: "cy", Reported: true, Lesson: 1, Challenges: 1, LastActive: now.Add(-65 * time.Minute)},
			{Name: "di", Reported: true, Lesson: 2, Left: []string{"quiz 0 of 2 answered"}, Sessions: 2},
			{Name: "ed"}, // connected, not yet reported
		},
	}
}

func TestRoomViewDrawsRowsAndSummary(t *testing.T) {
	var r = NewRoomView(theme.New(true, true), nil, "ssh -p 2222 HOST").SetSize(100, 30)
	r, _ = r.Update(roomState())
	s := ansi.Strip(r.View())
	for _, want := range []string{
		"Room · 5 students · 1 instructor",
		"ben            2. Idle",
		"2/3", // ben's quiz: 2 right of 3 answered
		"3m", "1h05m", "5s",
		"di ×2",
		"On each lesson  1: 0 · 2: 3 · 3: 1",
		"Most stuck  lesson 2. Idle: 2 of 3 there (its challenge)",
		"Room's lesson  not set",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("room view lacks %q:\n%s", want, s)
		}
	}
	for i, l := range strings.Split(s, "\n") {
		if w := ansi.StringWidth(l); w > 100 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
	// Small screens: it stays within them.
	small, _ := NewRoomView(theme.New(false, false), nil, "").SetSize(40, 12).Update(roomState())
	v := small.View()
	if h := strings.Count(v, "\n") + 1; h > 12 {
		t.Errorf("%d lines on a 12-line screen", h)
	}
}

func TestRoomViewSetsTheLessonAndCloses(t *testing.T) {
	var set []string
	r := NewRoomView(theme.New(true, true), func(slug string) { set = append(set, slug) }, "").SetSize(100, 30)
	r, _ = r.Update(roomState())
	r = r.Open()
	for _, k := range []tea.KeyPressMsg{{Code: tea.KeyRight}, {Code: tea.KeyRight}, {Code: tea.KeyRight}} {
		r, _ = r.Update(k)
	}
	r, cmd := r.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if cmd == nil {
		t.Fatal("enter gave no command")
	}
	cmd()
	if len(set) != 1 || set[0] != "pay" {
		t.Fatalf("set %v, want [pay] (the last lesson; → stops there)", set)
	}
	r, _ = r.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if !r.Closed() {
		t.Error("esc did not close the view")
	}
}
