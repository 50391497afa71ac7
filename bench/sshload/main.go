// Command sshload measures the classroom server under a full room: it
// starts `serverless-tour serve`'s server in a child process on loopback,
// opens N sessions as N students with their own keys, and has each press
// keys and turn knobs for a while. It prints the keystroke-to-frame
// latency (from a key's last byte sent to the first byte of the frame that
// answers it), the server's memory per session and its CPU.
//
// Linux only (it reads the child's /proc entries). Not run in CI:
//
//	go run ./bench/sshload -sessions 100 -duration 60s
package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/serve"
	"github.com/serverless-tour/serverless-tour/sim"
)

func main() {
	var (
		sessions = flag.Int("sessions", 100, "students to connect")
		duration = flag.Duration("duration", 60*time.Second, "how long they press keys")
		pause    = flag.Duration("pause", 250*time.Millisecond, "mean pause between a frame and a student's next key")
		width    = flag.Int("width", 120, "terminal columns")
		height   = flag.Int("height", 36, "terminal rows")
		child    = flag.Bool("serve", false, "internal: run the server (the child process)")
	)
	flag.Parse()
	if *child {
		if err := runServer(); err != nil {
			fmt.Fprintln(os.Stderr, "sshload server:", err)
			os.Exit(1)
		}
		return
	}
	if err := runLoad(*sessions, *duration, *pause, *width, *height); err != nil {
		fmt.Fprintln(os.Stderr, "sshload:", err)
		os.Exit(1)
	}
}

// runServer is the child: a server with no limits, on a free loopback
// port, which it prints; it stops on SIGTERM.
func runServer() error {
	course, err := lessons.Load(content.FS)
	if err != nil {
		return err
	}
	data, err := fs.ReadFile(content.FS, "pricing/aws-us-east-1.yaml")
	if err != nil {
		return err
	}
	pricing, err := sim.ParsePricing(data, "pricing/aws-us-east-1.yaml")
	if err != nil {
		return err
	}
	state, err := os.MkdirTemp("", "sshload-state-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(state)
	srv, err := serve.New(serve.Config{Addr: "127.0.0.1:0", StateDir: state, Course: course, Pricing: pricing,
		Logger: serve.NewLogger(io.Discard, "text")})
	if err != nil {
		return err
	}
	l, err := srv.Listen()
	if err != nil {
		return err
	}
	if path := os.Getenv("SSHLOAD_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("ready %s\n", l.Addr())
	go srv.Serve(l)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// proc is the child's CPU time and resident memory, from /proc.
type proc struct {
	cpu time.Duration
	rss int64 // bytes
}

func readProc(pid int) (proc, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return proc{}, err
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	p := proc{cpu: time.Duration(utime+stime) * time.Second / ticks}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return proc{}, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			p.rss = kb << 10
		}
	}
	return p, nil
}

// student is one session: it reads the server's output and notes when
// each burst arrives.
type student struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.Writer
	last   atomic.Int64   // unix nanoseconds of the last output
	frames chan time.Time // output arrivals, while one is awaited
}

func connect(addr string, w, h int) (*student, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		return nil, err
	}
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "student", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 30 * time.Second})
	if err != nil {
		return nil, err
	}
	sess, err := c.NewSession()
	if err != nil {
		return nil, err
	}
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	if err := sess.RequestPty("xterm-256color", h, w, nil); err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	s := &student{client: c, sess: sess, stdin: stdin, frames: make(chan time.Time, 1)}
	s.last.Store(time.Now().UnixNano())
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := stdout.Read(buf)
			if n > 0 {
				now := time.Now()
				s.last.Store(now.UnixNano())
				select {
				case s.frames <- now:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return s, nil
}

// quiet waits until no output has come for a while, so that the next
// output answers the next key and not an earlier one.
func (s *student) quiet(d time.Duration) {
	for time.Since(time.Unix(0, s.last.Load())) < d {
		time.Sleep(d / 4)
	}
	select {
	case <-s.frames:
	default:
	}
}

// press sends key and returns how long the first output after it took.
func (s *student) press(key string) (time.Duration, bool) {
	s.quiet(40 * time.Millisecond)
	t0 := time.Now()
	if _, err := io.WriteString(s.stdin, key); err != nil {
		return 0, false
	}
	select {
	case t1 := <-s.frames:
		return t1.Sub(t0), true
	case <-time.After(time.Second):
		return 0, false // nothing to draw: a knob at its end, the first knob chosen
	}
}

// Keys a student presses in the simulation pane: knob turns up (→, ]) or
// down (←, [), and now and then a move to the next or previous knob.
var (
	up   = []string{"\x1b[C", "\x1b[C", "]"}
	down = []string{"\x1b[D", "\x1b[D", "["}
	move = []string{"\x1b[A", "\x1b[B"}
)

func runLoad(n int, duration, pause time.Duration, w, h int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "-serve")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("server did not start: %w", err)
	}
	addr := strings.TrimSpace(strings.TrimPrefix(line, "ready "))
	pid := cmd.Process.Pid
	time.Sleep(500 * time.Millisecond)
	idle, err := readProc(pid)
	if err != nil {
		return err
	}

	fmt.Printf("sshload: %d sessions of %dx%d for %v against a server on %s (pid %d)\n", n, w, h, duration, addr, pid)
	fmt.Printf("machine: %d CPUs, GOMAXPROCS %d, %s %s/%s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	students := make([]*student, n)
	var wg sync.WaitGroup
	var connErr atomic.Pointer[error]
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := connect(addr, w, h)
			if err != nil {
				connErr.Store(&err)
				return
			}
			students[i] = s
		}()
		time.Sleep(10 * time.Millisecond) // a room arriving, not one burst
	}
	wg.Wait()
	if e := connErr.Load(); e != nil {
		return fmt.Errorf("connecting: %w", *e)
	}
	fmt.Printf("connected %d sessions in %v\n", n, time.Since(start).Round(time.Millisecond))
	// Into the simulation pane, and wait for every playhead to reach the
	// end of its run and hold there, so that frames come only from keys
	// (a knob turned at the end redraws the chart and does not replay).
	for _, s := range students {
		io.WriteString(s.stdin, "\t")
	}
	settle := time.Now().Add(2 * time.Minute)
	for _, s := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(settle) && time.Since(time.Unix(0, s.last.Load())) < 500*time.Millisecond {
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	time.Sleep(time.Second)
	// With the playheads paused, a quiet room draws nothing: count what
	// comes anyway, so a frame that answers no key is seen.
	var bursts atomic.Int64
	for _, s := range students {
		go func(s *student, from int64) {
			for time.Since(time.Unix(0, from)) < 2*time.Second {
				if s.last.Load() > from {
					bursts.Add(1)
					from = s.last.Load()
				}
				time.Sleep(5 * time.Millisecond)
			}
		}(s, time.Now().UnixNano())
	}
	time.Sleep(2100 * time.Millisecond)
	fmt.Printf("output from a quiet room over 2 s: %d bursts in all\n", bursts.Load())
	loaded, err := readProc(pid)
	if err != nil {
		return err
	}

	var mu sync.Mutex
	var lat []time.Duration
	missed := 0
	before := loaded
	selfBefore, _ := readProc(os.Getpid())
	t0 := time.Now()
	deadline := t0.Add(duration)
	for i, s := range students {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := mrand.New(mrand.NewPCG(uint64(i), 7))
			var mine []time.Duration
			miss := 0
			turn := up
			for time.Now().Before(deadline) {
				key := turn[r.IntN(len(turn))]
				if r.IntN(8) == 0 {
					key = move[r.IntN(len(move))]
				}
				if d, ok := s.press(key); ok {
					mine = append(mine, d)
				} else {
					miss++
					// At a knob's end: turn the other way.
					if slices.Equal(turn, up) {
						turn = down
					} else {
						turn = up
					}
				}
				time.Sleep(time.Duration(r.Float64() * 2 * float64(pause)))
			}
			mu.Lock()
			lat = append(lat, mine...)
			missed += miss
			mu.Unlock()
		}()
	}
	peak := loaded.rss
	stopPeak := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopPeak:
				return
			case <-time.After(time.Second):
				if p, err := readProc(pid); err == nil && p.rss > peak {
					peak = p.rss
				}
			}
		}
	}()
	wg.Wait()
	close(stopPeak)
	wall := time.Since(t0)
	after, err := readProc(pid)
	if err != nil {
		return err
	}
	peak = max(peak, after.rss)
	selfAfter, _ := readProc(os.Getpid())

	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	fmt.Printf("keys pressed %d (%.0f/s); with nothing to draw (no frame in 1 s): %d\n", len(lat)+missed, float64(len(lat)+missed)/wall.Seconds(), missed)
	fmt.Printf("keystroke-to-frame latency: p50 %v  p90 %v  p99 %v  max %v\n",
		pct(0.50).Round(100*time.Microsecond), pct(0.90).Round(100*time.Microsecond), pct(0.99).Round(100*time.Microsecond), pct(1).Round(time.Millisecond))
	fmt.Printf("server CPU: %.2f cores busy (%.1f s of CPU in %.1f s)\n", (after.cpu-before.cpu).Seconds()/wall.Seconds(), (after.cpu - before.cpu).Seconds(), wall.Seconds())
	fmt.Printf("load generator CPU (the %d clients, same machine): %.2f cores\n", n, (selfAfter.cpu-selfBefore.cpu).Seconds()/wall.Seconds())
	fmt.Printf("server memory (RSS): %.1f MB idle, %.1f MB with %d sessions, %.1f MB at peak: %.2f MB per session (peak)\n",
		mb(idle.rss), mb(loaded.rss), n, mb(peak), mb(peak-idle.rss)/float64(n))

	// Stop the server as an instructor would, with every session open.
	stopAt := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("server stop: %w", err)
	}
	fmt.Printf("server stopped with %d sessions open in %v\n", n, time.Since(stopAt).Round(time.Millisecond))
	for _, s := range students {
		s.client.Close()
	}
	return nil
}
