package sim

// Options tune one run without changing the scenario.
type Options struct {
	// Seed overrides Scenario.Seed when non-zero.
	Seed uint64
	// Pricing prices the run; nil leaves every cost at zero.
	Pricing *Pricing
	// Series asks for time series; Buckets caps how many points each
	// series keeps (0: one per step, capped at 4096).
	Series  bool
	Buckets int
}

// Run simulates the scenario. (Engine being written; see issue 3.)
func Run(s Scenario, o Options) (Result, error) {
	return Result{}, errNotYet
}
