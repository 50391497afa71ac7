package simpane

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/theme"
)

// Saved is what the learner did in a lesson before: its knobs, whether
// its challenge was met, and the guesses made for its forecasts (by id).
type Saved struct {
	Values       []float64
	ChallengeMet bool
	Guesses      map[string]float64
}

// ChallengeMetMsg says the knobs reached lesson Slug's challenge for the
// first time.
type ChallengeMetMsg struct{ Slug string }

// ForecastMsg says the learner committed Guess to forecast ID of lesson
// Slug (for a choice, the index of the choice).
type ForecastMsg struct {
	Slug  string
	ID    string
	Guess float64
}

// goal is the lesson's challenge and forecasts as this pane shows them.
type goal struct {
	metBefore bool                     // met in an earlier visit or run
	met       bool                     // met by the run shown
	states    []lessons.ConditionState // the run shown, condition by condition
	ask       []lessons.Forecast       // forecasts still to answer, first asked first
	input     textinput.Model          // the number being typed
	inputErr  string
	verdicts  []string // how the guesses compare with the run at the defaults
}

func newInput(st *theme.Styles) textinput.Model {
	in := textinput.New()
	in.SetStyles(st.Input)
	in.Prompt = "› "
	in.Placeholder = "a number"
	in.CharLimit = 12
	// Only what a number needs: the tour's keys stay the tour's.
	off := key.NewBinding(key.WithDisabled())
	km := textinput.DefaultKeyMap()
	km.WordForward, km.WordBackward, km.DeleteWordBackward, km.DeleteWordForward = off, off, off, off
	km.DeleteAfterCursor, km.DeleteBeforeCursor, km.Paste = off, off, off
	km.AcceptSuggestion, km.NextSuggestion, km.PrevSuggestion = off, off, off
	km.CharacterForward, km.CharacterBackward = off, off
	km.LineStart, km.LineEnd = off, off
	km.DeleteCharacterBackward = key.NewBinding(key.WithKeys("backspace"))
	km.DeleteCharacterForward = off
	in.KeyMap = km
	in.SetVirtualCursor(true)
	return in
}

// Asking reports whether the pane is waiting for a forecast before it
// shows the run.
func (m Model) Asking() bool { return len(m.goal.ask) > 0 }

// ChallengeMet reports whether the run shown meets the lesson's challenge.
func (m Model) ChallengeMet() bool { return m.goal.met }

// startGoal sets up the challenge and the forecasts for a new lesson.
// With a forecast to ask, the knobs go to their defaults: the forecast is
// about the run there.
func (m *Model) startGoal(l lessons.Lesson, s Saved) {
	m.goal = goal{metBefore: s.ChallengeMet, input: newInput(m.styles)}
	for _, f := range l.Forecasts {
		if _, done := s.Guesses[f.ID]; !done {
			m.goal.ask = append(m.goal.ask, f)
		}
	}
	if len(m.goal.ask) > 0 {
		m.knobs.Reset()
		m.goal.input.Focus()
	}
}

// checkGoal tests the challenge on a new result; the first time it is
// met, the owner is told.
func (m *Model) checkGoal(res *sim.Result) tea.Cmd {
	l := m.lesson
	if l == nil || l.Challenge == nil {
		return nil
	}
	m.goal.met, m.goal.states = l.Challenge.Check(*res)
	if !m.goal.met || m.goal.metBefore || m.Asking() {
		return nil
	}
	m.goal.metBefore = true
	met := ChallengeMetMsg{Slug: l.Slug}
	return func() tea.Msg { return met }
}

// forecastKey handles a key while a forecast is asked: a number typed and
// committed with enter, or a choice by its number; esc reveals the run
// without a guess.
func (m Model) forecastKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	f := m.goal.ask[0]
	k := m.keys
	switch {
	case key.Matches(msg, k.Skip):
		m.goal.verdicts = append(m.goal.verdicts, "No guess for: "+f.Ask)
		return m.nextForecast(nil)
	case f.IsChoice() && key.Matches(msg, m.choiceKeys()):
		i := int(msg.String()[0] - '1')
		return m.nextForecast(&forecastGuess{f, float64(i)})
	case !f.IsChoice() && key.Matches(msg, k.Commit):
		v, err := strconv.ParseFloat(strings.TrimSpace(m.goal.input.Value()), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) {
			m.goal.inputErr = "type a number, 0 or more"
			return m, nil
		}
		return m.nextForecast(&forecastGuess{f, v})
	case !f.IsChoice() && key.Matches(msg, k.Type):
		m.goal.inputErr = ""
		var cmd tea.Cmd
		m.goal.input, cmd = m.goal.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

type forecastGuess struct {
	f     lessons.Forecast
	guess float64
}

// nextForecast records a guess (nil: skipped), says how it compares with
// the run at the defaults, and moves to the next forecast or reveals.
func (m Model) nextForecast(g *forecastGuess) (Model, tea.Cmd) {
	m.goal.ask = slices.Clone(m.goal.ask[1:])
	m.goal.input.Reset()
	m.goal.inputErr = ""
	var cmds []tea.Cmd
	if g != nil {
		if res := m.runs.result; res != nil {
			m.goal.verdicts = append(m.goal.verdicts, g.f.Verdict(g.guess, *res))
		}
		told := ForecastMsg{Slug: m.lesson.Slug, ID: g.f.ID, Guess: g.guess}
		cmds = append(cmds, func() tea.Msg { return told })
	}
	if !m.Asking() {
		// Revealed: the challenge as the run at the defaults leaves it,
		// and the run plays from its start.
		if res := m.runs.result; res != nil {
			cmds = append(cmds, m.checkGoal(res), m.startTicks())
		}
	}
	m.refresh()
	return m, tea.Batch(cmds...)
}

// choiceKeys are the number keys of the asked forecast's choices.
func (m Model) choiceKeys() key.Binding {
	b := m.keys.Pick
	if len(m.goal.ask) == 0 {
		return b
	}
	n := min(len(m.goal.ask[0].Choices), len(b.Keys()))
	b.SetKeys(b.Keys()[:n]...)
	b.SetHelp(fmt.Sprintf("1-%d", n), b.Help().Desc)
	return b
}

// goalLines are the lines above the chart, in w columns and at most n
// lines: how the guesses did (while the knobs are at the defaults they
// were made for), the challenge's goal and its conditions. Short of room,
// the goal gives way first (the lesson states it too), then the guesses
// shrink to a line each.
func (m Model) goalLines(w, n int) []string {
	st := m.styles
	var verdicts []string
	if m.lesson != nil && slices.Equal(m.knobs.Values(), m.lesson.Defaults()) {
		for _, v := range m.goal.verdicts {
			verdicts = append(verdicts, wrapTo("✎ "+v, w, st.Faint.Render)...)
		}
	}
	var goal, conds []string
	if m.lesson != nil && m.lesson.Challenge != nil {
		head := "◇ Challenge: "
		switch {
		case m.Asking():
		case m.goal.met:
			head = "★ Challenge met: "
		case m.goal.metBefore:
			head = "☆ Challenge (met before): "
		}
		goal = wrapTo(head+m.lesson.Challenge.Goal, w, st.PaneTitle.Render)
		if !m.Asking() { // the run's figures would give a guess away
			conds = []string{m.conditionLine(w)}
		}
	}
	if len(verdicts)+len(goal)+len(conds) > n && len(goal) > 1 {
		goal = []string{st.PaneTitle.Render(ansi.Truncate(ansi.Strip(goal[0])+" "+ansi.Strip(strings.Join(goal[1:], " ")), w, "…"))}
	}
	if len(verdicts)+len(goal)+len(conds) > n && len(verdicts) > 0 {
		goal = nil
	}
	if len(verdicts)+len(conds) > n {
		for i, v := range m.goal.verdicts {
			if i < len(verdicts) {
				verdicts[i] = st.Faint.Render(ansi.Truncate("✎ "+v, w, "…"))
			}
		}
		verdicts = verdicts[:min(len(verdicts), len(m.goal.verdicts), max(0, n-len(conds)))]
	}
	out := append(append(verdicts, goal...), conds...)
	return out[:min(len(out), n)]
}

// conditionLine marks each condition ✓ or ✗ with the run's figure,
// shortening to marks alone where the width is short.
func (m Model) conditionLine(w int) string {
	st := m.styles
	if len(m.goal.states) == 0 {
		return st.Faint.Render(ansi.Truncate("  waiting for the run…", w, "…"))
	}
	full := make([]string, len(m.goal.states))
	named := make([]string, len(m.goal.states))
	bare := make([]string, len(m.goal.states))
	for i, s := range m.goal.states {
		mark := st.Bad.Render("✗")
		if s.Holds {
			mark = st.Good.Render("✓")
		}
		now := "–"
		if !math.IsNaN(s.Value) {
			now = s.Condition.Figure.Show(s.Value)
		}
		full[i] = fmt.Sprintf("%s %s (%s)", mark, s.Condition.Short(), now)
		named[i] = fmt.Sprintf("%s %s %s", mark, figureName(s.Condition.Figure), now)
		bare[i] = mark + " " + now
	}
	for _, line := range []string{"  " + strings.Join(full, "  "), "  " + strings.Join(named, "  "), "  " + strings.Join(bare, "  ")} {
		if ansi.StringWidth(line) <= w {
			return line
		}
	}
	return ansi.Truncate("  "+strings.Join(bare, " "), w, "…")
}

// figureName is a figure's label without its target: "p99 latency".
func figureName(f lessons.Figure) string {
	if st, ok := lessons.StatByName(f.Name); ok {
		return st.Label
	}
	if rf, ok := lessons.ResultFigureByName(f.Name); ok {
		return rf.Label
	}
	return f.Name
}

// forecastCard is what the pane shows in place of the run while it asks:
// the question, the input or the choices, and how to answer.
func (m Model) forecastCard(w, h int) string {
	st := m.styles
	f := m.goal.ask[0]
	var b strings.Builder
	b.WriteString(st.PaneTitle.Render("Predict, then run") + "\n\n")
	b.WriteString(strings.Join(wrapTo(f.Ask, w, nil), "\n") + "\n\n")
	if f.IsChoice() {
		for i, c := range f.Choices {
			b.WriteString(fmt.Sprintf("  %d) %s\n", i+1, c.Label))
		}
	} else {
		in := m.goal.input
		in.SetWidth(max(1, min(20, w-4)))
		b.WriteString(in.View())
		if f.Unit != "" {
			b.WriteString(" " + f.Unit)
		}
		b.WriteString("\n")
		if m.goal.inputErr != "" {
			b.WriteString(st.Error.Render(m.goal.inputErr) + "\n")
		}
	}
	b.WriteString("\n" + strings.Join(wrapTo("The run at the lesson's starting knobs is ready; it shows once you commit a guess.", w, st.Faint.Render), "\n"))
	if !m.focused {
		b.WriteString("\n" + st.Faint.Render(ansi.Truncate("tab here to answer", w, "…")))
	}
	return b.String()
}

// wrapTo wraps s at w columns, styling each line with style (nil: none).
func wrapTo(s string, w int, style func(...string) string) []string {
	lines := strings.Split(ansi.Wrap(s, max(1, w), ""), "\n")
	if style != nil {
		for i, l := range lines {
			lines[i] = style(l)
		}
	}
	return lines
}
