package tour

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// watched wraps the tour so a test can see the model a running program
// holds, and wait for a state instead of sleeping.
type watched struct {
	Model
	seen *lockedModel
}

func (w watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := w.Model.Update(msg)
	w.Model = next.(Model)
	w.seen.set(w.Model)
	return w, cmd
}

func waitUntil(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestGoldenScreens runs the tour as a real program (teatest) at 80x24
// and 140x40 and compares the first lesson, its simulation, the menu and
// the help overlay with testdata/TestGoldenScreens/*.golden. The course is
// the fixture, the engine the deterministic stand-in, the playhead swept
// to its end without a clock, and the colour profile fixed, so the
// screens depend on nothing in the machine. `go test -update` rewrites them.
func TestGoldenScreens(t *testing.T) {
	screens := []struct {
		name  string
		keys  []string
		ready func(Model) bool
	}{
		{"lesson", nil, func(m Model) bool { return m.overlay == overlayNone }},
		{"simulation", []string{"tab"}, func(m Model) bool { return m.focus == paneSim }},
		{"menu", []string{"m"}, func(m Model) bool { return m.overlay == overlayMenu }},
		{"help", []string{"?"}, func(m Model) bool { return m.overlay == overlayHelp }},
	}
	for _, size := range [][2]int{{80, 24}, {140, 40}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s-%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel()
				seen := &lockedModel{}
				w, h := size[0], size[1]
				m := newTest(t, testConfig(t), instantTicks)
				m.sim.SetSweep(4) // every frame is drawn; a short sweep keeps the test quick
				tm := teatest.NewTestModel(t, watched{Model: m, seen: seen},
					teatest.WithInitialTermSize(w, h),
					teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
				waitUntil(t, "the first frame", func() bool {
					m := seen.get()
					return m.width == w && m.prose.Ready() && m.sim.Result() != nil && m.sim.AtEnd() && !m.sim.Running()
				})
				for _, k := range sc.keys {
					tm.Send(press(k))
				}
				waitUntil(t, sc.name, func() bool { return sc.ready(seen.get()) })
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(watched)
				out := ansi.Strip(final.View().Content)
				golden.RequireEqual(t, []byte(out))
				checkScreen(t, final.Model)
			})
		}
	}
}
