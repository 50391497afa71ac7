package widgets

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// StatRow is one line of figures: a label and one cell per column.
// A row with a Section starts a new group ("now", "whole run").
type StatRow struct {
	Section string
	Label   string
	Cells   []string
}

// Stats is a small table of figures: columns are targets, rows figures,
// in sections. A note (such as the date of the prices) goes underneath.
type Stats struct {
	width, height int
	styles        Styles
	columns       []string
	rows          []StatRow
	note          string
}

// NewStats returns an empty table.
func NewStats(st Styles) Stats { return Stats{styles: st} }

// SetSize sets the table's size.
func (s *Stats) SetSize(w, h int) { s.width, s.height = w, h }

// SetStyles changes the theme.
func (s *Stats) SetStyles(st Styles) { s.styles = st }

// SetTable replaces the figures.
func (s *Stats) SetTable(columns []string, rows []StatRow) {
	s.columns, s.rows = columns, rows
}

// SetNote sets the line under the table, e.g. "prices as of 2025-11-01".
func (s *Stats) SetNote(n string) { s.note = n }

// Lines is the number of lines the table needs to show everything.
func (s Stats) Lines() int {
	n := len(s.rows)
	if len(s.columns) > 0 {
		n++
	}
	if s.note != "" {
		n++
	}
	return n
}

// Update does nothing: the table is driven by its owner.
func (s Stats) Update(tea.Msg) (Stats, tea.Cmd) { return s, nil }

// View draws the table; rows that do not fit are left out from the end,
// but the note stays.
func (s Stats) View() string {
	if s.width <= 0 || s.height <= 0 {
		return ""
	}
	secW, labelW := 0, 0
	for _, r := range s.rows {
		secW = max(secW, ansi.StringWidth(r.Section))
		labelW = max(labelW, ansi.StringWidth(r.Label))
	}
	colW := make([]int, len(s.columns))
	for i, c := range s.columns {
		colW[i] = ansi.StringWidth(c)
	}
	for _, r := range s.rows {
		for i, c := range r.Cells {
			if i < len(colW) {
				colW[i] = max(colW[i], ansi.StringWidth(c))
			}
		}
	}
	lead := 0
	if secW > 0 {
		lead = secW + 1
	}
	var lines []string
	pad := func(t string, w int, right bool) string {
		if g := w - ansi.StringWidth(t); g > 0 {
			if right {
				return strings.Repeat(" ", g) + t
			}
			return t + strings.Repeat(" ", g)
		}
		return t
	}
	if len(s.columns) > 0 {
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", lead+labelW))
		for i, c := range s.columns {
			b.WriteString("  ")
			b.WriteString(s.styles.Heading.Render(pad(c, colW[i], true)))
		}
		lines = append(lines, b.String())
	}
	for _, r := range s.rows {
		var b strings.Builder
		if secW > 0 {
			b.WriteString(s.styles.Heading.Render(pad(r.Section, secW, false)) + " ")
		}
		b.WriteString(s.styles.Label.Render(pad(r.Label, labelW, false)))
		for i := range s.columns {
			cell := ""
			if i < len(r.Cells) {
				cell = r.Cells[i]
			}
			b.WriteString("  ")
			b.WriteString(s.styles.Value.Render(pad(cell, colW[i], true)))
		}
		lines = append(lines, b.String())
	}
	room := s.height
	if s.note != "" {
		room--
	}
	if len(lines) > room {
		lines = lines[:max(0, room)]
	}
	if s.note != "" {
		lines = append(lines, s.styles.Faint.Render(s.note))
	}
	return Fit(strings.Join(lines, "\n"), s.width, s.height)
}
