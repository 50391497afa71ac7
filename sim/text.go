package sim

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text from files (titles, prose, names, labels, price-table notes) reaches
// the learner's terminal. A control character in it could set the window
// title, clear the screen or worse, so the rule is: a file whose text
// holds one is refused, with the field and line, and every message that
// repeats text from a file escapes it.

// isControl reports the characters a terminal may act on: C0 except
// newline and tab, DEL, and C1 (which includes the 8-bit CSI, 0x9b).
func isControl(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f
}

// CheckText says what makes s unsafe to show in a terminal: invalid UTF-8
// or a control character (newlines and tabs are fine). It returns "" when
// s may be shown as it is.
func CheckText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text; save the file as UTF-8"
	}
	col := 0
	for _, r := range s {
		col++
		if r == '\n' {
			col = 0
		}
		if isControl(r) {
			return fmt.Sprintf("contains a control character (%s at character %d), which could drive the terminal; remove it", escapeRune(r), col)
		}
	}
	return ""
}

// Visible escapes what a terminal would act on, and line breaks, so that
// text from a file prints as one inert line: ESC becomes \x1b, an invalid
// byte \xff.
func Visible(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) || r == '\n' || r == '\r' || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				fmt.Fprintf(&b, `\x%02x`, s[i])
				continue
			}
			b.WriteRune(r)
		case isControl(r) || r == '\n' || r == '\r':
			b.WriteString(escapeRune(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func escapeRune(r rune) string {
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	}
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}
