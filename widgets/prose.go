package widgets

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// proseGutter is left free at the right of the wrapped text, so glamour's
// margins never touch the pane's edge.
const proseGutter = 2

// maxCachedRenders bounds the render cache; resizing a window through many
// widths should not hold on to every one of them.
const maxCachedRenders = 48

// ProseKeys are the scrolling keys of a Prose pane. A disabled binding
// turns its action off.
type ProseKeys struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding
}

// ShortHelp lists the keys most worth showing.
func (k ProseKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown}
}

// FullHelp lists every scrolling key.
func (k ProseKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom}}
}

// DefaultProseKeys: ↑↓/jk lines, pgup/pgdn pages, ctrl+u/d half pages,
// home/g and end/G the ends.
func DefaultProseKeys() ProseKeys {
	return ProseKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup/b", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f"), key.WithHelp("pgdn/f", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u", "u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d", "d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
	}
}

// renderKey names one rendering: the same markdown at the same width in
// the same glamour style renders the same.
type renderKey struct {
	md    string
	width int
	style string
}

// ProseRenderedMsg carries a finished glamour rendering back to the Prose
// that asked for it.
type ProseRenderedMsg struct {
	key renderKey
	out string
	err error
}

// Prose is a scrollable pane of markdown rendered with glamour. Rendering
// runs as a tea.Cmd and is cached per (markdown, width, style); until a new
// width's rendering arrives the previous one stays on screen, clipped.
type Prose struct {
	keys   ProseKeys
	vp     *viewport.Model // copied before each change: see edit
	md     string
	width  int
	height int
	styles *Styles
	shown  renderKey // what the viewport holds
	lines  []string  // the shown rendering, split and fitted to linesW columns
	linesW int
	cache  map[renderKey]string
	order  []renderKey // cache keys, oldest first
	err    error
}

// NewProse returns an empty prose pane that scrolls with keys.
func NewProse(st *Styles, keys ProseKeys) Prose {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	vp.MouseWheelDelta = 3
	vp.FillHeight = false
	p := Prose{vp: &vp, styles: st, cache: map[renderKey]string{}}
	p.SetKeys(keys)
	return p
}

// SetKeys changes the scrolling keys. The viewport underneath gets them
// too: it keeps its own copy, so changing only the pane's would leave the
// old keys scrolling.
func (p *Prose) SetKeys(k ProseKeys) {
	p.keys = k
	off := key.NewBinding(key.WithDisabled())
	p.edit().KeyMap = viewport.KeyMap{
		Up: k.Up, Down: k.Down,
		PageUp: k.PageUp, PageDown: k.PageDown,
		HalfPageUp: k.HalfUp, HalfPageDown: k.HalfDown,
		Left: off, Right: off,
	}
}

// edit gives the viewport to change. The pane is a value, copied with
// every Update of its owner, while the viewport is large and changes only
// on a scroll or a new rendering: so copies share it, and a change works
// on a fresh copy of its own.
func (p *Prose) edit() *viewport.Model {
	v := *p.vp
	p.vp = &v
	return p.vp
}

// Keys are the pane's scrolling keys.
func (p Prose) Keys() ProseKeys { return p.keys }

// wanted is the rendering the pane should show now.
func (p Prose) wanted() renderKey {
	return renderKey{md: p.md, width: max(10, p.width-proseGutter), style: p.styles.Glamour}
}

// SetMarkdown replaces the document and scrolls to its top.
func (p *Prose) SetMarkdown(md string) tea.Cmd {
	if md == p.md {
		return nil
	}
	p.md = md
	p.edit().GotoTop()
	return p.refresh()
}

// Markdown is the current document.
func (p Prose) Markdown() string { return p.md }

// SetSize resizes the pane; a new width asks for a new rendering.
func (p *Prose) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	vp := p.edit()
	vp.SetWidth(max(0, w))
	vp.SetHeight(max(0, h))
	return p.refresh()
}

// SetStyles changes the theme, which asks for a new rendering.
func (p *Prose) SetStyles(st *Styles) tea.Cmd {
	p.styles = st
	return p.refresh()
}

// Ready reports whether the pane shows the rendering for its current
// document, width and theme.
func (p Prose) Ready() bool { return p.width > 0 && p.shown == p.wanted() }

// refresh shows the wanted rendering from the cache, or returns the
// command that makes it.
func (p *Prose) refresh() tea.Cmd {
	if p.width <= 0 || p.height <= 0 {
		return nil
	}
	want := p.wanted()
	if want == p.shown {
		return nil
	}
	if want.md == "" {
		p.show(want, "") // nothing to render
		return nil
	}
	if out, ok := p.cache[want]; ok {
		p.show(want, out)
		return nil
	}
	return func() tea.Msg {
		out, err := RenderMarkdown(want.md, want.width, want.style)
		return ProseRenderedMsg{key: want, out: out, err: err}
	}
}

// show puts a rendering in the viewport, keeping the reader's place in
// proportion when only the width changed.
func (p *Prose) show(k renderKey, out string) {
	sameDoc := p.shown.md == k.md
	frac := 0.0
	if sameDoc && p.vp.TotalLineCount() > 0 {
		frac = float64(p.vp.YOffset()) / float64(p.vp.TotalLineCount())
	}
	vp := p.edit()
	vp.SetContent(out)
	p.lines, p.linesW = strings.Split(out, "\n"), p.width
	for i, l := range p.lines {
		p.lines[i] = FitLine(l, p.width)
	}
	if sameDoc {
		vp.SetYOffset(int(frac * float64(vp.TotalLineCount())))
	} else {
		vp.GotoTop()
	}
	p.shown = k
}

// PlainStyle is the prose style for no colour: glamour's "ascii" and
// "notty" styles show the markdown's own marks (# headings, *emphasis*,
// `code`), so this one starts from them and carries emphasis, headings
// and code with bold, italic, underline and reverse instead, which
// NO_COLOR allows. It emits no colour.
const PlainStyle = "plain"

// plainStyle builds the PlainStyle configuration.
func plainStyle() ansi.StyleConfig {
	on := func() *bool { b := true; return &b }
	c := styles.ASCIIStyleConfig
	for _, h := range []*ansi.StyleBlock{&c.H1, &c.H2, &c.H3, &c.H4, &c.H5, &c.H6} {
		h.Prefix = ""
	}
	c.Heading.Bold = on()
	c.H1.Underline = on()
	c.Emph = ansi.StylePrimitive{Italic: on()}
	c.Strong = ansi.StylePrimitive{Bold: on()}
	c.Strikethrough = ansi.StylePrimitive{CrossedOut: on()}
	c.Code = ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: " ", Suffix: " ", Inverse: on()}}
	c.BlockQuote.IndentToken = stringPtr("│ ")
	return c
}

func stringPtr(s string) *string { return &s }

// RenderMarkdown renders markdown with glamour at a wrap width in a named
// glamour standard style ("dark", "light", "notty", "ascii") or in
// PlainStyle.
func RenderMarkdown(md string, width int, style string) (string, error) {
	opt := glamour.WithStandardStyle(style)
	if style == PlainStyle {
		opt = glamour.WithStyles(plainStyle())
	}
	r, err := glamour.NewTermRenderer(opt, glamour.WithWordWrap(width))
	if err != nil {
		return "", err
	}
	out, err := r.Render(md)
	if err != nil {
		return "", err
	}
	return strings.Trim(out, "\n"), nil
}

// Update takes renderings, scroll keys and the mouse wheel.
func (p Prose) Update(msg tea.Msg) (Prose, tea.Cmd) {
	switch msg := msg.(type) {
	case ProseRenderedMsg:
		if msg.err != nil {
			// Show the source rather than nothing, and say why.
			p.err = msg.err
			msg.out = strings.Join(wrapWords(msg.key.md, msg.key.width), "\n")
		} else {
			p.err = nil
		}
		if _, ok := p.cache[msg.key]; !ok {
			if len(p.order) >= maxCachedRenders {
				delete(p.cache, p.order[0])
				p.order = p.order[1:]
			}
			p.cache[msg.key] = msg.out
			p.order = append(p.order, msg.key)
		}
		if msg.key == p.wanted() {
			p.show(msg.key, msg.out)
		}
		return p, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, p.keys.Top) {
			p.edit().GotoTop()
			return p, nil
		}
		if key.Matches(msg, p.keys.Bottom) {
			p.edit().GotoBottom()
			return p, nil
		}
	}
	vp, cmd := p.vp.Update(msg)
	p.vp = &vp
	return p, cmd
}

// Err is the last rendering error, if any.
func (p Prose) Err() error { return p.err }

// Fits reports whether the whole document is in view.
func (p Prose) Fits() bool { return len(p.lines) <= p.height }

// AtBottom reports whether the end of the document is in view.
func (p Prose) AtBottom() bool { return p.vp.AtBottom() }

// ScrollPercent is how far down the document the view is, 0 to 1.
func (p Prose) ScrollPercent() float64 { return p.vp.ScrollPercent() }

// ScrollDown and ScrollUp move by n lines.
func (p *Prose) ScrollDown(n int) { p.edit().ScrollDown(n) }

// ScrollUp moves up by n lines.
func (p *Prose) ScrollUp(n int) { p.edit().ScrollUp(n) }

// View draws the visible part of the document at exactly the pane's size.
func (p Prose) View() string {
	if p.width <= 0 || p.height <= 0 {
		return ""
	}
	return strings.Join(p.Window(), "\n")
}

// Window is the visible part of the document as lines, exactly as many
// as the pane is high and each exactly its width. The lines are the
// rendering's own, not copies, so a frame costs the document nothing.
func (p Prose) Window() []string {
	if p.width <= 0 || p.height <= 0 {
		return nil
	}
	if p.shown.md != p.md {
		return strings.Split(Fit(p.styles.Faint.Render("  rendering…"), p.width, p.height), "\n")
	}
	// The viewport keeps the scroll position; the lines are drawn here,
	// since the rendering already fits and re-wrapping it costs a frame.
	off := max(0, min(p.vp.YOffset(), len(p.lines)))
	end := min(len(p.lines), off+p.height)
	out := make([]string, p.height)
	blank := strings.Repeat(" ", p.width)
	for i := range out {
		switch {
		case off+i >= end:
			out[i] = blank
		case p.linesW == p.width:
			out[i] = p.lines[off+i]
		default: // a new width's rendering is on its way: clip the old one
			out[i] = FitLine(p.lines[off+i], p.width)
		}
	}
	return out
}
