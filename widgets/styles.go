// Package widgets holds the tour's reusable terminal components: a chart of
// time series, knobs, a figures table and a markdown prose pane. Each is a
// small model sized with SetSize and drawn with View. Widgets take plain
// values and series; they know nothing of lessons or the simulator.
package widgets

import (
	"strings"

	"charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"
)

// Styles is every style the widgets draw with, built once per theme. With
// NoColor set no style carries a colour, so meaning is carried by markers,
// line shapes and bold/reverse only.
type Styles struct {
	NoColor bool
	IsDark  bool

	Series   []lipgloss.Style // one per chart series, cycled
	Axis     lipgloss.Style
	Playhead lipgloss.Style
	Legend   lipgloss.Style

	Label    lipgloss.Style
	Value    lipgloss.Style
	Faint    lipgloss.Style
	Focused  lipgloss.Style // the chosen knob's line
	Marker   lipgloss.Style // the ▸ in front of the chosen knob
	BarFull  lipgloss.Style
	BarEmpty lipgloss.Style

	Heading lipgloss.Style // table headings and section names
	Error   lipgloss.Style

	// Glamour is the glamour standard style name the prose renders with.
	Glamour string
}

// NewStyles builds the widget styles for a dark or light background, or
// with no colour at all. Widgets share one set by pointer and never
// change it: a new theme is a new set.
func NewStyles(isDark, noColor bool) *Styles {
	plain := lipgloss.NewStyle()
	if noColor {
		return &Styles{
			NoColor:  true,
			IsDark:   isDark,
			Series:   []lipgloss.Style{plain},
			Axis:     plain,
			Playhead: plain.Bold(true),
			Legend:   plain,
			Label:    plain,
			Value:    plain.Bold(true),
			Faint:    plain,
			Focused:  plain.Bold(true),
			Marker:   plain.Bold(true),
			BarFull:  plain,
			BarEmpty: plain,
			Heading:  plain.Bold(true),
			Error:    plain.Bold(true),
			Glamour:  PlainStyle,
		}
	}
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) lipgloss.Style {
		return plain.Foreground(ld(lipgloss.Color(light), lipgloss.Color(dark)))
	}
	glam := styles.LightStyle
	if isDark {
		glam = styles.DarkStyle
	}
	accent := c("#5A3FC0", "#A78BFA")
	return &Styles{
		IsDark: isDark,
		Series: []lipgloss.Style{
			c("#1F6FB2", "#6CB6FF"), // blue
			c("#B5460F", "#FFA657"), // orange
			c("#2E7D32", "#7EE787"), // green
			c("#A3238E", "#F778BA"), // magenta
			c("#6B5B00", "#E3B341"), // ochre
		},
		Axis:     c("#6E7781", "#8B949E"),
		Playhead: accent.Bold(true),
		Legend:   c("#57606A", "#B1BAC4"),
		Label:    c("#24292F", "#C9D1D9"),
		Value:    c("#0A3069", "#E6EDF3").Bold(true),
		Faint:    c("#6E7781", "#8B949E"),
		Focused:  accent.Bold(true),
		Marker:   accent.Bold(true),
		BarFull:  accent,
		BarEmpty: c("#AFB8C1", "#545D68"), // the ░ still shows on a projector
		Heading:  c("#57606A", "#B1BAC4").Bold(true),
		Error:    c("#CF222E", "#FF7B72").Bold(true),
		Glamour:  glam,
	}
}

// series returns the style of the i-th series.
func (s Styles) series(i int) lipgloss.Style {
	if len(s.Series) == 0 {
		return lipgloss.NewStyle()
	}
	return s.Series[i%len(s.Series)]
}

// codes is a style's opening and closing escape sequences. They are found
// once, by rendering a marker, so that a frame can wrap many short runs
// of text in a style by concatenation rather than a Render each.
type codes struct{ open, close string }

func codesOf(st lipgloss.Style) codes {
	const mark = "\uE000"
	out := st.Render(mark)
	i := strings.Index(out, mark)
	if i < 0 {
		return codes{}
	}
	return codes{out[:i], out[i+len(mark):]}
}

// wrap returns s in the style.
func (c codes) wrap(s string) string { return c.open + s + c.close }

// write writes s in the style.
func (c codes) write(b *strings.Builder, s string) {
	b.WriteString(c.open)
	b.WriteString(s)
	b.WriteString(c.close)
}
