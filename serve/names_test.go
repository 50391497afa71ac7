package serve

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// student types answers at keyboard-interactive prompts, and notes what
// the server said.
type student struct {
	name, code string // what to type; code "" types back the code given
	said       []string
}

var codeRE = regexp.MustCompile(`[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3}`)

func (s *student) answer(_, instruction string, questions []string, _ []bool) ([]string, error) {
	s.said = append(s.said, instruction)
	out := make([]string, len(questions))
	for i, q := range questions {
		switch {
		case strings.HasPrefix(q, "Name"):
			out[i] = s.name
		case strings.HasPrefix(q, "Type the code"):
			out[i] = codeRE.FindString(instruction)
			s.code = out[i]
		default: // the return code
			out[i] = s.code
		}
	}
	return out, nil
}

func TestKeylessStudentSignsInWithANameAndCode(t *testing.T) {
	ts := startServer(t, Config{})
	carol := &student{name: "Carol"}
	c, err := ts.dial(t, "whoever", gossh.KeyboardInteractive(carol.answer))
	if err != nil {
		t.Fatalf("first sign-in: %v (server said %q)", err, carol.said)
	}
	if carol.code == "" {
		t.Fatalf("no return code given: %q", carol.said)
	}
	term := openTerminal(t, c, termOptions{})
	term.waitScreen("Lesson 1/7")
	term.press("right")
	term.waitScreen("Lesson 2/7")
	term.press("q")
	term.wait()
	ts.waitLog(t, "new name name=carol")

	// Someone else trying the name without the code is refused.
	mallory := &student{name: "carol", code: "AAA-AAA-AAA"}
	if c, err := ts.dial(t, "x", gossh.KeyboardInteractive(mallory.answer)); err == nil {
		c.Close()
		t.Fatal("the name was taken over without its code")
	}
	if !strings.Contains(strings.Join(mallory.said, "\n"), "not the return code for carol") {
		t.Errorf("a wrong code was not told: %q", mallory.said)
	}
	// Carol with her code (typed in lower case, without dashes) is back
	// where she was.
	back := &student{name: "carol", code: strings.ToLower(strings.ReplaceAll(carol.code, "-", ""))}
	c, err = ts.dial(t, "x", gossh.KeyboardInteractive(back.answer))
	if err != nil {
		t.Fatalf("back with her code: %v", err)
	}
	openTerminal(t, c, termOptions{}).waitScreen("Lesson 2/7")

	// The names file keeps a hash, never the code; the state folder and
	// its files are the server's alone.
	data, err := os.ReadFile(filepath.Join(ts.state, "names.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), carol.code) || strings.Contains(string(data), normalCode(carol.code)) {
		t.Error("names.json holds the code itself")
	}
	for _, f := range []string{"names.json", "host_ed25519", "students/name-carol/progress.json"} {
		info, err := os.Stat(filepath.Join(ts.state, f))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %o, want no access for others", f, info.Mode().Perm())
		}
	}
}

func TestNamesAreCheckedAndGuessingIsSlowed(t *testing.T) {
	ts := startServer(t, Config{})
	bad := &student{name: "../etc"}
	if _, err := ts.dial(t, "x", gossh.KeyboardInteractive(bad.answer)); err == nil {
		t.Fatal("a name with a path in it was taken")
	}
	if !strings.Contains(strings.Join(bad.said, "\n"), `"../etc" is not a name here`) {
		t.Errorf("bad name: server said %q", bad.said)
	}

	s, err := loadNames(filepath.Join(t.TempDir(), "names.json"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	if err := s.register("dana", "ABC-DEF-GHJ"); err != nil {
		t.Fatal(err)
	}
	if err := s.register("dana", "KMN-PQR-STV"); err == nil {
		t.Error("a name was registered twice")
	}
	for range maxCodeFailures {
		if ok, _ := s.check("dana", "WRO-NGC-ODE"); ok {
			t.Fatal("a wrong code passed")
		}
	}
	if ok, err := s.check("dana", "abc def ghj"); ok || err != errLocked {
		t.Fatalf("after %d wrong codes the right one passed at once: %v %v", maxCodeFailures, ok, err)
	}
	now = now.Add(lockoutFor)
	if ok, err := s.check("dana", "abcdefghj"); !ok || err != nil {
		t.Fatalf("after the lockout the right code failed: %v %v", ok, err)
	}
	// The file reads back.
	again, err := loadNames(s.path)
	if err != nil || !again.known("dana") {
		t.Fatalf("names file did not read back: %v", err)
	}
}

func TestAllowKeysClosesTheRoom(t *testing.T) {
	listed := newKey(t)
	ts := startServer(t, Config{AllowKeys: []gossh.PublicKey{listed.PublicKey()}})
	openTerminal(t, ts.dialKey(t, "in", listed), termOptions{}).waitScreen("Lesson 1/7")
	if c, err := ts.dial(t, "out", gossh.PublicKeys(newKey(t))); err == nil {
		c.Close()
		t.Error("an unlisted key got in")
	}
	eve := &student{name: "eve"}
	if c, err := ts.dial(t, "eve", gossh.KeyboardInteractive(eve.answer)); err == nil {
		c.Close()
		t.Error("a name got in to a room of listed keys")
	}
	ts.waitLog(t, "what=sign-in")
}

func TestHostKeyIsMadeOnceAndKeptPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "host")
	a, created, err := loadOrCreateHostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: %v, created %v", err, created)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
	b, created, err := loadOrCreateHostKey(path)
	if err != nil || created || gossh.FingerprintSHA256(a.PublicKey()) != gossh.FingerprintSHA256(b.PublicKey()) {
		t.Fatalf("second start made another key: %v, created %v", err, created)
	}
	os.Chmod(path, 0o644)
	if _, _, err := loadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key others may read: %v", err)
	}
	os.Chmod(path, 0o600)
	os.WriteFile(path, []byte("not a key"), 0o600)
	if _, _, err := loadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), path+": not a private key") {
		t.Errorf("a file that is not a key: %v", err)
	}
}

func TestAuthorizedKeysFileErrorsNameTheLine(t *testing.T) {
	k := newKey(t)
	path := filepath.Join(t.TempDir(), "keys")
	good := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey())))
	os.WriteFile(path, []byte("# teachers\n\n"+good+" ann\nssh-rsa nonsense\n"), 0o600)
	if _, err := ReadAuthorizedKeys(path); err == nil || !strings.HasPrefix(err.Error(), path+":4: not a public key") {
		t.Errorf("got %v, want %s:4: not a public key…", err, path)
	}
	os.WriteFile(path, []byte("# teachers\n"+good+" ann\n"), 0o600)
	if keys, err := ReadAuthorizedKeys(path); err != nil || len(keys) != 1 {
		t.Errorf("good file: %v, %d keys", err, len(keys))
	}
}

func TestOneServerPerStateFolder(t *testing.T) {
	ts := startServer(t, Config{})
	cfg := Config{StateDir: ts.state, Addr: "127.0.0.1:0"}
	cfg.Course, cfg.Pricing = course(t)
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "in use by another serverless-tour serve") {
		t.Errorf("second server on one folder: %v", err)
	}
}
