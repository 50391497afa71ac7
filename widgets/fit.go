package widgets

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit makes s exactly w columns by h lines: long lines are cut, short ones
// padded with spaces, missing lines added and extra lines dropped. Every
// pane passes through it, so no layout can push a line past the screen.
func Fit(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString(FitLine(line, w))
	}
	return b.String()
}

// FitLine makes one line exactly w columns wide.
func FitLine(line string, w int) string {
	line = strings.TrimRight(line, "\r")
	lw := ansi.StringWidth(line)
	if lw > w {
		line = ansi.Truncate(line, w, "")
		lw = ansi.StringWidth(line)
	}
	if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	return line
}
