package widgets

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Knob is one adjustable number with its range and steps.
type Knob struct {
	Label   string
	Unit    string
	Min     float64
	Max     float64
	Step    float64 // fine step
	Coarse  float64 // coarse step; 10 × Step when zero
	Default float64
	Value   float64
}

// Set puts v, clamped to the range and snapped to the fine step from Min,
// into the knob and reports whether the value changed.
func (k *Knob) Set(v float64) bool {
	if k.Step > 0 {
		v = k.Min + math.Round((v-k.Min)/k.Step)*k.Step
		// Round away float noise such as 0.30000000000000004.
		v = math.Round(v*1e9) / 1e9
	}
	v = math.Max(k.Min, math.Min(k.Max, v))
	if v == k.Value {
		return false
	}
	k.Value = v
	return true
}

// Nudge moves the knob by n fine (or coarse) steps.
func (k *Knob) Nudge(n int, coarse bool) bool {
	step := k.Step
	if coarse {
		step = k.Coarse
		if step == 0 {
			step = 10 * k.Step
		}
	}
	if step == 0 {
		step = (k.Max - k.Min) / 100
	}
	return k.Set(k.Value + float64(n)*step)
}

// Fraction is where the value sits between Min and Max, 0 to 1.
func (k Knob) Fraction() float64 {
	if k.Max <= k.Min {
		return 0
	}
	return math.Max(0, math.Min(1, (k.Value-k.Min)/(k.Max-k.Min)))
}

// KnobKeys are the keys a KnobPanel answers to.
type KnobKeys struct {
	Up, Down             key.Binding // choose a knob
	Inc, Dec             key.Binding // fine step
	IncCoarse, DecCoarse key.Binding // coarse step
}

// ShortHelp lists the keys most worth showing.
func (k KnobKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down, k.Inc, k.Dec} }

// FullHelp lists every knob key.
func (k KnobKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Inc, k.Dec, k.IncCoarse, k.DecCoarse}}
}

// DefaultKnobKeys: ↑↓ choose, ←→ or +/- fine, shift+←→ or ] [ coarse.
func DefaultKnobKeys() KnobKeys {
	return KnobKeys{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "previous knob")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "next knob")),
		Inc:       key.NewBinding(key.WithKeys("right", "+", "="), key.WithHelp("→/+", "increase")),
		Dec:       key.NewBinding(key.WithKeys("left", "-", "_"), key.WithHelp("←/-", "decrease")),
		IncCoarse: key.NewBinding(key.WithKeys("shift+right", "]"), key.WithHelp("shift+→/]", "increase more")),
		DecCoarse: key.NewBinding(key.WithKeys("shift+left", "["), key.WithHelp("shift+←/[", "decrease more")),
	}
}

// KnobPanel is a list of knobs, one per line, with one of them chosen.
type KnobPanel struct {
	Keys    KnobKeys
	knobs   []Knob
	cursor  int
	focused bool
	width   int
	height  int
	styles  *Styles
	drawn   *string // the panel as View shows it; redrawn by each change, shared by copies
}

// NewKnobPanel returns an empty panel.
func NewKnobPanel(st *Styles) KnobPanel {
	p := KnobPanel{Keys: DefaultKnobKeys(), styles: st}
	p.redraw()
	return p
}

// redraw draws the panel after a change, so that a frame in which no
// knob moved costs nothing to draw.
func (p *KnobPanel) redraw() {
	s := p.render()
	p.drawn = &s
}

// SetSize sets the panel's size; it draws one line per knob.
func (p *KnobPanel) SetSize(w, h int) {
	if w != p.width || h != p.height {
		p.width, p.height = w, h
		p.redraw()
	}
}

// SetStyles changes the theme.
func (p *KnobPanel) SetStyles(st *Styles) {
	p.styles = st
	p.redraw()
}

// SetKnobs replaces the knobs and chooses the first.
func (p *KnobPanel) SetKnobs(k []Knob) {
	p.knobs = append([]Knob(nil), k...)
	p.cursor = 0
	p.redraw()
}

// Knobs returns a copy of the knobs.
func (p KnobPanel) Knobs() []Knob { return append([]Knob(nil), p.knobs...) }

// Values returns the current value of every knob.
func (p KnobPanel) Values() []float64 {
	v := make([]float64, len(p.knobs))
	for i, k := range p.knobs {
		v[i] = k.Value
	}
	return v
}

// Cursor is the index of the chosen knob.
func (p KnobPanel) Cursor() int { return p.cursor }

// Focus marks the panel as the one receiving keys, which shows the marker.
func (p *KnobPanel) Focus() {
	p.focused = true
	p.redraw()
}

// Blur removes the focus.
func (p *KnobPanel) Blur() {
	p.focused = false
	p.redraw()
}

// Focused reports whether the panel has the focus.
func (p KnobPanel) Focused() bool { return p.focused }

// Move chooses the knob delta lines away, stopping at the ends.
func (p *KnobPanel) Move(delta int) {
	if len(p.knobs) == 0 {
		return
	}
	p.cursor = max(0, min(len(p.knobs)-1, p.cursor+delta))
	p.redraw()
}

// Select chooses knob i if it exists.
func (p *KnobPanel) Select(i int) {
	if i >= 0 && i < len(p.knobs) {
		p.cursor = i
		p.redraw()
	}
}

// Nudge moves the chosen knob by n steps and reports a change.
func (p *KnobPanel) Nudge(n int, coarse bool) bool {
	if len(p.knobs) == 0 {
		return false
	}
	// A copy of the knobs to change: the panel is a value, and an older
	// copy of it must keep the values it had.
	knobs := slices.Clone(p.knobs)
	if !knobs[p.cursor].Nudge(n, coarse) {
		return false
	}
	p.knobs = knobs
	p.redraw()
	return true
}

// Reset puts every knob back to its default and reports a change.
func (p *KnobPanel) Reset() bool {
	changed := false
	knobs := slices.Clone(p.knobs)
	for i := range knobs {
		if knobs[i].Set(knobs[i].Default) {
			changed = true
		}
	}
	if changed {
		p.knobs = knobs
		p.redraw()
	}
	return changed
}

// Update handles the panel's keys while it has the focus. Its owner
// compares Values before and after to learn of a change.
func (p KnobPanel) Update(msg tea.Msg) (KnobPanel, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok || !p.focused {
		return p, nil
	}
	switch {
	case key.Matches(km, p.Keys.Up):
		p.Move(-1)
	case key.Matches(km, p.Keys.Down):
		p.Move(1)
	case key.Matches(km, p.Keys.IncCoarse):
		p.Nudge(1, true)
	case key.Matches(km, p.Keys.DecCoarse):
		p.Nudge(-1, true)
	case key.Matches(km, p.Keys.Inc):
		p.Nudge(1, false)
	case key.Matches(km, p.Keys.Dec):
		p.Nudge(-1, false)
	}
	return p, nil
}

// View draws one line per knob:
//
//	▸ Fleet size     10 VMs   2 [████░░░░░░░░] 40
//
// The chosen knob has a ▸ marker (and bold label) whether or not colour is
// on; when the panel is not focused the marker is a hollow ▹.
func (p KnobPanel) View() string {
	if p.drawn == nil {
		return p.render()
	}
	return *p.drawn
}

func (p KnobPanel) render() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	if len(p.knobs) == 0 {
		return Fit(p.styles.Faint.Render("This lesson has no knobs."), p.width, p.height)
	}
	labelW := 0
	valW := 0
	rangeW := 0
	for _, k := range p.knobs {
		labelW = max(labelW, ansi.StringWidth(k.Label))
		valW = max(valW, ansi.StringWidth(FormatValue(k.Max, k.Step, k.Unit)), ansi.StringWidth(FormatValue(k.Value, k.Step, k.Unit)))
		rangeW = max(rangeW, ansi.StringWidth(FormatNumber(k.Min, k.Step)), ansi.StringWidth(FormatNumber(k.Max, k.Step)))
	}
	// Shrink the label first when the pane is narrow; keep the bar ≥ 6.
	const gaps = 2 + 2 + 2 + 1 + 2 + 1 // marker, gaps, brackets
	barW := p.width - labelW - valW - 2*rangeW - gaps
	if barW < 6 {
		labelW = max(6, labelW-(6-barW))
		barW = p.width - labelW - valW - 2*rangeW - gaps
	}
	showBar := barW >= 4
	lines := make([]string, 0, len(p.knobs))
	// Keep the chosen knob visible when there are more knobs than lines.
	first := p.first()
	for i := first; i < len(p.knobs) && i < first+p.height; i++ {
		k := p.knobs[i]
		marker := "  "
		label := p.styles.Label
		if i == p.cursor {
			if p.focused {
				marker = p.styles.Marker.Render("▸") + " "
				label = p.styles.Focused
			} else {
				marker = p.styles.Faint.Render("▹") + " "
			}
		}
		name := ansi.Truncate(k.Label, labelW, "…")
		name += strings.Repeat(" ", labelW-ansi.StringWidth(name))
		val := FormatValue(k.Value, k.Step, k.Unit)
		val = strings.Repeat(" ", valW-ansi.StringWidth(val)) + val
		line := marker + label.Render(name) + "  " + p.styles.Value.Render(val)
		if showBar {
			lo := FormatNumber(k.Min, k.Step)
			hi := FormatNumber(k.Max, k.Step)
			lo = strings.Repeat(" ", rangeW-ansi.StringWidth(lo)) + lo
			line += "  " + p.styles.Faint.Render(lo) + " " + p.bar(k.Fraction(), barW) + " " + p.styles.Faint.Render(hi)
		}
		lines = append(lines, line)
	}
	return Fit(strings.Join(lines, "\n"), p.width, p.height)
}

// first is the index of the top knob shown: the list scrolls to keep
// the chosen knob in view when there are more knobs than lines.
func (p KnobPanel) first() int {
	if p.height > 0 && p.cursor >= p.height {
		return p.cursor - p.height + 1
	}
	return 0
}

// Height is how many lines the panel draws.
func (p KnobPanel) Height() int { return p.height }

// At is the knob drawn on line row of the panel, or -1.
func (p KnobPanel) At(row int) int {
	if row < 0 || row >= p.height {
		return -1
	}
	if i := p.first() + row; i < len(p.knobs) {
		return i
	}
	return -1
}

// bar draws [████░░░░] with the filled part proportional to f.
func (p KnobPanel) bar(f float64, w int) string {
	fill := int(math.Round(f * float64(w)))
	return "[" + p.styles.BarFull.Render(strings.Repeat("█", fill)) +
		p.styles.BarEmpty.Render(strings.Repeat("░", w-fill)) + "]"
}

// FormatNumber writes v with as many decimals as step needs.
func FormatNumber(v, step float64) string {
	d := 0
	for s := step; d < 4 && s > 0 && s != math.Trunc(s); s *= 10 {
		d++
	}
	return fmt.Sprintf("%.*f", d, v)
}

// FormatValue writes a number with its unit: "10 VMs", "512 MB", "0.5 s".
func FormatValue(v, step float64, unit string) string {
	s := FormatNumber(v, step)
	if unit == "" {
		return s
	}
	if unit == "%" {
		return s + "%"
	}
	return s + " " + unit
}
