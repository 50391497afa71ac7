// Package tour is the serverless-tour terminal app: the root Bubble Tea
// model that shows a lesson's prose beside its live simulation, with a
// lesson menu, a quiz, full help and saved progress.
//
// Everything mutable lives in the Model, so one process can serve many
// sessions (the SSH classroom) each with its own model, styles and keys.
//
// The simulation pane is live: a knob change reruns the lesson's scenario
// off the UI loop (one run at a time; results of superseded runs are
// dropped), and a playhead sweeps the run's simulated time in about 12
// seconds, revealing the chart and the figures at that moment. At the end
// the playhead holds, showing the whole run; space replays it, and pauses
// and resumes it otherwise.
package tour

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
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

// Timing of the live simulation.
const (
	// frameEvery is the playhead's tick: smooth enough to read as motion,
	// rare enough to leave the terminal idle most of the time.
	frameEvery = 50 * time.Millisecond
	// sweepFrames is how many ticks the playhead takes to cross a run:
	// 240 × 50 ms = 12 s for a simulated day.
	sweepFrames = 240
	// chartBuckets is how many points each series keeps; more than any
	// terminal is wide, few enough to run in milliseconds.
	chartBuckets = 288
	// saveAfter gathers a burst of knob changes into one write.
	saveAfter = 800 * time.Millisecond
)

// Minimum usable terminal.
const (
	minWidth  = 40
	minHeight = 12
	// wideFrom is the width from which prose and simulation sit side by side.
	wideFrom = 110
	// maxChartHeight caps the chart on very tall screens; up to it, a
	// projected 160x50 tour spends its rows on the chart, not on blanks.
	maxChartHeight = 40
)

// runner runs a scenario; tests put a deterministic fake in its place.
type runner func(sim.Scenario, sim.Options) (sim.Result, error)

// after delivers msg after d; tests deliver at once or never.
type after func(d time.Duration, msg tea.Msg) tea.Cmd

func realAfter(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}

// New builds the tour model. Nothing runs until Init.
func New(cfg Config) Model { return newModel(cfg, sim.Run, realAfter) }

// newModel is New with the engine and the clock supplied, for tests.
func newModel(cfg Config, run runner, later after) Model {
	course := cfg.Course
	if course == nil {
		course = &lessons.Course{}
	}
	progress := cfg.Progress.Clone()
	isDark := cfg.Theme != "light"
	st := NewStyles(isDark, cfg.NoColor)
	keys := DefaultKeyMap()
	m := Model{
		course:   course,
		pricing:  cfg.Pricing,
		progress: progress,
		path:     cfg.ProgressPath,
		theme:    cfg.Theme,
		noColor:  cfg.NoColor,
		isDark:   isDark,
		styles:   st,
		keys:     keys,
		help:     newHelp(st),
		prose:    widgets.NewProse(st.Widgets),
		knobs:    widgets.NewKnobPanel(st.Widgets),
		chart:    widgets.NewChart(st.Widgets),
		stats:    widgets.NewStats(st.Widgets),
		run:      run,
		sweep:    sweepFrames,
		writer:   &progressWriter{},
		after:    later,
	}
	m.prose.Keys = keys.proseKeys()
	m.knobs.Keys = keys.knobKeys()
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
	m.loadLesson()
	m.firstRun = m.startRun()
	return m
}
