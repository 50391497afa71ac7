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
	styles        *Styles
	columns       []string
	rows          []StatRow
	note          string
	short         string
	laid          *statsLayout // the table drawn at its width; shared by copies, never changed
	codes         statsCodes
}

// statsCodes are the escape sequences of the table's styles, found once
// per theme: a playing frame redraws the table, cell by cell.
type statsCodes struct{ heading, label, value, faint codes }

func newStatsCodes(st *Styles) statsCodes {
	return statsCodes{codesOf(st.Heading), codesOf(st.Label), codesOf(st.Value), codesOf(st.Faint)}
}

// statsLayout is the table drawn at one width, with the note folded in
// where it fits.
type statsLayout struct {
	lines  []string
	folded bool
}

// NewStats returns an empty table.
func NewStats(st *Styles) Stats {
	s := Stats{styles: st, codes: newStatsCodes(st)}
	s.relayout()
	return s
}

// SetSize sets the table's size.
func (s *Stats) SetSize(w, h int) {
	if w != s.width {
		s.width = w
		defer s.relayout()
	}
	s.height = h
}

// SetStyles changes the theme.
func (s *Stats) SetStyles(st *Styles) {
	s.styles = st
	s.codes = newStatsCodes(st)
	s.relayout()
}

// SetTable replaces the figures.
func (s *Stats) SetTable(columns []string, rows []StatRow) {
	s.columns, s.rows = columns, rows
	s.relayout()
}

// relayout draws the table once for its figures, width and theme, for
// both Lines and View.
func (s *Stats) relayout() {
	lines, folded := s.layout()
	s.laid = &statsLayout{lines, folded}
}

// SetNote sets the note under the table, e.g. "Prices: us-east-1,\nas of
// 2025-11-01.", and a short form of it, e.g. "prices of 2025-11-01". A
// newline marks where the note may break. The note takes no line of its
// own where it fits into the table: under the first section when the
// sections sit side by side and the first is the shortest, or, short, in
// the empty corner of a stacked table's heading.
func (s *Stats) SetNote(note, short string) {
	if note == s.note && short == s.short {
		return
	}
	s.note, s.short = note, short
	s.relayout()
}

// Lines is the number of lines the whole table needs at its current
// width, the note included.
func (s Stats) Lines() int {
	lines, folded := s.laid.lines, s.laid.folded
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
	lines, folded := s.laid.lines, s.laid.folded
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
		out[row] = s.codes.faint.wrap(pad(l, w, false)) + ansi.TruncateLeft(out[row], w, "")
	}
	return out, true
}

// group is a section of the table: its title and rows.
type group struct {
	title string
	rows  []StatRow
}

// groups splits the rows into sections, each a run of rows that starts
// with a Section; the rows are shared, not copied.
func (s Stats) groups() []group {
	var gs []group
	start := 0
	for i, r := range s.rows {
		if i > 0 && r.Section != "" {
			gs = append(gs, group{s.rows[start].Section, s.rows[start:i]})
			start = i
		}
	}
	if len(s.rows) > 0 {
		gs = append(gs, group{s.rows[start].Section, s.rows[start:]})
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
// stacked table, which matters on a 24-line screen. A playing frame
// redraws it, so each line is written once into a builder of its own.
func (s Stats) sideBySide() ([]string, bool) {
	gs := s.groups()
	if len(gs) < 2 || len(s.columns) == 0 {
		return nil, false
	}
	const gap = 3
	type block struct {
		labelW int
		colW   []int
		width  int
	}
	blocks := make([]block, len(gs))
	total, height := -gap, 0
	for i, g := range gs {
		labelW, colW := s.colWidths(g.rows)
		blocks[i] = block{max(labelW, ansi.StringWidth(g.title)), colW, s.blockWidth(g)}
		total += gap + blocks[i].width
		height = max(height, len(g.rows)+1)
	}
	if total > s.width {
		return nil, false
	}
	lines := make([]string, height)
	var b strings.Builder
	for row := range height {
		b.Reset()
		for i, g := range gs {
			if i > 0 {
				spaces(&b, gap)
			}
			bl := blocks[i]
			switch {
			case row == 0:
				s.codes.heading.write(&b, pad(g.title, bl.labelW, false))
				for c, name := range s.columns {
					b.WriteString("  ")
					s.codes.heading.write(&b, pad(name, bl.colW[c], true))
				}
			case row <= len(g.rows):
				r := g.rows[row-1]
				s.codes.label.write(&b, pad(r.Label, bl.labelW, false))
				for c := range s.columns {
					cell := ""
					if c < len(r.Cells) {
						cell = r.Cells[c]
					}
					b.WriteString("  ")
					s.codes.value.write(&b, pad(cell, bl.colW[c], true))
				}
			default:
				spaces(&b, bl.width)
			}
		}
		lines[row] = b.String()
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
			s.codes.heading.write(&b, pad(c, colW[i], true))
		}
		lines = append(lines, b.String())
	}
	for _, r := range s.rows {
		var b strings.Builder
		if secW > 0 {
			s.codes.heading.write(&b, pad(r.Section, secW, false))
			b.WriteString(" ")
		}
		s.codes.label.write(&b, pad(r.Label, labelW, false))
		for i := range s.columns {
			cell := ""
			if i < len(r.Cells) {
				cell = r.Cells[i]
			}
			b.WriteString("  ")
			s.codes.value.write(&b, pad(cell, colW[i], true))
		}
		lines = append(lines, b.String())
	}
	return lines, folded
}
