package widgets

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// StatRow is one line of figures: a label and one cell per column.
// A row with a Section starts a new group ("now", "whole run"). Minor
// rows are the first left out when the table is short of room.
type StatRow struct {
	Section string
	Label   string
	Cells   []string
	Minor   bool
}

// Stats is a small table of figures: columns are targets, rows figures,
// in sections, side by side where they fit and stacked otherwise. A note
// (such as the date of the prices) goes underneath, or into the table
// where it finds room.
type Stats struct {
	width, height int
	styles        Styles
	columns       []string
	rows          []StatRow
	note          string
	short         string
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

// SetNote sets the note under the table, e.g. "Prices: us-east-1,\nas of
// 2025-11-01.", and a short form of it, e.g. "prices of 2025-11-01". A
// newline marks where the note may break. The note takes no line of its
// own where it fits into the table: under the first section when the
// sections sit side by side and the first is the shortest, or, short, in
// the empty corner of a stacked table's heading.
func (s *Stats) SetNote(note, short string) { s.note, s.short = note, short }

// Lines is the number of lines the whole table needs at its current
// width, the note included.
func (s Stats) Lines() int {
	lines, folded := s.layout()
	if s.note != "" && !folded {
		return len(lines) + 1
	}
	return len(lines)
}

// Update does nothing: the table is driven by its owner.
func (s Stats) Update(tea.Msg) (Stats, tea.Cmd) { return s, nil }

// View draws the table in its size. Short of room, minor rows are left
// out first, then rows from the end; the note stays.
func (s Stats) View() string {
	if s.width <= 0 || s.height <= 0 {
		return ""
	}
	lines, folded := s.layout()
	if len(lines)+s.noteLine(folded) > s.height {
		major := s
		major.rows = nil
		title := "" // a section whose first rows go keeps its title
		for _, r := range s.rows {
			if r.Section != "" {
				title = r.Section
			}
			if r.Minor {
				continue
			}
			r.Section, title = title, ""
			major.rows = append(major.rows, r)
		}
		if len(major.rows) > 0 && len(major.rows) < len(s.rows) {
			lines, folded = major.layout()
		}
	}
	note := ""
	if s.note != "" && !folded {
		note = s.styles.Faint.Render(strings.ReplaceAll(s.note, "\n", " "))
	}
	room := s.height
	if note != "" {
		room--
	}
	if len(lines) > room {
		lines = lines[:max(0, room)]
	}
	if note != "" {
		lines = append(lines, note)
	}
	return Fit(strings.Join(lines, "\n"), s.width, s.height)
}

func (s Stats) noteLine(folded bool) int {
	if s.note != "" && !folded {
		return 1
	}
	return 0
}

// layout draws the table, side by side or stacked, with the note folded
// into it where it fits; folded reports that it did.
func (s Stats) layout() (lines []string, folded bool) {
	lines, ok := s.sideBySide()
	if !ok {
		return s.stacked()
	}
	if s.note == "" {
		return lines, false
	}
	gs := s.groups()
	first := len(gs[0].rows) + 1 // its title and rows
	w := s.blockWidth(gs[0])
	var note []string
	for _, part := range strings.Split(s.note, "\n") {
		note = append(note, wrapWords(strings.TrimSpace(part), w)...)
	}
	if first+len(note) > len(lines) {
		return lines, false
	}
	for _, l := range note {
		if ansi.StringWidth(l) > w {
			return lines, false
		}
	}
	out := append([]string(nil), lines...)
	for i, l := range note {
		row := first + i
		out[row] = s.styles.Faint.Render(pad(l, w, false)) + ansi.TruncateLeft(out[row], w, "")
	}
	return out, true
}

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

// blockWidth is how wide a section is drawn side by side.
func (s Stats) blockWidth(g group) int {
	labelW, colW := s.colWidths(g.rows)
	w := max(labelW, ansi.StringWidth(g.title))
	for _, c := range colW {
		w += 2 + c
	}
	return w
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
		widths[i] = s.blockWidth(g)
		total += gap + widths[i]
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

// stacked draws the sections one under the other, the section name in a
// column of its own on the first row of each. The short note, if it fits,
// sits in the heading line's empty corner; folded reports that it did.
func (s Stats) stacked() (lines []string, folded bool) {
	secW := 0
	for _, r := range s.rows {
		secW = max(secW, ansi.StringWidth(r.Section))
	}
	labelW, colW := s.colWidths(s.rows)
	lead := 0
	if secW > 0 {
		lead = secW + 1
	}
	if len(s.columns) > 0 {
		var b strings.Builder
		corner := lead + labelW
		if s.note != "" && s.short != "" && ansi.StringWidth(s.short) < corner {
			b.WriteString(s.styles.Faint.Render(pad(s.short, corner, false)))
			folded = true
		} else {
			b.WriteString(strings.Repeat(" ", corner))
		}
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
	return lines, folded
}
