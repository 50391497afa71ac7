package tour

import (
	"strings"
	"testing"

	"github.com/serverless-tour/serverless-tour/sim"
)

// TestRealCourseSmoke loads the embedded course and walks every lesson on
// the real engine at 80x24 and 160x50: each lesson's prose renders, its
// simulation runs (or shows why not), a knob step reruns it, and every
// screen fits.
func TestRealCourseSmoke(t *testing.T) {
	cfg := realConfig(t)
	course := cfg.Course
	for _, size := range [][2]int{{80, 24}, {160, 50}} {
		m := start(t, newModel(cfg, sim.Run, noTicks), size[0], size[1])
		for i, l := range course.Lessons {
			if m.idx != i {
				t.Fatalf("at lesson %d, want %d", m.idx, i)
			}
			if !m.prose.Ready() {
				t.Fatalf("%s: prose not rendered", l.Name())
			}
			if m.sim.Err() != nil {
				t.Errorf("%s: the simulation did not run: %v", l.Name(), m.sim.Err())
			} else if m.sim.Result() == nil {
				t.Errorf("%s: no result", l.Name())
			}
			checkScreen(t, m)
			if !strings.Contains(screen(m), l.Title) && size[0] >= 110 {
				t.Errorf("%s: title not on screen", l.Name())
			}
			if len(l.Forecasts) > 0 {
				m = drive(t, m, keys("tab")...)
				m = answerForecasts(t, m)
				if !strings.Contains(screen(m), "You said") {
					t.Errorf("%s: no verdict after the guess:\n%s", l.Name(), screen(m))
				}
				m = drive(t, m, keys("tab")...)
			}
			if len(l.Knobs) > 0 {
				before, result := m.sim.Values()[0], m.sim.Result()
				m = drive(t, m, keys("tab", "right", "tab")...)
				if changed := m.sim.Values()[0] != before; changed == (m.sim.Result() == result) {
					t.Errorf("%s: knob moved %v, reran %v", l.Name(), changed, m.sim.Result() != result)
				}
				checkScreen(t, m)
			}
			m = drive(t, m, keys("right")...)
		}
	}
}
