//go:build unix

package lessons

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO where the progress file should be would block an open for
// reading until a writer came; it is refused instead.
func TestLoadProgressFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "progress.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := LoadProgress(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("LoadProgress blocked on a FIFO")
	}
}
