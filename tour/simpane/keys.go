package simpane

import (
	"charm.land/bubbles/v2/key"

	"github.com/serverless-tour/serverless-tour/widgets"
)

// KeyMap is the simulation pane's keys: choosing and turning knobs, and
// playing the run.
type KeyMap struct {
	Knobs widgets.KnobKeys
	Pause key.Binding // pause or resume the playhead; at the end, replay
	Reset key.Binding // every knob back to the lesson's default

	// While a forecast is asked, before the run shows:
	Type   key.Binding // the keys of a number
	Commit key.Binding // commit the number typed
	Pick   key.Binding // pick a choice by its number
	Skip   key.Binding // show the run without a guess
}

// DefaultKeyMap: ↑↓ choose a knob, ←→ +- adjust, shift+←→ [] adjust
// more, space pauses, r resets.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Knobs: widgets.DefaultKnobKeys(),
		Pause: key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "pause/play")),
		Reset: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reset knobs")),
		Type: key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "backspace"),
			key.WithHelp("0-9 .", "type a number")),
		Commit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "commit the guess")),
		Pick:   key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "choose")),
		Skip:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "show the run, no guess")),
	}
}

// ForecastHelp is the pane's keys while it asks a forecast: a number's
// keys and enter, or a choice's number keys; esc either way.
func (m Model) ForecastHelp() []key.Binding {
	k := m.keys
	if !m.Asking() {
		return nil
	}
	if m.goal.ask[0].IsChoice() {
		return []key.Binding{m.choiceKeys(), k.Skip}
	}
	return []key.Binding{k.Type, k.Commit, k.Skip}
}

// Choose is ↑ and ↓ as one entry, for help.
func (k KeyMap) Choose() key.Binding {
	return widgets.JoinKeys("↑/↓", "choose knob", k.Knobs.Up, k.Knobs.Down)
}

// Adjust is the fine steps as one entry, for help.
func (k KeyMap) Adjust() key.Binding {
	return widgets.JoinKeys("←/→ +/-", "adjust", k.Knobs.Inc, k.Knobs.Dec)
}

// AdjustMore is the coarse steps as one entry, for help.
func (k KeyMap) AdjustMore() key.Binding {
	return widgets.JoinKeys("shift+←/→ [ ]", "adjust more", k.Knobs.IncCoarse, k.Knobs.DecCoarse)
}

// Turning is every key that changes a knob's value (not which knob).
func (k KeyMap) Turning() []key.Binding {
	return []key.Binding{k.Knobs.Inc, k.Knobs.Dec, k.Knobs.IncCoarse, k.Knobs.DecCoarse}
}

// ShortHelp is the pane's keys for the footer.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		widgets.JoinKeys("↑↓", "knob", k.Knobs.Up, k.Knobs.Down), widgets.JoinKeys("←→", "adjust", k.Knobs.Inc, k.Knobs.Dec),
		widgets.Relabel(k.Pause, "space", "pause"), widgets.Relabel(k.Reset, "r", "reset"),
	}
}

// FullHelp is every key of the pane.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Choose(), k.Adjust(), k.AdjustMore(), k.Pause, k.Reset}}
}
