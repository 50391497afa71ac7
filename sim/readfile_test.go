package sim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// returnsWithin fails the test if f does not return: a reader that blocks on a
// named pipe would otherwise hang the test run instead of failing it.
func returnsWithin(t *testing.T, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("%s blocked", what)
		return nil
	}
}

// Every reader of files takes only regular files within its kind's size
// limit: a device, a folder, a named pipe or a symbolic link to one is a
// clear error at once, never an unbounded read or a hang.
func TestReadersRefuseNonFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file just over the largest limit: refused by its size, unread.
	if err := f.Truncate(TraceFile.MaxBytes() + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")))
	must(os.Mkdir(filepath.Join(dir, "folder.yaml"), 0o755))
	special := map[string]string{
		"/dev/zero":   "is a device, not a",
		"zero.yaml":   "is a device, not a",
		"folder.yaml": "is a folder, not a",
		"big.yaml":    "is larger than",
		"none.yaml":   "no such file or directory",
	}
	if fifo := makeFIFO(t, dir); fifo != "" {
		must(os.Symlink(fifo, filepath.Join(dir, "pipe-link.yaml")))
		special[fifo] = "is a named pipe, not a"
		special["pipe-link.yaml"] = "is a named pipe, not a"
	}
	fsys := os.DirFS(dir)
	for name, want := range special {
		path := name
		if !filepath.IsAbs(name) {
			path = filepath.Join(dir, name)
		}
		readers := map[string]func() error{
			"ParseFile":        func() error { _, err := ParseFile(path); return err },
			"ReadPricingFile":  func() error { _, err := ReadPricingFile(path); return err },
			"ReadFile(trace)":  func() error { _, err := ReadFile(path, TraceFile); return err },
			"ReadFile(lesson)": func() error { _, err := ReadFile(path, LessonFile); return err },
		}
		if !filepath.IsAbs(name) {
			readers["ParseFS"] = func() error { _, err := ParseFS(fsys, name); return err }
		}
		for reader, read := range readers {
			err := returnsWithin(t, reader+" "+name, read)
			if err == nil {
				t.Errorf("%s(%s) read it", reader, name)
				continue
			}
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), filepath.Base(name)) {
				t.Errorf("%s(%s): %v; want the file named and %q", reader, name, err, want)
			}
		}
	}
}

// A trace named by a scenario is read under the same rules.
func TestTraceMustBeARegularFile(t *testing.T) {
	dir := t.TempDir()
	src := "load: {pattern: trace, file: zero.csv}\nrequest: {duration: 1s}\ntargets: [{name: f, kind: function}]\n"
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.csv")); err != nil {
		t.Fatal(err)
	}
	err := returnsWithin(t, "ParseFile", func() error { _, err := ParseFile(filepath.Join(dir, "s.yaml")); return err })
	if err == nil || !strings.Contains(err.Error(), "s.yaml:1: load.file: ") || !strings.Contains(err.Error(), "is a device, not a trace file") {
		t.Fatalf("trace from /dev/zero: %v", err)
	}
}

// The size limit names the kind of file and its limit.
func TestSizeLimitMessage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.yaml")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(PricingFile.MaxBytes() + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadPricingFile(p); err == nil || !strings.HasSuffix(err.Error(), "big.yaml: is larger than 4 MiB, the limit for a price table file") {
		t.Errorf("got %v", err)
	}
	if _, err := ParseFile(p); err == nil || !strings.HasSuffix(err.Error(), "is larger than 1 MiB, the limit for a scenario file") {
		t.Errorf("got %v", err)
	}
}
