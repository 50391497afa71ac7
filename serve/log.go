package serve

import (
	"io"
	"sync"

	"charm.land/log/v2"
)

// NewLogger is the server's log: text for people, or JSON (format
// "json") for machines, written to w with timestamps.
func NewLogger(w io.Writer, format string) *log.Logger {
	l := log.NewWithOptions(w, log.Options{ReportTimestamp: true, Prefix: "serve"})
	if format == "json" {
		l.SetFormatter(log.JSONFormatter)
	}
	return l
}

// counts are the server's running totals, which each log line carries so
// that a log read from its end still says how the day went.
type counts struct {
	mu       sync.Mutex
	sessions int            // sessions since the start
	refusals map[string]int // by kind: exec, sftp, port-forward, no-pty, full, …
}

// session counts a session in and returns the total so far.
func (c *counts) session() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions++
	return c.sessions
}

// total is the number of sessions since the start.
func (c *counts) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sessions
}

// refused counts a refusal of kind and returns how many of that kind so far.
func (c *counts) refused(kind string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refusals == nil {
		c.refusals = map[string]int{}
	}
	c.refusals[kind]++
	return c.refusals[kind]
}
