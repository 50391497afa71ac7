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

// Lines is the number of lines the table needs at its current width.
func (s Stats) Lines() int {
	n := len(s.rows)
	if len(s.columns) > 0 {
		n++
	}
	if _, ok := s.sideBySide(); ok {
		n = 0
		for _, g := range s.groups() {
			n = max(n, len(g.rows)+1)
		}
	}
	if s.note != "" {
		n++
	}
	return n
}

// Update does nothing: the table is driven by its owner.
func (s Stats) Update(tea.Msg) (Stats, tea.Cmd) { return s, nil }

// group is a section of the table: its title and rows.
type group struct {
	title string
	rows  []StatRow
}

func (s Stats) groups() []group {
	var gs []group
	for _, r := range s.rows {
		if r.Section != "" || len(gs) == 0 {
			gs = append(gs, group{title: r.Section})
		}
		gs[len(gs)-1].rows = append(gs[len(gs)-1].rows, r)
	}
	return gs
}

// colWidths measures a set of rows: the label column and each value column.
func (s Stats) colWidths(rows []StatRow) (int, []int) {
	labelW := 0
	colW := make([]int, len(s.columns))
	for i, c := range s.columns {
		colW[i] = ansi.StringWidth(c)
	}
	for _, r := range rows {
		labelW = max(labelW, ansi.StringWidth(r.Label))
		for i, c := range r.Cells {
			if i < len(colW) {
				colW[i] = max(colW[i], ansi.StringWidth(c))
			}
		}
	}
	return labelW, colW
}

// sideBySide lays the sections out next to each other, each with its
// title above its labels, when they fit the width: half the lines of a
// stacked table, which matters on a 24-line screen.
func (s Stats) sideBySide() ([]string, bool) {
	gs := s.groups()
	if len(gs) < 2 || len(s.columns) == 0 {
		return nil, false
	}
	const gap = 3
	blocks := make([][]string, len(gs))
	widths := make([]int, len(gs))
	total := -gap
	for i, g := range gs {
		labelW, colW := s.colWidths(g.rows)
		labelW = max(labelW, ansi.StringWidth(g.title))
		w := labelW
		for _, c := range colW {
			w += 2 + c
		}
		widths[i] = w
		total += gap + w
		head := s.styles.Heading.Render(pad(g.title, labelW, false))
		for c, name := range s.columns {
			head += "  " + s.styles.Heading.Render(pad(name, colW[c], true))
		}
		block := []string{head}
		for _, r := range g.rows {
			line := s.styles.Label.Render(pad(r.Label, labelW, false))
			for c := range s.columns {
				cell := ""
				if c < len(r.Cells) {
					cell = r.Cells[c]
				}
				line += "  " + s.styles.Value.Render(pad(cell, colW[c], true))
			}
			block = append(block, line)
		}
		blocks[i] = block
	}
	if total > s.width {
		return nil, false
	}
	height := 0
	for _, b := range blocks {
		height = max(height, len(b))
	}
	lines := make([]string, height)
	for i, b := range blocks {
		for row := 0; row < height; row++ {
			cell := strings.Repeat(" ", widths[i])
			if row < len(b) {
				cell = b[row]
			}
			if i > 0 {
				lines[row] += strings.Repeat(" ", gap)
			}
			lines[row] += cell
		}
	}
	return lines, true
}

func pad(t string, w int, right bool) string {
	if g := w - ansi.StringWidth(t); g > 0 {
		if right {
			return strings.Repeat(" ", g) + t
		}
		return t + strings.Repeat(" ", g)
	}
	return t
}

// View draws the table; rows that do not fit are left out from the end,
// but the note stays.
func (s Stats) View() string {
	if s.width <= 0 || s.height <= 0 {
		return ""
	}
	lines, ok := s.sideBySide()
	if !ok {
		lines = s.stacked()
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

// stacked draws the sections one under the other, the section name in a
// column of its own on the first row of each.
func (s Stats) stacked() []string {
	secW := 0
	for _, r := range s.rows {
		secW = max(secW, ansi.StringWidth(r.Section))
	}
	labelW, colW := s.colWidths(s.rows)
	lead := 0
	if secW > 0 {
		lead = secW + 1
	}
	var lines []string
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
	return lines
}
