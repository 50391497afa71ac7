package lessons

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// progressVersion is the newest shape of the progress file this binary
// reads, and the one it writes. Version 1 (completed, answers and knobs
// per slug) is read and migrated; a newer version is left alone.
const progressVersion = 2

// maxProgressBytes bounds what is read of a progress file: a whole course
// of answers, knobs and predictions is a few kilobytes.
const maxProgressBytes = 4 << 20

// progressFile is the JSON shape of version 2:
//
//	{
//	  "version": 2,
//	  "last": "idle-capacity",
//	  "last_at": "2026-12-02T18:20:11.042Z",
//	  "lessons": {
//	    "contract-of-trust": {"visited": true, "challenge_met": true,
//	      "answers": [1, 0, 2], "answers_at": "…", "knobs": [40, 0.5], "knobs_at": "…",
//	      "predictions": {"peak-vms": {"guess": 12, "at": "…"}}, "updated": "…"}
//	  }
//	}
type progressFile struct {
	Version int                     `json:"version"`
	Last    string                  `json:"last,omitempty"`
	LastAt  time.Time               `json:"last_at,omitzero"`
	Lessons map[string]LessonRecord `json:"lessons,omitempty"`
}

// progressFileV1 is the JSON shape of version 1.
type progressFileV1 struct {
	Version   int                  `json:"version"`
	Last      string               `json:"last,omitempty"`
	Completed map[string]bool      `json:"completed,omitempty"`
	Answers   map[string][]int     `json:"answers,omitempty"`
	Knobs     map[string][]float64 `json:"knobs,omitempty"`
}

// NewerProgressError reports a progress file written by a newer
// serverless-tour: it is neither read nor overwritten nor moved.
type NewerProgressError struct {
	Path    string
	Version int
}

func (e *NewerProgressError) Error() string {
	return fmt.Sprintf("%s was written by a newer serverless-tour (progress version %d); this one reads up to version %d, so progress will not be saved this session", e.Path, e.Version, progressVersion)
}

// encodeProgress is the file's bytes for p.
func encodeProgress(p Progress) ([]byte, error) {
	data, err := json.MarshalIndent(progressFile{Version: progressVersion, Last: p.last, LastAt: p.lastAt, Lessons: p.lessons}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// decodeProgress reads a progress file of any version this binary knows.
// A file of a newer version is a *NewerProgressError; anything else it
// cannot understand is an ordinary error (the file is corrupt).
func decodeProgress(data []byte, path string) (Progress, error) {
	if len(data) > maxProgressBytes {
		return Progress{}, fmt.Errorf("larger than %d MiB", maxProgressBytes>>20)
	}
	// First only the version, leniently: a newer file may have fields this
	// binary has never heard of, and that is not corruption.
	var probe struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return Progress{}, err
	}
	switch {
	case probe.Version == nil:
		return Progress{}, errors.New("no version")
	case *probe.Version > progressVersion:
		return Progress{}, &NewerProgressError{Path: path, Version: *probe.Version}
	case *probe.Version == 1:
		var v1 progressFileV1
		if err := decodeStrict(data, &v1); err != nil {
			return Progress{}, err
		}
		return migrateV1(v1)
	case *probe.Version == progressVersion:
		var f progressFile
		if err := decodeStrict(data, &f); err != nil {
			return Progress{}, err
		}
		return fromFile(f)
	default:
		return Progress{}, fmt.Errorf("unknown version %d", *probe.Version)
	}
}

// decodeStrict decodes one JSON object into v, refusing unknown fields
// (json.Unmarshal in the probe has already refused trailing data).
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// migrateV1 carries a version 1 file over: a lesson it marked completed
// stays completed, and every lesson it names counts as visited.
func migrateV1(f progressFileV1) (Progress, error) {
	v2 := progressFile{Version: progressVersion, Last: f.Last, Lessons: map[string]LessonRecord{}}
	touch := func(slug string, with func(*LessonRecord)) {
		r := v2.Lessons[slug]
		r.Visited = true
		with(&r)
		v2.Lessons[slug] = r
	}
	for slug, done := range f.Completed {
		touch(slug, func(r *LessonRecord) { r.Completed = done })
	}
	for slug, a := range f.Answers {
		touch(slug, func(r *LessonRecord) { r.Answers = a })
	}
	for slug, k := range f.Knobs {
		touch(slug, func(r *LessonRecord) { r.Knobs = k })
	}
	if f.Last != "" {
		touch(f.Last, func(*LessonRecord) {})
	}
	return fromFile(v2)
}

// fromFile checks what JSON's types cannot and builds the Progress.
func fromFile(f progressFile) (Progress, error) {
	p := Progress{last: f.Last, lastAt: f.LastAt.UTC(), lessons: make(map[string]LessonRecord, len(f.Lessons))}
	if err := checkTime("last_at", p.lastAt); err != nil {
		return Progress{}, err
	}
	for slug, r := range f.Lessons {
		if slug == "" {
			return Progress{}, errors.New(`lessons: a lesson with an empty slug ""`)
		}
		if len(r.Answers) > maxQuestions {
			return Progress{}, fmt.Errorf("lessons.%s.answers: %d answers, at most %d", slug, len(r.Answers), maxQuestions)
		}
		for i, a := range r.Answers {
			if a < -1 {
				return Progress{}, fmt.Errorf("lessons.%s.answers[%d]: %d is not a choice (0 or more) or -1 (unanswered)", slug, i, a)
			}
		}
		// Empty lists and maps read as none, as they are written.
		if len(r.Answers) == 0 {
			r.Answers = nil
		}
		if len(r.Knobs) == 0 {
			r.Knobs = nil
		}
		if len(r.Predictions) == 0 {
			r.Predictions = nil
		}
		r.AnswersAt, r.KnobsAt, r.Updated = r.AnswersAt.UTC(), r.KnobsAt.UTC(), r.Updated.UTC()
		for field, t := range map[string]time.Time{"answers_at": r.AnswersAt, "knobs_at": r.KnobsAt, "updated": r.Updated} {
			if err := checkTime("lessons."+slug+"."+field, t); err != nil {
				return Progress{}, err
			}
		}
		for id, g := range r.Predictions {
			if id == "" {
				return Progress{}, fmt.Errorf("lessons.%s.predictions: a prediction with an empty id", slug)
			}
			g.At = g.At.UTC()
			if err := checkTime("lessons."+slug+".predictions."+id+".at", g.At); err != nil {
				return Progress{}, err
			}
			r.Predictions[id] = g
		}
		p.lessons[slug] = r
	}
	return p, nil
}

// checkTime refuses a stamp that could not be written back: JSON times
// carry four-digit years, and an offset can push one past 9999 in UTC.
func checkTime(field string, t time.Time) error {
	if y := t.Year(); !t.IsZero() && (y < 1 || y > 9999) {
		return fmt.Errorf("%s: year %d is out of range", field, y)
	}
	return nil
}

// readProgressFile reads path, refusing anything but a regular file (a
// FIFO would block, a device would never end) and reading at most one
// byte more than maxProgressBytes. A missing file is fs.ErrNotExist.
func readProgressFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxProgressBytes+1))
}
