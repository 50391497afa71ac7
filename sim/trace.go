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

	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	const (
		unknown = iota
		stamps
		offsets
	)
	form := unknown
	var first, prev float64 // seconds: offset, or Unix time for timestamps
	var prevLine int
	rows := 0
	for {
		rec, rerr := cr.Read()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			var pe *csv.ParseError
			if errors.As(rerr, &pe) {
				return nil, 0, fail(pe.Line, "%v", pe.Err)
			}
			return nil, 0, fmt.Errorf("%s: %v", name, rerr)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 2 {
			return nil, 0, fail(line, "want 2 columns (timestamp,requests or seconds,rps), got %d", len(rec))
		}
		a := strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff"))
		b := strings.TrimSpace(rec[1])
		if form == unknown && rows == 0 && headerRE.MatchString(a) && headerRE.MatchString(b) {
			continue
		}
		var t float64
		if ts, terr := time.Parse(time.RFC3339Nano, a); terr == nil {
			if form == offsets {
				return nil, 0, fail(line, "timestamp %q in a file of seconds", a)
			}
			form = stamps
			t = float64(ts.UnixNano()) / 1e9
		} else if f, ferr := strconv.ParseFloat(a, 64); ferr == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			if form == stamps {
				return nil, 0, fail(line, "%q is not an RFC 3339 timestamp (e.g. 2025-03-04T09:00:00Z)", a)
			}
			if f < 0 {
				return nil, 0, fail(line, "seconds %q must not be negative", a)
			}
			form = offsets
			t = f
		} else {
			return nil, 0, fail(line, "%q is neither an RFC 3339 timestamp nor a number of seconds", a)
		}
		v, verr := strconv.ParseFloat(b, 64)
		if verr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fail(line, "bad %s %q: want a number", valueName(form), b)
		}
		if v < 0 {
			return nil, 0, fail(line, "%s %q must not be negative", valueName(form), b)
		}
		switch rows {
		case 0:
			first = t
		case 1:
			if t <= prev {
				return nil, 0, fail(line, "time %q is not after the row on line %d", a, prevLine)
			}
			step = time.Duration(math.Round((t - prev) * 1e9))
			if step < time.Millisecond {
				return nil, 0, fail(line, "rows are %v apart; at least 1ms", step)
			}
		default:
			want := first + float64(rows)*step.Seconds()
			if math.Abs(t-want) > 1e-3 {
				return nil, 0, fail(line, "time %q breaks the regular interval of %v (expected %s)", a, step, describeTime(form, want))
			}
		}
		if rows >= maxTraceRows {
			return nil, 0, fail(line, "too many rows; at most %d", maxTraceRows)
		}
		rates = append(rates, v) // counts become rates once the step is known
		prev, prevLine = t, line
		rows++
	}
	switch {
	case rows == 0:
		return nil, 0, fmt.Errorf("%s: no data rows (want timestamp,requests or seconds,rps)", name)
	case rows == 1:
		// One row tells neither the interval nor how long the trace lasts
		// (a constant rate is the constant pattern's job).
		return nil, 0, fmt.Errorf("%s: one row is not enough to tell the interval; give at least two (for a steady rate use pattern: constant)", name)
	}
	if span := step.Seconds() * float64(rows); span > maxTraceSpan.Seconds() {
		return nil, 0, fmt.Errorf("%s: the rows span %.3g s; a trace may span at most %v", name, span, maxTraceSpan)
	}
	if form == stamps {
		for i := range rates {
			rates[i] /= step.Seconds()
		}
	}
	return rates, step, nil
}

// maxTraceSpan bounds how long a trace may last (about ten years), well
// inside what a duration can hold.
const maxTraceSpan = 10 * 366 * 24 * time.Hour

var headerRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ ()/-]*$`)

func valueName(form int) string {
	if form == 1 {
		return "requests"
	}
	return "rps"
}

func describeTime(form int, t float64) string {
	if form == 1 {
		sec, frac := math.Modf(t)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC().Format(time.RFC3339Nano)
	}
	return strconv.FormatFloat(t, 'f', -1, 64)
}
