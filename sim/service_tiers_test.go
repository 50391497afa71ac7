package sim

import (
	"math"
	"strings"
	"testing"
	"time"
)

// tieredCost is the closed form of a tiered price: each band's rate on the
// units that fall in it.
func tieredCost(units float64, bands [][2]float64) float64 {
	cost, lower := 0.0, 0.0
	for _, b := range bands {
		upper := b[0]
		if upper == 0 {
			upper = math.Inf(1)
		}
		cost += math.Max(0, math.Min(units, upper)-lower) * b[1]
		lower = upper
	}
	return cost
}

var (
	httpBands = [][2]float64{{300e6, 1.00e-6}, {0, 0.90e-6}}
	restBands = [][2]float64{{333e6, 3.50e-6}, {1e9, 2.80e-6}, {20e9, 2.38e-6}, {0, 1.51e-6}}
)

// API Gateway bills its volume tiers: 400 million HTTP API requests are
// $390, not $400 at the first band's rate; a billion REST API requests
// $3,033.10, not $3,500.
func TestAPIGatewayTiers(t *testing.T) {
	p := pricingTestTable(t)
	for _, c := range []struct {
		service string
		units   float64
		want    float64
	}{
		{"api-gateway-http", 400e6, 390.00},
		{"api-gateway-http", 300e6, 300.00},
		{"api-gateway-http", 3e6, 3.00},
		{"api-gateway-rest", 1e9, 3033.10},
		{"api-gateway-rest", 25e9, tieredCost(25e9, restBands)},
	} {
		b, err := p.ServiceBill(c.service, c.units)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(b.RoundedTotal()-c.want) > 0.005 {
			t.Errorf("%s × %g = $%.2f, want $%.2f: %+v", c.service, c.units, b.RoundedTotal(), c.want, b.Items)
		}
	}
	// A span shorter than the month gets its share of every band, as it
	// does of a free allowance: the same rate of use costs the same share.
	share := 24.0 / 730
	b, err := p.serviceBill("api-gateway-http", 400e6*share, share)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(b.TotalUSD-390*share) > 1e-9 {
		t.Errorf("a day at 400M a month: $%.6f, want $%.6f", b.TotalUSD, 390*share)
	}
	// Cognito Lite's bands count every user of the month; the free 10,000
	// come off the first.
	b, err = p.ServiceBill("cognito-lite", 2e6)
	if err != nil {
		t.Fatal(err)
	}
	if want := 90_000*0.0055 + 900_000*0.0046 + 1e6*0.00325; math.Abs(b.TotalUSD-want) > 1e-6 || !strings.Contains(b.Items[0].Item, "after 10,000 MAU free") {
		t.Errorf("cognito-lite × 2M = %.4f, want %.4f: %+v", b.TotalUSD, want, b.Items)
	}
}

// The tiers hold when a scenario's service bills them: a month of about
// 400,000 requests, each making 1,000 API calls, costs the closed form of
// the calls it made, near $390 (not $400).
func TestScenarioServiceTiers(t *testing.T) {
	p := testPricing(t)
	for _, c := range []struct {
		service string
		per     float64
		bands   [][2]float64
		near    float64
	}{
		{"api-gateway-http", 1000, httpBands, 390},
		{"api-gateway-rest", 2500, restBands, 3033.10},
	} {
		month := Duration(730 * time.Hour)
		s := Scenario{
			Name: "tiers", Seed: 7, Duration: month, Step: Duration(time.Hour),
			Load:     Load{Pattern: "constant", RPS: 400_000 / (730 * 3600.0)},
			Request:  Request{Duration: Duration(100 * time.Millisecond)},
			Targets:  []Target{{Name: "fn", Kind: "function"}},
			Services: []Service{{Name: c.service, Per: c.per}},
		}
		res, err := Run(s, Options{Pricing: p})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Targets[0]
		calls := float64(r.Requests) * c.per
		got := 0.0
		for _, it := range r.Bill {
			if strings.HasPrefix(it.Item, "API Gateway") {
				got += it.AmountUSD
			}
		}
		if want := tieredCost(calls, c.bands); math.Abs(got-want) > 1e-6 {
			t.Errorf("%s: %d requests × %g calls billed $%.4f, want $%.4f", c.service, r.Requests, c.per, got, want)
		}
		if math.Abs(got-c.near) > 0.01*c.near {
			t.Errorf("%s: $%.2f is not near $%.2f", c.service, got, c.near)
		}
	}
}
