package lessons

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// progressVersion is the version of the progress file's shape. A file
// with another version is treated as corrupt rather than misread.
const progressVersion = 1

// Progress is what the tour remembers between runs. Lessons are keyed by
// slug, not number, so renumbering a course keeps a learner's progress.
type Progress struct {
	Version   int                  `json:"version"`
	Last      string               `json:"last,omitempty"`      // slug of the lesson open at exit
	Completed map[string]bool      `json:"completed,omitempty"` // slug → done
	Answers   map[string][]int     `json:"answers,omitempty"`   // slug → chosen index per question (-1: unanswered)
	Knobs     map[string][]float64 `json:"knobs,omitempty"`     // slug → knob values
}

// NewProgress returns an empty Progress with its maps ready to write to.
func NewProgress() Progress {
	return Progress{Version: progressVersion}.WithMaps()
}

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
// Progress and no error. A file that cannot be understood is moved aside
// and reported as a *CorruptProgressError next to an empty Progress, so
// the tour can warn and carry on.
func LoadProgress(path string) (Progress, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewProgress(), nil
	}
	if err != nil {
		return NewProgress(), fmt.Errorf("reading progress: %w", err)
	}
	p, perr := decodeProgress(data)
	if perr == nil {
		return p, nil
	}
	cerr := &CorruptProgressError{Path: path, Err: perr}
	cerr.MovedTo, cerr.MoveErr = moveAside(path, time.Now())
	return NewProgress(), cerr
}

func decodeProgress(data []byte) (Progress, error) {
	var p Progress
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Progress{}, err
	}
	if dec.More() {
		return Progress{}, errors.New("extra data after the JSON object")
	}
	if p.Version != progressVersion {
		return Progress{}, fmt.Errorf("unknown version %d (want %d)", p.Version, progressVersion)
	}
	return p.WithMaps(), nil
}

// WithMaps returns p with every map allocated, so a caller can record
// into it whether p came from a file, NewProgress or a zero value.
func (p Progress) WithMaps() Progress {
	if p.Completed == nil {
		p.Completed = map[string]bool{}
	}
	if p.Answers == nil {
		p.Answers = map[string][]int{}
	}
	if p.Knobs == nil {
		p.Knobs = map[string][]float64{}
	}
	return p
}

// moveAside renames a bad file to <path>.corrupt-<UTC time>, adding a
// counter if a file of that name already exists, so nothing is lost.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + now.UTC().Format("20060102T150405Z")
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

// Save writes the progress atomically: to a temporary file in the same
// directory, synced, then renamed over the old one, so a crash or a full
// disk leaves either the old file or the new one, never half of either.
func (p Progress) Save(path string) (err error) {
	p.Version = progressVersion
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	data = append(data, '\n')
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".progress-*.tmp")
	if err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving progress: %w", err)
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

// ResetProgress deletes the progress file; a missing file is not an error.
func ResetProgress(path string) error {
	err := os.Remove(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("resetting progress: %w", err)
}
