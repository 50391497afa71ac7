package sim

import "fmt"

// priceTarget bills one target's run: EC2 instance time (each VM start
// billed at least 60 s) or Lambda requests and duration, plus the
// scenario's services for every request of the load, since each target is
// an alternative way to serve the same traffic.
func priceTarget(p *Pricing, s *Scenario, t *Target, u computeUse, r *TargetResult) error {
	b, err := computeBill(p, s, t, u, 1)
	if err != nil {
		return err
	}
	for _, sv := range s.Services {
		if err := perRequest(p, sv.Name); err != nil {
			return err
		}
		sb, err := p.serviceBill(sv.Name, float64(r.Requests)*sv.Per, seconds(s.Duration)/hoursPerMonthS)
		if err != nil {
			return fmt.Errorf("services: %w", err)
		}
		b = b.Plus(sb)
	}
	r.Bill = b.Items
	r.CostUSD = b.TotalUSD
	// Per request served: dividing by requests offered would make a fleet
	// that times out a fifth of its work look a fifth cheaper per request.
	if r.Served > 0 {
		r.CostPerMillionUSD = b.TotalUSD / float64(r.Served) * 1e6
	}
	return nil
}

// perRequest checks that a scenario's service is counted in requests: a
// scenario bills services per request of its load, which makes no sense
// for storage by the GB-month or users by the month.
func perRequest(p *Pricing, name string) error {
	sv, ok := p.ServiceTable[name]
	if !ok || sv.Unit == "GB-month" || sv.Unit == "MAU" {
		if !ok {
			_, err := p.ServiceBill(name, 0) // says which services there are
			return fmt.Errorf("services: %w", err)
		}
		return fmt.Errorf("services: %s is priced per %s, not per request; price it with `serverless-tour cost`", name, sv.Unit)
	}
	return nil
}

// computeUse is what pricing reads from a target's run, whichever model
// (events or fast) produced it: a fleet's instance time, or a function's
// invocations and billed milliseconds, in total and per series bucket.
type computeUse struct {
	vm              bool
	instanceSeconds float64 // minimums applied
	provisioned     int
	invocations     int64
	billedMS        int64 // on-demand
	provBilledMS    int64
	// Per series bucket (functions), by arrival: what the cumulative cost
	// series adds up.
	bReq, bMS, bProvMS []float64
}

// useOf reads an event-model target's usage.
func useOf(tg engineTarget) computeUse {
	switch x := tg.(type) {
	case *fleet:
		return computeUse{vm: true, instanceSeconds: x.billedSec}
	case *function:
		return computeUse{provisioned: x.prov, invocations: x.invocations, billedMS: x.billedMS, provBilledMS: x.provBilledMS,
			bReq: x.bReq, bMS: x.bMS, bProvMS: x.bProvMS}
	}
	return computeUse{}
}

// computeBill prices the whole run's compute (frac 1), or for a fleet the
// share frac of its instance time.
func computeBill(p *Pricing, s *Scenario, t *Target, u computeUse, frac float64) (Bill, error) {
	if u.vm {
		return p.EC2Bill(EC2Usage{Instance: t.Instance, Purchase: t.Purchase, Count: t.Count, InstanceSeconds: u.instanceSeconds * frac})
	}
	if t.Kind != "function" {
		return Bill{}, fmt.Errorf("unknown target")
	}
	return p.LambdaBill(u.lambda(t, u.invocations, u.billedMS, u.provBilledMS, seconds(s.Duration)))
}

// hoursPerMonthS is AWS's billing month, 730 hours, in seconds.
const hoursPerMonthS = 730 * 3600

func (fn computeUse) lambda(t *Target, req, ms, provMS int64, configured float64) LambdaUsage {
	u := LambdaUsage{
		Arch:     t.Arch,
		MemoryMB: t.MemoryMB,
		Requests: req,
		BilledMS: ms,
		FreeTier: t.FreeTier,
		// The run is priced with its own share of the monthly allowance.
		FreeTierMonths: configured / hoursPerMonthS,
	}
	if fn.provisioned > 0 {
		u.ProvisionedCount = fn.provisioned
		u.ProvisionedSeconds = configured
		u.ProvisionedBilledMS = provMS
	}
	return u
}

// costSeries fills the cumulative cost at the end of each bucket. A fleet's
// instance time accrues with the VMs alive, so its bill is spread in
// proportion (the 60-second minimums land with the rest); a function and
// the services are billed on their cumulative usage, so free allowances
// are used up in time order.
func costSeries(p *Pricing, s *Scenario, t *Target, u computeUse, g *grid, load []float64, ts *TargetSeries, total float64) error {
	var req, fnReq, ms, prov, inst, instTotal float64
	var vmBill float64
	if u.vm {
		for i := range g.n {
			instTotal += ts.Instances[i] * g.length(i)
		}
		b, err := computeBill(p, s, t, u, 1)
		if err != nil {
			return err
		}
		vmBill = b.TotalUSD
	}
	for i := range g.n {
		c := 0.0
		req += load[i]
		if u.vm {
			inst += ts.Instances[i] * g.length(i)
			if instTotal > 0 {
				c = vmBill * inst / instTotal
			}
		} else {
			fnReq += u.bReq[i]
			ms += u.bMS[i]
			prov += u.bProvMS[i]
			end := float64(i)*g.width + g.length(i)
			b, err := p.LambdaBill(u.lambda(t, int64(fnReq), int64(ms), int64(prov), end))
			if err != nil {
				return err
			}
			c = b.TotalUSD
		}
		for _, sv := range s.Services {
			end := float64(i)*g.width + g.length(i)
			b, err := p.serviceBill(sv.Name, req*sv.Per, end/hoursPerMonthS)
			if err != nil {
				return err
			}
			c += b.TotalUSD
		}
		ts.CostUSD[i] = c
	}
	if n := g.n; n > 0 && total > 0 {
		ts.CostUSD[n-1] = total // the same figure as the summary, to the last bit
	}
	return nil
}
