package sim

import (
	"bytes"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// scenarioWant is what a scenario file's top level must be.
const scenarioWant = "a mapping with name, duration, load, request, targets"

// Parse reads a scenario from YAML. It checks everything Normalized checks,
// and more that only the file shows (unknown keys, missing keys, keys the
// pattern or kind does not use), and reports the first problem as
// "file:line: field: what". The scenario comes back as written, without
// defaults, so that Set followed by Normalized behaves as if the file had
// said so; a missing name becomes the file's base name.
//
// Parse reads no other file: a trace scenario's Load.Trace stays empty
// (ParseFile and ParseFS load it).
func Parse(data []byte, filename string) (Scenario, error) {
	s, lines, err := decodeScenario(data, filename)
	if err != nil {
		return Scenario{}, err
	}
	if _, err := s.normalize(false); err != nil {
		return Scenario{}, lines.Locate(err, filename)
	}
	return s, nil
}

// ParseFile reads a scenario file (a regular file of at most
// ScenarioFile.MaxBytes()). A trace's file is read relative to the
// scenario's folder.
func ParseFile(name string) (Scenario, error) {
	data, err := ReadFile(name, ScenarioFile)
	if err != nil {
		return Scenario{}, err
	}
	return parseWithTrace(data, name, func(file string) ([]byte, string, error) {
		p := file
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(name), filepath.FromSlash(file))
		}
		data, err := ReadFile(p, TraceFile)
		return data, p, err
	})
}

// ParseFS reads a scenario from a file system (the embedded content, or a
// --content folder). A trace's file is read relative to the scenario's
// folder in the same file system.
func ParseFS(fsys fs.FS, name string) (Scenario, error) {
	data, err := ReadFileFS(fsys, name, ScenarioFile)
	if err != nil {
		return Scenario{}, err
	}
	return parseWithTrace(data, name, func(file string) ([]byte, string, error) {
		p := path.Join(path.Dir(name), file)
		data, err := ReadFileFS(fsys, p, TraceFile)
		return data, p, err
	})
}

// traceOpener reads a trace file named by a scenario, returning its path.
type traceOpener func(file string) (data []byte, resolved string, err error)

func parseWithTrace(data []byte, name string, read traceOpener) (Scenario, error) {
	s, lines, err := decodeScenario(data, name)
	if err != nil {
		return Scenario{}, err
	}
	if s.Load.Pattern == "trace" && s.Load.File != "" {
		csv, resolved, err := read(s.Load.File)
		if err != nil {
			return Scenario{}, lines.Locate(fieldErr("load.file", "%v", err), name)
		}
		rates, step, err := LoadTrace(bytes.NewReader(csv), resolved)
		if err != nil {
			return Scenario{}, err
		}
		s.Load.Trace, s.Load.TraceStep = rates, step
	}
	if _, err := s.normalize(true); err != nil {
		return Scenario{}, lines.Locate(err, name)
	}
	return s, nil
}

// decodeScenario reads the file's YAML into a Scenario and checks what
// only the file can show; values are checked by normalize.
func decodeScenario(data []byte, filename string) (Scenario, YAMLLines, error) {
	var s Scenario
	lines, errs := DecodeYAML(data, filename, &s, YAMLOptions{What: "scenario", Want: scenarioWant})
	if len(errs) > 0 {
		return Scenario{}, lines, errs[0]
	}
	if lines.Empty() {
		return Scenario{}, lines, &FieldError{File: filename, Msg: "empty scenario (want " + scenarioWant + ")"}
	}
	if err := requiredKeys(s, lines); err != nil {
		return Scenario{}, lines, lines.Locate(err, filename)
	}
	if s.Name == "" && !lines.Has("name") {
		base := filepath.Base(filename)
		s.Name = Visible(strings.TrimSuffix(base, filepath.Ext(base)))
	}
	return s, lines, nil
}

// requiredKeys checks the top level's required keys. (The keys inside
// load, request and targets are required by their shapes.)
func requiredKeys(s Scenario, lines YAMLLines) error {
	if !lines.Has("duration") && s.Load.Pattern != "trace" {
		return fieldErr("duration", "required (how long to simulate, e.g. 24h)")
	}
	for _, k := range []string{"load", "request", "targets"} {
		if !lines.Has(k) {
			return fieldErr(k, "required")
		}
	}
	return nil
}
