package sim

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// maxTraceRows bounds a trace file: a year of minutes fits with room to spare.
const maxTraceRows = 1_000_000

// maxTraceSpan bounds how long a trace may last (about ten years), well
// inside what a duration can hold.
const maxTraceSpan = 10 * 366 * 24 * time.Hour

// LoadTrace reads a traffic trace from CSV, in either of two forms:
//
//	timestamp,requests   RFC 3339 times at a regular interval; requests
//	                     counted in the interval that starts at the time
//	seconds,rps          seconds from the start at a regular interval; the
//	                     rate from that time until the next row
//
// A header row is optional, and so are blank lines and # comments. It
// returns one rate (requests per second) per step. Problems name the file
// and line ("traffic.csv:12: ...").
func LoadTrace(r io.Reader, name string) (rates []float64, step time.Duration, err error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	t := &traceRows{name: name}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, 0, t.fail(pe.Line, "%v", pe.Err)
			}
			return nil, 0, fmt.Errorf("%s: %v", Visible(name), err)
		}
		line, _ := cr.FieldPos(0)
		if err := t.row(rec, line); err != nil {
			return nil, 0, err
		}
	}
	return t.finish()
}

type traceForm int

const (
	unknownForm traceForm = iota
	stamps                // timestamp,requests
	offsets               // seconds,rps
)

// traceRows reads a trace row by row.
type traceRows struct {
	name        string
	form        traceForm
	first, prev float64 // seconds: offset, or Unix time for timestamps
	prevLine    int
	step        time.Duration
	rates       []float64 // counts become rates once the step is known
}

func (t *traceRows) fail(line int, format string, args ...any) error {
	return &FieldError{File: t.name, Line: line, Msg: fmt.Sprintf(format, args...)}
}

var headerRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ ()/-]*$`)

func (t *traceRows) row(rec []string, line int) error {
	if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
		return nil
	}
	if len(rec) != 2 {
		return t.fail(line, "want 2 columns (timestamp,requests or seconds,rps), got %d", len(rec))
	}
	a := strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff"))
	b := strings.TrimSpace(rec[1])
	if t.form == unknownForm && len(t.rates) == 0 && headerRE.MatchString(a) && headerRE.MatchString(b) {
		return nil
	}
	at, err := t.time(a, line)
	if err != nil {
		return err
	}
	v, err := strconv.ParseFloat(b, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return t.fail(line, "bad %s %s: want a number", t.valueName(), quote(b))
	}
	if v < 0 {
		return t.fail(line, "%s %s must not be negative", t.valueName(), quote(b))
	}
	if err := t.spacing(at, a, line); err != nil {
		return err
	}
	if len(t.rates) >= maxTraceRows {
		return t.fail(line, "too many rows; at most %d", maxTraceRows)
	}
	t.rates = append(t.rates, v)
	t.prev, t.prevLine = at, line
	return nil
}

// time reads a row's time, which fixes the file's form on the first row.
func (t *traceRows) time(a string, line int) (float64, error) {
	if ts, err := time.Parse(time.RFC3339Nano, a); err == nil {
		if t.form == offsets {
			return 0, t.fail(line, "timestamp %s in a file of seconds", quote(a))
		}
		t.form = stamps
		return float64(ts.UnixNano()) / 1e9, nil
	}
	f, err := strconv.ParseFloat(a, 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, t.fail(line, "%s is neither an RFC 3339 timestamp nor a number of seconds", quote(a))
	case t.form == stamps:
		return 0, t.fail(line, "%s is not an RFC 3339 timestamp (e.g. 2025-03-04T09:00:00Z)", quote(a))
	case f < 0:
		return 0, t.fail(line, "seconds %s must not be negative", quote(a))
	}
	t.form = offsets
	return f, nil
}

// spacing checks that rows keep the interval the first two set.
func (t *traceRows) spacing(at float64, a string, line int) error {
	switch len(t.rates) {
	case 0:
		t.first = at
	case 1:
		gap := at - t.prev
		if gap <= 0 {
			return t.fail(line, "time %s is not after the row on line %d", quote(a), t.prevLine)
		}
		// A gap past what a duration holds would wrap to a negative step.
		if gap > maxTraceSpan.Seconds() {
			return t.fail(line, "rows are %.3g s apart; a trace may span at most %v", gap, Duration(maxTraceSpan))
		}
		t.step = time.Duration(math.Round(gap * 1e9))
		if t.step < time.Millisecond {
			return t.fail(line, "rows are %v apart; at least 1ms", t.step)
		}
	default:
		want := t.first + float64(len(t.rates))*t.step.Seconds()
		if math.Abs(at-want) > 1e-3 {
			return t.fail(line, "time %s breaks the regular interval of %v (expected %s)", quote(a), t.step, t.describeTime(want))
		}
	}
	return nil
}

func (t *traceRows) finish() ([]float64, time.Duration, error) {
	switch n := len(t.rates); {
	case n == 0:
		return nil, 0, &FieldError{File: t.name, Msg: "no data rows (want timestamp,requests or seconds,rps)"}
	case n == 1:
		// One row tells neither the interval nor how long the trace lasts
		// (a constant rate is the constant pattern's job).
		return nil, 0, &FieldError{File: t.name, Msg: "one row is not enough to tell the interval; give at least two (for a steady rate use pattern: constant)"}
	case t.step.Seconds()*float64(n) > maxTraceSpan.Seconds():
		return nil, 0, &FieldError{File: t.name, Msg: fmt.Sprintf("the rows span %.3g s; a trace may span at most %v", t.step.Seconds()*float64(n), Duration(maxTraceSpan))}
	}
	if t.form == stamps {
		for i := range t.rates {
			t.rates[i] /= t.step.Seconds()
		}
	}
	return t.rates, t.step, nil
}

func (t *traceRows) valueName() string {
	if t.form == stamps {
		return "requests"
	}
	return "rps"
}

func (t *traceRows) describeTime(at float64) string {
	if t.form == stamps {
		sec, frac := math.Modf(at)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatFloat(at, 'f', -1, 64)
}
