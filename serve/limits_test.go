package serve

import (
	"strings"
	"testing"
	"time"
)

func TestLimitsHold(t *testing.T) {
	t.Run("sessions in all", func(t *testing.T) {
		ts := startServer(t, Config{MaxSessions: 2})
		key := newKey(t)
		a := openTerminal(t, ts.dialKey(t, "a", key), termOptions{})
		openTerminal(t, ts.dialKey(t, "b", newKey(t)), termOptions{}).waitScreen("Lesson 1/7")
		a.waitScreen("Lesson 1/7")
		third := openTerminal(t, ts.dialKey(t, "c", newKey(t)), termOptions{})
		out, err := third.wait()
		if exitStatus(t, err) != 1 {
			t.Errorf("full room: exit %v, want 1", err)
		}
		refusedOnce(t, "full room", out, "the room is full (2 sessions open")
		ts.waitLog(t, "what=full count=1")
		// The server goes on: the two in it still work, and a place freed
		// is a place taken.
		a.press("right")
		a.waitScreen("Lesson 2/7")
		a.press("q")
		a.wait()
		openTerminal(t, ts.dialKey(t, "c", newKey(t)), termOptions{}).waitScreen("Lesson 1/7")
	})
	t.Run("sessions per address", func(t *testing.T) {
		ts := startServer(t, Config{MaxPerAddress: 1})
		openTerminal(t, ts.dialKey(t, "a", newKey(t)), termOptions{}).waitScreen("Lesson 1/7")
		second := openTerminal(t, ts.dialKey(t, "b", newKey(t)), termOptions{})
		out, err := second.wait()
		if exitStatus(t, err) != 1 {
			t.Errorf("second from one address: exit %v, want 1", err)
		}
		refusedOnce(t, "per address", out, "sessions are open from your address already")
		ts.waitLog(t, "what=per-address count=1")
	})
	t.Run("idle time", func(t *testing.T) {
		ts := startServer(t, Config{IdleTimeout: time.Second})
		term := openTerminal(t, ts.dialKey(t, "a", newKey(t)), termOptions{})
		term.waitScreen("Lesson 1/7")
		for range 4 { // keys keep it alive
			term.press("down")
			time.Sleep(250 * time.Millisecond)
		}
		last := time.Now()
		out, _ := term.wait()
		if d := time.Since(last); d < 500*time.Millisecond {
			t.Errorf("ended %v after the last key, want about a second", d)
		}
		if !strings.Contains(out, "no key was pressed for 1s") || !strings.Contains(out, "progress is saved") {
			t.Errorf("idle: stderr %q", out)
		}
	})
	t.Run("session length", func(t *testing.T) {
		ts := startServer(t, Config{MaxSession: 500 * time.Millisecond})
		term := openTerminal(t, ts.dialKey(t, "a", newKey(t)), termOptions{})
		term.waitScreen("Lesson 1/7")
		term.press("right")
		out, _ := term.wait()
		if !strings.Contains(out, "sessions here last at most 500ms") {
			t.Errorf("length: stderr %q", out)
		}
	})
}
