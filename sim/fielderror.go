package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldError is a problem with one field of a file: File and Line say where
// (Line 0 for the whole file), Field is the dotted path of the field
// ("targets[1].cold_start"), Msg what is wrong and what is valid. It prints
// as "file:line: field: message", the shape editors and terminals link to.
//
// Error escapes control characters in every part, so a message never
// carries an escape sequence from a file to the terminal.
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(Visible(e.File))
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(Visible(e.Field))
		b.WriteString(": ")
	}
	b.WriteString(Visible(e.Msg))
	return b.String()
}

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// maxEcho is how many characters of a value from a file a message repeats:
// enough to recognise it, never megabytes of input.
const maxEcho = 60

// clip cuts s to maxEcho characters, marking the cut with "…".
func clip(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	n := 0
	for i := range s {
		if n == maxEcho {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// quote writes a value from a file into a message: clipped, quoted, with
// control characters and invalid bytes escaped.
func quote(s string) string { return strconv.Quote(clip(s)) }

// Quote is quote for other packages' messages about text from files.
func Quote(s string) string { return quote(s) }
