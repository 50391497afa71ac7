package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Student is who is at the other end of a session, as far as progress
// and the room view go.
type Student struct {
	// ID names the student's folder under students/: "key-" and a hash of
	// their public key, or "name-" and the name they chose.
	ID          string
	Name        string // shown in the room view
	Fingerprint string // SHA256:… of their key; "" for a named student
	Instructor  bool
}

// contextKeyName holds the name a keyless student signed in with.
type contextKeyName struct{}

// studentOf is the student of a session: by name if they signed in with
// one, else by the key they signed in with.
func (s *Server) studentOf(sess ssh.Session) Student {
	if name, ok := sess.Context().Value(contextKeyName{}).(string); ok {
		return Student{ID: "name-" + name, Name: name}
	}
	k := sess.PublicKey()
	if k == nil { // not reachable: every way in is a key or a name
		return Student{ID: "anonymous", Name: displayName(sess.User())}
	}
	return Student{
		ID:          keyStudentID(k),
		Name:        displayName(sess.User()),
		Fingerprint: gossh.FingerprintSHA256(k),
		Instructor:  s.isInstructor(k),
	}
}

// keyStudentID is the folder name of the student with key k: a hash of
// the key, 128 bits of it, safe on every file system.
func keyStudentID(k gossh.PublicKey) string {
	sum := sha256.Sum256(k.Marshal())
	return "key-" + hex.EncodeToString(sum[:16])
}

// displayName is a login name made safe to draw: printable, short.
func displayName(user string) string {
	clean := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) && r != ' ' {
			return r
		}
		return -1
	}, user)
	if r := []rune(clean); len(r) > 24 {
		clean = string(r[:24])
	}
	if clean == "" {
		return "student"
	}
	return clean
}

func (s *Server) isInstructor(k ssh.PublicKey) bool {
	return slices.ContainsFunc(s.cfg.InstructorKeys, func(i gossh.PublicKey) bool { return ssh.KeysEqual(i, k) })
}

// keyAuth admits any key, or with AllowKeys only those listed (and the
// instructors').
func (s *Server) keyAuth(_ ssh.Context, k ssh.PublicKey) bool {
	if s.cfg.AllowKeys == nil || s.isInstructor(k) {
		return true
	}
	return slices.ContainsFunc(s.cfg.AllowKeys, func(a gossh.PublicKey) bool { return ssh.KeysEqual(a, k) })
}

// nameAuth signs in a student who offered no key (OpenSSH asks for
// keyboard-interactive after its keys), by a name and a return code. The
// first time, the student picks a free name and is given a code, which
// they type back to show they have it; after that the name needs the code.
// With AllowKeys the room is for listed keys only and names are off.
func (s *Server) nameAuth(ctx ssh.Context, ask gossh.KeyboardInteractiveChallenge) bool {
	if s.cfg.AllowKeys != nil {
		return false
	}
	const title = "serverless-tour"
	note := "No SSH key was offered, so your progress is kept under a name.\n" +
		"New here? Pick a name and you get a return code to give with it next time."
	for range 3 {
		ans, err := ask(title, note, []string{"Name: "}, []bool{true})
		if err != nil || len(ans) != 1 {
			return false
		}
		name := normalName(ans[0])
		if !validName.MatchString(name) {
			note = fmt.Sprintf("\"%s\" is not a name here: 2 to 24 letters, digits, - or _, starting with a letter or digit.", printable(ans[0]))
			continue
		}
		if s.names.known(name) {
			ans, err := ask(title, "", []string{"Return code for " + name + ": "}, []bool{false})
			if err != nil || len(ans) != 1 {
				return false
			}
			ok, err := s.names.check(name, ans[0])
			if ok {
				ctx.SetValue(contextKeyName{}, name)
				return true
			}
			s.log.Warn("refused", "why", "wrong return code", "name", name, "remote", ctx.RemoteAddr().String(), "count", s.count.refused("code"))
			note = "That is not the return code for " + name + ". Forgot it? Ask your instructor, or pick another name."
			if err != nil {
				note = err.Error()
			}
			continue
		}
		code := newCode()
		ans, err = ask(title, fmt.Sprintf("Welcome, %s. Your return code is:  %s\nWrite it down: next time you give it with your name.", name, code),
			[]string{"Type the code to confirm: "}, []bool{true})
		if err != nil || len(ans) != 1 {
			return false
		}
		if normalCode(ans[0]) != normalCode(code) {
			note = "The code did not match. Pick your name again for a new code."
			continue
		}
		if err := s.names.register(name, code); err != nil {
			s.log.Error("name not registered", "name", name, "err", err)
			note = err.Error() + ". Pick another name."
			continue
		}
		s.log.Info("new name", "name", name, "remote", ctx.RemoteAddr().String())
		ctx.SetValue(contextKeyName{}, name)
		return true
	}
	return false
}

// printable escapes what a terminal would obey in text from a client.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\x%02x", r)
		}
	}
	return b.String()
}
