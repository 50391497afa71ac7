//go:build unix

package lessons

import (
	"syscall"
	"testing"
)

func makeFIFO(t *testing.T, path string) bool {
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return true
}
