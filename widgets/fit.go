package widgets

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit makes s exactly w columns by h lines: long lines are cut, short ones
// padded with spaces, missing lines added and extra lines dropped. Every
// pane passes through it, so no layout can push a line past the screen.
// Text that already fits exactly comes back as it is, without a copy: a
// playing frame passes most of its panes through here unchanged.
func Fit(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	if fits(s, w, h) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + h*(w+1))
	rest := s
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		var line string
		if rest != "" || i == 0 {
			line, rest, _ = strings.Cut(rest, "\n")
		}
		writeFitted(&b, line, w)
	}
	return b.String()
}

// fits reports whether s is already h lines of exactly w columns.
func fits(s string, w, h int) bool {
	if strings.Count(s, "\n") != h-1 {
		return false
	}
	for line := range strings.Lines(s) {
		line = strings.TrimSuffix(line, "\n")
		if strings.HasSuffix(line, "\r") || ansi.StringWidth(line) != w {
			return false
		}
	}
	return true
}

// FitLine makes one line exactly w columns wide.
func FitLine(line string, w int) string {
	line = strings.TrimRight(line, "\r")
	lw := ansi.StringWidth(line)
	if lw == w {
		return line
	}
	if lw > w {
		line = ansi.Truncate(line, w, "")
		lw = ansi.StringWidth(line)
	}
	if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	return line
}

func writeFitted(b *strings.Builder, line string, w int) {
	line = strings.TrimRight(line, "\r")
	lw := ansi.StringWidth(line)
	if lw > w {
		line = ansi.Truncate(line, w, "")
		lw = ansi.StringWidth(line)
	}
	b.WriteString(line)
	for ; lw < w; lw++ {
		b.WriteByte(' ')
	}
}
