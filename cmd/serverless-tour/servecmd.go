package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/serve"
)

// stopWithin is how long a stopping server gives its sessions to save and
// end; the whole stop stays under ten seconds.
const stopWithin = 8 * time.Second

func newServeCmd(g *globalFlags, stdout, stderr io.Writer) *cobra.Command {
	var (
		cfg            serve.Config
		instructorFile string
		allowFile      string
		logFormat      string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the tour for a classroom over SSH: students type ssh -p 2222 HOST",
		Long: "Run an SSH server that puts every student who connects in their own tour, with\n" +
			"nothing to install on their side. Progress is kept per student (by SSH key, or\n" +
			"by a name and return code) in the state folder. The instructor's key\n" +
			"(--instructor-key) gets a live view of the room with the i key.",
		Example: "  # serve the room on port 2222; print the host key's fingerprint\n" +
			"  serverless-tour serve --instructor-key ~/.ssh/id_ed25519.pub\n" +
			"  # students, on their own laptops\n" +
			"  ssh -p 2222 yourname@HOST\n" +
			"  # one seed for everyone's numbers; move students with the instructor\n" +
			"  serverless-tour serve --seed 7 --follow --instructor-key teacher.pub",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch logFormat {
			case "text", "json":
			default:
				return usageError{fmt.Sprintf("--log-format must be text or json, not %q", printable(logFormat))}
			}
			for name, v := range map[string]int{"--max-sessions": cfg.MaxSessions, "--max-per-address": cfg.MaxPerAddress} {
				if v < 0 || v > 100000 {
					return usageError{fmt.Sprintf("%s must be between 0 (no limit) and 100000, not %d", name, v)}
				}
			}
			for name, v := range map[string]time.Duration{"--idle-timeout": cfg.IdleTimeout, "--max-session": cfg.MaxSession} {
				if v < 0 || (v > 0 && v < time.Minute) {
					return usageError{fmt.Sprintf("%s must be 0 (none) or at least 1m, not %v", name, v)}
				}
			}
			if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
				return usageError{fmt.Sprintf("--addr %q: want HOST:PORT or :PORT (%v)", printable(cfg.Addr), err)}
			}
			var err error
			if instructorFile != "" {
				if cfg.InstructorKeys, err = readKeys("--instructor-key", instructorFile); err != nil {
					return err
				}
			}
			if allowFile != "" {
				if cfg.AllowKeys, err = readKeys("--allow-keys", allowFile); err != nil {
					return err
				}
			}
			if cfg.Course, err = g.course(); err != nil {
				return err
			}
			if cfg.Pricing, err = g.pricing(); err != nil {
				return err
			}
			if cfg.StateDir == "" {
				p, err := lessons.DefaultProgressPath()
				if err != nil {
					return runtimeError{fmt.Errorf("finding a state folder: %w (give one with --state DIR)", err)}
				}
				cfg.StateDir = filepath.Join(filepath.Dir(p), "serve")
			}
			cfg.Logger = serve.NewLogger(stderr, logFormat)
			srv, err := serve.New(cfg)
			if err != nil {
				return runtimeError{err}
			}
			l, err := srv.Listen()
			if err != nil {
				_ = srv.Shutdown(context.Background())
				return runtimeError{err}
			}
			printWelcome(stdout, srv, l.Addr(), cfg)
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			served := make(chan error, 1)
			go func() { served <- srv.Serve(l) }()
			select {
			case err := <-served:
				_ = srv.Shutdown(context.Background())
				if err != nil {
					return runtimeError{err}
				}
				return nil
			case <-ctx.Done():
			}
			stop() // a second Ctrl-C now kills at once
			sctx, cancel := context.WithTimeout(context.Background(), stopWithin)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				return runtimeError{err}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", serve.DefaultAddr, "address to listen on, HOST:PORT or :PORT")
	f.StringVar(&cfg.StateDir, "state", "", "folder for the host key, names and every student's progress (default: beside your own progress)")
	f.StringVar(&cfg.HostKeyPath, "host-key", "", "host key file, made the first time (default: STATE/host_ed25519)")
	f.Uint64Var(&cfg.Seed, "seed", 0, "one simulation seed for the whole room (0: each lesson's own, also the same for everyone)")
	f.IntVar(&cfg.MaxSessions, "max-sessions", serve.DefaultMaxSessions, "sessions open at once, in all (0: no limit)")
	f.IntVar(&cfg.MaxPerAddress, "max-per-address", serve.DefaultMaxPerAddress, "sessions open at once from one address (0: no limit; raise it when the room shares one address)")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", serve.DefaultIdleTimeout, "end a session after this long without a key (0: never)")
	f.DurationVar(&cfg.MaxSession, "max-session", serve.DefaultMaxSession, "end a session after this long in all (0: never)")
	f.StringVar(&instructorFile, "instructor-key", "", "authorized_keys file of the instructors' keys: they get the room view (i)")
	f.StringVar(&allowFile, "allow-keys", "", "authorized_keys file: only these keys (and the instructors') may connect; no names")
	f.BoolVar(&cfg.Follow, "follow", false, "move students when the instructor sets the room's lesson (default: a hint in their header)")
	f.StringVar(&logFormat, "log-format", "text", "log format: text or json")
	return cmd
}

// readKeys reads an authorized_keys file named by flag.
func readKeys(flag, path string) ([]gossh.PublicKey, error) {
	keys, err := serve.ReadAuthorizedKeys(path)
	if err != nil {
		return nil, usageError{flag + " " + printable(err.Error())}
	}
	return keys, nil
}

// printWelcome tells the instructor what students type and how they
// check the host key.
func printWelcome(w io.Writer, srv *serve.Server, addr net.Addr, cfg serve.Config) {
	port := "2222"
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = fmt.Sprint(tcp.Port)
	}
	made := ""
	if srv.HostKeyCreated() {
		made = " (made now; kept for next time)"
	}
	fmt.Fprintf(w, "serverless-tour serve: listening on %s\n", addr)
	fmt.Fprintf(w, "  host key      %s%s\n", printable(srv.HostKeyPath()), made)
	fmt.Fprintf(w, "  fingerprint   %s %s\n", srv.PublicKey().Type(), srv.Fingerprint())
	fmt.Fprintf(w, "  state folder  %s\n", printable(cfg.StateDir))
	fmt.Fprintf(w, "Students type:  ssh -p %s NAME@HOST\n", port)
	for _, a := range lanAddresses() {
		fmt.Fprintf(w, "  HOST may be   %s\n", a)
	}
	fmt.Fprintf(w, "The first time, ssh shows the fingerprint above: it must match before anyone types yes.\n")
	if len(cfg.InstructorKeys) == 0 {
		fmt.Fprintf(w, "No --instructor-key: nobody gets the room view.\n")
	}
	fmt.Fprintf(w, "Stop with Ctrl-C: sessions save and end.\n\n")
}

// lanAddresses are this machine's addresses students can reach, not
// loopback.
func lanAddresses() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() && n.IP.To4() != nil {
			out = append(out, n.IP.String())
		}
	}
	return out
}
