package sim

// Pricing is a dated price table (content/pricing/*.yaml).
// (Being filled in by the pricing work; shape will grow.)
type Pricing struct {
	Region string `yaml:"region"`
	AsOf   string `yaml:"as_of"`
}
