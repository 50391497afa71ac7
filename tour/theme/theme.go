// Package theme holds every style the tour draws with, in one place: the
// root layout, the simulation pane and the overlays all take theirs from
// one Styles, built per session from the background and the no-colour
// setting, so two SSH sessions never share a style.
package theme

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// Styles is every style the tour draws with. It is built from the
// background (dark or light) and the no-colour setting, and rebuilt when
// the terminal reports its background.
type Styles struct {
	NoColor bool
	Widgets *widgets.Styles
	Help    help.Styles
	Input   textinput.Styles

	Header      lipgloss.Style
	HeaderTitle lipgloss.Style
	HeaderFaint lipgloss.Style
	Done        lipgloss.Style
	Footer      lipgloss.Style
	Status      lipgloss.Style
	Error       lipgloss.Style

	Pane        lipgloss.Style // unfocused pane border (drawn rounded)
	PaneFocused lipgloss.Style // focused pane border (drawn thick, so not only colour)
	PaneTitle   lipgloss.Style
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style

	Overlay      lipgloss.Style
	OverlayTitle lipgloss.Style
	Selected     lipgloss.Style
	Faint        lipgloss.Style
	Good         lipgloss.Style
	Bad          lipgloss.Style
}

// New builds the tour's styles. The tour's parts share one set by
// pointer and never change it: a new background is a new set.
func New(isDark, noColor bool) *Styles {
	plain := lipgloss.NewStyle()
	st := &Styles{NoColor: noColor, Widgets: widgets.NewStyles(isDark, noColor)}
	if noColor {
		bold := plain.Bold(true)
		st.Help = help.Styles{ShortKey: bold, ShortDesc: plain, ShortSeparator: plain, Ellipsis: plain, FullKey: bold, FullDesc: plain, FullSeparator: plain}
		st.Header, st.HeaderTitle, st.HeaderFaint, st.Done = plain, bold, plain, bold
		st.Footer, st.Status, st.Error = plain, plain, bold
		st.Pane = plain
		st.PaneFocused = plain.Bold(true)
		st.PaneTitle = bold
		st.TabActive = plain.Reverse(true).Bold(true)
		st.TabInactive = plain
		st.Overlay = plain.Border(lipgloss.DoubleBorder()).Padding(0, 1)
		st.OverlayTitle, st.Selected, st.Faint, st.Good, st.Bad = bold, plain.Reverse(true), plain, bold, bold
		st.Input = input(plain, bold, plain)
		return st
	}
	ld := lipgloss.LightDark(isDark)
	col := func(light, dark string) lipgloss.Style {
		return plain.Foreground(ld(lipgloss.Color(light), lipgloss.Color(dark)))
	}
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#A78BFA"))
	// Unfocused borders and footer text at 3:1 and 4.5:1 contrast or more
	// on white and on GitHub-dark, so a projector does not wash them out.
	dim := ld(lipgloss.Color("#8C959F"), lipgloss.Color("#6E7681"))
	st.Help = help.DefaultStyles(isDark)
	st.Help.ShortKey = plain.Foreground(ld(lipgloss.Color("#424A53"), lipgloss.Color("#C9D1D9")))
	st.Help.FullKey = st.Help.ShortKey.Bold(true)
	st.Help.ShortDesc = plain.Foreground(ld(lipgloss.Color("#6E7781"), lipgloss.Color("#8B949E")))
	st.Help.FullDesc = st.Help.ShortDesc
	// bubbles' light separators are #DDDADA, 1.3:1 on white: invisible.
	st.Help.ShortSeparator = plain.Foreground(dim)
	st.Help.FullSeparator = plain.Foreground(dim)
	st.Help.Ellipsis = plain.Foreground(dim)
	st.Header = plain
	st.HeaderTitle = plain.Bold(true).Foreground(accent)
	st.HeaderFaint = col("#6E7781", "#8B949E")
	st.Done = col("#1A7F37", "#3FB950").Bold(true)
	st.Footer = plain
	st.Status = col("#57606A", "#9198A1")
	st.Error = col("#CF222E", "#FF7B72").Bold(true)
	st.Pane = plain.Foreground(dim)
	st.PaneFocused = plain.Foreground(accent)
	st.PaneTitle = plain.Bold(true)
	st.TabActive = plain.Bold(true).Reverse(true).Foreground(accent)
	st.TabInactive = col("#57606A", "#9198A1")
	st.Overlay = plain.Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	st.OverlayTitle = plain.Bold(true).Foreground(accent)
	st.Selected = plain.Bold(true).Foreground(accent)
	st.Faint = col("#6E7781", "#8B949E")
	st.Good = col("#1A7F37", "#3FB950").Bold(true)
	st.Bad = col("#CF222E", "#FF7B72").Bold(true)
	st.Input = input(plain, st.PaneTitle, st.Faint)
	return st
}

// input is the style of a text field (the number a forecast asks for):
// its text, its prompt and its placeholder, with a steady block cursor.
func input(text, prompt, placeholder lipgloss.Style) textinput.Styles {
	state := textinput.StyleState{Text: text, Placeholder: placeholder, Suggestion: placeholder, Prompt: prompt}
	return textinput.Styles{Focused: state, Blurred: state, Cursor: textinput.CursorStyle{Blink: false}}
}
