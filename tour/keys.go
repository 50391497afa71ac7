package tour

import (
	"charm.land/bubbles/v2/key"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// KeyMap is every key the tour answers to. Help text is written here once
// and shown both in the footer and in the ? overlay.
type KeyMap struct {
	Next, Prev         key.Binding // lesson navigation
	NextSim, PrevSim   key.Binding // the same, shown while the sim pane has the focus
	Up, Down           key.Binding // scroll the prose
	PageUp, PageDown   key.Binding
	Top, Bottom        key.Binding
	Focus              key.Binding // tab: focus the other pane / switch tab
	KnobUp, KnobDown   key.Binding
	Inc, Dec           key.Binding
	IncMore, DecMore   key.Binding
	Pause              key.Binding
	Reset              key.Binding
	Menu               key.Binding
	Quiz               key.Binding
	Answer             key.Binding
	Help               key.Binding
	Quit               key.Binding
	Close              key.Binding
	Select             key.Binding
	MenuUp, MenuDown   key.Binding
	QuizNext, QuizPrev key.Binding
}

// DefaultKeyMap returns the tour's keys.
func DefaultKeyMap() KeyMap {
	k := widgets.DefaultKnobKeys()
	return KeyMap{
		Next:     key.NewBinding(key.WithKeys("right", "l", "n"), key.WithHelp("→/l/n", "next lesson")),
		Prev:     key.NewBinding(key.WithKeys("left", "h", "p"), key.WithHelp("←/h/p", "prev lesson")),
		NextSim:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next lesson")),
		PrevSim:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "prev lesson")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "scroll up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "f", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
		Focus:    key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "lesson ⇄ simulation")),
		KnobUp:   k.Up,
		KnobDown: k.Down,
		Inc:      k.Inc,
		Dec:      k.Dec,
		IncMore:  k.IncCoarse,
		DecMore:  k.DecCoarse,
		Pause:    key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "pause/play")),
		Reset:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset knobs")),
		Menu:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "lessons")),
		Quiz:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "quiz")),
		Answer:   key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "answer")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Select:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		MenuUp:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		MenuDown: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		QuizNext: key.NewBinding(key.WithKeys("enter", "right", "l"), key.WithHelp("enter", "next question")),
		QuizPrev: key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←", "previous question")),
	}
}

// knobKeys hands the knob bindings to the knob panel.
func (k KeyMap) knobKeys() widgets.KnobKeys {
	return widgets.KnobKeys{Up: k.KnobUp, Down: k.KnobDown, Inc: k.Inc, Dec: k.Dec, IncCoarse: k.IncMore, DecCoarse: k.DecMore}
}

// proseKeys hands the scrolling bindings to the prose pane.
func (k KeyMap) proseKeys() widgets.ProseKeys {
	return widgets.ProseKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown,
		HalfUp: key.NewBinding(key.WithDisabled()), HalfDown: key.NewBinding(key.WithDisabled()),
		Top: k.Top, Bottom: k.Bottom}
}

// shortHelp is the footer for where the focus is.
type shortHelp struct {
	bindings []key.Binding
	full     [][]key.Binding
}

func (s shortHelp) ShortHelp() []key.Binding  { return s.bindings }
func (s shortHelp) FullHelp() [][]key.Binding { return s.full }

// fullHelp is the ? overlay, in columns.
func (k KeyMap) fullHelp(hasQuiz bool) [][]key.Binding {
	quiz := k.Quiz
	quiz.SetEnabled(hasQuiz)
	return [][]key.Binding{
		{k.Next, k.Prev, k.Menu, k.Focus, quiz, k.Help, k.Quit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{withHelp(k.KnobUp, "↑/↓", "choose knob"), withHelp(k.Inc, "←/→ +/-", "adjust"), withHelp(k.IncMore, "shift+←/→ [ ]", "adjust more"), k.Pause, k.Reset, k.NextSim, k.PrevSim},
	}
}

func withHelp(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}
