package serve

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"sync"
	"time"
)

// A student who offers no SSH key keeps their progress under a name they
// choose on first connecting. So that a classmate cannot take the name
// over, the server gives them a return code then, and asks for it each
// time after: the name and the code together are the student's key. The
// file keeps a salted hash of each code, never the code.

// validName is what a name may be: short, plain, and safe as a folder name.
var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,23}$`)

// normalName is the name as the server keeps it: lower case, trimmed.
func normalName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// codeAlphabet has no 0/O, 1/I/L or U, so a code read aloud or written
// by hand comes back right.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode is a return code: 9 characters in three groups, about 44 bits.
func newCode() string {
	var b strings.Builder
	for i := range 9 {
		if i > 0 && i%3 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(codeAlphabet[randN(len(codeAlphabet))])
	}
	return b.String()
}

func randN(n int) int {
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		// Reject the top of the range so every letter is equally likely.
		if int(b[0]) < 256-256%n {
			return int(b[0]) % n
		}
	}
}

// normalCode is a typed code as compared: upper case, no spaces or dashes.
func normalCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// nameRecord is one name in the file.
type nameRecord struct {
	Salt    string    `json:"salt"`
	Hash    string    `json:"hash"` // hex SHA-256 of salt + normalCode(code)
	Created time.Time `json:"created"`
}

type namesFile struct {
	Version int                   `json:"version"`
	Names   map[string]nameRecord `json:"names"`
}

// Failed codes lock a name for a while: a code has 44 bits, and this keeps
// guessing far slower than a lesson.
const (
	maxCodeFailures = 5
	lockoutFor      = 10 * time.Minute
)

// nameStore is the server's names and their codes, in one file written
// atomically; one server owns the state folder (see lockState).
type nameStore struct {
	path string
	mu   sync.Mutex
	recs map[string]nameRecord
	// failures counts wrong codes per name since the last right one, and
	// when the last was.
	failures map[string]failure
	now      func() time.Time
}

type failure struct {
	n    int
	last time.Time
}

func loadNames(path string) (*nameStore, error) {
	s := &nameStore{path: path, recs: map[string]nameRecord{}, failures: map[string]failure{}, now: time.Now}
	data, err := readSmall(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var f namesFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: not a names file (%v); move it aside to start with no names", path, err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("%s: version %d, this serverless-tour reads version 1", path, f.Version)
	}
	for name, r := range f.Names {
		if !validName.MatchString(name) || len(r.Salt) != 32 || len(r.Hash) != 64 {
			return nil, fmt.Errorf("%s: names.%q: not a name with a salt and a hash", path, name)
		}
		s.recs[name] = r
	}
	return s, nil
}

// known reports whether name is taken.
func (s *nameStore) known(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.recs[name]
	return ok
}

// errLocked says a name had too many wrong codes lately.
var errLocked = errors.New("too many wrong codes for this name; wait ten minutes")

// check reports whether code is name's return code.
func (s *nameStore) check(name, code string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.recs[name]
	if !ok {
		return false, nil
	}
	f := s.failures[name]
	if f.n >= maxCodeFailures && s.now().Sub(f.last) < lockoutFor {
		return false, errLocked
	}
	if subtle.ConstantTimeCompare([]byte(hashCode(r.Salt, code)), []byte(r.Hash)) == 1 {
		delete(s.failures, name)
		return true, nil
	}
	if s.now().Sub(f.last) >= lockoutFor {
		f.n = 0
	}
	s.failures[name] = failure{n: f.n + 1, last: s.now()}
	return false, nil
}

// register takes name with code and writes the file. It fails if the name
// was taken in the meantime (two students choosing it at once).
func (s *nameStore) register(name, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.recs[name]; ok {
		return fmt.Errorf("the name %s was just taken", name)
	}
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return err
	}
	r := nameRecord{Salt: hex.EncodeToString(salt[:]), Created: s.now().UTC().Truncate(time.Second)}
	r.Hash = hashCode(r.Salt, code)
	s.recs[name] = r
	data, err := json.MarshalIndent(namesFile{Version: 1, Names: s.recs}, "", "  ")
	if err == nil {
		err = writeFileAtomically(s.path, append(data, '\n'), 0o600)
	}
	if err != nil {
		delete(s.recs, name)
		return fmt.Errorf("saving %s: %w", s.path, err)
	}
	return nil
}

func hashCode(salt, code string) string {
	sum := sha256.Sum256([]byte(salt + normalCode(code)))
	return hex.EncodeToString(sum[:])
}
