package sim

import "time"

// Scenario is one experiment: a load pattern, a kind of request, and the
// targets that serve it. Every target sees the same arrivals.
//
// The YAML shape is a contract that instructors script against; extend it,
// never break it. See docs/scenarios.md.
type Scenario struct {
	Name     string   `yaml:"name" json:"name"`
	Seed     uint64   `yaml:"seed,omitempty" json:"seed,omitempty"`
	Duration Duration `yaml:"duration" json:"duration"`
	Step     Duration `yaml:"step,omitempty" json:"step,omitempty"`
	Load     Load     `yaml:"load" json:"load"`
	Request  Request  `yaml:"request" json:"request"`
	Targets  []Target `yaml:"targets" json:"targets"`
	// Pooling, when set, compares K tenants on one shared fleet against K
	// dedicated fleets (the idle-capacity lesson).
	Pooling *Pooling `yaml:"pooling,omitempty" json:"pooling,omitempty"`
	// Services priced beside compute (API Gateway, DynamoDB, SQS, S3,
	// Cognito), billed per request of the load.
	Services []Service `yaml:"services,omitempty" json:"services,omitempty"`
	// Model picks how the run is computed: events (every request, the
	// default), fast (queueing results per time bucket) or auto (events
	// when that is quick, fast otherwise). See fast.go.
	Model string `yaml:"model,omitempty" json:"model,omitempty"`
}

// Duration is a time.Duration written as a Go duration string ("1s", "24h").
type Duration time.Duration

// Load is the arrival process: Poisson arrivals whose rate follows Pattern.
type Load struct {
	Pattern string  `yaml:"pattern" json:"pattern"` // constant|diurnal|business-hours|spike|bursty|ramp|trace
	RPS     float64 `yaml:"rps,omitempty" json:"rps,omitempty"`

	// diurnal, business-hours
	BaseRPS float64  `yaml:"base_rps,omitempty" json:"base_rps,omitempty"`
	PeakRPS float64  `yaml:"peak_rps,omitempty" json:"peak_rps,omitempty"`
	PeakAt  Duration `yaml:"peak_at,omitempty" json:"peak_at,omitempty"` // time of day of the peak

	// business-hours: PeakRPS from Open to Close (times of day, defaults
	// 9h and 17h) Monday to Friday, BaseRPS otherwise. The scenario starts
	// on a Monday at midnight.
	Open  Duration `yaml:"open,omitempty" json:"open,omitempty"`
	Close Duration `yaml:"close,omitempty" json:"close,omitempty"`

	// spike: bursts on top of RPS
	Spikes []Spike `yaml:"spikes,omitempty" json:"spikes,omitempty"`

	// bursty: alternating on/off periods
	OnRPS  float64  `yaml:"on_rps,omitempty" json:"on_rps,omitempty"`
	OffRPS float64  `yaml:"off_rps,omitempty" json:"off_rps,omitempty"`
	On     Duration `yaml:"on,omitempty" json:"on,omitempty"`
	Off    Duration `yaml:"off,omitempty" json:"off,omitempty"`

	// ramp: linear from FromRPS to ToRPS over the scenario
	FromRPS float64 `yaml:"from_rps,omitempty" json:"from_rps,omitempty"`
	ToRPS   float64 `yaml:"to_rps,omitempty" json:"to_rps,omitempty"`

	// trace: a CSV of timestamp,requests or seconds,rps rows
	File string `yaml:"file,omitempty" json:"file,omitempty"`
	// Trace is the file's rate, one requests-per-second value per
	// TraceStep, filled in when the scenario is loaded.
	Trace     []float64     `yaml:"-" json:"-"`
	TraceStep time.Duration `yaml:"-" json:"-"`
}

// Spike is one burst in a spike pattern.
type Spike struct {
	At       Duration `yaml:"at" json:"at"`
	Duration Duration `yaml:"duration" json:"duration"`
	RPS      float64  `yaml:"rps" json:"rps"`
}

// Request describes the work one request asks for.
type Request struct {
	Duration     Duration `yaml:"duration" json:"duration"`                             // mean service time
	Distribution string   `yaml:"distribution,omitempty" json:"distribution,omitempty"` // fixed|exponential|lognormal
	Sigma        float64  `yaml:"sigma,omitempty" json:"sigma,omitempty"`               // lognormal shape
	MemoryMB     int      `yaml:"memory_mb,omitempty" json:"memory_mb,omitempty"`
	Timeout      Duration `yaml:"timeout,omitempty" json:"timeout,omitempty"`
}

// Target is one way of serving the load: a VM fleet or a function.
type Target struct {
	Name string `yaml:"name" json:"name"`
	Kind string `yaml:"kind" json:"kind"` // vm|function

	// kind: vm
	Instance    string   `yaml:"instance,omitempty" json:"instance,omitempty"`
	Count       int      `yaml:"count,omitempty" json:"count,omitempty"`
	Min         int      `yaml:"min,omitempty" json:"min,omitempty"`
	Max         int      `yaml:"max,omitempty" json:"max,omitempty"`
	Concurrency int      `yaml:"concurrency,omitempty" json:"concurrency,omitempty"`
	TargetUtil  float64  `yaml:"target_utilization,omitempty" json:"target_utilization,omitempty"`
	BootDelay   Duration `yaml:"boot_delay,omitempty" json:"boot_delay,omitempty"`
	Cooldown    Duration `yaml:"cooldown,omitempty" json:"cooldown,omitempty"`
	QueueLimit  int      `yaml:"queue_limit,omitempty" json:"queue_limit,omitempty"`
	Zones       int      `yaml:"zones,omitempty" json:"zones,omitempty"`
	Outages     []Outage `yaml:"outages,omitempty" json:"outages,omitempty"`
	Purchase    string   `yaml:"purchase,omitempty" json:"purchase,omitempty"` // on-demand|savings-plan

	// kind: function
	MemoryMB         int      `yaml:"memory_mb,omitempty" json:"memory_mb,omitempty"`
	Arch             string   `yaml:"arch,omitempty" json:"arch,omitempty"` // x86_64|arm64
	ColdStart        Duration `yaml:"cold_start,omitempty" json:"cold_start,omitempty"`
	KeepAlive        Duration `yaml:"keep_alive,omitempty" json:"keep_alive,omitempty"`
	ConcurrencyLimit int      `yaml:"concurrency_limit,omitempty" json:"concurrency_limit,omitempty"`
	ScaleRate        int      `yaml:"scale_rate,omitempty" json:"scale_rate,omitempty"`
	ScaleInterval    Duration `yaml:"scale_interval,omitempty" json:"scale_interval,omitempty"`
	Provisioned      int      `yaml:"provisioned,omitempty" json:"provisioned,omitempty"`
	Retries          int      `yaml:"retries,omitempty" json:"retries,omitempty"`
	FreeTier         bool     `yaml:"free_tier,omitempty" json:"free_tier,omitempty"`
}

// Outage takes a zone's VMs away for a while.
type Outage struct {
	Zone     int      `yaml:"zone" json:"zone"`
	At       Duration `yaml:"at" json:"at"`
	Duration Duration `yaml:"duration" json:"duration"`
}

// Pooling compares shared and dedicated capacity for K independent tenants.
type Pooling struct {
	Tenants int      `yaml:"tenants" json:"tenants"`
	P99     Duration `yaml:"p99,omitempty" json:"p99,omitempty"` // latency target each fleet must hold
}

// Service is a priced service beside compute, used Per request of the load.
type Service struct {
	Name string  `yaml:"name" json:"name"` // a service of the price table: api-gateway-http, sqs, s3-put, ...
	Per  float64 `yaml:"per_request,omitempty" json:"per_request,omitempty"`
}
