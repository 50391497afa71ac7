package serve

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestStudentGetsTheTourAndNavigates(t *testing.T) {
	ts := startServer(t, Config{})
	c := ts.dialKey(t, "alice", newKey(t))
	term := openTerminal(t, c, termOptions{w: 90, h: 28})
	term.waitScreen("Lesson 1/7", "The contract of trust")
	term.press("right")
	term.waitScreen("Lesson 2/7")
	term.press("m") // the lesson menu
	term.waitScreen("Lessons", "enter open")
	term.press("esc", "left")
	term.waitScreen("Lesson 1/7")
	// The tour follows the terminal's size: wide enough, the lesson and the
	// simulation sit side by side, each in its frame.
	term.resize(150, 40)
	s := term.waitScreen("▸ Lesson", "Simulation ─")
	if lines := strings.Split(s, "\n"); len(lines) > 40 {
		t.Errorf("%d lines on a 40-line terminal", len(lines))
	}
	term.press("q")
	if _, err := term.wait(); err != nil {
		t.Fatalf("q: session ended with %v", err)
	}
	ts.waitLog(t, `why=quit`)
}

// titleColour is the foreground of the header's lesson title, which the
// theme draws in its accent: one colour on dark, another on light.
func titleColour(t *testing.T, term *terminal) color.Color {
	t.Helper()
	term.waitScreen("Lesson 1/7")
	term.mu.Lock()
	defer term.mu.Unlock()
	line := term.emu.String()
	first, _, _ := strings.Cut(line, "\n")
	x := strings.Index(first, "The contract")
	if x < 0 {
		t.Fatalf("no title in %q", first)
	}
	return term.emu.CellAt(ansi.StringWidth(first[:x]), 0).Style.Fg
}

func TestEachSessionTakesItsOwnTerminalsColours(t *testing.T) {
	ts := startServer(t, Config{})
	dark := openTerminal(t, ts.dialKey(t, "dark", newKey(t)), termOptions{bg: color.Black})
	light := openTerminal(t, ts.dialKey(t, "light", newKey(t)), termOptions{bg: color.White})
	plain := openTerminal(t, ts.dialKey(t, "plain", newKey(t)), termOptions{bg: color.Black, env: map[string]string{"NO_COLOR": "1"}})
	// The answer to the background query comes after the first frame:
	// wait for the light theme to land.
	var d, l color.Color
	deadline := time.Now().Add(waitFor)
	for {
		d, l = titleColour(t, dark), titleColour(t, light)
		if d != nil && l != nil && !sameColour(d, l) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dark and light terminals drew the title alike: %v and %v", d, l)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if p := titleColour(t, plain); p != nil {
		t.Errorf("NO_COLOR from the client: the title is still coloured %v", p)
	}
}

func sameColour(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar == br && ag == bg && ab == bb
}
