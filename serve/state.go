package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// The state folder holds everything the server keeps between runs:
//
//	host_ed25519, host_ed25519.pub   the host key (unless --host-key says elsewhere)
//	names.json                       names of students without a key, with their codes' hashes
//	students/<id>/progress.json      each student's progress (the tour's own file format)
//	students/<id>/about.json         who that is: name, key fingerprint, first and last seen
//	serve.lock                       held while a server runs on this folder

// lockState takes the state folder for this server, so that two servers
// never write one student's files from two processes.
func lockState(dir string) (*flock.Flock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("state folder %s: %w", dir, pathErr(err))
	}
	l := flock.New(filepath.Join(dir, "serve.lock"), flock.SetPermissions(0o600))
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("state folder %s: cannot lock it: %w", dir, err)
	}
	if !ok {
		return nil, fmt.Errorf("state folder %s is in use by another serverless-tour serve (it holds %s); stop that one, or give this one --state DIR", dir, l.Path())
	}
	return l, nil
}

// about is who a student folder belongs to, for the instructor reading
// the folder afterwards.
type about struct {
	Name        string    `json:"name"`
	Fingerprint string    `json:"fingerprint,omitempty"` // SHA256:… of their key; "" for a named student
	Instructor  bool      `json:"instructor,omitempty"`
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
}

func studentDir(state, id string) string { return filepath.Join(state, "students", id) }

func progressPath(state, id string) string {
	return filepath.Join(studentDir(state, id), "progress.json")
}

// touchAbout records that st connected now, keeping when they first did.
func touchAbout(state string, st Student, now time.Time) error {
	path := filepath.Join(studentDir(state, st.ID), "about.json")
	a := about{FirstSeen: now}
	if data, err := readSmall(path); err == nil {
		_ = json.Unmarshal(data, &a) // a damaged file is rewritten
		if a.FirstSeen.IsZero() {
			a.FirstSeen = now
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	a.Name, a.Fingerprint, a.Instructor, a.LastSeen = st.Name, st.Fingerprint, st.Instructor, now
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomically(path, append(data, '\n'), 0o600)
}

// writeFileAtomically writes data to a temporary file beside path, syncs
// it and renames it over path: a crash leaves the old file or the new.
func writeFileAtomically(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
