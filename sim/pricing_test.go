package sim

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

const pricingShippedPath = "../content/pricing/aws-us-east-1.yaml"

// pricingTestTable parses the table the tour ships with.
func pricingTestTable(t *testing.T) *Pricing {
	t.Helper()
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePricing(data, "aws-us-east-1.yaml")
	if err != nil {
		t.Fatalf("shipped table: %v", err)
	}
	return p
}

func TestPricingShippedTable(t *testing.T) {
	p := pricingTestTable(t)
	if p.Region != "us-east-1" || p.Currency != "USD" || p.AsOf == "" {
		t.Errorf("header: region %q currency %q as_of %q", p.Region, p.Currency, p.AsOf)
	}
	for _, name := range []string{"t3.micro", "t3.medium", "m5.large", "m7g.large", "m7g.xlarge", "c7g.xlarge"} {
		in, ok := p.Instance(name)
		if !ok {
			t.Errorf("instance %s missing", name)
			continue
		}
		if in.Name != name || in.VCPU <= 0 || in.MemoryGiB <= 0 || in.HourlyUSD <= 0 || in.Checked == "" {
			t.Errorf("instance %s incomplete: %+v", name, in)
		}
	}
	if got := p.Instances(); !slices.IsSorted(got) || len(got) < 6 {
		t.Errorf("Instances() = %v, want sorted, at least 6", got)
	}
	if in, _ := p.Instance("c7g.xlarge"); in.Arch != "arm64" || in.VCPU != 4 || in.MemoryGiB != 8 {
		t.Errorf("c7g.xlarge = %+v, want arm64, 4 vCPU, 8 GiB", in)
	}
	if in, _ := p.Instance("m5.large"); in.Arch != "x86_64" || in.HourlyUSD != 0.096 {
		t.Errorf("m5.large = %+v", in)
	}
	want := []string{"api-gateway-http", "api-gateway-rest", "cognito-essentials", "cognito-lite", "cognito-plus",
		"dynamodb-read", "dynamodb-write", "s3-get", "s3-put", "s3-storage", "sqs", "sqs-fifo"}
	if got := p.Services(); !slices.Equal(got, want) {
		t.Errorf("Services() = %v, want %v", got, want)
	}
	// Every figure says how sure it is, so the tour can be honest about it.
	for _, s := range p.Services() {
		if sp := p.ServiceTable[s]; sp.Checked == "" || sp.AsOf == "" {
			t.Errorf("service %s lacks checked or as_of", s)
		}
	}
	for arch, d := range p.Lambda.Duration {
		for i, tier := range d.Tiers {
			if tier.Checked == "" && d.Checked == "" {
				t.Errorf("lambda duration %s tier %d has no checked mark", arch, i)
			}
		}
	}
	if p.EC2.SavingsPlan.Fraction <= 0 || p.EC2.SavingsPlan.Term == "" || p.EC2.SavingsPlan.Source == "" {
		t.Errorf("savings plan incomplete: %+v", p.EC2.SavingsPlan)
	}
}

func TestPricingSource(t *testing.T) {
	p := pricingTestTable(t)
	for section, want := range map[string]string{
		"lambda":       "https://aws.amazon.com/lambda/pricing/",
		"ec2":          "https://aws.amazon.com/ec2/pricing/on-demand/",
		"sqs":          "https://aws.amazon.com/sqs/pricing/",
		"cognito-plus": "https://aws.amazon.com/cognito/pricing/",
		"lambda-tiers": "https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/",
		"no-such":      "",
	} {
		if got := p.Source(section); got != want {
			t.Errorf("Source(%q) = %q, want %q", section, got, want)
		}
	}
}

// TestPricingErrors breaks the shipped table one way at a time and checks
// that the error names the file, the line of the fault and the field.
func TestPricingErrors(t *testing.T) {
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		t.Fatal(err)
	}
	good := string(data)
	cases := []struct {
		name     string
		old, new string // replace the first old with new; the fault is on new's first line
		want     string
	}{
		{"unknown top-level key", "currency: USD", "currency: USD\nbogus: 1", `unknown field "bogus" (known: region, currency`},
		{"unknown nested key", "  requests: {usd: 0.20,", "  requests: {cost: 1, usd: 0.20,", `lambda.requests: unknown field "cost"`},
		{"negative price", "{usd: 0.20, per: 1000000", "{usd: -0.20, per: 1000000", "lambda.requests.usd: -0.20"},
		{"negative instance price", "hourly_usd: 0.096", "hourly_usd: -0.096", "ec2.instances.m5.large.hourly_usd"},
		{"negative free allowance", "    free: 10000\n", "    free: -10000\n", "services.cognito-lite.free"},
		{"missing region", "region: us-east-1", "region: \"\"", "region: missing"},
		{"bad date", "as_of: \"2026-11-27\"\n\nsources", "as_of: \"27/11/2026\"\n\nsources", "as_of: \"27/11/2026\" is not a date"},
		{"bad type", "t3.micro: {vcpu: 2,", "t3.micro: {vcpu: two,", `ec2.instances.t3.micro.vcpu: want a whole number, got string "two"`},
		{"bad arch", "m5.large: {vcpu: 2, memory_gib: 8, arch: x86_64", "m5.large: {vcpu: 2, memory_gib: 8, arch: sparc", "ec2.instances.m5.large.arch"},
		{"discount out of range", "    discount: 0.375", "    discount: 1.5", "ec2.savings_plan.discount"},
		{"tiers out of order", "{up_to: 15000000000, usd: 0.000015", "{up_to: 5000000000, usd: 0.000015", "lambda.duration.x86_64.tiers[1].up_to"},
		{"unknown checked mark", "hourly_usd: 0.0104, checked: secondary", "hourly_usd: 0.0104, checked: vibes", "ec2.instances.t3.micro.checked"},
		{"missing usd", "    usd: 0.023\n", "    usd: 0\n", "services.s3-storage.usd: missing price"},
		{"syntax error (parser)", "  requests: {usd: 0.20,", "  requests: {usd: 0.20,,", "did not find expected node content"},
		{"syntax error (scanner)", "  requests: {usd: 0.20,", "  requests: @{usd: 0.20,", "cannot start any token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i := strings.Index(good, c.old)
			if i < 0 {
				t.Fatalf("test text %q not in the shipped table", c.old)
			}
			bad := good[:i] + c.new + good[i+len(c.old):]
			line := strings.Count(bad[:i], "\n") + 1
			if k := strings.Index(c.new, "\n"); k >= 0 && strings.HasPrefix(c.new, c.old) {
				line += strings.Count(c.new[:len(c.old)+1], "\n") // the fault is on the added line
			}
			_, err := ParsePricing([]byte(bad), "t.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			prefix := fmt.Sprintf("t.yaml:%d: ", line)
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want prefix %q and %q", err, prefix, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
		})
	}
}

func TestPricingEmpty(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n"} {
		if _, err := ParsePricing([]byte(in), "e.yaml"); err == nil || !strings.HasPrefix(err.Error(), "e.yaml") {
			t.Errorf("ParsePricing(%q) error %v, want one naming e.yaml", in, err)
		}
	}
}

func TestPricingUnquotedDate(t *testing.T) {
	data, err := os.ReadFile(pricingShippedPath)
	if err != nil {
		t.Fatal(err)
	}
	// YAML reads a bare 2026-11-27 as a timestamp; the table must still
	// keep the date as written.
	bare := strings.Replace(string(data), `as_of: "2026-11-27"`, "as_of: 2026-11-27", 1)
	p, err := ParsePricing([]byte(bare), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.AsOf != "2026-11-27" {
		t.Errorf("AsOf = %q", p.AsOf)
	}
}
