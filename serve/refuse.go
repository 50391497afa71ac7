package serve

import (
	"fmt"
	"strings"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The server runs the tour and nothing else: no shell, no commands, no
// forwarding of ports, agent or X11, no file transfer. A client that asks
// gets one line saying so, and the server logs it with a count.

// Refusals, one line each, as the client sees them.
const (
	refuseExec    = "serverless-tour: this server runs only the tour, not commands; connect with plain ssh -t -p %s HOST"
	refuseCopy    = "serverless-tour: no file transfer (scp, sftp) here: this server runs only the tour"
	refuseNoPty   = "serverless-tour: the tour needs a terminal; run ssh -t -p %s HOST"
	refuseForward = "serverless-tour: port forwarding is off here"
	refuseAgent   = "serverless-tour: agent forwarding is off here; your keys stay on your machine"
	refuseX11     = "serverless-tour: X11 forwarding is off here"
	refuseChannel = "serverless-tour: only terminal sessions are served here"
)

// maxEnv bounds the environment a client may send (each "env" request is
// kept for the session's life).
const (
	maxEnv      = 64
	maxEnvBytes = 4096
)

// sessionChannel serves a session channel with the library's handler,
// after refusing the requests the server does not grant: agent and X11
// forwarding (the library would say yes to the agent and do nothing), and
// an environment past its bounds.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: ch, s: s, ctx: ctx}, ctx)
}

type filteredChannel struct {
	gossh.NewChannel
	s   *Server
	ctx ssh.Context
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go func() {
		defer close(out)
		env, envBytes := 0, 0
		for req := range reqs {
			kind, line := "", ""
			switch req.Type {
			case "auth-agent-req@openssh.com":
				kind, line = "agent", refuseAgent
			case "x11-req":
				kind, line = "x11", refuseX11
			case "env":
				env++
				envBytes += len(req.Payload)
				if env > maxEnv || envBytes > maxEnvBytes {
					if req.WantReply {
						_ = req.Reply(false, nil)
					}
					continue
				}
			}
			if kind == "" {
				out <- req
				continue
			}
			if req.WantReply {
				_ = req.Reply(false, nil)
			}
			fmt.Fprintln(ch.Stderr(), line+"\r")
			f.s.logRefusal(f.ctx, kind)
		}
	}()
	return ch, out, nil
}

// rejectChannel refuses a channel of any type but session: direct-tcpip
// (ssh -L) and whatever else a client may open.
func (s *Server) rejectChannel(_ *ssh.Server, _ *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	if ch.ChannelType() == "direct-tcpip" || ch.ChannelType() == "direct-streamlocal@openssh.com" {
		_ = ch.Reject(gossh.Prohibited, refuseForward)
		s.logRefusal(ctx, "port-forward")
		return
	}
	_ = ch.Reject(gossh.Prohibited, refuseChannel)
	s.logRefusal(ctx, "channel "+printable(ch.ChannelType()))
}

// refuseGlobal refuses every global request: remote forwarding (ssh -R)
// and anything else. The protocol carries no message with the refusal;
// OpenSSH prints its own warning.
func (s *Server) refuseGlobal(ctx ssh.Context, _ *ssh.Server, req *gossh.Request) (bool, []byte) {
	switch req.Type {
	case "tcpip-forward", "streamlocal-forward@openssh.com":
		s.logRefusal(ctx, "port-forward")
	}
	return false, nil
}

// refuseSubsystem answers sftp and any other subsystem.
func (s *Server) refuseSubsystem(sess ssh.Session) {
	fmt.Fprintln(sess.Stderr(), refuseCopy)
	s.logRefusal(sess.Context(), "subsystem "+printable(sess.Subsystem()))
	_ = sess.Exit(1)
}

// refusal is what the server says to a session that asked for a command
// or came without a terminal, and the kind of refusal; "" if it may have
// the tour.
func (s *Server) refusal(sess ssh.Session) (line, kind string) {
	if cmd := sess.RawCommand(); cmd != "" {
		if f := strings.Fields(cmd); len(f) > 0 && (f[0] == "scp" || f[0] == "rsync" || f[0] == "sftp") {
			return refuseCopy, "exec " + f[0]
		}
		return fmt.Sprintf(refuseExec, s.port()), "exec"
	}
	if _, _, ok := sess.Pty(); !ok {
		return fmt.Sprintf(refuseNoPty, s.port()), "no-pty"
	}
	return "", ""
}

func (s *Server) logRefusal(ctx ssh.Context, kind string) {
	s.log.Warn("refused", "what", kind, "count", s.count.refused(kind), "user", displayName(ctx.User()), "remote", ctx.RemoteAddr().String())
}
