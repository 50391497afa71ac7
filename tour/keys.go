package tour

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"

	"github.com/serverless-tour/serverless-tour/tour/overlay"
	"github.com/serverless-tour/serverless-tour/tour/simpane"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// KeyMap is every key of the tour: the layout's own, and those it hands
// to each pane and overlay when it builds them. Help is drawn from it by
// bubbles/help, so a key cannot work unlisted or be listed and not work.
type KeyMap struct {
	Next, Prev       key.Binding // lesson navigation from the lesson
	NextSim, PrevSim key.Binding // the same from the simulation, where ←→ turn knobs
	Focus            key.Binding // tab: the other pane, or the other tab when narrow
	Menu             key.Binding
	Quiz             key.Binding
	Help             key.Binding
	Room             key.Binding // the host's panel (room.go), when there is one
	Quit             key.Binding // q: quits from the layout; closes an overlay
	ForceQuit        key.Binding // ctrl+c: quits from anywhere

	Prose   widgets.ProseKeys
	Sim     simpane.KeyMap
	MenuBox overlay.MenuKeys
	QuizBox overlay.QuizKeys
	HelpBox overlay.KeyHelpKeys
	Closing overlay.ClosingKeys
}

// DefaultKeyMap returns the tour's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:      key.NewBinding(key.WithKeys("right", "l", "n"), key.WithHelp("→/l/n", "next lesson")),
		Prev:      key.NewBinding(key.WithKeys("left", "h", "p"), key.WithHelp("←/h/p", "prev lesson")),
		NextSim:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next lesson")),
		PrevSim:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prev lesson")),
		Focus:     key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "lesson ⇄ simulation")),
		Menu:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "lessons")),
		Quiz:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "quiz")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Room:      key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "room view")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit from anywhere")),
		Prose: widgets.ProseKeys{
			Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
			Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
			PageUp:   key.NewBinding(key.WithKeys("pgup", "b", "ctrl+u"), key.WithHelp("pgup", "page up")),
			PageDown: key.NewBinding(key.WithKeys("pgdown", "f", "ctrl+d"), key.WithHelp("pgdn", "page down")),
			// Half pages are off: ctrl+u/d page whole, and d/u are free.
			HalfUp:   key.NewBinding(key.WithDisabled()),
			HalfDown: key.NewBinding(key.WithDisabled()),
			Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
			Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
		},
		Sim:     simpane.DefaultKeyMap(),
		MenuBox: overlay.DefaultMenuKeys(),
		QuizBox: overlay.DefaultQuizKeys(),
		HelpBox: overlay.DefaultKeyHelpKeys(),
		Closing: overlay.DefaultClosingKeys(),
	}
}

// keysInForce is the help for where the keys go now: the footer's short
// line, and the sections of the key help. Every binding in it comes from
// the KeyMap; only the wording of a footer entry is chosen here.
type keysInForce struct {
	short    []key.Binding
	sections []overlay.Section
}

func (k keysInForce) ShortHelp() []key.Binding { return k.short }

func (k keysInForce) FullHelp() [][]key.Binding {
	full := make([][]key.Binding, len(k.sections))
	for i, s := range k.sections {
		full[i] = s.Keys
	}
	return full
}

// keysInForce says which keys work now, for the footer and the key help.
func (m Model) keysInForce() help.KeyMap {
	switch m.overlay {
	case overlayHelp:
		return m.keyHelp.KeyMap()
	case overlayMenu:
		return m.menu.KeyMap()
	case overlayQuiz:
		return m.quiz.KeyMap()
	case overlayClosing:
		return m.closing.KeyMap()
	case overlayPanel:
		return m.room.panel.KeyMap()
	}
	return keysInForce{short: m.shortKeys(), sections: m.keySections()}
}

// shortKeys is the footer's line for the focused pane.
func (m Model) shortKeys() []key.Binding {
	k := m.keys
	if m.focus == paneSim && m.sim.Asking() {
		return append(m.sim.ForecastHelp(), widgets.JoinKeys("n/p", "lesson", k.NextSim, k.PrevSim), k.Help, k.Quit)
	}
	if m.focus == paneSim {
		return append(k.Sim.ShortHelp(), widgets.JoinKeys("n/p", "lesson", k.NextSim, k.PrevSim), k.Help, k.Quit)
	}
	quiz := k.Quiz
	quiz.SetEnabled(m.hasQuiz())
	return []key.Binding{
		widgets.JoinKeys("←→", "lesson", k.Next, k.Prev), widgets.JoinKeys("↑↓", "scroll", k.Prose.Up, k.Prose.Down),
		widgets.Relabel(k.Focus, "tab", "simulation"), k.Menu, quiz, k.Help, k.Quit,
	}
}

// keySections is every key of the layout and its panes, grouped by where
// it works, for the key help.
func (m Model) keySections() []overlay.Section {
	k := m.keys
	quiz := k.Quiz
	quiz.SetEnabled(m.hasQuiz())
	room := k.Room
	room.SetEnabled(m.room.panel != nil)
	sections := []overlay.Section{
		{Title: "Lessons", Keys: []key.Binding{k.Next, k.Prev, k.Menu, k.Focus, quiz, room, k.Help, k.Quit, k.ForceQuit}},
		{Title: "Reading", Keys: k.Prose.FullHelp()[0]},
		{Title: "Simulation", Keys: append(k.Sim.FullHelp()[0], k.NextSim, k.PrevSim)},
	}
	if l, _ := m.lesson(); len(l.Forecasts) > 0 {
		sections = append(sections, overlay.Section{Title: "Predict, then run", Keys: []key.Binding{k.Sim.Type, k.Sim.Commit, k.Sim.Pick, k.Sim.Skip}})
	}
	return sections
}

// helpNotes are the key help's notes under the keys.
const helpNotes = "In the simulation pane ←→ adjust the chosen knob, so n/p change lesson. " +
	"Quiz: press a, answer with the number keys. The playhead holds at the end; space replays it. " +
	"Knob values and progress are saved as you go."
