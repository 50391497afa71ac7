package simpane

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/widgets"
)

// Layout of the pane.
const (
	// chartRowsFirst is how many plot rows the chart gets before the
	// figures take any room: the chart is the point of the pane. At 80x24
	// that leaves room for a challenge and the figures of every lesson.
	chartRowsFirst = 8
	// maxChartHeight caps the chart on very tall screens; up to it, a
	// projected 160x50 tour spends its rows on the chart, not on blanks.
	maxChartHeight = 40
	// gapFrom is the pane height from which a blank line separates its
	// parts; below it every line is worth a chart row.
	gapFrom = 30
)

// SetSize sets the pane's inner size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

func (m Model) gap() int {
	if m.height >= gapFrom {
		return 1
	}
	return 0
}

// layout shares the pane's height between knobs, chart and figures. The
// chart comes first, up to chartRowsFirst rows of plot; then the figures;
// then the chart again, up to maxChartHeight.
func (m *Model) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	w, h := m.width, m.height
	n := len(m.knobs.Knobs())
	knobsH := max(1, min(n, max(1, h/4)))
	m.knobs.SetSize(w, knobsH)
	// The goal's lines: two for the challenge on a short pane, more (its
	// goal in full, how the guesses did) where there is room.
	m.above = m.goalLines(w, goalRows(h))
	gap := m.gap()
	avail := h - knobsH - len(m.above) - gap
	// The figures measure themselves at the pane's width.
	m.stats.SetSize(w, avail)
	lines := m.stats.Lines()
	first := m.chart.HeightFor(w, chartRowsFirst)
	statsH := min(lines, avail-gap-first)
	if statsH < 3 {
		statsH = 0 // a table cut to a line or two says nothing
	}
	chartH := avail
	if statsH > 0 {
		chartH = avail - statsH - gap
	}
	// Past this a taller chart shows nothing new; leave the space empty.
	m.chart.SetSize(w, max(0, min(chartH, maxChartHeight)))
	m.stats.SetSize(w, statsH)
}

// refresh shows the current lesson, result, error and playhead in the
// chart and the figures. It is cheap: no simulation happens here.
func (m *Model) refresh() {
	switch {
	case m.lesson == nil:
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("No lesson, no simulation.", false)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("", "")
	case m.runs.err != nil:
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("The simulation could not run: "+m.runs.err.Error()+"\n\nChange a knob or press r to reset them.", true)
		m.stats.SetTable(nil, nil)
		m.stats.SetNote("", "")
	case m.shown == nil:
		m.chart.SetSeries(0, nil)
		m.chart.SetMessage("Simulating…", false)
		m.stats.SetNote(m.priceNote())
		// The figures' labels, with dashes for values: the table keeps
		// its size, so nothing jumps when the first run comes back.
		m.stats.SetTable(m.figures(-1))
	default:
		m.chart.SetSeries(m.shown.hours, m.shown.series)
		m.chart.SetUnit(m.shown.unit)
		m.stats.SetNote(m.priceNote())
		m.showPlayhead()
	}
	m.layout()
}

// showPlayhead reveals the chart up to the playhead and shows the figures
// of the last bucket it reveals.
func (m *Model) showPlayhead() {
	if m.shown == nil {
		return
	}
	head := min(m.shown.buckets, int(math.Floor(m.play.head))+1)
	m.chart.SetPlayhead(head)
	before := m.stats.Lines()
	m.stats.SetTable(m.figures(max(0, head-1)))
	if m.stats.Lines() != before {
		m.layout()
	}
}

// priceNote says which price table the costs come from and its date, in
// full and short, and when the figures come from the fast model, that
// they are approximate.
func (m Model) priceNote() (string, string) {
	note, short := "No price table loaded:\ncosts read $0.", "no prices: $0"
	if p := m.pricing; p != nil && p.AsOf != "" {
		region := p.Region
		if region == "" {
			region = "price table"
		}
		note, short = fmt.Sprintf("Prices: %s,\nas of %s.", region, p.AsOf), "prices of "+p.AsOf
	}
	if r := m.runs.result; r != nil && r.Approximate {
		note += "\nFast model: approximate."
		short += " · approx."
	}
	return note, short
}

// Lines is the pane's inside as lines: exactly as many as the pane is
// high, each exactly its width.
func (m Model) Lines() []string {
	if m.width <= 0 || m.height <= 0 {
		return nil
	}
	out := make([]string, 0, m.height)
	blank := strings.Repeat(" ", m.width)
	add := func(view string) {
		if view != "" {
			out = append(out, strings.Split(view, "\n")...)
		}
	}
	add(m.knobs.View())
	for _, l := range m.above {
		out = append(out, widgets.FitLine(l, m.width))
	}
	if m.gap() > 0 {
		out = append(out, blank)
	}
	if m.Asking() {
		add(widgets.Fit(m.forecastCard(m.width, m.height-len(out)), m.width, max(1, m.height-len(out))))
		return out[:min(len(out), m.height)]
	}
	add(m.chart.View())
	if s := m.stats.View(); s != "" {
		if m.gap() > 0 {
			out = append(out, blank)
		}
		add(s)
	}
	for len(out) < m.height {
		out = append(out, blank) // a chart held at its tallest leaves room
	}
	return out[:m.height]
}

// View draws the pane's inside: knobs, chart, figures.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	return strings.Join(m.Lines(), "\n")
}

// knobLayer names the layer of knob i's line, for hit tests.
const knobLayer = "knob:"

// Layer is the pane drawn as a layer whose children are the knobs' lines,
// named so a click can be traced to the knob under it (see KnobAt).
func (m Model) Layer() *lipgloss.Layer {
	view := m.View()
	lines := strings.SplitN(view, "\n", m.knobs.Height()+1)
	var kids []*lipgloss.Layer
	for row := range min(len(lines), m.knobs.Height()) {
		if i := m.knobs.At(row); i >= 0 {
			kids = append(kids, lipgloss.NewLayer(lines[row]).Y(row).ID(knobLayer+strconv.Itoa(i)))
		}
	}
	return lipgloss.NewLayer(view, kids...)
}

// KnobAt is the knob a layer named id shows, if it is a knob's.
func KnobAt(id string) (int, bool) {
	s, ok := strings.CutPrefix(id, knobLayer)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(s)
	return i, err == nil
}

// Status says whether the simulation is playing, paused or at its end,
// the simulated clock, and whether a new run is on its way, in at most w
// columns: hints go first when room is short, then words, and the clock
// stays as long as it can. The owner shows it in the pane's border or
// the tab bar.
func (m Model) Status(w int) string {
	st := m.styles
	var state, word, clock, now, hint string
	n := m.buckets()
	switch {
	case m.runs.err != nil:
		state, word = st.Error.Render("✗"), st.Error.Render(" simulation error")
	case m.Asking():
		state, word = st.PaneTitle.Render("?"), st.PaneTitle.Render(" waiting for your guess")
	case n < 2:
		state, word = st.Faint.Render("…"), st.Faint.Render(" simulating")
	default:
		bucket, dur := m.shown.bucketS, m.shown.durationS
		at := clockAt(min((math.Floor(m.play.head)+1)*bucket, dur))
		clock = st.Faint.Render(fmt.Sprintf("%s / %s", at, clockAt(min(float64(n)*bucket, dur))))
		now = st.Faint.Render(at)
		switch {
		case m.play.paused:
			state, word = st.PaneTitle.Render("‖"), st.PaneTitle.Render(" paused")
		case m.AtEnd():
			state, word = st.PaneTitle.Render("■"), st.PaneTitle.Render(" end")
			hint = st.Faint.Render("space replays")
		default:
			state, word = st.PaneTitle.Render("▶"), st.PaneTitle.Render(" playing")
		}
	}
	pending := ""
	if m.runs.pending && m.runs.result != nil {
		pending = st.Faint.Render("· updating…")
	}
	join := func(parts ...string) string {
		out := ""
		for _, p := range parts {
			if p == "" {
				continue
			}
			if out != "" && !strings.HasPrefix(ansi.Strip(p), " ") {
				out += "  "
			}
			out += p
		}
		return out
	}
	for _, v := range []string{
		join(state, word, clock, hint, pending),
		join(state, word, clock, pending),
		join(state, clock, pending),
		join(state, clock),
		join(state, now),
		state,
	} {
		if ansi.StringWidth(v) <= w {
			return v
		}
	}
	return ""
}

// goalRows is how many lines the challenge and the guesses may take in a
// pane h lines high: two on a short one (a line of goal, one of
// conditions), more where the chart has room to spare.
func goalRows(h int) int {
	if h < 30 {
		return 2
	}
	return max(3, h/8)
}
