package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/log/v2"
)

// restart stops ts and starts a new server on the same state folder, as
// an instructor restarting the room would.
func restart(t *testing.T, ts *testServer, cfg Config) *testServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	cfg.StateDir = ts.state
	cfg.Course, cfg.Pricing = course(t)
	cfg.Addr = "127.0.0.1:0"
	logs := &syncBuffer{}
	cfg.Logger = log.New(logs)
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	if srv.Fingerprint() != ts.Fingerprint() {
		t.Fatalf("the host key changed over a restart: %s, then %s", ts.Fingerprint(), srv.Fingerprint())
	}
	return serveOn(t, srv, ts.state, logs)
}

func TestProgressSurvivesReconnectAndRestart(t *testing.T) {
	ts := startServer(t, Config{})
	key := newKey(t)
	id := keyStudentID(key.PublicKey())

	term := openTerminal(t, ts.dialKey(t, "alice", key), termOptions{})
	term.waitScreen("Lesson 1/7")
	term.press("right")
	term.waitScreen("Lesson 2/7")
	term.sess.Close() // the connection drops: no q, no goodbye
	ts.waitLog(t, "disconnect student=alice")

	term = openTerminal(t, ts.dialKey(t, "alice", key), termOptions{})
	term.waitScreen("Lesson 2/7") // resumed
	term.press("right")
	term.waitScreen("Lesson 3/7")

	// The server restarts while she is connected: told, saved, resumed.
	ts = restart(t, ts, Config{})
	out, _ := term.wait()
	if !strings.Contains(out, "server is stopping; your progress is saved") {
		t.Errorf("on stopping, the student read %q", out)
	}
	if last := ts.progressOf(t, id).Last(); last != "pooling" {
		t.Fatalf("saved last lesson %q, want pooling", last)
	}
	term = openTerminal(t, ts.dialKey(t, "alice", key), termOptions{})
	term.waitScreen("Lesson 3/7")

	// A server killed between writing a progress file and renaming it
	// over the old one leaves the old file whole and a temporary beside
	// it; the next start reads the old file and the next save clears the
	// temporary.
	ts = restart(t, ts, Config{})
	path := filepath.Join(ts.state, "students", id, "progress.json")
	tmp := filepath.Join(filepath.Dir(path), ".progress.json-12345.tmp")
	if err := os.WriteFile(tmp, []byte(`{"version": 2, "last": "contract-of-tru`), 0o600); err != nil {
		t.Fatal(err)
	}
	term = openTerminal(t, ts.dialKey(t, "alice", key), termOptions{})
	term.waitScreen("Lesson 3/7")
	term.press("left")
	term.waitScreen("Lesson 2/7")
	// The save that follows the move clears the temporary.
	deadline := time.Now().Add(waitFor)
	for ts.progressOf(t, id).Last() != "idle-capacity" {
		if time.Now().After(deadline) {
			t.Fatalf("after the crash: last %q, want idle-capacity", ts.progressOf(t, id).Last())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the half-written temporary file is still there after a save: %v", err)
	}
}

// Two connections with one key are one student: each saves by merging
// with what the other saved, so neither erases the other's work.
func TestTwoConnectionsWithOneKeyMerge(t *testing.T) {
	ts := startServer(t, Config{})
	key := newKey(t)
	id := keyStudentID(key.PublicKey())
	a := openTerminal(t, ts.dialKey(t, "alice", key), termOptions{})
	b := openTerminal(t, ts.dialKey(t, "alice", key), termOptions{})
	a.waitScreen("Lesson 1/7")
	b.waitScreen("Lesson 1/7")
	// a answers lesson 1's first question; b goes to lesson 3 and answers
	// its first.
	a.press("a", "1")
	a.waitScreen("change answer")
	b.press("right", "right")
	b.waitScreen("Lesson 3/7")
	b.press("a", "2")
	b.waitScreen("change answer")
	a.press("esc", "q")
	b.press("esc", "q")
	a.wait()
	b.wait()
	p := ts.progressOf(t, id)
	if got := p.Answers("contract-of-trust"); len(got) == 0 || got[0] != 0 {
		t.Errorf("a's answer lost: %v", got)
	}
	if got := p.Answers("pooling"); len(got) == 0 || got[0] != 1 {
		t.Errorf("b's answer lost: %v", got)
	}
}
