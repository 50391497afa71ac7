package tour

import (
	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/tour/simpane"
)

// handleWheel scrolls the prose under the pointer, or chooses a knob when
// the pointer is over the simulation. Over an overlay it does nothing.
func (m Model) handleWheel(msg tea.MouseWheelMsg) (Model, tea.Cmd) {
	if m.overlay != overlayNone || m.tooSmall() {
		return m, nil
	}
	mouse := msg.Mouse()
	id := m.hit(mouse.X, mouse.Y)
	if _, onKnob := simpane.KnobAt(id); onKnob || id == layerSim {
		return m.toSim(msg)
	}
	if id == layerProse {
		return m.toProse(msg)
	}
	return m, nil
}

// handleClick focuses what was clicked: a pane, a tab, or a knob's line,
// which also chooses that knob. Over an overlay clicks do nothing.
func (m Model) handleClick(msg tea.MouseClickMsg) (Model, tea.Cmd) {
	if m.overlay != overlayNone || m.tooSmall() {
		return m, nil
	}
	mouse := msg.Mouse()
	before := m.focus
	id := m.hit(mouse.X, mouse.Y)
	switch id {
	case layerProse, layerTabLesson:
		m.setFocus(paneProse)
	case layerSim, layerTabSim:
		m.setFocus(paneSim)
	default:
		if i, ok := simpane.KnobAt(id); ok {
			m.setFocus(paneSim)
			m.sim.SelectKnob(i)
		}
	}
	if m.focus != before {
		return m, m.layout()
	}
	return m, nil
}
