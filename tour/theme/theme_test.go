package theme

import (
	"image/color"
	"math"
	"testing"

	"charm.land/lipgloss/v2"
)

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, bl, _ := c.RGBA()
		f := func(v uint32) float64 {
			x := float64(v) / 0xffff
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(bl)
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestThemesReadOnAProjector: text, borders, bars and the footer's
// separators keep a contrast a projector does not wash out, on white for
// the light theme and on a dark terminal for the dark one (text 4.5:1,
// lines and marks 3:1, the empty part of a knob's bar 2:1).
func TestThemesReadOnAProjector(t *testing.T) {
	for _, tc := range []struct {
		dark bool
		bg   color.Color
	}{{false, color.White}, {true, color.RGBA{0x0d, 0x11, 0x17, 0xff}}} {
		st := New(tc.dark, false)
		w := st.Widgets
		for _, c := range []struct {
			name string
			s    lipgloss.Style
			min  float64
		}{
			{"footer key", st.Help.ShortKey, 4.5}, {"footer text", st.Help.ShortDesc, 4.5},
			{"footer separator", st.Help.ShortSeparator, 3}, {"status", st.Status, 4.5},
			{"faint", st.Faint, 4.5}, {"header", st.HeaderFaint, 4.5},
			{"unfocused border", st.Pane, 3}, {"focused border", st.PaneFocused, 3},
			{"tab", st.TabInactive, 4.5}, {"chart axis", w.Axis, 3}, {"legend", w.Legend, 4.5},
			{"figure label", w.Label, 4.5}, {"figure", w.Value, 4.5}, {"heading", w.Heading, 4.5},
			{"knob bar", w.BarFull, 3}, {"knob bar, empty", w.BarEmpty, 2},
		} {
			fg := c.s.GetForeground()
			if _, none := fg.(lipgloss.NoColor); none || fg == nil {
				t.Errorf("dark=%v %s: no colour", tc.dark, c.name)
				continue
			}
			if r := contrast(fg, tc.bg); r < c.min {
				t.Errorf("dark=%v %s: contrast %.1f:1, want %.1f:1", tc.dark, c.name, r, c.min)
			}
		}
		for i, s := range w.Series {
			if r := contrast(s.GetForeground(), tc.bg); r < 4.5 {
				t.Errorf("dark=%v series %d: contrast %.1f:1", tc.dark, i, r)
			}
		}
	}
}
