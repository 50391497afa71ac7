package tour

import (
	"fmt"
	"strings"
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
// and 140x40 and compares its screens with
// testdata/TestGoldenScreens/*.golden: the first lesson, its simulation,
// the menu and the help; a forecast asked and revealed; a challenge unmet
// and met; the closing screen. The course is the fixture, the engine the
// deterministic stand-in, the playhead swept to its end without a clock,
// and the colour profile fixed, so the screens depend on nothing in the
// machine. `go test -update` rewrites them.
func TestGoldenScreens(t *testing.T) {
	type step struct {
		keys  []string
		until func(Model) bool // the state to wait for before the next step
	}
	settled := func(m Model) bool { return m.sim.Result() != nil && !m.sim.Running() && m.prose.Ready() }
	onSecond := step{[]string{"n"}, func(m Model) bool { return m.idx == 1 && settled(m) }}
	asked := step{[]string{"tab"}, func(m Model) bool { return m.focus == paneSim && m.sim.Asking() }}
	revealed := step{[]string{"5", ".", "5", "enter"}, func(m Model) bool { return !m.sim.Asking() && m.sim.AtEnd() }}
	screens := []struct {
		name  string
		steps []step
	}{
		{"lesson", []step{{nil, func(m Model) bool { return m.overlay == overlayNone }}}},
		{"simulation", []step{{[]string{"tab"}, func(m Model) bool { return m.focus == paneSim }}}},
		{"menu", []step{{[]string{"m"}, func(m Model) bool { return m.overlay == overlayMenu }}}},
		{"help", []step{{[]string{"?"}, func(m Model) bool { return m.overlay == overlayHelp }}}},
		{"forecast-asked", []step{onSecond, asked}},
		{"forecast-revealed-challenge-unmet", []step{onSecond, asked, revealed}},
		{"challenge-met", []step{onSecond, asked, revealed, {[]string{"right", "right"}, func(m Model) bool {
			return m.sim.ChallengeMet() && settled(m) && m.sim.AtEnd()
		}}}},
		{"closing", []step{{[]string{"n", "n", "n"}, func(m Model) bool {
			return m.overlay == overlayClosing && strings.Contains(screen(m), "completed") && settled(m) && m.sim.AtEnd()
		}}}},
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
					return m.width == w && settled(m) && m.sim.AtEnd()
				})
				for i, st := range sc.steps {
					for _, k := range st.keys {
						tm.Send(press(k))
					}
					waitUntil(t, fmt.Sprintf("%s, step %d", sc.name, i+1), func() bool { return st.until(seen.get()) })
				}
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
