// Package serve is the SSH classroom: one command puts a room of students
// in the tour, each in a session of their own over SSH, with nothing to
// install on their side, and gives the instructor a live view of the room.
//
// Each session runs its own tour.Model (built with wish's Bubble Tea
// middleware), its own styles and keys, sized to and coloured for its own
// terminal. Progress is kept per student in the server's state folder:
// by public key, or by a name and return code for a student with no key.
// Sessions tell a hub where their learners stand by messages; the hub
// tells the instructors' room views. The server grants a terminal session
// running the tour and nothing else.
package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	"github.com/gofrs/flock"
	gossh "golang.org/x/crypto/ssh"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
)

// Config is the classroom server's settings.
type Config struct {
	Addr        string // host:port to listen on, e.g. ":2222"
	StateDir    string // host key (by default), names, every student's progress
	HostKeyPath string // "" is StateDir/host_ed25519

	Course  *lessons.Course
	Pricing *sim.Pricing
	Seed    uint64 // one seed for the room; 0 keeps each scenario's own

	MaxSessions   int           // sessions open at once; 0 no limit
	MaxPerAddress int           // sessions open from one address; 0 no limit
	IdleTimeout   time.Duration // a session with no key for this long ends; 0 never
	MaxSession    time.Duration // no session lasts longer; 0 no limit

	InstructorKeys []gossh.PublicKey // these keys get the room view
	AllowKeys      []gossh.PublicKey // nil: any key, and names; else only these (and instructors)
	Follow         bool              // setting the room's lesson moves the students

	Logger *log.Logger // nil: none

	// wrapTour, for tests, wraps each session's tour (to make one panic).
	wrapTour func(tea.Model) tea.Model
}

// Defaults for the command line.
const (
	DefaultAddr          = ":2222"
	DefaultMaxSessions   = 60
	DefaultMaxPerAddress = 8
	DefaultIdleTimeout   = 30 * time.Minute
	DefaultMaxSession    = 4 * time.Hour
)

// closeGrace is how long a stopping server waits, once its sessions have
// ended, for clients to hang up before it closes their connections.
const closeGrace = 2 * time.Second

// Server is the classroom server.
type Server struct {
	cfg     Config
	log     *log.Logger
	ssh     *ssh.Server
	signer  gossh.Signer
	created bool // the host key was made by this start
	lock    *flock.Flock
	names   *nameStore
	hub     *hub
	limits  *limits
	count   counts
	now     func() time.Time
	nextID  atomic.Int64
	closing atomic.Bool
	addr    atomic.Pointer[net.TCPAddr] // where it listens, once it does
	conns   atomic.Int64                // connections open, authenticated or not

	mu       sync.Mutex
	sessions map[*session]struct{}
	wg       sync.WaitGroup // one per session not yet finished
	stopOnce sync.Once
}

// New makes the server: it takes the state folder (one server per
// folder), reads or makes the host key, and reads the names file. Nothing
// listens until Serve or ListenAndServe.
func New(cfg Config) (*Server, error) {
	if cfg.Course == nil {
		return nil, errors.New("serve: no course")
	}
	if cfg.StateDir == "" {
		return nil, errors.New("serve: no state folder")
	}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(cfg.StateDir, "host_ed25519")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = log.New(discard{})
	}
	lock, err := lockState(cfg.StateDir)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: logger, lock: lock, now: time.Now, sessions: map[*session]struct{}{},
		limits: newLimits(cfg.MaxSessions, cfg.MaxPerAddress)}
	fail := func(err error) (*Server, error) {
		_ = lock.Unlock()
		return nil, err
	}
	if s.signer, s.created, err = loadOrCreateHostKey(cfg.HostKeyPath); err != nil {
		return fail(err)
	}
	if s.names, err = loadNames(filepath.Join(cfg.StateDir, "names.json")); err != nil {
		return fail(err)
	}
	s.ssh, err = wish.NewServer(
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("serverless-tour"),
		wish.WithPublicKeyAuth(s.keyAuth),
		wish.WithKeyboardInteractiveAuth(s.nameAuth),
		wish.WithMiddleware(
			// Listed innermost first: the tour runs inside tourSession.
			bubbletea.MiddlewareWithProgramHandler(s.programFor),
			s.tourSession,
		),
		func(srv *ssh.Server) error {
			srv.AddHostKey(s.signer)
			srv.HandshakeTimeout = 30 * time.Second
			// The connection's own timeouts are backstops: the session's
			// idle time counts only the student's keys, not the frames
			// the server draws.
			if cfg.IdleTimeout > 0 {
				srv.IdleTimeout = cfg.IdleTimeout + 5*time.Minute
			}
			if cfg.MaxSession > 0 {
				srv.MaxTimeout = cfg.MaxSession + time.Minute
			}
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel, "default": s.rejectChannel}
			srv.RequestHandlers = map[string]ssh.RequestHandler{"default": s.refuseGlobal}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{"default": s.refuseSubsystem}
			srv.ConnCallback = s.admitConn
			srv.ConnectionCloseCallback = func(net.Conn) { s.conns.Add(-1) }
			srv.ConnectionFailedCallback = func(c net.Conn, err error) {
				s.log.Warn("refused", "what", "sign-in", "remote", c.RemoteAddr().String(), "err", err, "count", s.count.refused("sign-in"))
			}
			return nil
		},
	)
	if err != nil {
		return fail(err)
	}
	s.hub = newHub(cfg.Course, cfg.Follow, s.now, func(slug string) { s.log.Info("room lesson set", "lesson", slug, "follow", cfg.Follow) })
	return s, nil
}

// admitConn bounds the connections open before any session: a client
// that connects and never signs in must not exhaust the server.
func (s *Server) admitConn(_ ssh.Context, c net.Conn) net.Conn {
	open := s.conns.Add(1)
	// Twice the sessions, and some, leave room for clients signing in
	// and for those being told the room is full.
	if s.closing.Load() || (s.cfg.MaxSessions > 0 && open > int64(2*s.cfg.MaxSessions+16)) {
		s.conns.Add(-1)
		s.log.Warn("refused", "what", "connection", "count", s.count.refused("connection"), "remote", c.RemoteAddr().String(), "why", "too many connections")
		return nil
	}
	return c
}

// Fingerprint is the host key's SHA256 fingerprint, as ssh shows it.
func (s *Server) Fingerprint() string { return gossh.FingerprintSHA256(s.signer.PublicKey()) }

// HostKeyCreated reports whether this start made the host key.
func (s *Server) HostKeyCreated() bool { return s.created }

// HostKeyPath is where the host key is.
func (s *Server) HostKeyPath() string { return s.cfg.HostKeyPath }

// PublicKey is the host key's public half.
func (s *Server) PublicKey() gossh.PublicKey { return s.signer.PublicKey() }

// Listen opens the server's address; Serve then serves it.
func (s *Server) Listen() (net.Listener, error) {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", s.cfg.Addr, err)
	}
	return l, nil
}

// Serve serves connections on l until Shutdown; it then returns nil.
func (s *Server) Serve(l net.Listener) error {
	if tcp, ok := l.Addr().(*net.TCPAddr); ok {
		s.addr.Store(tcp)
	}
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// Addr is where the server listens (nil before Serve).
func (s *Server) Addr() net.Addr {
	if a := s.addr.Load(); a != nil {
		return a
	}
	return nil
}

func (s *Server) port() string {
	if a := s.addr.Load(); a != nil {
		return fmt.Sprint(a.Port)
	}
	if _, p, err := net.SplitHostPort(s.cfg.Addr); err == nil {
		return p
	}
	return "2222"
}

// connectLine is what a student types to join.
func (s *Server) connectLine() string { return "ssh -p " + s.port() + " HOST" }

// Shutdown stops the server: it takes no new sessions, tells every
// session to save and end, waits for them (or for ctx), then closes every
// connection and gives up the state folder.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	// The library's Shutdown closes the listeners now and then waits for
	// the connections, which close as each client reads its session's end.
	shut := make(chan struct{})
	go func() { _ = s.ssh.Shutdown(ctx); close(shut) }()
	s.mu.Lock()
	live := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		live = append(live, ss)
	}
	s.mu.Unlock()
	s.log.Info("stopping", "sessions", len(live))
	for _, ss := range live {
		ss.end(endShutdown)
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
		// Let the clients take their sessions' last lines and hang up.
		select {
		case <-shut:
		case <-time.After(closeGrace):
		case <-ctx.Done():
		}
	case <-ctx.Done():
		err = fmt.Errorf("sessions still open when time ran out: %w", ctx.Err())
	}
	_ = s.ssh.Close()
	s.stopOnce.Do(func() {
		s.hub.stop()
		_ = s.lock.Unlock()
		s.log.Info("stopped", "sessions served", s.count.total())
	})
	return err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
