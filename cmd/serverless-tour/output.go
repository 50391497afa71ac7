package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkedWriter passes writes on and remembers the first that failed, so
// a command that prints many lines checks once, at the end, that all of
// them arrived (a full disk, a closed file): main.go promises exit 1 then.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = err
	}
	return n, err
}

// done is the command's result: a failed write wins over anything the
// command found, because the user has not seen what it found.
func (c *checkedWriter) done(err error) error {
	if c.err != nil {
		return runtimeError{fmt.Errorf("writing output: %w", c.err)}
	}
	return err
}

// printable makes text from files or flags (titles, names, paths, price
// table notes) safe to print on one line of a terminal: control
// characters (ESC starts every escape sequence; C1 characters are
// sequences of their own), DEL, the marks that reorder bidirectional
// text, and bytes that are not UTF-8 are written as Go escapes (\x1b,
// \u202e), so the learner sees them instead of the terminal obeying them.
// Tabs and newlines are escaped too: the text is one cell or one line.
func printable(s string) string {
	if !needsEscape(s, false) {
		return s
	}
	return escapeText(s, false)
}

// printableLines is printable for text of several lines: newlines stay.
func printableLines(s string) string {
	if !needsEscape(s, true) {
		return s
	}
	return escapeText(s, true)
}

func needsEscape(s string, keepNewlines bool) bool {
	for _, r := range s {
		if escaped(r, keepNewlines) {
			return true
		}
	}
	return false
}

func escaped(r rune, keepNewlines bool) bool {
	switch {
	case r == '\n':
		return !keepNewlines
	case r == utf8.RuneError:
		return true // a byte that is not UTF-8 (or U+FFFD itself, which is harmless to escape)
	case unicode.IsControl(r):
		return true // C0, DEL, C1
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true // bidirectional embeddings, overrides, isolates and marks
	}
	return false
}

func escapeText(s string, keepNewlines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !escaped(r, keepNewlines):
			b.WriteString(s[i : i+size])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// jsonSafe escapes the characters encoding/json leaves raw inside
// strings though a terminal may act on them: DEL and the C1 controls
// (U+0080 to U+009F). They can only occur inside JSON strings, where
// \u007f and \u0085 mean the same, so the document is unchanged.
func jsonSafe(data []byte) []byte {
	if !bytes.ContainsFunc(data, func(r rune) bool { return r == 0x7f || (r >= 0x80 && r <= 0x9f) }) {
		return data
	}
	var b bytes.Buffer
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f && size == 2) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(data[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

// writeJSON writes v as indented JSON with every character a terminal
// might act on escaped (see jsonSafe).
func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(jsonSafe(data), '\n'))
	return err
}
