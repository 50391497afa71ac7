package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeFlagsAreCheckedBeforeAnythingStarts(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "keys")
	os.WriteFile(bad, []byte("ssh-ed25519 not-base64 teacher\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--log-format", "xml"}, "--log-format must be text or json"},
		{[]string{"serve", "--addr", "2222"}, `--addr "2222": want HOST:PORT or :PORT`},
		{[]string{"serve", "--max-sessions", "-1"}, "--max-sessions must be between 0 (no limit) and 100000"},
		{[]string{"serve", "--idle-timeout", "5s"}, "--idle-timeout must be 0 (none) or at least 1m"},
		{[]string{"serve", "--instructor-key", filepath.Join(dir, "missing.pub")}, "--instructor-key " + filepath.Join(dir, "missing.pub") + ": no such file"},
		{[]string{"serve", "--allow-keys", bad}, "--allow-keys " + bad + ":1: not a public key"},
	} {
		code, stdout, stderr := runCLI(t, c.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, c.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", c.args, code, stdout, stderr, c.want)
		}
	}
}

func TestServeRefusesAHostKeyOthersMayRead(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "host")
	os.WriteFile(key, []byte("whatever"), 0o644)
	code, _, stderr := runCLI(t, "serve", "--state", filepath.Join(dir, "state"), "--host-key", key, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "chmod 600 "+key) {
		t.Errorf("exit %d, stderr %q; want exit 1 and the chmod to run", code, stderr)
	}
}
