package sim

import (
	"math"
	"strings"
	"testing"
)

// cents compares money to the cent without float noise.
func billCents(usd float64) int64 { return int64(math.Round(usd * 100)) }

// TestLambdaBillWorkedExamples reproduces the worked examples on AWS's
// Lambda pricing page (facts.md), line by line and in total, to the cent.
func TestLambdaBillWorkedExamples(t *testing.T) {
	p := pricingTestTable(t)
	const ms = int64(1)
	cases := []struct {
		name  string
		u     LambdaUsage
		lines []float64 // each line as the page rounds it, in bill order
		total float64
	}{
		{"1: 3M × 120 ms at 1536 MB, free tier",
			LambdaUsage{MemoryMB: 1536, Requests: 3_000_000, BilledMS: 3_000_000 * 120 * ms, FreeTier: true},
			[]float64{0.40, 2.33}, 2.73},
		{"2: 7.44M × 2 s at 1 GB",
			LambdaUsage{MemoryMB: 1024, Requests: 7_440_000, BilledMS: 7_440_000 * 2000 * ms},
			[]float64{1.49, 248.00}, 249.49},
		{"3: 6M × 280 ms at 4 GB, 2 GB ephemeral, free tier",
			LambdaUsage{MemoryMB: 4096, Requests: 6_000_000, BilledMS: 6_000_000 * 280 * ms, EphemeralMB: 2048, FreeTier: true},
			[]float64{1.00, 105.33, 0.08}, 106.41},
		// The page's example 4 takes the free tier off the on-demand part
		// only; provisioned concurrency and the requests it served pay in full.
		{"4: 100 provisioned × 8 h at 1536 MB, 500k on it, 2.5M on demand, free tier",
			LambdaUsage{MemoryMB: 1536, Requests: 3_000_000, BilledMS: 2_500_000 * 120 * ms,
				ProvisionedCount: 100, ProvisionedSeconds: 8 * 3600, ProvisionedBilledMS: 500_000 * 100 * ms, FreeTier: true},
			[]float64{0.40, 0.83, 18.00, 0.73}, 19.96},
		{"5: 7 provisioned × 24 h at 4 GB, 2M × 280 ms on it",
			LambdaUsage{MemoryMB: 4096, Requests: 2_000_000,
				ProvisionedCount: 7, ProvisionedSeconds: 24 * 3600, ProvisionedBilledMS: 2_000_000 * 280 * ms},
			[]float64{0.40, 0, 10.08, 21.78}, 32.26},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := p.LambdaBill(c.u)
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Items) != len(c.lines) {
				t.Fatalf("%d lines, want %d: %+v", len(b.Items), len(c.lines), b.Items)
			}
			for i, it := range b.Items {
				if billCents(it.AmountUSD) != billCents(c.lines[i]) {
					t.Errorf("line %q = %.6f, want %.2f", it.Item, it.AmountUSD, c.lines[i])
				}
			}
			if got := b.RoundedTotal(); billCents(got) != billCents(c.total) {
				t.Errorf("RoundedTotal = %.2f, want %.2f", got, c.total)
			}
			sum := 0.0
			for _, it := range b.Items {
				sum += it.AmountUSD
			}
			if math.Abs(sum-b.TotalUSD) > 1e-9 {
				t.Errorf("TotalUSD %.9f is not the sum of the items %.9f", b.TotalUSD, sum)
			}
		})
	}
}

// TestLambdaBillOlderPageExample checks the arithmetic against the older
// edition of the page, with its own rate: $18.34 + $0.40 = $18.74.
func TestLambdaBillOlderPageExample(t *testing.T) {
	p := pricingTestTable(t)
	d := p.Lambda.Duration["x86_64"]
	d.Tiers = []Tier{{USD: 0.00001667}}
	p.Lambda.Duration = map[string]TieredPrice{"x86_64": d, "arm64": p.Lambda.Duration["arm64"]}
	b, err := p.LambdaBill(LambdaUsage{MemoryMB: 512, Requests: 3_000_000, BilledMS: 3_000_000 * 1000, FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	if billCents(b.RoundedTotal()) != 1874 {
		t.Errorf("total %.2f, want 18.74: %+v", b.RoundedTotal(), b.Items)
	}
}

func TestLambdaBillWording(t *testing.T) {
	p := pricingTestTable(t)
	b, err := p.LambdaBill(LambdaUsage{MemoryMB: 1536, Requests: 3_000_000, BilledMS: 360_000_000})
	if err != nil {
		t.Fatal(err)
	}
	r := b.Items[0]
	if r.Item != "Lambda requests" || r.Quantity != 3_000_000 || r.Unit != "requests" || math.Abs(r.UnitPrice-0.0000002) > 1e-15 {
		t.Errorf("requests line = %+v", r)
	}
	if d := b.Items[1]; d.Item != "Lambda duration (x86_64)" || d.Unit != "GB-s" || d.Quantity != 540_000 {
		t.Errorf("duration line = %+v", d)
	}
	b, _ = p.LambdaBill(LambdaUsage{MemoryMB: 1536, Requests: 3_000_000, BilledMS: 360_000_000, FreeTier: true})
	if !strings.Contains(b.Items[0].Item, "after 1,000,000 free") || !strings.Contains(b.Items[1].Item, "after 400,000 GB-s free") {
		t.Errorf("free tier not named: %q, %q", b.Items[0].Item, b.Items[1].Item)
	}
}

// TestLambdaBillTiers crosses the monthly GB-s bands: 6 and 15 billion
// for x86, 7.5 and 18.75 billion for Arm.
func TestLambdaBillTiers(t *testing.T) {
	p := pricingTestTable(t)
	gbsToMS := func(gbs float64) int64 { return int64(gbs * 1000) } // at 1024 MB, 1 ms = 0.001 GB-s
	cases := []struct {
		arch  string
		gbs   float64
		lines []float64
		words []string
	}{
		{"x86_64", 6e9, []float64{6e9 * 0.0000166667}, []string{"Lambda duration (x86_64)"}},
		{"x86_64", 7e9, []float64{6e9 * 0.0000166667, 1e9 * 0.000015},
			[]string{"first 6 billion GB-s", "next 9 billion GB-s"}},
		{"x86_64", 20e9, []float64{6e9 * 0.0000166667, 9e9 * 0.000015, 5e9 * 0.0000133334},
			[]string{"first 6 billion", "next 9 billion", "over 15 billion"}},
		{"arm64", 7.5e9, []float64{7.5e9 * 0.0000133334}, []string{"Lambda duration (arm64)"}},
		{"arm64", 20e9, []float64{7.5e9 * 0.0000133334, 11.25e9 * 0.0000120001, 1.25e9 * 0.0000106667},
			[]string{"first 7.5 billion", "next 11.25 billion", "over 18.75 billion"}},
	}
	for _, c := range cases {
		b, err := p.LambdaBill(LambdaUsage{Arch: c.arch, MemoryMB: 1024, BilledMS: gbsToMS(c.gbs)})
		if err != nil {
			t.Fatal(err)
		}
		dur := b.Items[1:] // after the requests line
		if len(dur) != len(c.lines) {
			t.Fatalf("%s %.3g GB-s: %d duration lines, want %d: %+v", c.arch, c.gbs, len(dur), len(c.lines), dur)
		}
		for i, it := range dur {
			if math.Abs(it.AmountUSD-c.lines[i]) > 1e-6 {
				t.Errorf("%s %.3g GB-s line %d = %.6f, want %.6f", c.arch, c.gbs, i, it.AmountUSD, c.lines[i])
			}
			if !strings.Contains(it.Item, c.words[i]) {
				t.Errorf("line %q does not say %q", it.Item, c.words[i])
			}
		}
	}
}

func TestLambdaBillProvisionedBlocks(t *testing.T) {
	p := pricingTestTable(t)
	rate := p.Lambda.Provisioned["x86_64"].Concurrency.UnitUSD()
	for _, c := range []struct{ secs, billed float64 }{
		{1, 300}, {300, 300}, {301, 600}, {8*3600 + 1e-7, 8 * 3600}, {3599, 3600},
	} {
		b, err := p.LambdaBill(LambdaUsage{MemoryMB: 1024, ProvisionedCount: 2, ProvisionedSeconds: c.secs})
		if err != nil {
			t.Fatal(err)
		}
		pc := b.Items[len(b.Items)-1]
		if pc.Quantity != 2*c.billed || math.Abs(pc.AmountUSD-2*c.billed*rate) > 1e-12 {
			t.Errorf("%v s configured: %+v, want %v GB-s billed", c.secs, pc, 2*c.billed)
		}
	}
}

func TestLambdaBillFreeTierCoversAll(t *testing.T) {
	p := pricingTestTable(t)
	b, err := p.LambdaBill(LambdaUsage{Arch: "arm64", MemoryMB: 128, Requests: 1000, BilledMS: 1000 * 50, FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	if b.TotalUSD != 0 || len(b.Items) != 2 {
		t.Errorf("inside the free tier: %+v", b)
	}
	// The 512 MB of /tmp every function has is free: no storage line.
	b, _ = p.LambdaBill(LambdaUsage{MemoryMB: 128, Requests: 10, BilledMS: 10, EphemeralMB: 512})
	for _, it := range b.Items {
		if strings.Contains(it.Item, "ephemeral") {
			t.Errorf("free ephemeral storage billed: %+v", it)
		}
	}
}

func TestLambdaBillRejects(t *testing.T) {
	p := pricingTestTable(t)
	for name, u := range map[string]LambdaUsage{
		"arch":              {Arch: "sparc", MemoryMB: 128},
		"memory low":        {MemoryMB: 64},
		"memory high":       {MemoryMB: 10241},
		"ephemeral":         {MemoryMB: 128, EphemeralMB: 100},
		"negative requests": {MemoryMB: 128, Requests: -1},
		"negative ms":       {MemoryMB: 128, BilledMS: -1},
		"negative seconds":  {MemoryMB: 128, ProvisionedCount: 1, ProvisionedSeconds: -1},
		"NaN seconds":       {MemoryMB: 128, ProvisionedCount: 1, ProvisionedSeconds: math.NaN()},
		"pc ms, no pc":      {MemoryMB: 128, ProvisionedBilledMS: 10},
	} {
		if _, err := p.LambdaBill(u); err == nil {
			t.Errorf("%s: no error for %+v", name, u)
		}
	}
}

func TestEC2Bill(t *testing.T) {
	p := pricingTestTable(t)
	b, err := p.EC2Bill(EC2Usage{Instance: "m5.large", Count: 1, InstanceSeconds: 730 * 3600})
	if err != nil {
		t.Fatal(err)
	}
	if billCents(b.TotalUSD) != 7008 || billCents(b.RoundedTotal()) != 7008 {
		t.Errorf("m5.large 730 h = %.4f, want 70.08", b.TotalUSD)
	}
	it := b.Items[0]
	if it.Quantity != 730 || it.Unit != "instance-hours" || it.UnitPrice != 0.096 || !strings.Contains(it.Item, "m5.large") {
		t.Errorf("line = %+v", it)
	}

	// Three VMs for 10 hours each at a savings-plan rate.
	b, err = p.EC2Bill(EC2Usage{Instance: "m5.large", Purchase: "savings-plan", Count: 3, InstanceSeconds: 3 * 10 * 3600})
	if err != nil {
		t.Fatal(err)
	}
	want := 30 * 0.096 * (1 - p.EC2.SavingsPlan.Fraction)
	if math.Abs(b.TotalUSD-want) > 1e-9 || !strings.Contains(b.Items[0].Item, "Savings Plan") || !strings.Contains(b.Items[0].Item, "3 × m5.large") {
		t.Errorf("savings plan: %+v, want %.4f", b, want)
	}

	_, err = p.EC2Bill(EC2Usage{Instance: "m9.huge", InstanceSeconds: 1})
	if err == nil || !strings.Contains(err.Error(), "c7g.xlarge, m5.large, m7g.large") {
		t.Errorf("unknown instance error %v should list the known ones", err)
	}
	if _, err := p.EC2Bill(EC2Usage{Instance: "m5.large", Purchase: "spot"}); err == nil {
		t.Error("unknown purchase option accepted")
	}
	if _, err := p.EC2Bill(EC2Usage{Instance: "m5.large", InstanceSeconds: -1}); err == nil {
		t.Error("negative seconds accepted")
	}
}

func TestServiceBill(t *testing.T) {
	p := pricingTestTable(t)
	cases := []struct {
		service string
		units   float64
		total   float64
		free    string // text the line must carry about a free allowance
	}{
		{"api-gateway-http", 3_000_000, 3.00, ""},
		{"api-gateway-rest", 3_000_000, 10.50, ""},
		{"dynamodb-read", 10_000_000, 1.25, ""},
		{"dynamodb-write", 10_000_000, 6.25, ""},
		{"sqs", 3_000_000, 0.80, "after 1,000,000 requests free each month"},
		{"sqs", 400_000, 0, "free"},
		{"sqs-fifo", 3_000_000, 1.00, "after 1,000,000 requests free"},
		{"s3-put", 100_000, 0.50, ""},
		{"s3-get", 1_000_000, 0.40, ""},
		{"s3-storage", 100, 2.30, ""},
		{"cognito-lite", 50_000, 220.00, "after 10,000 MAU free"},
		{"cognito-essentials", 50_000, 600.00, "after 10,000 MAU free"},
		{"cognito-plus", 50_000, 1000.00, ""},
	}
	tested := map[string]bool{}
	for _, c := range cases {
		tested[c.service] = true
		b, err := p.ServiceBill(c.service, c.units)
		if err != nil {
			t.Errorf("%s: %v", c.service, err)
			continue
		}
		if billCents(b.TotalUSD) != billCents(c.total) {
			t.Errorf("%s × %v = %.4f, want %.2f", c.service, c.units, b.TotalUSD, c.total)
		}
		it := b.Items[0]
		if c.free != "" && !strings.Contains(it.Item, c.free) {
			t.Errorf("%s line %q does not say %q", c.service, it.Item, c.free)
		}
		if c.free == "" && strings.Contains(it.Item, "free") {
			t.Errorf("%s line %q claims a free allowance", c.service, it.Item)
		}
	}
	for _, s := range p.Services() {
		if !tested[s] {
			t.Errorf("service %s has no test case", s)
		}
	}
	if _, err := p.ServiceBill("carrier-pigeon", 1); err == nil || !strings.Contains(err.Error(), "sqs-fifo") {
		t.Errorf("unknown service error %v should list the known ones", err)
	}
	if _, err := p.ServiceBill("sqs", -1); err == nil {
		t.Error("negative units accepted")
	}
}

func TestBillRounding(t *testing.T) {
	// Two lines of 0.4 cents: AWS-style rounding shows 0.00 for each and
	// for the total, while the full-precision total keeps 0.8 cents.
	b := Bill{}
	b.add("a", 1, "x", 0.004)
	b.add("b", 1, "x", 0.004)
	if b.RoundedTotal() != 0 || math.Abs(b.TotalUSD-0.008) > 1e-15 {
		t.Errorf("RoundedTotal %v TotalUSD %v", b.RoundedTotal(), b.TotalUSD)
	}
	if RoundCents(0.125) != 0.13 || RoundCents(2.333338) != 2.33 || RoundCents(1.488) != 1.49 {
		t.Error("RoundCents")
	}
	sum := b.Plus(Bill{Items: []BillItem{{AmountUSD: 1}}, TotalUSD: 1})
	if len(sum.Items) != 3 || math.Abs(sum.TotalUSD-1.008) > 1e-12 || len(b.Items) != 2 {
		t.Errorf("Plus: %+v (b now %+v)", sum, b)
	}
}
