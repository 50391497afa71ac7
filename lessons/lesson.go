// Package lessons is the lesson model: lesson files with front matter, the
// course they make, quizzes and the learner's progress.
//
// A content folder holds lessons/NN-slug.md and scenarios/<name>.yaml. A
// lesson file is YAML front matter between two "---" lines, then markdown:
//
//	---
//	title: Idle capacity                   # required
//	summary: One sentence for the menu.
//	scenario: lesson-idle               # scenarios/lesson-idle.yaml, required
//	knobs:                                 # each drives one scenario field (sim.Scenario.Set paths)
//	  - {label: Fleet size, field: targets.fleet.count, min: 1, max: 10, step: 1, coarse: 2, default: 3, unit: VMs}
//	chart: {show: [load, capacity, busy], targets: [fleet], stats: [utilization, cost_usd]}
//	quiz:
//	  - {prompt: ..., choices: [..., ...], answer: 1, explain: ...}
//	---
//
// Unknown keys are errors. Load applies every knob at both ends of its
// range, and (up to six knobs) every combination of ends, so that a learner
// cannot turn the knobs into an invalid scenario. SeriesNames and Stats list
// what chart.show and chart.stats accept.
package lessons

import "github.com/serverless-tour/serverless-tour/sim"

// Lesson is one step of the tour: prose beside a live simulation.
type Lesson struct {
	Number   int    // from the NN- prefix of the file name
	Slug     string // the file name without NN- and .md
	Title    string
	Summary  string
	Prose    string // markdown body, front matter removed
	Source   string // path of the file, for messages
	Scenario sim.Scenario
	Knobs    []Knob
	Chart    Chart
	Quiz     []Question
	// Challenge is the goal the learner reaches by turning the knobs;
	// nil for a lesson without one.
	Challenge *Challenge
	// Forecasts are the guesses asked before the run is revealed.
	Forecasts []Forecast
	// Notes are the instructor's notes, from <!-- instructor: … -->
	// comments: never shown to a learner.
	Notes []string
}

// Knob is one adjustable input of a lesson's simulation.
type Knob struct {
	Label   string
	Unit    string
	Min     float64
	Max     float64
	Step    float64 // fine step
	Coarse  float64 // coarse step (default 10 × Step)
	Default float64
	Field   string // scenario path, e.g. "targets.fleet.count"
}

// Chart says what a lesson's simulation pane draws.
type Chart struct {
	// Show lists series to draw: "load", "capacity", "busy", "instances",
	// "queue", "rejected", "cold_starts", "p99", "cost".
	Show []string
	// Targets limits the chart to these target names (all when empty).
	Targets []string
	// Stats lists summary figures to show beside the chart, by JSON name
	// ("cost_usd", "latency_s.p99", "cold_starts", "utilization", ...).
	Stats []string
}

// Question is one multiple-choice quiz question.
type Question struct {
	Prompt  string
	Choices []string
	Answer  int    // index into Choices
	Explain string // shown after answering
}
