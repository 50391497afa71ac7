package serve

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"
)

func TestInstructorSeesStudentsAppearAndMove(t *testing.T) {
	for _, follow := range []bool{false, true} {
		name := "hint"
		if follow {
			name = "follow"
		}
		t.Run(name, func(t *testing.T) {
			teacher := newKey(t)
			ts := startServer(t, Config{InstructorKeys: []gossh.PublicKey{teacher.PublicKey()}, Follow: follow})
			room := openTerminal(t, ts.dialKey(t, "teacher", teacher), termOptions{w: 120, h: 36})
			room.waitScreen("Lesson 1/7")
			room.press("i")
			room.waitScreen("Room · 0 students · 1 instructor", "No students connected yet")

			alice := openTerminal(t, ts.dialKey(t, "alice", newKey(t)), termOptions{})
			alice.waitScreen("Lesson 1/7")
			room.waitScreen("Room · 1 student", "alice", "1. The contract of trust")
			bob := openTerminal(t, ts.dialKey(t, "bob", newKey(t)), termOptions{})
			bob.waitScreen("Lesson 1/7")
			bob.press("right")
			room.waitScreen("Room · 2 students", "bob", "2. Idle capacity", "On each lesson  1: 1 · 2: 1 · 3: 0")

			// The instructor sets the room's lesson: 3.
			room.press("right", "right", "enter")
			room.waitScreen("Room's lesson  lesson 3")
			ts.waitLog(t, "room lesson set lesson=pooling")
			if follow {
				alice.waitScreen("Lesson 3/7", "The room moved to lesson 3.")
				room.waitScreen("On each lesson  1: 0 · 2: 0 · 3: 2")
			} else {
				s := alice.waitScreen("room: lesson 3")
				if !strings.Contains(s, "Lesson 1/7") {
					t.Fatalf("without --follow a student was moved:\n%s", s)
				}
			}
			// A student who leaves leaves the room.
			bob.press("q")
			bob.wait()
			room.waitScreen("Room · 1 student")
		})
	}
}

func TestStudentsDoNotGetTheRoomView(t *testing.T) {
	ts := startServer(t, Config{InstructorKeys: []gossh.PublicKey{newKey(t).PublicKey()}})
	term := openTerminal(t, ts.dialKey(t, "alice", newKey(t)), termOptions{})
	term.waitScreen("Lesson 1/7")
	term.press("i", "?")
	s := term.waitScreen("quit from anywhere") // the key help
	if strings.Contains(s, "Room ·") || strings.Contains(s, "room view") {
		t.Fatalf("a student's tour offers the room view:\n%s", s)
	}
}

// panicky is a tour that panics on "!", as a bug would.
type panicky struct{ tea.Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "!" {
		panic("a bug in one session")
	}
	next, cmd := p.Model.Update(msg)
	return panicky{next}, cmd
}

func TestOneSessionsPanicLeavesTheOthersRunning(t *testing.T) {
	ts := startServer(t, Config{wrapTour: func(m tea.Model) tea.Model { return panicky{m} }})
	a := openTerminal(t, ts.dialKey(t, "a", newKey(t)), termOptions{})
	b := openTerminal(t, ts.dialKey(t, "b", newKey(t)), termOptions{})
	a.waitScreen("Lesson 1/7")
	b.waitScreen("Lesson 1/7")
	a.press("!")
	out, _ := a.wait()
	if !strings.Contains(out, "something went wrong in this session") {
		t.Errorf("the crashed session read %q", out)
	}
	ts.waitLog(t, `session crashed student=a`)
	ts.waitLog(t, `panic="a bug in one session"`)
	b.press("right")
	b.waitScreen("Lesson 2/7")
	// And the server takes new sessions.
	openTerminal(t, ts.dialKey(t, "c", newKey(t)), termOptions{}).waitScreen("Lesson 1/7")
}
