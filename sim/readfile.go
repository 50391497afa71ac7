package sim

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// FileKind names a kind of file the tour reads, each with its own size
// limit: a wrong path (/dev/zero, a named pipe, a log file) is refused at
// once rather than read until memory runs out or waited on for ever.
type FileKind int

const (
	ScenarioFile FileKind = iota // scenarios/*.yaml, `sim FILE`
	LessonFile                   // lessons/NN-slug.md
	PricingFile                  // the price table, --pricing FILE
	TraceFile                    // a scenario's trace CSV
)

// MaxBytes is the largest file of this kind the tour reads. The limits are
// documented in docs/scenarios.md and the README; each is far above any
// real file of its kind (the shipped ones are a few KB).
func (k FileKind) MaxBytes() int64 {
	switch k {
	case TraceFile:
		return 64 << 20 // a million rows of timestamp,count
	case PricingFile:
		return 4 << 20 // tens of thousands of instance types
	}
	return 1 << 20
}

func (k FileKind) String() string {
	return [...]string{"scenario", "lesson", "price table", "trace"}[k]
}

// ReadFile reads a regular file of this kind from the operating system,
// refusing anything else (a folder, a device, a named pipe, or a symbolic
// link to one) and anything over the kind's size limit. Opening never
// blocks, even on a named pipe with no writer.
func ReadFile(name string, kind FileKind) ([]byte, error) {
	if info, err := os.Stat(name); err != nil {
		return nil, fileErr(name, err)
	} else if err := checkRegular(name, info, kind); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, fileErr(name, err)
	}
	defer f.Close()
	return readRegular(name, f, kind)
}

// ReadFileFS is ReadFile for a file system: the embedded content, or
// os.DirFS for --content DIR, which follows symbolic links.
func ReadFileFS(fsys fs.FS, name string, kind FileKind) ([]byte, error) {
	// Stat before Open: opening a named pipe through fs.FS would block.
	if info, err := fs.Stat(fsys, name); err != nil {
		return nil, fileErr(name, err)
	} else if err := checkRegular(name, info, kind); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fileErr(name, err)
	}
	defer f.Close()
	return readRegular(name, f, kind)
}

// readRegular checks the open file again (it may have been swapped since
// the Stat) and reads at most the limit.
func readRegular(name string, f fs.File, kind FileKind) ([]byte, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, fileErr(name, err)
	}
	if err := checkRegular(name, info, kind); err != nil {
		return nil, err
	}
	limit := kind.MaxBytes()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fileErr(name, err)
	}
	if int64(len(data)) > limit {
		return nil, tooBig(name, kind)
	}
	return data, nil
}

func checkRegular(name string, info fs.FileInfo, kind FileKind) error {
	mode := info.Mode()
	var what string
	switch {
	case mode.IsRegular():
		if info.Size() > kind.MaxBytes() {
			return tooBig(name, kind)
		}
		return nil
	case mode.IsDir():
		what = "a folder"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeDevice != 0, mode&fs.ModeCharDevice != 0:
		what = "a device"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	default:
		what = "not a regular file"
		return &FieldError{File: name, Msg: fmt.Sprintf("%s; want a %s file", what, kind)}
	}
	return &FieldError{File: name, Msg: fmt.Sprintf("is %s, not a %s file", what, kind)}
}

func tooBig(name string, kind FileKind) error {
	return &FieldError{File: name, Msg: fmt.Sprintf("is larger than %d MiB, the limit for a %s file", kind.MaxBytes()>>20, kind)}
}

// fileErr words an error from the file system without repeating the path
// ("lunch.yaml: no such file or directory").
func fileErr(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &FieldError{File: name, Msg: err.Error()}
}
