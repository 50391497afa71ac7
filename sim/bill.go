package sim

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Bill is an itemised bill.
//
// Amounts are kept at full precision: the engine adds up many small bills
// (a 24-hour run, per bucket) where sub-cent amounts matter. AWS's pricing
// pages instead round each line to the cent and add the rounded lines;
// RoundedTotal gives that figure, and RoundCents rounds a line for display.
type Bill struct {
	Items    []BillItem `json:"items"`
	TotalUSD float64    `json:"total_usd"` // sum of the items at full precision
}

// RoundCents rounds an amount to the cent, halves away from zero.
func RoundCents(usd float64) float64 { return math.Round(usd*100) / 100 }

// RoundedTotal is the total as AWS's worked examples state it: each line
// rounded to the cent, then added.
func (b Bill) RoundedTotal() float64 {
	cents := 0.0
	for _, it := range b.Items {
		cents += math.Round(it.AmountUSD * 100)
	}
	return cents / 100
}

// Plus returns a bill with the items of both.
func (b Bill) Plus(o Bill) Bill {
	items := make([]BillItem, 0, len(b.Items)+len(o.Items))
	items = append(append(items, b.Items...), o.Items...)
	return Bill{Items: items, TotalUSD: b.TotalUSD + o.TotalUSD}
}

func (b *Bill) add(item string, quantity float64, unit string, unitPrice float64) {
	amount := quantity * unitPrice
	b.Items = append(b.Items, BillItem{Item: item, Quantity: quantity, Unit: unit, UnitPrice: unitPrice, AmountUSD: amount})
	b.TotalUSD += amount
}

// LambdaUsage is a month's (or a run's) use of one function.
type LambdaUsage struct {
	Arch     string // "x86_64" (default) or "arm64"
	MemoryMB int
	// Requests counts every request, on-demand and provisioned alike.
	Requests int64
	// BilledMS sums the billed duration (each request already rounded up
	// to 1 ms) of the requests served on demand, at the duration rate.
	// Requests served by provisioned environments go in
	// ProvisionedBilledMS instead, never in both.
	BilledMS int64
	// EphemeralMB is the configured /tmp size; 0 means the free 512 MB.
	EphemeralMB int
	// ProvisionedCount environments were configured for ProvisionedSeconds
	// (rounded up here to 5-minute blocks, as AWS bills it).
	ProvisionedCount   int
	ProvisionedSeconds float64
	// ProvisionedBilledMS sums the billed duration of the requests served
	// by provisioned environments, charged at the provisioned duration rate.
	ProvisionedBilledMS int64
	// FreeTierMonths scales the free tier to the span billed: a 24-hour
	// simulation gets 24/730 of the month's allowance, not all of it.
	// 0 means one month, as a monthly bill has.
	FreeTierMonths float64
	// FreeTier subtracts the monthly free requests and GB-s. As on AWS's
	// page, it never reduces provisioned-concurrency charges.
	FreeTier bool
}

// Lambda limits (docs.aws.amazon.com/lambda: memory and /tmp, 1 MB steps).
const (
	billLambdaMinMB = 128
	billLambdaMaxMB = 10240
	billPCBlockSecs = 300 // provisioned concurrency is billed in 5-minute blocks
)

// LambdaBill prices a function's usage: requests, duration (tiered, on
// demand), ephemeral storage, and provisioned concurrency with the
// duration it served.
func (p *Pricing) LambdaBill(u LambdaUsage) (Bill, error) {
	arch := u.Arch
	if arch == "" {
		arch = "x86_64"
	}
	duration, ok := p.Lambda.Duration[arch]
	pc, okPC := p.Lambda.Provisioned[arch]
	switch {
	case !ok || !okPC:
		return Bill{}, fmt.Errorf("lambda: unknown architecture %s (x86_64 or arm64)", quote(u.Arch))
	case u.MemoryMB < billLambdaMinMB || u.MemoryMB > billLambdaMaxMB:
		return Bill{}, fmt.Errorf("lambda: memory %d MB is outside %d–%d MB", u.MemoryMB, billLambdaMinMB, billLambdaMaxMB)
	case u.EphemeralMB != 0 && (u.EphemeralMB < 512 || u.EphemeralMB > billLambdaMaxMB):
		return Bill{}, fmt.Errorf("lambda: ephemeral storage %d MB is outside 512–%d MB", u.EphemeralMB, billLambdaMaxMB)
	case u.Requests < 0 || u.BilledMS < 0 || u.ProvisionedBilledMS < 0 || u.ProvisionedCount < 0:
		return Bill{}, fmt.Errorf("lambda: negative usage")
	case u.ProvisionedSeconds < 0 || math.IsNaN(u.ProvisionedSeconds) || math.IsInf(u.ProvisionedSeconds, 0):
		return Bill{}, fmt.Errorf("lambda: provisioned seconds %v is not a duration", u.ProvisionedSeconds)
	case u.ProvisionedBilledMS > 0 && u.ProvisionedCount == 0:
		return Bill{}, fmt.Errorf("lambda: provisioned billed ms without provisioned concurrency")
	}
	gb := float64(u.MemoryMB) / 1024
	free := p.Lambda.FreeTier
	if m := u.FreeTierMonths; m > 0 && m != 1 {
		free.Requests = math.Round(free.Requests * m)
		free.GBSeconds = math.Round(free.GBSeconds * m)
	}
	var b Bill

	requests := float64(u.Requests)
	label := "Lambda requests"
	if u.FreeTier {
		requests = math.Max(0, requests-free.Requests)
		label += " (after " + billDigits(free.Requests) + " free)"
	}
	b.add(label, requests, p.Lambda.Requests.Unit, p.Lambda.Requests.UnitUSD())

	// On-demand duration: the free GB-s come off before the tiers, which
	// count the month's billable GB-s.
	gbs := gb * float64(u.BilledMS) / 1000
	suffix := ""
	if u.FreeTier {
		gbs = math.Max(0, gbs-free.GBSeconds)
		suffix = ", after " + billDigits(free.GBSeconds) + " " + duration.Unit + " free"
	}
	addTiered(&b, duration.Tiers, gbs, 0, 1, duration.Unit, func(band string, first bool) string {
		extra := ""
		if band != "" {
			extra = ", " + band
		}
		if first {
			extra += suffix
		}
		return "Lambda duration (" + arch + extra + ")"
	})

	if eph := p.Lambda.Ephemeral; u.EphemeralMB > eph.FreeMB {
		extraGB := float64(u.EphemeralMB-eph.FreeMB) / 1024
		b.add(fmt.Sprintf("Lambda ephemeral storage (%d MB above the free %d MB)", u.EphemeralMB-eph.FreeMB, eph.FreeMB),
			extraGB*float64(u.BilledMS+u.ProvisionedBilledMS)/1000, eph.Unit, eph.UnitUSD())
	}

	if u.ProvisionedCount > 0 && u.ProvisionedSeconds > 0 {
		// The small slack keeps float noise (28800.0000001 s) from adding a block.
		blocks := math.Ceil(u.ProvisionedSeconds/billPCBlockSecs - 1e-9)
		secs := blocks * billPCBlockSecs
		b.add(fmt.Sprintf("Lambda provisioned concurrency (%s, %d × %d MB for %s)",
			arch, u.ProvisionedCount, u.MemoryMB, time.Duration(secs*float64(time.Second))),
			float64(u.ProvisionedCount)*gb*secs, pc.Concurrency.Unit, pc.Concurrency.UnitUSD())
	}
	if u.ProvisionedBilledMS > 0 {
		b.add("Lambda provisioned duration ("+arch+")",
			gb*float64(u.ProvisionedBilledMS)/1000, pc.Duration.Unit, pc.Duration.UnitUSD())
	}
	return b, nil
}

// addTiered adds a line for each band of tiers the usage qty reaches
// (bounds scaled by scale, for a span shorter than the month they are
// stated for). The first free units of the usage cost nothing: they come
// off the lowest bands. A usage within the first band makes one line
// without band words.
func addTiered(b *Bill, tiers []Tier, qty, free, scale float64, unit string, label func(band string, first bool) string) {
	upTo := func(t Tier) float64 {
		if t.UpTo == 0 {
			return math.Inf(1)
		}
		return t.UpTo * scale
	}
	banded := len(tiers) > 1 && qty > upTo(tiers[0])
	lower := 0.0
	for i, t := range tiers {
		if i > 0 && qty <= lower {
			break
		}
		upper := upTo(t)
		q := math.Max(0, math.Min(qty, upper)-math.Max(lower, free))
		band := ""
		if banded {
			band = billTierBand(i, lower, t.UpTo*scale, unit)
		}
		b.add(label(band, i == 0), q, unit, t.UnitUSD())
		lower = upper
	}
}

// billTierBand words a tier the way AWS's page does: first/next/over N.
func billTierBand(i int, lower, upTo float64, unit string) string {
	switch {
	case i == 0:
		return "first " + billBigNumber(upTo) + " " + unit
	case upTo == 0:
		return "over " + billBigNumber(lower) + " " + unit
	default:
		return "next " + billBigNumber(upTo-lower) + " " + unit
	}
}

// billBigNumber writes 6e9 as "6 billion" and 1.125e10 as "11.25 billion"
// (to three decimals, for a band scaled to a span).
func billBigNumber(v float64) string {
	for _, s := range []struct {
		f    float64
		name string
	}{{1e9, "billion"}, {1e6, "million"}} {
		if v >= s.f {
			return strconv.FormatFloat(math.Round(v/s.f*1000)/1000, 'f', -1, 64) + " " + s.name
		}
	}
	return billDigits(v)
}

// billDigits writes 1000000 as "1,000,000" (fractions are dropped).
func billDigits(v float64) string { return Thousands(int64(v)) }

// EC2Usage is a fleet's use of one instance type.
type EC2Usage struct {
	Instance string
	Purchase string // "on-demand" (default) or "savings-plan"
	Count    int    // VMs, for the line's wording only
	// InstanceSeconds is the total over all VMs, minimums already applied.
	InstanceSeconds float64
}

// EC2Bill prices instance time at on-demand or savings-plan rates.
func (p *Pricing) EC2Bill(u EC2Usage) (Bill, error) {
	in, ok := p.EC2.InstanceTable[u.Instance]
	if !ok {
		return Bill{}, fmt.Errorf("ec2: unknown instance type %s (known: %s)", quote(u.Instance), strings.Join(p.Instances(), ", "))
	}
	if u.Count < 0 || u.InstanceSeconds < 0 || math.IsNaN(u.InstanceSeconds) || math.IsInf(u.InstanceSeconds, 0) {
		return Bill{}, fmt.Errorf("ec2: negative or invalid usage")
	}
	price, how := in.HourlyUSD, "on-demand"
	switch u.Purchase {
	case "", "on-demand":
	case "savings-plan":
		sp := p.EC2.SavingsPlan
		price *= 1 - sp.Fraction
		how = strings.TrimSpace(fmt.Sprintf("%s %s", sp.Term, sp.Plan)) + " (" + strconv.FormatFloat(sp.Fraction*100, 'f', -1, 64) + "% off)"
	default:
		return Bill{}, fmt.Errorf("ec2: unknown purchase option %s (on-demand or savings-plan)", quote(u.Purchase))
	}
	label := fmt.Sprintf("EC2 %s Linux, %s", in.Name, how)
	if u.Count > 0 {
		label = fmt.Sprintf("EC2 %d × %s Linux, %s", u.Count, in.Name, how)
	}
	var b Bill
	b.add(label, u.InstanceSeconds/3600, "instance-hours", price)
	return b, nil
}

// ServiceBill prices units of a service beside compute (see Services). An
// always-free monthly allowance (SQS, Cognito Lite/Essentials) is taken off
// first and named in the line; 12-month new-account offers are not.
func (p *Pricing) ServiceBill(service string, units float64) (Bill, error) {
	return p.serviceBill(service, units, 1)
}

// serviceBill prices units used over the given number of months, with that
// many months of any free allowance (a 24-hour run has 24/730 of one).
func (p *Pricing) serviceBill(service string, units, months float64) (Bill, error) {
	s, ok := p.ServiceTable[service]
	if !ok {
		return Bill{}, fmt.Errorf("unknown service %s (known: %s)", quote(service), strings.Join(p.Services(), ", "))
	}
	if units < 0 || math.IsNaN(units) || math.IsInf(units, 0) {
		return Bill{}, fmt.Errorf("%s: %v is not a valid quantity", service, units)
	}
	free, note := s.Free, ""
	if s.Free > 0 {
		if months != 1 {
			free = math.Round(free * months)
			note = "after " + billDigits(free) + " " + s.Unit + " free, this span's share of " + billDigits(s.Free) + " a month"
		} else {
			note = "after " + billDigits(free) + " " + s.Unit + " free each month"
		}
	}
	var b Bill
	if len(s.Tiers) == 0 {
		b.add(parenthesised(s.Item, note), math.Max(0, units-free), s.Unit, s.UnitUSD())
		return b, nil
	}
	// Tier bounds are monthly volumes: a shorter span gets its share of
	// each, as it does of a free allowance.
	addTiered(&b, s.Tiers, units, free, months, s.Unit, func(band string, first bool) string {
		if first && note != "" {
			band = strings.TrimPrefix(band+", "+note, ", ")
		}
		return parenthesised(s.Item, band)
	})
	return b, nil
}

// parenthesised writes "item (note)", or the item alone.
func parenthesised(item, note string) string {
	if note == "" {
		return item
	}
	return item + " (" + note + ")"
}
