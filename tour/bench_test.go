package tour

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/internal/fixture"
)

// The speed targets of issue 2: first full frame under 100 ms; a key
// (next lesson, knob step) handled and the frame drawn under 16 ms at
// 160x50. Each benchmark runs the commands the key returns, so the
// simulation run and any glamour rendering are inside the figure.

// BenchmarkFirstFrame: New, Init, the window size, the first simulation
// and prose rendering, and the first View. Real engine.
func BenchmarkFirstFrame(b *testing.B) {
	cfg := realConfig(b)
	for b.Loop() {
		m := newModel(cfg, sim.Run, noTicks)
		m = start(b, m, 160, 50)
		_ = m.View()
	}
}

// BenchmarkNextLesson: → then View, alternating forward and back.
func BenchmarkNextLesson(b *testing.B) {
	m := start(b, newModel(realConfig(b), sim.Run, noTicks), 160, 50)
	k := []tea.Msg{press("n"), press("p")}
	i := 0
	for b.Loop() {
		m = drive(b, m, k[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkKnobStep: a fine knob step in the sim pane, the rerun, View.
func BenchmarkKnobStep(b *testing.B) {
	m := start(b, newModel(realConfig(b), sim.Run, noTicks), 160, 50)
	m = drive(b, m, press("tab"))
	k := []tea.Msg{press("right"), press("left")}
	i := 0
	for b.Loop() {
		m = drive(b, m, k[i%2])
		_ = m.View()
		i++
	}
}

// BenchmarkKnobStepUI is the same without the simulation: what the UI
// loop itself costs per key, the run being off the loop in the app.
func BenchmarkKnobStepUI(b *testing.B) {
	m := start(b, newModel(realConfig(b), fakeRun, noTicks), 160, 50)
	m = drive(b, m, press("tab"))
	k := []tea.Msg{press("right"), press("left")}
	i := 0
	for b.Loop() {
		next, _ := m.Update(k[i%2])
		m = next.(Model)
		_ = m.View()
		i++
	}
}

// BenchmarkTick: one playhead frame, Update and View, at 160x50, the
// playhead part way through the run.
func BenchmarkTick(b *testing.B) {
	clock := &fixture.Clock{}
	m := start(b, newModel(testConfig(b), fakeRun, clock.After), 160, 50)
	var tick tea.Msg
	for range 10 {
		msgs := clock.Fire()
		if len(msgs) != 1 {
			b.Fatalf("%d ticks pending, want 1", len(msgs))
		}
		tick = msgs[0]
		next, _ := m.Update(tick)
		m = next.(Model)
	}
	for b.Loop() {
		next, _ := m.Update(tick)
		_ = next.(Model).View()
		clock.Fire()
	}
}

// BenchmarkView80: one View of the narrow simulation tab.
func BenchmarkView80(b *testing.B) {
	m := start(b, newModel(testConfig(b), fakeRun, noTicks), 80, 24)
	m = drive(b, m, press("tab"))
	for b.Loop() {
		_ = m.View()
	}
}
