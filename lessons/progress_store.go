package lessons

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// lockWait bounds how long a save waits for another process's save: one
// takes milliseconds, so a lock held this long belongs to a stuck process.
const lockWait = 10 * time.Second

// CorruptProgressError reports a progress file that could not be read
// and was moved aside; the tour starts fresh and shows the message.
type CorruptProgressError struct {
	Path    string // where the file was
	MovedTo string // where it is now; "" if moving it failed
	Err     error  // what was wrong with it
	MoveErr error  // why moving it failed, if it did
}

func (e *CorruptProgressError) Error() string {
	if e.MovedTo == "" {
		return fmt.Sprintf("progress file %s is unreadable (%v) and could not be moved aside (%v); starting fresh", e.Path, e.Err, e.MoveErr)
	}
	return fmt.Sprintf("progress file %s was unreadable (%v); moved it to %s and started fresh", e.Path, e.Err, e.MovedTo)
}

func (e *CorruptProgressError) Unwrap() error { return e.Err }

// DefaultProgressPath is $XDG_STATE_HOME/serverless-tour/progress.json,
// or the platform's state directory when that is unset.
func DefaultProgressPath() (string, error) {
	return progressPath(runtime.GOOS, os.Getenv, os.UserHomeDir, os.UserConfigDir)
}

func progressPath(goos string, getenv func(string) string, home, config func() (string, error)) (string, error) {
	file := func(dir string) string { return filepath.Join(dir, "serverless-tour", "progress.json") }
	// The XDG spec says a relative value is invalid and must be ignored.
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return file(d), nil
	}
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return file(d), nil
		}
		d, err := config()
		if err != nil {
			return "", fmt.Errorf("no place for the progress file: %w", err)
		}
		return file(d), nil
	case "darwin", "ios":
		h, err := home()
		if err != nil {
			return "", fmt.Errorf("no place for the progress file: %w", err)
		}
		return file(filepath.Join(h, "Library", "Application Support")), nil
	default:
		h, err := home()
		if err != nil {
			return "", fmt.Errorf("no place for the progress file: %w", err)
		}
		return file(filepath.Join(h, ".local", "state")), nil
	}
}

// LoadProgress reads the progress file. A missing file is an empty
// Progress and no error. A file written by a newer serverless-tour is an
// empty Progress and a *NewerProgressError, and is left as it is. A file
// that cannot be understood is moved aside and reported as a
// *CorruptProgressError next to an empty Progress, so the tour can warn
// and carry on. Anything else (a folder or a FIFO where the file should
// be, no permission) is an ordinary error, and nothing is moved.
func LoadProgress(path string) (Progress, error) {
	data, err := readProgressFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Progress{}, nil
	}
	if err != nil {
		return Progress{}, fmt.Errorf("reading progress: %w", err)
	}
	p, err := decodeProgress(data, path)
	if err == nil {
		return p, nil
	}
	var newer *NewerProgressError
	if errors.As(err, &newer) {
		return Progress{}, err
	}
	// Move it aside under the lock, after reading it again: another
	// window may have replaced it with a good file in the meantime.
	var result Progress
	lockErr := withLock(path, func() error {
		result, err = loadOrMoveAside(path)
		return nil
	})
	if lockErr != nil {
		return Progress{}, fmt.Errorf("reading progress: %w", lockErr)
	}
	return result, err
}

// loadOrMoveAside reads path and, if it is corrupt, moves it aside. The
// caller holds the lock.
func loadOrMoveAside(path string) (Progress, error) {
	data, err := readProgressFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Progress{}, nil
	}
	if err != nil {
		return Progress{}, fmt.Errorf("reading progress: %w", err)
	}
	p, perr := decodeProgress(data, path)
	var newer *NewerProgressError
	if perr == nil || errors.As(perr, &newer) {
		return p, perr
	}
	cerr := &CorruptProgressError{Path: path, Err: perr}
	cerr.MovedTo, cerr.MoveErr = moveAside(path, ".corrupt-", time.Now())
	return Progress{}, cerr
}

// moveAside renames a file to <path><infix><UTC time>, adding a counter if
// a file of that name already exists, so nothing is lost.
func moveAside(path, infix string, now time.Time) (string, error) {
	base := path + infix + now.UTC().Format("20060102T150405Z")
	for i := 1; i < 100; i++ {
		dst := base
		if i > 1 {
			dst = fmt.Sprintf("%s-%d", base, i)
		}
		if _, err := os.Lstat(dst); err == nil {
			continue
		}
		if err := os.Rename(path, dst); err != nil {
			return "", err
		}
		return dst, nil
	}
	return "", fmt.Errorf("too many files named %s*", base)
}

// withLock runs f holding the advisory lock of path (a file beside it,
// path + ".lock", which stays: removing a lock file lets two processes
// hold "the" lock on two different files). The lock is per open file, so
// it also keeps apart two saves from one process (two SSH sessions).
func withLock(path string, f func() error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	lock := flock.New(path+".lock", flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := lock.TryLockContext(ctx, 5*time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("locking %s: %w", lock.Path(), err)
	}
	if !ok {
		return fmt.Errorf("%s is still locked by another serverless-tour after %v", lock.Path(), lockWait)
	}
	defer lock.Unlock()
	return f()
}

// Save merges p with the file at path and writes the result, so two
// windows (or SSH sessions) saving to one file never erase each other's
// work. Under an advisory lock it re-reads the file, merges (see Merge),
// and writes atomically: to a temporary file in the same directory,
// synced, then renamed over the old one, so a crash or a full disk leaves
// the old file or the new one, never half of either. It returns what is
// now on disk, which includes what other windows recorded.
//
// A file written by a newer serverless-tour is not touched: Save returns
// a *NewerProgressError. A corrupt file is moved aside, as LoadProgress
// does, and replaced by p.
func (p Progress) Save(path string) (Progress, error) {
	var merged Progress
	err := withLock(path, func() error {
		removeStaleTemps(path)
		onDisk, err := loadOrMoveAside(path)
		var corrupt *CorruptProgressError
		switch {
		case errors.As(err, &corrupt) && corrupt.MovedTo != "":
			// Moved aside and kept; p replaces it.
		case err != nil:
			return err
		}
		merged = p.Merge(onDisk)
		return writeAtomically(path, merged)
	})
	if err != nil {
		var newer *NewerProgressError
		if errors.As(err, &newer) {
			return Progress{}, err
		}
		return Progress{}, fmt.Errorf("saving progress: %w", err)
	}
	return merged, nil
}

// tempPrefix names the temporary files a save of path writes; only a save
// holding path's lock writes them, so under the lock any that exist were
// left by a save that crashed before its rename.
func tempPrefix(path string) string { return "." + filepath.Base(path) + "-" }

func removeStaleTemps(path string) {
	dir, prefix := filepath.Dir(path), tempPrefix(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && strings.HasSuffix(e.Name(), ".tmp") && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func writeAtomically(path string, p Progress) (err error) {
	data, err := encodeProgress(p)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes the rename itself durable where the platform allows it;
// failure only weakens durability, never correctness, so it is ignored.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// ResetProgress starts a learner afresh without destroying anything: the
// progress file is renamed to <path>.bak-<UTC time>, which it returns so
// the learner can be told how to restore it. A missing file is not an
// error and returns "".
func ResetProgress(path string) (backup string, err error) {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	err = withLock(path, func() error {
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		backup, err = moveAside(path, ".bak-", time.Now())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("resetting progress: %w", err)
	}
	return backup, nil
}
