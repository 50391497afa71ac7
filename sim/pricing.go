package sim

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Pricing is a dated price table (content/pricing/*.yaml). It is data only:
// the bills in bill.go turn usage into money with it.
type Pricing struct {
	Region   string `yaml:"region"`
	Currency string `yaml:"currency"`
	// AsOf is the date (YYYY-MM-DD) the whole table was last checked; the
	// tour shows it wherever it shows money.
	AsOf string `yaml:"as_of"`
	// Sources names every page the table was checked against.
	Sources map[string]string `yaml:"sources"`

	Lambda LambdaPrices `yaml:"lambda"`
	EC2    EC2Prices    `yaml:"ec2"`
	// ServiceTable holds the services priced beside compute, keyed by the
	// names ServiceBill accepts (api-gateway-http, sqs, ...).
	ServiceTable map[string]ServicePrice `yaml:"services"`
}

// Price is USD for every Per units of Unit (Per defaults to 1), so a table
// can say "$0.20 per 1,000,000 requests" the way the provider's page does.
type Price struct {
	USD  float64 `yaml:"usd"`
	Per  float64 `yaml:"per,omitempty"`
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

// Tier is one band of a tiered price: USD per unit for usage up to UpTo
// units a month (cumulative; 0 on the last tier means no upper bound).
type Tier struct {
	UpTo    float64 `yaml:"up_to,omitempty"`
	USD     float64 `yaml:"usd"`
	Checked string  `yaml:"checked,omitempty"`
	Note    string  `yaml:"note,omitempty"`
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
	Source      string                      `yaml:"source"`
	AsOf        string                      `yaml:"as_of"`
	Requests    Price                       `yaml:"requests"`
	Duration    map[string]TieredPrice      `yaml:"duration"`
	Provisioned map[string]ProvisionedPrice `yaml:"provisioned"`
	FreeTier    LambdaFreeTier              `yaml:"free_tier"`
	Ephemeral   EphemeralPrice              `yaml:"ephemeral_storage"`
}

// ProvisionedPrice is provisioned concurrency: Concurrency is charged per
// GB-s while configured, Duration per GB-s of requests it serves.
type ProvisionedPrice struct {
	Concurrency Price `yaml:"concurrency"`
	Duration    Price `yaml:"duration"`
}

// LambdaFreeTier is the monthly allowance that never expires.
type LambdaFreeTier struct {
	Requests  float64 `yaml:"requests"`
	GBSeconds float64 `yaml:"gb_seconds"`
	Checked   string  `yaml:"checked,omitempty"`
	Source    string  `yaml:"source,omitempty"`
	Note      string  `yaml:"note,omitempty"`
}

// EphemeralPrice is /tmp storage configured above FreeMB, per GB-s.
type EphemeralPrice struct {
	Price  `yaml:",inline"`
	FreeMB int `yaml:"free_mb"`
}

// EC2Prices are on-demand Linux instance prices and one discounted
// purchase option.
type EC2Prices struct {
	Source string `yaml:"source"`
	AsOf   string `yaml:"as_of"`
	// MinimumSeconds is billed for every instance start (per-second billing).
	MinimumSeconds float64             `yaml:"minimum_seconds"`
	InstanceTable  map[string]Instance `yaml:"instances"`
	SavingsPlan    Discount            `yaml:"savings_plan"`
}

// Instance is one EC2 instance type.
type Instance struct {
	Name      string  `yaml:"-"`
	VCPU      int     `yaml:"vcpu"`
	MemoryGiB float64 `yaml:"memory_gib"`
	HourlyUSD float64 `yaml:"hourly_usd"`
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

// ServicePrice is a service billed per unit beside compute. Free is the
// always-free monthly allowance in Unit (0 when the service has none, or
// only a 12-month new-account offer).
type ServicePrice struct {
	Item  string `yaml:"item"`
	AsOf  string `yaml:"as_of"`
	Price `yaml:",inline"`
	Free  float64 `yaml:"free,omitempty"`
}

// ParsePricing reads a price table. Errors name the file, the line and the
// field; unknown keys, negative numbers and missing prices are errors.
func ParsePricing(data []byte, name string) (*Pricing, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, pricingYAMLErr(name, err, data)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("%s: empty price table", name)
	}
	if err := pricingNoNegatives(name, root.Content[0], nil); err != nil {
		return nil, err
	}
	var p Pricing
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, pricingYAMLErr(name, err, data)
	}
	c := &pricingCheck{name: name, root: root.Content[0]}
	c.table(&p)
	if c.err != nil {
		return nil, c.err
	}
	for k, in := range p.EC2.InstanceTable {
		in.Name = k
		p.EC2.InstanceTable[k] = in
	}
	return &p, nil
}

// pricingYAMLErr rewrites the YAML library's "line N: ..." messages as
// "file:N: ...", keeping only the first so the error stays one line.
func pricingYAMLErr(name string, err error, data []byte) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		err = errors.New(te.Errors[0])
	}
	line, detail, ok := YAMLErrorLine(err, data)
	if !ok {
		return fmt.Errorf("%s: %s", name, detail)
	}
	if f, ok := strings.CutPrefix(detail, "field "); ok {
		if i := strings.Index(f, " not found in type"); i >= 0 {
			detail = "field " + f[:i] + ": unknown key"
		}
	}
	return fmt.Errorf("%s:%d: %s", name, line, detail)
}

// pricingNoNegatives rejects negative, infinite and NaN numbers anywhere in the
// table: no price, size or allowance can be below zero.
func pricingNoNegatives(name string, n *yaml.Node, path []string) error {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := pricingNoNegatives(name, n.Content[i+1], append(path, n.Content[i].Value)); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if err := pricingNoNegatives(name, c, append(path, strconv.Itoa(i))); err != nil {
				return err
			}
		}
	case yaml.ScalarNode:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return nil
		}
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil // the typed decode reports it with its field
		}
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s:%d: %s: %s is not a valid non-negative number", name, n.Line, strings.Join(path, "."), n.Value)
		}
	}
	return nil
}

// pricingCheck validates a decoded table, finding the line of each problem
// in the YAML tree by its path.
type pricingCheck struct {
	name string
	root *yaml.Node
	err  error
}

func (c *pricingCheck) fail(msg string, path ...string) {
	if c.err != nil {
		return
	}
	c.err = fmt.Errorf("%s:%d: %s: %s", c.name, pricingLine(c.root, path), strings.Join(path, "."), msg)
}

// pricingLine returns the line of the deepest node along path that exists.
func pricingLine(n *yaml.Node, path []string) int {
	line := n.Line
	for _, key := range path {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					line = n.Content[i].Line
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(key); err == nil && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

func (c *pricingCheck) date(s string, path ...string) {
	if s == "" {
		c.fail("missing date (YYYY-MM-DD)", path...)
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		c.fail(fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s), path...)
	}
}

func (c *pricingCheck) checked(s string, path ...string) {
	switch s {
	case "", "primary", "secondary", "computed", "unconfirmed":
	default:
		c.fail(fmt.Sprintf("%q: want primary, secondary, computed or unconfirmed", s), path...)
	}
}

func (c *pricingCheck) price(p Price, path ...string) {
	if p.USD <= 0 {
		c.fail("missing price (usd)", append(path, "usd")...)
	}
	if p.Unit == "" {
		c.fail("missing unit", append(path, "unit")...)
	}
	c.checked(p.Checked, append(path, "checked")...)
}

func (c *pricingCheck) table(p *Pricing) {
	if p.Region == "" {
		c.fail("missing", "region")
	}
	if p.Currency != "USD" {
		c.fail(fmt.Sprintf("%q: only USD tables are supported", p.Currency), "currency")
	}
	c.date(p.AsOf, "as_of")
	if len(p.Sources) == 0 {
		c.fail("list the pages the prices were checked against", "sources")
	}

	l := p.Lambda
	if l.Source == "" {
		c.fail("missing", "lambda", "source")
	}
	c.date(l.AsOf, "lambda", "as_of")
	c.price(l.Requests, "lambda", "requests")
	for _, arch := range []string{"x86_64", "arm64"} {
		d, ok := l.Duration[arch]
		if !ok {
			c.fail("missing", "lambda", "duration", arch)
			continue
		}
		c.tiers(d, "lambda", "duration", arch)
		pc, ok := l.Provisioned[arch]
		if !ok {
			c.fail("missing", "lambda", "provisioned", arch)
			continue
		}
		c.price(pc.Concurrency, "lambda", "provisioned", arch, "concurrency")
		c.price(pc.Duration, "lambda", "provisioned", arch, "duration")
	}
	for arch := range l.Duration {
		if arch != "x86_64" && arch != "arm64" {
			c.fail("unknown architecture (x86_64 or arm64)", "lambda", "duration", arch)
		}
	}
	for arch := range l.Provisioned {
		if arch != "x86_64" && arch != "arm64" {
			c.fail("unknown architecture (x86_64 or arm64)", "lambda", "provisioned", arch)
		}
	}
	c.checked(l.FreeTier.Checked, "lambda", "free_tier", "checked")
	c.price(l.Ephemeral.Price, "lambda", "ephemeral_storage")

	e := p.EC2
	if e.Source == "" {
		c.fail("missing", "ec2", "source")
	}
	c.date(e.AsOf, "ec2", "as_of")
	if len(e.InstanceTable) == 0 {
		c.fail("list at least one instance type", "ec2", "instances")
	}
	for _, k := range pricingKeys(e.InstanceTable) {
		in := e.InstanceTable[k]
		path := []string{"ec2", "instances", k}
		switch {
		case in.VCPU <= 0:
			c.fail("missing vcpu", append(path, "vcpu")...)
		case in.MemoryGiB <= 0:
			c.fail("missing memory_gib", append(path, "memory_gib")...)
		case in.HourlyUSD <= 0:
			c.fail("missing hourly_usd", append(path, "hourly_usd")...)
		case in.Arch != "x86_64" && in.Arch != "arm64":
			c.fail(fmt.Sprintf("arch %q: want x86_64 or arm64", in.Arch), append(path, "arch")...)
		}
		c.checked(in.Checked, append(path, "checked")...)
	}
	sp := e.SavingsPlan
	if sp.Fraction <= 0 || sp.Fraction >= 1 {
		c.fail("discount must be a fraction between 0 and 1", "ec2", "savings_plan", "discount")
	}
	if sp.Term == "" {
		c.fail("missing term", "ec2", "savings_plan", "term")
	}
	c.checked(sp.Checked, "ec2", "savings_plan", "checked")

	for _, k := range pricingKeys(p.ServiceTable) {
		s := p.ServiceTable[k]
		if s.Item == "" {
			c.fail("missing item (the bill line's wording)", "services", k, "item")
		}
		c.date(s.AsOf, "services", k, "as_of")
		c.price(s.Price, "services", k)
		if s.Source == "" {
			c.fail("missing source", "services", k, "source")
		}
	}
}

func (c *pricingCheck) tiers(t TieredPrice, path ...string) {
	if t.Unit == "" {
		c.fail("missing unit", append(path, "unit")...)
	}
	c.checked(t.Checked, append(path, "checked")...)
	if len(t.Tiers) == 0 {
		c.fail("missing tiers", append(path, "tiers")...)
		return
	}
	prev := 0.0
	for i, tier := range t.Tiers {
		tp := append(slices.Clone(path), "tiers", strconv.Itoa(i))
		last := i == len(t.Tiers)-1
		switch {
		case tier.USD <= 0:
			c.fail("missing usd", append(tp, "usd")...)
		case !last && tier.UpTo <= prev:
			c.fail("up_to must grow from tier to tier", append(tp, "up_to")...)
		case last && tier.UpTo != 0:
			c.fail("the last tier has no upper bound: leave up_to out", append(tp, "up_to")...)
		}
		c.checked(tier.Checked, append(tp, "checked")...)
		prev = tier.UpTo
	}
}

func pricingKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Instances lists the instance types the table prices, sorted.
func (p *Pricing) Instances() []string { return pricingKeys(p.EC2.InstanceTable) }

// Instance looks an instance type up.
func (p *Pricing) Instance(name string) (Instance, bool) {
	in, ok := p.EC2.InstanceTable[name]
	return in, ok
}

// Services lists the services ServiceBill prices, sorted.
func (p *Pricing) Services() []string { return pricingKeys(p.ServiceTable) }

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
