package serve

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/tour"
)

func TestShutdownTellsSessionsSavesAndStopsInTime(t *testing.T) {
	ts := startServer(t, Config{})
	const n = 8
	terms := make([]*terminal, n)
	keys := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		key := newKey(t)
		keys[i] = keyStudentID(key.PublicKey())
		terms[i] = openTerminal(t, ts.dialKey(t, "s", key), termOptions{})
	}
	for _, term := range terms {
		term.waitScreen("Lesson 1/7")
		// Turn the first knob up: its save waits for a pause in the keys,
		// which the stop cuts short.
		term.press("tab", "esc", "right") // esc: no guess for the forecast, show the run
	}
	for _, term := range terms {
		term.waitScreen("▸ Simulation")
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("stopping took %v", d)
	}
	for i, term := range terms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, _ := term.wait()
			if !strings.Contains(out, "server is stopping; your progress is saved") {
				t.Errorf("session %d read %q", i, out)
			}
		}()
	}
	wg.Wait()
	for i, id := range keys {
		p := ts.progressOf(t, id)
		def := ts.cfg.Course.Lessons[0].Knobs[0].Default
		if k := p.Knobs("contract-of-trust"); len(k) == 0 || k[0] <= def {
			t.Errorf("session %d: knobs %v saved, want the first above its default %v", i, k, def)
		}
	}
	// No new sessions once stopped.
	if c, err := ts.dial(t, "late", nil); err == nil {
		c.Close()
		t.Error("a connection was taken after the stop")
	}
}

func TestHubKeepsTheNewestReportAndOneRowPerStudent(t *testing.T) {
	c, _ := course(t)
	h := makeHub(c, false, time.Now, nil)
	alice := Student{ID: "key-a", Name: "alice"}
	h.handle(joinEvent{id: 1, st: alice, send: func(tea.Msg) {}, at: time.Now()})
	h.handle(joinEvent{id: 2, st: alice, send: func(tea.Msg) {}, at: time.Now().Add(time.Second)})
	snap := func(seq uint64, lesson int) tour.Snapshot {
		return tour.Snapshot{Seq: seq, Lesson: lesson, Statuses: make([]lessons.LessonStatus, len(c.Lessons))}
	}
	h.handle(reportEvent{id: 2, snap: snap(2, 2)})
	h.handle(reportEvent{id: 2, snap: snap(1, 0)}) // late, older
	st := h.state()
	if len(st.Students) != 1 || st.Students[0].Sessions != 2 || st.Students[0].Lesson != 2 {
		t.Fatalf("rows %+v, want alice once, two sessions, on lesson index 2", st.Students)
	}
	h.handle(leaveEvent{id: 2})
	if st := h.state(); len(st.Students) != 1 || st.Students[0].Sessions != 1 {
		t.Fatalf("after one left: %+v", st.Students)
	}
	if !slices.ContainsFunc(st.Lessons, func(l LessonInfo) bool { return l.Slug == "pooling" }) {
		t.Fatal("lessons missing from the state")
	}
}
