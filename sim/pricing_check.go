package sim

import (
	"maps"
	"slices"
	"strconv"
	"time"
)

// ParsePricing reads a price table. Errors name the file, the line and the
// field; unknown keys, negative numbers, numbers outside a sane range and
// missing prices are errors.
func ParsePricing(data []byte, name string) (*Pricing, error) {
	var p Pricing
	lines, errs := DecodeYAML(data, name, &p, YAMLOptions{What: "price table", Want: "a mapping with region, currency, as_of, sources, lambda, ec2, services"})
	if len(errs) > 0 {
		return nil, errs[0]
	}
	if lines.Empty() {
		return nil, &FieldError{File: name, Msg: "empty price table"}
	}
	c := &pricingCheck{}
	c.table(&p)
	if c.err != nil {
		return nil, lines.Locate(c.err, name)
	}
	for k, in := range p.EC2.InstanceTable {
		in.Name = k
		p.EC2.InstanceTable[k] = in
	}
	return &p, nil
}

// ReadPricingFile reads and parses a price table file (--pricing FILE): a
// regular file of at most PricingFile.MaxBytes().
func ReadPricingFile(name string) (*Pricing, error) {
	data, err := ReadFile(name, PricingFile)
	if err != nil {
		return nil, err
	}
	return ParsePricing(data, name)
}

// pricingCheck validates a decoded table, keeping the first problem; the
// file's line is found from the field's path.
type pricingCheck struct{ err error }

func (c *pricingCheck) fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = fieldErr(field, format, args...)
	}
}

func (c *pricingCheck) date(s, field string) {
	if s == "" {
		c.fail(field, "missing date (YYYY-MM-DD)")
	} else if _, err := time.Parse(time.DateOnly, s); err != nil {
		c.fail(field, "%s is not a date (YYYY-MM-DD)", quote(s))
	}
}

func (c *pricingCheck) checked(s, field string) {
	switch s {
	case "", "primary", "secondary", "computed", "unconfirmed":
	default:
		c.fail(field, "%s: want primary, secondary, computed or unconfirmed", quote(s))
	}
}

func (c *pricingCheck) price(p Price, path string) {
	if p.USD <= 0 {
		c.fail(path+".usd", "missing price (usd)")
	}
	c.unit(p, path)
}

func (c *pricingCheck) unit(p Price, path string) {
	if p.Unit == "" {
		c.fail(path+".unit", "missing unit")
	}
	c.checked(p.Checked, path+".checked")
}

func (c *pricingCheck) table(p *Pricing) {
	if p.Region == "" {
		c.fail("region", "missing")
	}
	if p.Currency != "USD" {
		c.fail("currency", "%s: only USD tables are supported", quote(p.Currency))
	}
	c.date(p.AsOf, "as_of")
	if len(p.Sources) == 0 {
		c.fail("sources", "list the pages the prices were checked against")
	}
	c.lambda(p.Lambda)
	c.ec2(p.EC2)
	for _, k := range slices.Sorted(maps.Keys(p.ServiceTable)) {
		c.service(p.ServiceTable[k], "services."+k)
	}
}

var archs = []string{"x86_64", "arm64"}

func (c *pricingCheck) lambda(l LambdaPrices) {
	if l.Source == "" {
		c.fail("lambda.source", "missing")
	}
	c.date(l.AsOf, "lambda.as_of")
	c.price(l.Requests, "lambda.requests")
	for _, arch := range archs {
		d, ok := l.Duration[arch]
		if !ok {
			c.fail("lambda.duration."+arch, "missing")
			continue
		}
		c.tiers(d.Tiers, "lambda.duration."+arch+".tiers")
		if d.Unit == "" {
			c.fail("lambda.duration."+arch+".unit", "missing unit")
		}
		c.checked(d.Checked, "lambda.duration."+arch+".checked")
		pc, ok := l.Provisioned[arch]
		if !ok {
			c.fail("lambda.provisioned."+arch, "missing")
			continue
		}
		c.price(pc.Concurrency, "lambda.provisioned."+arch+".concurrency")
		c.price(pc.Duration, "lambda.provisioned."+arch+".duration")
	}
	for _, table := range []struct {
		name string
		keys []string
	}{{"duration", slices.Sorted(maps.Keys(l.Duration))}, {"provisioned", slices.Sorted(maps.Keys(l.Provisioned))}} {
		for _, arch := range table.keys {
			if !slices.Contains(archs, arch) {
				c.fail("lambda."+table.name+"."+arch, "unknown architecture (x86_64 or arm64)")
			}
		}
	}
	c.checked(l.FreeTier.Checked, "lambda.free_tier.checked")
	c.price(l.Ephemeral.Price, "lambda.ephemeral_storage")
}

func (c *pricingCheck) ec2(e EC2Prices) {
	if e.Source == "" {
		c.fail("ec2.source", "missing")
	}
	c.date(e.AsOf, "ec2.as_of")
	if len(e.InstanceTable) == 0 {
		c.fail("ec2.instances", "list at least one instance type")
	}
	for _, k := range slices.Sorted(maps.Keys(e.InstanceTable)) {
		in, path := e.InstanceTable[k], "ec2.instances."+k
		switch {
		case in.VCPU <= 0:
			c.fail(path+".vcpu", "missing vcpu")
		case in.MemoryGiB <= 0:
			c.fail(path+".memory_gib", "missing memory_gib")
		case in.HourlyUSD <= 0:
			c.fail(path+".hourly_usd", "missing hourly_usd")
		case !slices.Contains(archs, in.Arch):
			c.fail(path+".arch", "arch %s: want x86_64 or arm64", quote(in.Arch))
		}
		c.checked(in.Checked, path+".checked")
	}
	sp := e.SavingsPlan
	if sp.Fraction <= 0 || sp.Fraction >= 1 {
		c.fail("ec2.savings_plan.discount", "discount must be a fraction between 0 and 1")
	}
	if sp.Term == "" {
		c.fail("ec2.savings_plan.term", "missing term")
	}
	c.checked(sp.Checked, "ec2.savings_plan.checked")
}

func (c *pricingCheck) service(s ServicePrice, path string) {
	if s.Item == "" {
		c.fail(path+".item", "missing item (the bill line's wording)")
	}
	c.date(s.AsOf, path+".as_of")
	switch {
	case len(s.Tiers) > 0 && (s.USD != 0 || s.Per != 0):
		c.fail(path+".tiers", "give one price (usd) or tiers, not both")
	case len(s.Tiers) > 0:
		c.tiers(s.Tiers, path+".tiers")
		c.unit(s.Price, path)
	default:
		c.price(s.Price, path)
	}
	if s.Source == "" {
		c.fail(path+".source", "missing source")
	}
}

func (c *pricingCheck) tiers(tiers []Tier, path string) {
	if len(tiers) == 0 {
		c.fail(path, "missing tiers")
		return
	}
	prev := 0.0
	for i, tier := range tiers {
		tp := path + "[" + strconv.Itoa(i) + "]"
		last := i == len(tiers)-1
		switch {
		case tier.USD <= 0:
			c.fail(tp+".usd", "missing usd")
		case !last && tier.UpTo <= prev:
			c.fail(tp+".up_to", "up_to must grow from tier to tier")
		case last && tier.UpTo != 0:
			c.fail(tp+".up_to", "the last tier has no upper bound: leave up_to out")
		}
		c.checked(tier.Checked, tp+".checked")
		prev = tier.UpTo
	}
}
