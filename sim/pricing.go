package sim

import (
	"maps"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Pricing is a dated price table (content/pricing/*.yaml). It is data only:
// the bills in bill.go turn usage into money with it. Its `range` tags
// bound each number to what a real price list could hold (a zero means
// "not given" and is left to pricing_check.go), so that a typo or a hostile
// table cannot turn a bill into infinity.
type Pricing struct {
	Region   string `yaml:"region"`
	Currency string `yaml:"currency"`
	// AsOf is the date (YYYY-MM-DD) the whole table was last checked; the
	// tour shows it wherever it shows money.
	AsOf string `yaml:"as_of"`
	// Sources names every page the table was checked against.
	Sources byName[string] `yaml:"sources"`

	Lambda LambdaPrices `yaml:"lambda"`
	EC2    EC2Prices    `yaml:"ec2"`
	// ServiceTable holds the services priced beside compute, keyed by the
	// names ServiceBill accepts (api-gateway-http, sqs, ...).
	ServiceTable byName[ServicePrice] `yaml:"services"`
}

// Price is USD for every Per units of Unit (Per defaults to 1), so a table
// can say "$0.20 per 1,000,000 requests" the way the provider's page does.
type Price struct {
	USD  float64 `yaml:"usd" range:"1e-10..1e6"`
	Per  float64 `yaml:"per,omitempty" range:"1..1e12"`
	Unit string  `yaml:"unit"`
	// Checked says how sure the figure is: primary (read on the provider's
	// own page), secondary (third-party pages only), computed, unconfirmed.
	Checked string `yaml:"checked,omitempty"`
	Source  string `yaml:"source,omitempty"`
	Note    string `yaml:"note,omitempty"`
}

// UnitUSD is the price of one Unit.
func (p Price) UnitUSD() float64 {
	if p.Per == 0 {
		return p.USD
	}
	return p.USD / p.Per
}

// Tier is one band of a tiered price: USD for every Per units (Per
// defaults to 1) of the usage up to UpTo units a month (cumulative; 0 on
// the last tier means no upper bound).
type Tier struct {
	UpTo    float64 `yaml:"up_to,omitempty" range:"1..1e18"`
	USD     float64 `yaml:"usd" range:"1e-10..1e6"`
	Per     float64 `yaml:"per,omitempty" range:"1..1e12"`
	Checked string  `yaml:"checked,omitempty"`
	Note    string  `yaml:"note,omitempty"`
}

// UnitUSD is the tier's price of one unit.
func (t Tier) UnitUSD() float64 {
	if t.Per == 0 {
		return t.USD
	}
	return t.USD / t.Per
}

// TieredPrice is a price that falls as monthly usage grows.
type TieredPrice struct {
	Unit    string `yaml:"unit"`
	Tiers   []Tier `yaml:"tiers"`
	Checked string `yaml:"checked,omitempty"`
	Source  string `yaml:"source,omitempty"`
	Note    string `yaml:"note,omitempty"`
}

// LambdaPrices are AWS Lambda's prices; the maps are keyed by architecture
// (x86_64, arm64).
type LambdaPrices struct {
	Source      string                   `yaml:"source"`
	AsOf        string                   `yaml:"as_of"`
	Requests    Price                    `yaml:"requests"`
	Duration    byName[TieredPrice]      `yaml:"duration"`
	Provisioned byName[ProvisionedPrice] `yaml:"provisioned"`
	FreeTier    LambdaFreeTier           `yaml:"free_tier"`
	Ephemeral   EphemeralPrice           `yaml:"ephemeral_storage"`
}

// ProvisionedPrice is provisioned concurrency: Concurrency is charged per
// GB-s while configured, Duration per GB-s of requests it serves.
type ProvisionedPrice struct {
	Concurrency Price `yaml:"concurrency"`
	Duration    Price `yaml:"duration"`
}

// LambdaFreeTier is the monthly allowance that never expires.
type LambdaFreeTier struct {
	Requests  float64 `yaml:"requests" range:"0..1e12"`
	GBSeconds float64 `yaml:"gb_seconds" range:"0..1e12"`
	Checked   string  `yaml:"checked,omitempty"`
	Source    string  `yaml:"source,omitempty"`
	Note      string  `yaml:"note,omitempty"`
}

// EphemeralPrice is /tmp storage configured above FreeMB, per GB-s.
type EphemeralPrice struct {
	Price  `yaml:",inline"`
	FreeMB int `yaml:"free_mb" range:"0..10240"`
}

// EC2Prices are on-demand Linux instance prices and one discounted
// purchase option.
type EC2Prices struct {
	Source string `yaml:"source"`
	AsOf   string `yaml:"as_of"`
	// MinimumSeconds is billed for every instance start (per-second billing).
	MinimumSeconds float64          `yaml:"minimum_seconds" range:"0..3600"`
	InstanceTable  byName[Instance] `yaml:"instances"`
	SavingsPlan    Discount         `yaml:"savings_plan"`
}

// Instance is one EC2 instance type.
type Instance struct {
	Name      string  `yaml:"-"`
	VCPU      int     `yaml:"vcpu" range:"1..100000"`
	MemoryGiB float64 `yaml:"memory_gib" range:"0.001..1e6"`
	HourlyUSD float64 `yaml:"hourly_usd" range:"1e-6..1e5"`
	Arch      string  `yaml:"arch"`
	Checked   string  `yaml:"checked,omitempty"`
	Source    string  `yaml:"source,omitempty"`
	Note      string  `yaml:"note,omitempty"`
}

// Discount is a commitment discount off the on-demand price, as a fraction.
type Discount struct {
	Fraction float64 `yaml:"discount"`
	Plan     string  `yaml:"plan"`
	Term     string  `yaml:"term"`
	Payment  string  `yaml:"payment"`
	Checked  string  `yaml:"checked,omitempty"`
	Source   string  `yaml:"source,omitempty"`
	Note     string  `yaml:"note,omitempty"`
}

// ServicePrice is a service billed per unit beside compute: one price
// (USD per Per units), or Tiers that fall as the month's usage grows. Free
// is the always-free monthly allowance in Unit (0 when the service has
// none, or only a 12-month new-account offer); it covers the first units
// of the month, so it comes off the first tier.
type ServicePrice struct {
	Item  string `yaml:"item"`
	AsOf  string `yaml:"as_of"`
	Price `yaml:",inline"`
	Tiers []Tier  `yaml:"tiers,omitempty"`
	Free  float64 `yaml:"free,omitempty" range:"0..1e15"`
}

// byName is a table of named entries: instance types, services, sources.
// It decodes entry by entry, because yaml.v3's decoder compares every key
// of a mapping with every other (quadratic in a table of thousands); the
// strict check has refused repeated names already.
type byName[V any] map[string]V

func (m *byName[V]) UnmarshalYAML(n *yaml.Node) error {
	out := make(byName[V], len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		var v V
		if err := n.Content[i+1].Decode(&v); err != nil {
			return err
		}
		out[resolveAlias(n.Content[i]).Value] = v
	}
	*m = out
	return nil
}

// Instances lists the instance types the table prices, sorted.
func (p *Pricing) Instances() []string { return slices.Sorted(maps.Keys(p.EC2.InstanceTable)) }

// Instance looks an instance type up.
func (p *Pricing) Instance(name string) (Instance, bool) {
	in, ok := p.EC2.InstanceTable[name]
	return in, ok
}

// Services lists the services ServiceBill prices, sorted.
func (p *Pricing) Services() []string { return slices.Sorted(maps.Keys(p.ServiceTable)) }

// Source is the page to cite beside money for a section: "lambda", "ec2",
// a service name, or any key of the table's sources.
func (p *Pricing) Source(section string) string {
	switch section {
	case "lambda":
		return p.Lambda.Source
	case "ec2":
		return p.EC2.Source
	}
	if s, ok := p.ServiceTable[section]; ok && s.Source != "" {
		return s.Source
	}
	return p.Sources[section]
}
