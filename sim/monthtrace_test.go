package sim

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

var updateTrace = flag.Bool("update-trace", false, "rewrite content/scenarios/month-api.csv from its generator")

const monthTraceFile = "../content/scenarios/month-api.csv"

// monthTrace generates month-api.csv: 30 days of an API's request counts
// every 5 minutes (CloudWatch's basic-monitoring period), averaging 100
// requests a second. A day swings from 45 % to 100 % of its peak at 14:00,
// Saturdays run at 70 % and Sundays at 60 %, each 5 minutes carries a few
// per cent of noise, a launch on day 9 triples the traffic from 12:00 for
// 30 minutes, and an upstream fault on day 20 cuts it to a fifth for 15.
// A fixed seed makes it the same file every time.
func monthTrace() []byte {
	const (
		days   = 30
		period = 5 * time.Minute
		mean   = 100.0 // req/s
	)
	rng := rand.New(rand.NewPCG(2025, 3))
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC) // a Monday
	n := int(days * 24 * time.Hour / period)
	rates := make([]float64, n)
	sum := 0.0
	for i := range rates {
		t := time.Duration(i) * period
		day := int(t / (24 * time.Hour))
		tod := (t % (24 * time.Hour)).Hours()
		r := 0.45 + 0.55*(1+math.Cos(2*math.Pi*(tod-14)/24))/2
		switch day % 7 {
		case 5:
			r *= 0.7
		case 6:
			r *= 0.6
		}
		r *= math.Exp(0.05 * rng.NormFloat64())
		if day == 9 && tod >= 12 && tod < 12.5 {
			r *= 3
		}
		if day == 20 && tod >= 3 && tod < 3.25 {
			r *= 0.2
		}
		rates[i] = r
		sum += r
	}
	var b bytes.Buffer
	b.WriteString("timestamp,requests\n")
	scale := mean * float64(n) / sum
	for i, r := range rates {
		ts := start.Add(time.Duration(i) * period).Format(time.RFC3339)
		fmt.Fprintf(&b, "%s,%d\n", ts, int64(math.Round(r*scale*period.Seconds())))
	}
	return b.Bytes()
}

// The committed trace is what its generator writes: regenerate it with
// `go test ./sim -run TestMonthTrace -update-trace`.
func TestMonthTrace(t *testing.T) {
	want := monthTrace()
	if *updateTrace {
		if err := os.WriteFile(monthTraceFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(monthTraceFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from its generator; rerun with -update-trace", monthTraceFile)
	}
	if len(got) > 1<<20 {
		t.Errorf("%s is %d bytes; keep it under 1 MB", monthTraceFile, len(got))
	}
}
