//go:build unix

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/serverless-tour/serverless-tour/lessons"
)

// openPTY returns the two ends of a pseudo-terminal, 80x24: tty is what
// the program sees as its terminal, ptmx what a terminal emulator holds.
func openPTY(t *testing.T) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminals here:", err)
	}
	t.Cleanup(func() { ptmx.Close(); tty.Close() })
	must(t, pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 80}))
	return ptmx, tty
}

// runWith runs the command line with the given streams and its own state
// folder, returning the exit code and what went to stderr.
func runWith(t *testing.T, ctx context.Context, stdin io.Reader, stdout io.Writer, args ...string) (int, string) {
	t.Helper()
	var errb bytes.Buffer
	code := run(ctx, args, stdin, stdout, &errb)
	return code, errb.String()
}

// saveSomeProgress writes a progress file in a fresh state folder and
// returns its path and content.
func saveSomeProgress(t *testing.T) (string, []byte) {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := lessons.DefaultProgressPath()
	must(t, err)
	var p lessons.Progress
	p.Open("pay-per-use") // lesson 3: the tour resumes there unless reset
	_, err = p.Save(path)
	must(t, err)
	data, err := os.ReadFile(path)
	must(t, err)
	return path, data
}

func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(os.DevNull)
	must(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// `echo | serverless-tour` and `serverless-tour < /dev/null` have a screen
// but no keyboard: the tour says so instead of starting blind.
func TestTourNeedsAnInteractiveStdin(t *testing.T) {
	_, tty := openPTY(t)
	r, w, err := os.Pipe()
	must(t, err)
	w.Write([]byte("\n"))
	w.Close()
	t.Cleanup(func() { r.Close() })
	for name, stdin := range map[string]io.Reader{"pipe": r, "/dev/null": devNull(t)} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("XDG_STATE_HOME", t.TempDir())
			code, stderr := runWith(t, context.Background(), stdin, tty)
			if code != 2 || !strings.Contains(stderr, "needs an interactive terminal") {
				t.Fatalf("code %d, stderr %q", code, stderr)
			}
			if strings.Contains(stderr, "epoll") {
				t.Errorf("internal message leaked: %q", stderr)
			}
		})
	}
}

// --reset-progress checks the whole command line first: any mistake exits
// 2 and leaves the progress file exactly as it was.
func TestResetProgressValidatesFirst(t *testing.T) {
	_, tty := openPTY(t)
	cases := []struct {
		name   string
		stdin  io.Reader
		stdout io.Writer
		args   []string
		want   string
	}{
		{"bad lesson", tty, tty, []string{"--lesson", "no-such-lesson"}, "no-such-lesson"},
		{"missing content", tty, tty, []string{"--content", "/no/such/dir"}, "--content /no/such/dir: no such folder"},
		{"bad theme", tty, tty, []string{"--theme", "purple"}, "--theme"},
		{"bad pricing", tty, tty, []string{"--pricing", "/no/such/prices.yaml"}, "--pricing"},
		{"stdout not a terminal", tty, &bytes.Buffer{}, nil, "needs an interactive terminal"},
		{"stdin not a terminal", devNull(t), tty, nil, "needs an interactive terminal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, before := saveSomeProgress(t)
			code, stderr := runWith(t, context.Background(), c.stdin, c.stdout, append([]string{"--reset-progress"}, c.args...)...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("code %d, stderr %q; want 2 and %q", code, stderr, c.want)
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
				t.Errorf("progress changed (%v):\n%s", err, after)
			}
			if backups, _ := filepath.Glob(path + ".bak-*"); len(backups) != 0 {
				t.Errorf("backups made: %v", backups)
			}
		})
	}
}

// With a good command line, --reset-progress keeps the old file as a
// backup and, after the tour, says where it is and how to restore it.
func TestResetProgressKeepsABackup(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the tour in a pseudo-terminal")
	}
	ptmx, tty := openPTY(t)
	path, before := saveSomeProgress(t)
	go io.Copy(io.Discard, ptmx) // the terminal emulator's side: drain the screen
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		// Press q until the tour has quit.
		for {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
				ptmx.Write([]byte("q"))
			}
		}
	}()
	code, stderr := runWith(t, ctx, tty, tty, "--reset-progress")
	close(done)
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	backups, _ := filepath.Glob(path + ".bak-*")
	if len(backups) != 1 {
		t.Fatalf("backups: %v", backups)
	}
	if data, _ := os.ReadFile(backups[0]); !bytes.Equal(data, before) {
		t.Errorf("backup holds %q, want the old file", data)
	}
	if !strings.Contains(stderr, backups[0]) || !strings.Contains(stderr, "restore") {
		t.Errorf("stderr %q does not name the backup and how to restore it", stderr)
	}
	after, err := lessons.LoadProgress(path)
	if err != nil || after.Record("pay-per-use").Visited || after.Last() != "contract-of-trust" {
		t.Errorf("progress not reset: last %q, %+v, %v", after.Last(), after.Record("pay-per-use"), err)
	}
}

// A progress file written by a newer serverless-tour: the tour runs, the
// file is untouched, and the learner is told after the tour why nothing
// was saved.
func TestNewerProgressFileIsNotTouched(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the tour in a pseudo-terminal")
	}
	ptmx, tty := openPTY(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	path, err := lessons.DefaultProgressPath()
	must(t, err)
	must(t, os.MkdirAll(filepath.Dir(path), 0o700))
	newer := []byte(`{"version": 3, "from": "the future"}`)
	must(t, os.WriteFile(path, newer, 0o600))
	go io.Copy(io.Discard, ptmx)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(200 * time.Millisecond):
				ptmx.Write([]byte("n")) // move on (a save), then quit
				ptmx.Write([]byte("q"))
			}
		}
	}()
	code, stderr := runWith(t, ctx, tty, tty)
	close(done)
	if code != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, newer) {
		t.Errorf("newer file changed to %q", data)
	}
	for _, want := range []string{"newer serverless-tour", "version 3", "will not be saved"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	// The session keeps its progress in memory: nothing is written, moved
	// or locked beside the newer file.
	if moved, _ := filepath.Glob(path + ".*"); len(moved) != 0 {
		t.Errorf("files beside the progress file: %v", moved)
	}
}
