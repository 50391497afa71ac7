// Package overlay holds the boxes the tour draws over its layout: the
// lesson menu, the quiz and the key help. Each is a model of its own
// with Update, View, SetSize and a KeyMap. Whether a box has closed, and
// which lesson the menu chose, its owner reads straight after Update
// (Closed, Chosen), so that a key typed just after esc is never routed
// to a box already closed; what the learner answered comes as a message
// (AnsweredMsg). A box never reaches into its owner.
package overlay

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// newHelp is the hint line every box shows at its foot, drawn by
// bubbles/help from the box's own keys.
func newHelp(st *theme.Styles) help.Model {
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator = " · "
	return h
}

// hint draws a box's key hint in w columns: whole entries only, never
// wrapped.
func hint(st *theme.Styles, km help.KeyMap, w int) string {
	h := newHelp(st)
	h.SetWidth(w)
	return h.ShortHelpView(km.ShortHelp())
}

// squeeze fits a box's text into n lines (its border takes the rest of
// the screen's height): first blank lines go, then the tail, marked.
func squeeze(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if n <= 0 || len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	kept := lines[:1]
	for _, l := range lines[1:] {
		if strings.TrimSpace(ansi.Strip(l)) != "" {
			kept = append(kept, l)
		}
	}
	if len(kept) > n {
		kept = append(kept[:max(0, n-1)], "… (a larger window shows the rest)")
	}
	return strings.Join(kept, "\n")
}

// wrapBlock wraps every line of s at width w, keeping escape sequences.
func wrapBlock(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Wrap(s, w, "")
}

// hanging wraps s at w columns, indenting the lines after the first by
// indent columns: a wrapped quiz choice stays under its text, clear of
// the marks and numbers.
func hanging(s string, w, indent int) string {
	lines := strings.Split(wrapBlock(s, w), "\n")
	if len(lines) == 1 || w <= indent+10 {
		return strings.Join(lines, "\n")
	}
	rest := strings.Join(lines[1:], " ")
	more := strings.Split(wrapBlock(rest, w-indent), "\n")
	for i := range more {
		more[i] = strings.Repeat(" ", indent) + more[i]
	}
	return lines[0] + "\n" + strings.Join(more, "\n")
}
