package lessons

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustSave(t *testing.T, p Progress, path string) Progress {
	t.Helper()
	got, err := p.Save(path)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestProgressRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "serverless-tour", "progress.json")
	p := newTestProgress()
	p.Open("contract-of-trust")
	p.Answer("contract-of-trust", 0, 3, 1)
	p.Answer("contract-of-trust", 2, 3, 2)
	p.MeetChallenge("contract-of-trust")
	p.Predict("contract-of-trust", "peak-vms", 12.5)
	p.Open("idle-capacity")
	p.SetKnobs("idle-capacity", []float64{40, 0.5, 12})
	saved := mustSave(t, p, path)
	if !sameProgress(saved, p) {
		t.Errorf("Save returned %+v, want %+v", saved.lessons, p.lessons)
	}
	info, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %o, want 700", perm)
	}
	got, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameProgress(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got.lessons, p.lessons)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"version": 2`, `"last": "idle-capacity"`, `"challenge_met": true`, `"peak-vms": {`, `"answers_at": "2026-12-02T09:00:0`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("saved file lacks %s:\n%s", want, data)
		}
	}
}

func TestLoadProgressVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	v1 := `{
  "version": 1,
  "last": "idle-capacity",
  "completed": {"contract-of-trust": true},
  "answers": {"contract-of-trust": [1, -1, 2]},
  "knobs": {"idle-capacity": [40, 0.5]}
}`
	must(t, os.WriteFile(path, []byte(v1), 0o600))
	p, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Last() != "idle-capacity" {
		t.Errorf("last %q", p.Last())
	}
	// Completed under the old rule stays complete, even with a quiz half answered.
	if s := p.Status("contract-of-trust", Requirements{Questions: 3}); !s.Complete || !s.Visited || s.Answered != 2 {
		t.Errorf("contract-of-trust: %+v", s)
	}
	if s := p.Status("idle-capacity", Requirements{Questions: 1}); s.Complete || !s.Visited {
		t.Errorf("idle-capacity: %+v, want visited, not complete", s)
	}
	if !slices.Equal(p.Knobs("idle-capacity"), []float64{40, 0.5}) || !slices.Equal(p.Answers("contract-of-trust"), []int{1, -1, 2}) {
		t.Errorf("knobs or answers lost: %+v", p.lessons)
	}
	// Saving writes version 2, and says the same.
	mustSave(t, p, path)
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"version": 2`) {
		t.Fatalf("saved as:\n%s", data)
	}
	again, err := LoadProgress(path)
	if err != nil || !sameProgress(again, p) {
		t.Errorf("after migration: %+v, %v", again.lessons, err)
	}
}

// A file from a newer serverless-tour is neither read, moved nor written.
func TestNewerProgressFileIsLeftAlone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	newer := `{"version": 3, "lessons": {"a": {"visited": true, "something_new": [1]}}, "future": true}`
	must(t, os.WriteFile(path, []byte(newer), 0o600))

	p, err := LoadProgress(path)
	var nerr *NewerProgressError
	if !errors.As(err, &nerr) || nerr.Version != 3 {
		t.Fatalf("load: %v, want a *NewerProgressError for version 3", err)
	}
	for _, want := range []string{path, "newer serverless-tour", "version 3", "up to version 2", "will not be saved"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	p.Open("b")
	if _, err := p.Save(path); !errors.As(err, &nerr) {
		t.Fatalf("save over a newer file: %v, want a *NewerProgressError", err)
	}
	if _, err := ResetProgress(filepath.Join(dir, "other.json")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != newer {
		t.Errorf("newer file changed to %q", data)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "corrupt") || strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left %s behind", e.Name())
		}
	}
}

func TestLoadProgressMissing(t *testing.T) {
	p, err := LoadProgress(filepath.Join(t.TempDir(), "nope", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Last() != "" || len(p.lessons) != 0 {
		t.Errorf("missing file gave %+v, want empty progress", p)
	}
	p.Open("x") // must not panic
}

func TestLoadProgressCorrupt(t *testing.T) {
	cases := map[string]string{
		"bad json":          `{"version": 2, "last": `,
		"wrong type":        `{"version": 2, "lessons": ["a"]}`,
		"v1 wrong type":     `{"version": 1, "completed": ["a"]}`,
		"unknown version":   `{"version": 0, "last": "a"}`,
		"negative version":  `{"version": -4}`,
		"fractional":        `{"version": 2.5}`,
		"no version":        `{"last": "a"}`,
		"unknown field":     `{"version": 2, "lastt": "a"}`,
		"v1 unknown field":  `{"version": 1, "lessons": {}}`,
		"unknown lesson":    `{"version": 2, "lessons": {"a": {"visitd": true}}}`,
		"trailing data":     `{"version": 2} {"version": 2}`,
		"empty":             ``,
		"not an object":     `[2]`,
		"binary":            "\x00\xff\xfe",
		"bad answer":        `{"version": 2, "lessons": {"a": {"answers": [-2]}}}`,
		"empty slug":        `{"version": 2, "lessons": {"": {"visited": true}}}`,
		"empty prediction":  `{"version": 2, "lessons": {"a": {"predictions": {"": {"guess": 1, "at": "2026-01-01T00:00:00Z"}}}}}`,
		"year past 9999":    `{"version": 2, "last_at": "9999-12-31T23:59:59-23:00"}`,
		"too many answers":  `{"version": 2, "lessons": {"a": {"answers": [` + strings.Repeat("0,", maxQuestions) + `0]}}}`,
		"larger than limit": `{"version": 2, "last": "` + strings.Repeat("x", maxProgressBytes) + `"}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "progress.json")
			must(t, os.WriteFile(path, []byte(content), 0o600))
			p, err := LoadProgress(path)
			var cerr *CorruptProgressError
			if !errors.As(err, &cerr) {
				t.Fatalf("got error %v, want *CorruptProgressError", err)
			}
			if p.Last() != "" || len(p.lessons) != 0 {
				t.Errorf("corrupt file gave %+v, want empty progress", p)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("corrupt file still at %s", path)
			}
			if !strings.HasPrefix(cerr.MovedTo, path+".corrupt-") {
				t.Errorf("moved to %q", cerr.MovedTo)
			}
			moved, err := os.ReadFile(cerr.MovedTo)
			if err != nil || string(moved) != content {
				t.Errorf("moved file differs (%v); want the old content", err)
			}
			if !strings.Contains(cerr.Error(), cerr.MovedTo) {
				t.Errorf("message %q does not say where the file went", cerr.Error())
			}
			// The tour starts fresh and its next save works.
			p.Open("b")
			mustSave(t, p, path)
			if again, err := LoadProgress(path); err != nil || again.Last() != "b" {
				t.Errorf("after recovery: %+v, %v", again, err)
			}
		})
	}
}

// A corrupt file found at save time (written by something else since the
// tour started) is kept aside, not overwritten.
func TestSaveOverCorruptFileKeepsIt(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	must(t, os.WriteFile(path, []byte("garbage"), 0o600))
	var p Progress
	p.Open("a")
	mustSave(t, p, path)
	matches, _ := filepath.Glob(path + ".corrupt-*")
	if len(matches) != 1 {
		t.Fatalf("corrupt copies: %v", matches)
	}
	if data, _ := os.ReadFile(matches[0]); string(data) != "garbage" {
		t.Errorf("kept %q", data)
	}
}

func TestMoveAsideKeepsEarlierCopies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	now := time.Date(2026, 11, 27, 7, 0, 0, 0, time.FixedZone("x", 3600))
	var got []string
	for i := range 3 {
		os.WriteFile(path, []byte{byte('a' + i)}, 0o600)
		dst, err := moveAside(path, ".corrupt-", now)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.Base(dst))
	}
	want := []string{
		"progress.json.corrupt-20261127T060000Z",
		"progress.json.corrupt-20261127T060000Z-2",
		"progress.json.corrupt-20261127T060000Z-3",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// names lists a directory, leaving out the lock file, which stays.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".lock") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestSaveLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	p := newTestProgress()
	for i := range 5 {
		p.Open(strings.Repeat("x", i+1))
		mustSave(t, p, path)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"progress.json"}) {
		t.Errorf("directory holds %v, want only progress.json (and its lock)", got)
	}
}

// A save that crashed between writing its temporary file and renaming it
// leaves the temporary file behind: loading ignores it, and the next save
// removes it. Temporary files of another progress file are not touched.
func TestCrashBetweenWriteAndRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	var p Progress
	p.Open("kept")
	mustSave(t, p, path)
	stale := filepath.Join(dir, tempPrefix(path)+"123456.tmp")
	must(t, os.WriteFile(stale, []byte(`{"version": 2, "last": "half-writ`), 0o600))
	other := filepath.Join(dir, tempPrefix(filepath.Join(dir, "other.json"))+"1.tmp")
	must(t, os.WriteFile(other, []byte("x"), 0o600))

	got, err := LoadProgress(path)
	if err != nil || got.Last() != "kept" {
		t.Fatalf("load beside a stale temp file: %+v, %v", got, err)
	}
	got.Open("next")
	mustSave(t, got, path)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another file's temp file was removed: %v", err)
	}
	if again, err := LoadProgress(path); err != nil || again.Last() != "next" || !again.Record("kept").Visited {
		t.Errorf("after the save: %+v, %v", again, err)
	}
}

// A save that fails must leave the previous file as it was.
func TestFailedSaveKeepsOldFile(t *testing.T) {
	t.Run("read-only dir", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root ignores directory permissions")
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "progress.json")
		var old Progress
		old.Open("old")
		mustSave(t, old, path)
		os.Chmod(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		var p Progress
		p.Open("new")
		if _, err := p.Save(path); err == nil {
			t.Fatal("save into a read-only directory succeeded")
		}
		if got, err := LoadProgress(path); err != nil || got.Last() != "old" {
			t.Errorf("after a failed save: %+v, %v; want the old file", got, err)
		}
	})
	t.Run("target is a directory", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "progress.json")
		must(t, os.Mkdir(path, 0o700))
		keep := filepath.Join(path, "keep")
		os.WriteFile(keep, []byte("old"), 0o600)
		if _, err := NewProgress().Save(path); err == nil {
			t.Fatal("save over a directory succeeded")
		}
		if data, err := os.ReadFile(keep); err != nil || string(data) != "old" {
			t.Errorf("old content changed: %q, %v", data, err)
		}
		if got := names(t, dir); len(got) != 1 {
			t.Errorf("temp file left behind: %v", got)
		}
	})
	t.Run("parent is a file", func(t *testing.T) {
		dir := t.TempDir()
		parent := filepath.Join(dir, "state")
		os.WriteFile(parent, []byte("x"), 0o600)
		if _, err := NewProgress().Save(filepath.Join(parent, "progress.json")); err == nil {
			t.Fatal("save under a file succeeded")
		}
	})
}

func TestLoadProgressNotARegularFile(t *testing.T) {
	// A directory where the file should be is not corrupt content: it is
	// reported as an ordinary error and left where it is.
	path := filepath.Join(t.TempDir(), "progress.json")
	os.Mkdir(path, 0o700)
	_, err := LoadProgress(path)
	var cerr *CorruptProgressError
	if err == nil || errors.As(err, &cerr) {
		t.Fatalf("got %v, want a plain read error", err)
	}
	if info, err := os.Stat(path); err != nil || !info.IsDir() {
		t.Error("the directory was moved")
	}
}

func TestResetProgressKeepsABackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	if backup, err := ResetProgress(path); err != nil || backup != "" {
		t.Errorf("reset of a missing file: %q, %v", backup, err)
	}
	var p Progress
	p.Open("x")
	mustSave(t, p, path)
	before, _ := os.ReadFile(path)
	backup, err := ResetProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(backup, path+".bak-") {
		t.Errorf("backup %q, want %s.bak-<time>", backup, path)
	}
	if data, err := os.ReadFile(backup); err != nil || string(data) != string(before) {
		t.Errorf("backup holds %q, %v", data, err)
	}
	if got, err := LoadProgress(path); err != nil || got.Last() != "" {
		t.Errorf("after reset: %+v, %v", got, err)
	}
	// Restoring is renaming it back.
	must(t, os.Rename(backup, path))
	if got, err := LoadProgress(path); err != nil || got.Last() != "x" {
		t.Errorf("after restoring: %+v, %v", got, err)
	}
}

// completeLessons plays one window that loaded the file once at the start
// and never adopts what others saved (the worst case), completing each of
// slugs and saving after each one.
func completeLessons(path string, slugs []string) error {
	p, err := LoadProgress(path)
	if err != nil {
		return err
	}
	for _, s := range slugs {
		p.Open(s)
		p.Answer(s, 0, 1, 0)
		p.SetKnobs(s, []float64{float64(len(s))})
		if _, err := p.Save(path); err != nil {
			return err
		}
	}
	return nil
}

func lessonNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%02d", prefix, i)
	}
	return out
}

// checkAllComplete fails unless every lesson of every group is complete on disk.
func checkAllComplete(t *testing.T, path string, groups ...[]string) {
	t.Helper()
	got, err := LoadProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		for _, s := range g {
			if st := got.Status(s, Requirements{Questions: 1}); !st.Complete {
				t.Errorf("%s lost: %+v", s, st)
			}
		}
	}
}

func TestTwoGoroutinesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	a, b := lessonNames("a", 30), lessonNames("b", 30)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, slugs := range [][]string{a, b} {
		wg.Go(func() { errs[i] = completeLessons(path, slugs) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkAllComplete(t, path, a, b)
}

const childEnv = "SERVERLESS_TOUR_PROGRESS_CHILD"

// TestTwoProcessesLoseNothing runs this test binary twice more as
// children (see childEnv), each completing its own lessons in one file.
func TestTwoProcessesLoseNothing(t *testing.T) {
	if spec := os.Getenv(childEnv); spec != "" {
		path, prefix, _ := strings.Cut(spec, "|")
		if err := completeLessons(path, lessonNames(prefix, 30)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if testing.Short() {
		t.Skip("starts two processes")
	}
	path := filepath.Join(t.TempDir(), "progress.json")
	var cmds []*exec.Cmd
	for _, prefix := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcessesLoseNothing$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+path+"|"+prefix)
		cmd.Stderr = os.Stderr
		must(t, cmd.Start())
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	checkAllComplete(t, path, lessonNames("a", 30), lessonNames("b", 30))
}

func TestProgressPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	home := func() (string, error) { return "/home/ada", nil }
	config := func() (string, error) { return "/cfg", nil }
	noHome := func() (string, error) { return "", errors.New("no home") }
	cases := []struct {
		name, goos string
		env        map[string]string
		home       func() (string, error)
		want       string
	}{
		{"xdg wins", "linux", map[string]string{"XDG_STATE_HOME": "/xdg"}, home, "/xdg/serverless-tour/progress.json"},
		{"relative xdg ignored", "linux", map[string]string{"XDG_STATE_HOME": "rel"}, home, "/home/ada/.local/state/serverless-tour/progress.json"},
		{"linux", "linux", nil, home, "/home/ada/.local/state/serverless-tour/progress.json"},
		{"bsd", "freebsd", nil, home, "/home/ada/.local/state/serverless-tour/progress.json"},
		{"macos", "darwin", nil, home, "/home/ada/Library/Application Support/serverless-tour/progress.json"},
		{"windows", "windows", map[string]string{"LocalAppData": `C:\Users\ada\AppData\Local`}, home, filepath.Join(`C:\Users\ada\AppData\Local`, "serverless-tour", "progress.json")},
		{"windows fallback", "windows", nil, home, "/cfg/serverless-tour/progress.json"},
		{"no home", "linux", nil, noHome, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := progressPath(c.goos, env(c.env), c.home, config)
			if c.want == "" {
				if err == nil {
					t.Errorf("got %q, want an error", got)
				}
				return
			}
			if err != nil || got != filepath.FromSlash(c.want) {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	if p, err := DefaultProgressPath(); err == nil && !strings.HasSuffix(p, filepath.Join("serverless-tour", "progress.json")) {
		t.Errorf("DefaultProgressPath() = %q", p)
	}
}
