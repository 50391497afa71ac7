package tour

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/serverless-tour/serverless-tour/tour/internal/fixture"
)

// TestKeyMash throws thousands of seeded random keys, mouse events, ticks
// and resizes at the tour. It must never panic, and every screen must fit
// its window exactly.
func TestKeyMash(t *testing.T) {
	names := []string{"up", "down", "left", "right", "shift+left", "shift+right", "enter", "esc", "tab", "shift+tab",
		"space", "pgup", "pgdown", "home", "end", "h", "j", "k", "l", "n", "p", "m", "a", "r", "?", "+", "-", "[", "]",
		"1", "2", "3", "4", "9", "g", "G", "x", "é", "q"}
	sizes := [][2]int{{1, 1}, {39, 11}, {40, 12}, {41, 30}, {80, 24}, {109, 30}, {110, 30}, {140, 40}, {160, 50}, {200, 60}, {60, 15}, {120, 12}}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run("seed"+strconv.FormatUint(seed, 10), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			clock := &fixture.Clock{}
			m := start(t, newTest(t, testConfig(t), clock.After), 80, 24)
			var ticks []tea.Msg
			for i := 0; i < 2000; i++ {
				var msg tea.Msg
				switch r := rng.IntN(100); {
				case r < 70:
					name := names[rng.IntN(len(names))]
					if name == "q" {
						continue // quitting ends a real program; here it would only save
					}
					msg = press(name)
				case r < 80:
					btn := []tea.MouseButton{tea.MouseWheelUp, tea.MouseWheelDown}[rng.IntN(2)]
					msg = tea.MouseWheelMsg(tea.Mouse{X: rng.IntN(200), Y: rng.IntN(60), Button: btn})
				case r < 85:
					msg = tea.MouseClickMsg(tea.Mouse{X: rng.IntN(200), Y: rng.IntN(60), Button: tea.MouseLeft})
				case r < 90:
					// Timed messages (playhead ticks, debounced saves) in
					// the order they were set; old ones stay to be late.
					ticks = append(ticks, clock.Fire()...)
					if len(ticks) == 0 {
						continue
					}
					k := rng.IntN(len(ticks))
					msg = ticks[k]
					ticks = append(ticks[:k], ticks[k+1:]...)
				case r < 91:
					msg = tea.PasteMsg{Content: "pasted\ttext\n"}
				case r < 92:
					msg = tea.BackgroundColorMsg{Color: whiteColor{}}
				default:
					// Sizes from a fixed set, tiny to huge, so glamour's
					// cache is exercised rather than re-rendering each time.
					sz := sizes[rng.IntN(len(sizes))]
					msg = tea.WindowSizeMsg{Width: sz[0], Height: sz[1]}
				}
				m = drive(t, m, msg)
				// Drawing is the slow part; check after every resize and
				// often enough otherwise to catch any bad state.
				if _, resized := msg.(tea.WindowSizeMsg); resized || i%5 == 0 {
					checkScreen(t, m)
				}
			}
			checkScreen(t, m)
		})
	}
}

// sgrColour finds colour parameters in SGR sequences: 30–37, 38, 39 is a
// reset and allowed, 40–47, 48, 90–97, 100–107.
var sgr = regexp.MustCompile("\x1b\\[([0-9;:]*)m")

func colourSequences(s string) []string {
	var found []string
	for _, match := range sgr.FindAllStringSubmatch(s, -1) {
		params := strings.FieldsFunc(match[1], func(r rune) bool { return r == ';' || r == ':' })
		for _, p := range params {
			n, err := strconv.Atoi(p)
			if err != nil {
				continue
			}
			if (n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				found = append(found, strconv.Quote(match[0]))
				break
			}
		}
	}
	return found
}

// TestNoColor checks that with NoColor neither the model's view nor the
// bytes the program writes carry a colour, on every screen.
func TestNoColor(t *testing.T) {
	cfg := testConfig(t)
	cfg.NoColor = true
	m := start(t, newTest(t, cfg, instantTicks), 140, 40)
	views := []string{m.View().Content}
	for _, k := range []string{"tab", "right", "?", "esc", "m", "esc", "n", "n", "a", "1"} {
		m = drive(t, m, press(k))
		views = append(views, m.View().Content)
	}
	m = drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	views = append(views, m.View().Content)
	for i, v := range views {
		if c := colourSequences(v); len(c) > 0 {
			t.Fatalf("view %d has colour: %v", i, c[:min(3, len(c))])
		}
	}
	// The chosen knob is marked by ▸, not by colour alone.
	m = start(t, newTest(t, cfg, noTicks), 140, 40)
	m = drive(t, m, keys("tab", "down")...)
	if !strings.Contains(screen(m), "▸ Fleet size") {
		t.Fatalf("no marker on the chosen knob:\n%s", screen(m))
	}

	// And through a real program with the options the command passes.
	tm := teatest.NewTestModel(t, newTest(t, cfg, noTicks),
		teatest.WithInitialTermSize(140, 40),
		teatest.WithProgramOptions(append(ProgramOptions(cfg), tea.WithColorProfile(colorprofile.Ascii))...))
	tm.Send(press("tab"))
	tm.Send(press("?"))
	tm.Send(press("esc"))
	tm.Send(press("q"))
	tm.WaitFinished(t)
	out := readAll(t, tm)
	if c := colourSequences(out); len(c) > 0 {
		t.Fatalf("program output has colour: %v", c[:min(3, len(c))])
	}
	if !strings.Contains(out, "Peak") {
		t.Fatalf("program output lacks the simulation pane")
	}
}

// TestColourWhenAllowed makes sure the check above can fail: with colour
// on, the same screens do carry colour.
func TestColourWhenAllowed(t *testing.T) {
	m := start(t, newTest(t, testConfig(t), noTicks), 140, 40)
	if len(colourSequences(m.View().Content)) == 0 {
		t.Fatal("no colour found with colour on; the NoColor test would prove nothing")
	}
}
