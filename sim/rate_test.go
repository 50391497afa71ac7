package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// mod must be math.Mod bit for bit, or a bursty or business-hours load
// would change its arrivals: random times, exact multiples of the period
// and their neighbours one ulp away.
func TestModIsMathMod(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	periods := []float64{day, 1800, 3600, 0.3, 7, 1e-3, 123.456}
	for i := range 500_000 {
		p := periods[i%len(periods)]
		if i%3 == 0 {
			p = rng.Float64() * 1e4
		}
		var x float64
		switch i % 4 {
		case 0:
			x = rng.Float64() * 1e9
		case 1:
			x = float64(rng.IntN(1e7)) * p
		case 2:
			x = math.Nextafter(float64(rng.IntN(1e7))*p, 0)
		default:
			x = math.Nextafter(float64(rng.IntN(1e7))*p, math.Inf(1))
		}
		if a, b := mod(x, p), math.Mod(x, p); math.Float64bits(a) != math.Float64bits(b) {
			t.Fatalf("mod(%v, %v) = %v, math.Mod gives %v", x, p, a, b)
		}
	}
	for _, c := range [][2]float64{{-5, 3}, {5, -3}, {math.Inf(1), 3}, {1e300, 3}, {3, 0}} {
		if a, b := mod(c[0], c[1]), math.Mod(c[0], c[1]); math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Errorf("mod(%v, %v) = %v, math.Mod gives %v", c[0], c[1], a, b)
		}
	}
}

// A spike load's step function gives the rate, bit for bit, that adding
// the spikes in effect one by one gives: at the change points, between
// them, and whether calls move forward, back or jump.
func TestSpikeStepsAddSpikesInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	l := Load{Pattern: "spike", RPS: 0.7}
	for range 200 {
		l.Spikes = append(l.Spikes, Spike{
			At:       Duration(rng.Int64N(int64(20 * 3600e9))),
			Duration: Duration(rng.Int64N(int64(3600e9)) + 1),
			RPS:      rng.Float64() * 100,
		})
	}
	slow := func(t float64) float64 {
		v := l.RPS
		for _, s := range l.Spikes {
			at := seconds(s.At)
			if t >= at && t < at+seconds(s.Duration) {
				v += s.RPS
			}
		}
		return v
	}
	st := newSpikeSteps(&l)
	var ts []float64
	for _, x := range st.from {
		ts = append(ts, x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(1)))
	}
	for range 20000 {
		ts = append(ts, rng.Float64()*24*3600)
	}
	check := func(order string) {
		for _, x := range ts {
			if got, want := st.at(x), slow(x); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("%s: rate at %v = %v, want %v", order, x, got, want)
			}
		}
	}
	check("random")
	slices.Sort(ts)
	check("forward")
	slices.Reverse(ts)
	check("backward")
}

// Drawing a step in parts of any size gives the arrivals of drawing it at
// once, and leaves the stream where one draw would.
func TestDemandInPartsIsOneDraw(t *testing.T) {
	req := Request{Duration: dur("100ms"), Distribution: "lognormal", Sigma: 1}
	whole := newDemand(&req, 9, 1)
	parts := newDemand(&req, 9, 1)
	var want, got []arrival
	for k := range 50 {
		t0, rate := float64(k)*10, float64(k%7)*31.7
		want = whole.tick(t0, 10, rate, want)
		parts.begin(t0, 10, rate)
		for more, limit := true, len(got)+1+k%5; more; limit += 1 + k%5 {
			got, more = parts.next(got, limit)
		}
	}
	if len(want) < 1000 || !slices.Equal(got, want) {
		t.Fatalf("in parts: %d arrivals, at once: %d (or they differ)", len(got), len(want))
	}
	if whole.e != parts.e {
		t.Fatalf("the stream moved on differently: %v against %v", parts.e, whole.e)
	}
}
