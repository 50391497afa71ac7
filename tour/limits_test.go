package tour

import (
	"testing"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/widgets"
)

// Lint lets a lesson ask for lessons.MaxChartLines lines; the chart must
// draw that many, or a linted lesson would lose lines on screen.
func TestChartDrawsEveryLineLintAllows(t *testing.T) {
	if lessons.MaxChartLines > widgets.MaxSeries {
		t.Fatalf("lint allows %d chart lines, the chart draws %d", lessons.MaxChartLines, widgets.MaxSeries)
	}
}
