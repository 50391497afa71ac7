package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestProgressRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "serverless-tour", "progress.json")
	p := NewProgress()
	p.Last = "idle-capacity"
	p.Completed["contract-of-trust"] = true
	p.Answers["contract-of-trust"] = []int{1, -1, 2}
	p.Knobs["idle-capacity"] = []float64{40, 0.5, 12}
	if err := p.Save(path); err != nil {
		t.Fatal(err)
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
	if !reflect.DeepEqual(got, p) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, p)
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"version": 1`) {
		t.Errorf("saved file lacks a version:\n%s", data)
	}
}

func TestLoadProgressMissing(t *testing.T) {
	p, err := LoadProgress(filepath.Join(t.TempDir(), "nope", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Last != "" || len(p.Completed) != 0 || p.Completed == nil {
		t.Errorf("missing file gave %+v, want empty progress with ready maps", p)
	}
	p.Completed["x"] = true // must not panic
}

func TestLoadProgressCorrupt(t *testing.T) {
	cases := map[string]string{
		"bad json":        `{"version": 1, "last": `,
		"wrong type":      `{"version": 1, "completed": ["a"]}`,
		"unknown version": `{"version": 7, "last": "a"}`,
		"no version":      `{"last": "a"}`,
		"unknown field":   `{"version": 1, "lastt": "a"}`,
		"trailing data":   `{"version": 1} {"version": 1}`,
		"empty":           ``,
		"binary":          "\x00\xff\xfe",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "progress.json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			p, err := LoadProgress(path)
			var cerr *CorruptProgressError
			if !errors.As(err, &cerr) {
				t.Fatalf("got error %v, want *CorruptProgressError", err)
			}
			if p.Last != "" || p.Completed == nil {
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
				t.Errorf("moved file has %q, %v; want the old content", moved, err)
			}
			if !strings.Contains(cerr.Error(), cerr.MovedTo) {
				t.Errorf("message %q does not say where the file went", cerr.Error())
			}
			// The tour starts fresh and its next save works.
			p.Last = "b"
			if err := p.Save(path); err != nil {
				t.Fatal(err)
			}
			if again, err := LoadProgress(path); err != nil || again.Last != "b" {
				t.Errorf("after recovery: %+v, %v", again, err)
			}
		})
	}
}

func TestMoveAsideKeepsEarlierCopies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	now := time.Date(2026, 11, 27, 7, 0, 0, 0, time.FixedZone("x", 3600))
	var got []string
	for i := range 3 {
		os.WriteFile(path, []byte{byte('a' + i)}, 0o600)
		dst, err := moveAside(path, now)
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

func TestSaveLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	p := NewProgress()
	for i := range 5 {
		p.Last = strings.Repeat("x", i)
		if err := p.Save(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "progress.json" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only progress.json", names)
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
		old := NewProgress()
		old.Last = "old"
		if err := old.Save(path); err != nil {
			t.Fatal(err)
		}
		os.Chmod(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		p := NewProgress()
		p.Last = "new"
		if err := p.Save(path); err == nil {
			t.Fatal("save into a read-only directory succeeded")
		}
		if got, err := LoadProgress(path); err != nil || got.Last != "old" {
			t.Errorf("after a failed save: %+v, %v; want the old file", got, err)
		}
	})
	t.Run("target is a directory", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "progress.json")
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
		keep := filepath.Join(path, "keep")
		os.WriteFile(keep, []byte("old"), 0o600)
		if err := NewProgress().Save(path); err == nil {
			t.Fatal("save over a non-empty directory succeeded")
		}
		if data, err := os.ReadFile(keep); err != nil || string(data) != "old" {
			t.Errorf("old content changed: %q, %v", data, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("temp file left behind: %d entries", len(entries))
		}
	})
	t.Run("parent is a file", func(t *testing.T) {
		dir := t.TempDir()
		parent := filepath.Join(dir, "state")
		os.WriteFile(parent, []byte("x"), 0o600)
		if err := NewProgress().Save(filepath.Join(parent, "progress.json")); err == nil {
			t.Fatal("save under a file succeeded")
		}
	})
}

func TestLoadProgressUnreadable(t *testing.T) {
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

func TestResetProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	if err := ResetProgress(path); err != nil {
		t.Errorf("reset of a missing file: %v", err)
	}
	p := NewProgress()
	p.Last = "x"
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	if err := ResetProgress(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("file still there: %v", err)
	}
	if got, err := LoadProgress(path); err != nil || got.Last != "" {
		t.Errorf("after reset: %+v, %v", got, err)
	}
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

func TestWithMapsAllocatesOnlyWhatIsMissing(t *testing.T) {
	p := Progress{Completed: map[string]bool{"a": true}}.WithMaps()
	p.Answers["q"] = []int{1}
	p.Knobs["k"] = []float64{2}
	if !p.Completed["a"] || len(p.Answers) != 1 || len(p.Knobs) != 1 {
		t.Fatalf("WithMaps lost or failed to allocate a map: %+v", p)
	}
}
