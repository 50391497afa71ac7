package serve

import (
	"fmt"
	"net"
	"sync"
)

// limits counts the sessions open, in all and per source address, so a
// full room or one machine opening too many gets a polite refusal and
// the server goes on serving the rest.
type limits struct {
	max, perAddr int // 0: no limit

	mu     sync.Mutex
	open   int
	byAddr map[string]int
}

func newLimits(max, perAddr int) *limits {
	return &limits{max: max, perAddr: perAddr, byAddr: map[string]int{}}
}

// acquire takes a place for a session from addr; release gives it back.
// Over a limit it returns the line to show and the kind to log.
func (l *limits) acquire(addr net.Addr) (release func(), line, kind string) {
	host := hostOf(addr)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.open >= l.max {
		return nil, fmt.Sprintf("serverless-tour: the room is full (%d sessions open, the most this server takes); ask your instructor, or try again in a minute", l.open), "full"
	}
	if l.perAddr > 0 && l.byAddr[host] >= l.perAddr {
		return nil, fmt.Sprintf("serverless-tour: %d sessions are open from your address already, the most one address may have; close one first", l.byAddr[host]), "per-address"
	}
	l.open++
	l.byAddr[host]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.open--
			if l.byAddr[host]--; l.byAddr[host] <= 0 {
				delete(l.byAddr, host)
			}
		})
	}, "", ""
}

// count is the number of sessions open.
func (l *limits) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

func hostOf(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok {
		return tcp.IP.String()
	}
	if host, _, err := net.SplitHostPort(addr.String()); err == nil {
		return host
	}
	return addr.String()
}
