// Package tour is the serverless-tour terminal app: the root Bubble Tea
// model that shows a lesson's prose beside its live simulation, with a
// lesson menu, a quiz, full help and saved progress.
//
// The root model routes: sizes go to every child, keys to the open
// overlay or the focused pane, and each child's messages back to it. The
// simulation pane (simpane), the overlays (overlay) and the prose
// (widgets.Prose) are models of their own; the root holds only what is
// global: the course, the learner's progress, the theme, the focus and
// which overlay is open. Everything mutable lives in the Model, so one
// process can serve many sessions (the SSH classroom), each with its own
// model, styles and keys.
package tour

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour/overlay"
	"github.com/serverless-tour/serverless-tour/tour/simpane"
	"github.com/serverless-tour/serverless-tour/tour/theme"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// Config is what the command line hands the tour.
type Config struct {
	Course       *lessons.Course
	Pricing      *sim.Pricing // nil: costs read zero and say so
	Progress     lessons.Progress
	ProgressPath string // "" means progress is kept in memory only
	Start        int    // lesson index, or -1 to resume from Progress.Last
	Theme        string // auto|dark|light
	NoColor      bool   // no colour escapes at all; markers carry meaning
	Warning      string // shown in the footer at the start, e.g. why progress is not saved
	Seed         uint64 // every simulation's seed; 0 keeps each scenario's own
	Room         RoomConfig
}

// ProgramOptions are the Bubble Tea options the tour needs: with NoColor
// the colour profile is fixed to ASCII, so the renderer drops every colour
// (bold and reverse remain) whatever the terminal claims.
func ProgramOptions(cfg Config) []tea.ProgramOption {
	if cfg.NoColor {
		return []tea.ProgramOption{tea.WithColorProfile(colorprofile.Ascii)}
	}
	return nil
}

// saveAfter gathers a burst of knob changes into one write.
const saveAfter = 800 * time.Millisecond

// Layout limits.
const (
	minWidth  = 40
	minHeight = 12
	// wideFrom is the width from which prose and simulation sit side by side.
	wideFrom = 110
)

func realClock(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// New builds the tour model. Nothing runs until Init.
func New(cfg Config) Model { return newModel(cfg, sim.Run, realClock) }

// newModel is New with the engine and the clock supplied, for tests.
func newModel(cfg Config, run simpane.Runner, clock simpane.Clock) Model {
	course := cfg.Course
	if course == nil {
		course = &lessons.Course{}
	}
	progress := cfg.Progress.Clone()
	isDark := cfg.Theme != "light"
	st := theme.New(isDark, cfg.NoColor)
	keys := DefaultKeyMap()
	m := Model{
		course:   course,
		progress: progress,
		saver:    &saver{path: cfg.ProgressPath},
		clock:    clock,
		theme:    cfg.Theme,
		noColor:  cfg.NoColor,
		isDark:   isDark,
		styles:   st,
		keys:     &keys,
		help:     newHelp(st, 0),
		prose:    widgets.NewProse(st.Widgets, keys.Prose),
		sim:      simpane.New(st, keys.Sim, run, clock, cfg.Pricing),
		menu:     overlay.NewMenu(st, keys.MenuBox),
		quiz:     overlay.NewQuiz(st, keys.QuizBox),
		keyHelp:  overlay.NewKeyHelp(st, keys.HelpBox),
		closing:  overlay.NewClosing(st, keys.Closing),
		run:      run,
		pricing:  cfg.Pricing,
		status:   cfg.Warning,
		room:     newRoom(cfg.Room),
	}
	m.sim.SetSeed(cfg.Seed)
	start := cfg.Start
	if start < 0 {
		start = 0
		for i, l := range course.Lessons {
			if l.Slug == progress.Last() {
				start = i
			}
		}
	}
	m.idx = max(0, min(start, len(course.Lessons)-1))
	if l, ok := m.lesson(); ok {
		m.progress.Open(l.Slug)
	}
	m.firstRun = m.loadLesson()
	return m
}
