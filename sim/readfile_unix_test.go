//go:build unix

package sim

import (
	"path/filepath"
	"syscall"
	"testing"
)

// makeFIFO makes a named pipe with no writer: opening it for reading the
// ordinary way would wait for ever.
func makeFIFO(t *testing.T, dir string) string {
	p := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}
