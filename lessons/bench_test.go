package lessons

import (
	"testing"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/sim"
)

// BenchmarkLessonRun is what a knob turn costs in each lesson: the run
// the tour makes (priced, with a chart's 288 buckets) at the defaults and
// with every knob at its top, the usual worst case. A re-run should stay
// near 10 ms so the chart follows the keys.
func BenchmarkLessonRun(b *testing.B) {
	c, err := Load(content.FS)
	if err != nil {
		b.Fatal(err)
	}
	p := embeddedPricing(b)
	for _, l := range c.Lessons {
		top := make([]float64, len(l.Knobs))
		for i, k := range l.Knobs {
			top[i] = k.Max
		}
		for _, at := range []struct {
			name string
			vals []float64
		}{{"defaults", l.Defaults()}, {"top", top}} {
			s, err := l.Apply(at.vals)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(l.Slug+"/"+at.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := sim.Run(s, sim.Options{Pricing: p, Series: true, Buckets: 288}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
