package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"image/color"
	"io"
	"io/fs"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
)

// waitFor is how long a test waits for a screen or a log line: long for
// a loaded machine, and a passing test never waits it out.
const waitFor = 10 * time.Second

// course is the embedded course and price table, loaded once per test.
func course(tb testing.TB) (*lessons.Course, *sim.Pricing) {
	tb.Helper()
	c, err := lessons.Load(content.FS)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := fs.ReadFile(content.FS, "pricing/aws-us-east-1.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := sim.ParsePricing(data, "pricing/aws-us-east-1.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	return c, p
}

// syncBuffer is a log the test reads while the server writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a server on a loopback port with its own state folder.
type testServer struct {
	*Server
	addr  string
	state string
	log   *syncBuffer
}

// startServer starts a server with cfg's limits and keys on a free
// loopback port; it stops when the test ends.
func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.StateDir == "" {
		cfg.StateDir = t.TempDir()
	}
	if cfg.Course == nil {
		cfg.Course, cfg.Pricing = course(t)
	}
	cfg.Addr = "127.0.0.1:0"
	logs := &syncBuffer{}
	cfg.Logger = log.New(logs)
	cfg.Logger.SetLevel(log.DebugLevel)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, srv, cfg.StateDir, logs)
}

func serveOn(t *testing.T, srv *Server, state string, logs *syncBuffer) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	ts := &testServer{Server: srv, addr: l.Addr().String(), state: state, log: logs}
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// stop shuts the server down (again is harmless) and checks it took
// less than the ten seconds a classroom is promised.
func (ts *testServer) stop(t *testing.T) {
	if !ts.closing.Load() || ts.sessionCount() > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
		defer cancel()
		if err := ts.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	}
}

func (s *Server) sessionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// waitLog waits for the server's log to contain want.
func (ts *testServer) waitLog(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !strings.Contains(ts.log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never said %q:\n%s", want, ts.log.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// newKey is a fresh client key.
func newKey(t *testing.T) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dial connects as user with the given ways to sign in.
func (ts *testServer) dial(t *testing.T, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	cfg := &gossh.ClientConfig{
		User: user, Auth: auth, Timeout: waitFor,
		HostKeyCallback: gossh.FixedHostKey(ts.PublicKey()),
	}
	return gossh.Dial("tcp", ts.addr, cfg)
}

// dialKey connects with key, failing the test if it cannot.
func (ts *testServer) dialKey(t *testing.T, user string, key gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := ts.dial(t, user, gossh.PublicKeys(key))
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// terminal is a student's terminal: a session with a PTY whose output
// feeds an emulated screen, which answers the tour's queries (such as
// its background colour) as a real terminal would.
type terminal struct {
	t      *testing.T
	sess   *gossh.Session
	stdin  io.Writer
	mu     sync.Mutex
	emu    *vt.Emulator
	stderr *syncBuffer
	done   chan error // the session's end: nil, or its exit error
}

type termOptions struct {
	w, h int
	bg   color.Color       // the background the terminal reports; nil: none
	env  map[string]string // sent before the shell
}

// openTerminal opens a session with a PTY and the tour in it; the
// connection closes when the session ends, as with ssh.
func openTerminal(t *testing.T, c *gossh.Client, o termOptions) *terminal {
	t.Helper()
	if o.w == 0 {
		o.w, o.h = 100, 30
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range o.env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	term := &terminal{t: t, sess: sess, emu: vt.NewEmulator(o.w, o.h), stderr: &syncBuffer{}, done: make(chan error, 1)}
	if o.bg != nil {
		term.emu.SetDefaultBackgroundColor(o.bg)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stderr = term.stderr
	term.stdin = stdin
	if err := sess.RequestPty("xterm-256color", o.h, o.w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := stdout.Read(buf)
			term.mu.Lock()
			term.emu.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	// The terminal's answers to queries go back as input.
	go io.Copy(stdin, term.emu)
	go func() {
		err := sess.Wait()
		c.Close() // as ssh does when its session ends
		term.done <- err
	}()
	// The emulator is not closed: its Close races its Read, and the
	// goroutine copying its answers ends with the test binary.
	t.Cleanup(func() { sess.Close() })
	return term
}

// text is the screen as plain text.
func (term *terminal) text() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.emu.String()
}

// waitScreen waits until the screen contains every one of want.
func (term *terminal) waitScreen(want ...string) string {
	term.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		s := term.text()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("screen never showed %q:\n%s\nstderr: %s", missing, s, term.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// press types keys: names such as "right", "enter", "esc", or text.
func (term *terminal) press(keys ...string) {
	term.t.Helper()
	named := map[string]string{"right": "\x1b[C", "left": "\x1b[D", "up": "\x1b[A", "down": "\x1b[B", "enter": "\r", "esc": "\x1b", "tab": "\t"}
	for _, k := range keys {
		s, ok := named[k]
		if !ok {
			s = k
		}
		if _, err := io.WriteString(term.stdin, s); err != nil {
			term.t.Fatalf("typing %q: %v", k, err)
		}
		// A lone escape is told from the start of a sequence by the pause
		// after it.
		pause := 20 * time.Millisecond
		if k == "esc" {
			pause = 150 * time.Millisecond
		}
		time.Sleep(pause)
	}
}

// resize changes the terminal's size, as a user dragging the window.
func (term *terminal) resize(w, h int) {
	term.t.Helper()
	term.mu.Lock()
	term.emu.Resize(w, h)
	term.mu.Unlock()
	if err := term.sess.WindowChange(h, w); err != nil {
		term.t.Fatal(err)
	}
}

// wait waits for the session to end and returns what it wrote to stderr.
func (term *terminal) wait() (string, error) {
	term.t.Helper()
	select {
	case err := <-term.done:
		return term.stderr.String(), err
	case <-time.After(waitFor):
		term.t.Fatalf("session did not end; screen:\n%s", term.text())
		return "", nil
	}
}

// progressOf reads a student's saved progress.
func (ts *testServer) progressOf(t *testing.T, id string) lessons.Progress {
	t.Helper()
	p, err := lessons.LoadProgress(filepath.Join(ts.state, "students", id, "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
