package serve

import (
	"errors"
	"io"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// exitStatus is a session's exit status from Wait's error (0 for nil).
func exitStatus(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var exit *gossh.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("session ended without an exit status: %v", err)
	}
	return exit.ExitStatus()
}

// refusedOnce checks that out is exactly one line, the refusal want.
func refusedOnce(t *testing.T, what, out, want string) {
	t.Helper()
	out = strings.TrimRight(strings.ReplaceAll(out, "\r", ""), "\n")
	if strings.Count(out, "\n") != 0 || !strings.Contains(out, want) {
		t.Errorf("%s: got %q, want one line with %q", what, out, want)
	}
}

func TestRefusals(t *testing.T) {
	ts := startServer(t, Config{})
	c := ts.dialKey(t, "mallory", newKey(t))

	run := func(start func(*gossh.Session) error) (stdout, stderr string, status int) {
		t.Helper()
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		outPipe, _ := sess.StdoutPipe()
		errPipe, _ := sess.StderrPipe()
		if err := start(sess); err != nil {
			t.Fatalf("request refused outright: %v", err)
		}
		out, _ := io.ReadAll(outPipe)
		errb, _ := io.ReadAll(errPipe)
		status = -1
		if err := sess.Wait(); err == nil || !strings.Contains(err.Error(), "not started") {
			status = exitStatus(t, err) // a subsystem is not "started" for the client
		}
		return string(out), string(errb), status
	}

	for _, tc := range []struct {
		what  string
		start func(*gossh.Session) error
		want  string
		log   string
	}{
		{"exec", func(s *gossh.Session) error { return s.Start("cat /etc/passwd") }, "not commands", "what=exec"},
		{"exec with a PTY", func(s *gossh.Session) error {
			if err := s.RequestPty("xterm", 24, 80, nil); err != nil {
				return err
			}
			return s.Start("bash")
		}, "not commands", "what=exec"},
		{"scp (legacy protocol)", func(s *gossh.Session) error { return s.Start("scp -t /tmp") }, "no file transfer", `what="exec scp"`},
		{"sftp subsystem (and scp, which uses it)", func(s *gossh.Session) error { return s.RequestSubsystem("sftp") }, "no file transfer", `what="subsystem sftp"`},
		{"a shell without a PTY", func(s *gossh.Session) error { return s.Shell() }, "the tour needs a terminal; run ssh -t -p", "what=no-pty"},
	} {
		stdout, stderr, status := run(tc.start)
		if status != 1 && status != -1 {
			t.Errorf("%s: exit status %d, want 1", tc.what, status)
		}
		if stdout != "" {
			t.Errorf("%s: wrote %q to stdout, want nothing", tc.what, stdout)
		}
		refusedOnce(t, tc.what, stderr, tc.want)
		ts.waitLog(t, tc.log)
	}

	// Local forwarding (ssh -L): the channel is refused with the reason.
	if _, err := c.Dial("tcp", "127.0.0.1:22"); err == nil || !strings.Contains(err.Error(), refuseForward) {
		t.Errorf("direct-tcpip: got %v, want a refusal saying %q", err, refuseForward)
	}
	ts.waitLog(t, "what=port-forward")
	// Remote forwarding (ssh -R): the global request is refused.
	if l, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Error("tcpip-forward: a port was opened on the server")
	}
	ts.waitLog(t, "what=port-forward count=2")
	// Other channel types are refused too.
	if _, _, err := c.OpenChannel("x11", nil); err == nil || !strings.Contains(err.Error(), refuseChannel) {
		t.Errorf("x11 channel: got %v, want %q", err, refuseChannel)
	}

	// Agent and X11 forwarding asked for in a session: refused, one line
	// each, and the tour goes on.
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, _ := sess.StderrPipe()
	if err := agent.RequestAgentForwarding(sess); err == nil {
		t.Error("agent forwarding: the request was granted")
	}
	x11 := struct {
		Single           bool
		Protocol, Cookie string
		Screen           uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00", 0}
	if ok, _ := sess.SendRequest("x11-req", true, gossh.Marshal(&x11)); ok {
		t.Error("x11 forwarding: the request was granted")
	}
	ts.waitLog(t, "what=agent")
	ts.waitLog(t, "what=x11")
	sess.Close()
	errb, _ := io.ReadAll(errPipe)
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(errb), "\r", "")), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], refuseAgent) || !strings.Contains(lines[1], refuseX11) {
		t.Errorf("agent and x11: stderr %q, want their two refusals", errb)
	}
}
