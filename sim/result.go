package sim

import (
	"encoding/json"
	"time"
)

// Result is what a run produces: per-target summaries and, bucketed in
// time, the series the charts draw. Its size grows with the number of
// buckets kept, never with the number of requests.
type Result struct {
	Scenario  string         `json:"scenario"`
	Seed      uint64         `json:"seed"`
	DurationS float64        `json:"duration_s"`
	Targets   []TargetResult `json:"targets"`
	// Series is nil unless the run asked for it (Options.Series).
	Series *Series `json:"series,omitempty"`
	// Pooling is set when the scenario compares shared and dedicated
	// fleets (Scenario.Pooling).
	Pooling *PoolingResult `json:"pooling,omitempty"`
	// Model is the model that produced the figures: "events" (every
	// request simulated) or "fast" (queueing results per time bucket, then
	// Approximate is true). ModelNote says why and what that means.
	Model       string `json:"model"`
	Approximate bool   `json:"approximate,omitempty"`
	ModelNote   string `json:"model_note,omitempty"`
}

// TargetResult is one target's summary. Field names are the JSON contract
// of `serverless-tour sim --json`. CostPerMillionUSD is per million
// requests served, not offered, so failed work makes it dearer (0 when
// none was served).
type TargetResult struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Requests int64  `json:"requests"`
	Served   int64  `json:"served"`
	Dropped  int64  `json:"dropped"`
	// DroppedQueueFull counts, among Dropped, the requests a fleet with
	// no queue_limit turned away because its queue held the most a run
	// holds (262,144 waiting, see docs/scenarios.md).
	DroppedQueueFull int64 `json:"dropped_queue_full,omitempty"`
	Throttled        int64 `json:"throttled"`
	TimedOut         int64 `json:"timed_out"`
	Failed           int64 `json:"failed"`
	ColdStarts       int64 `json:"cold_starts"`
	// Retries counts retry attempts after throttles (functions with
	// retries > 0); a request that finally succeeds counts as served.
	Retries           int64      `json:"retries,omitempty"`
	Latency           Latency    `json:"latency_s"`
	Wait              Wait       `json:"wait_s"`
	WaitProbability   float64    `json:"wait_probability"`
	Utilization       float64    `json:"utilization"`
	IdleFraction      float64    `json:"idle_fraction"`
	PeakInstances     int        `json:"peak_instances"`
	CostUSD           float64    `json:"cost_usd"`
	CostPerMillionUSD float64    `json:"cost_per_million_usd"`
	Bill              []BillItem `json:"bill,omitempty"`
}

// Latency is arrival to completion, including queueing and cold start, in seconds.
//
// Percentiles come from a histogram that represents values up to RangeS
// (2^24 s, about 194 days). BeyondRange counts the requests that took
// longer; when it is not zero, a percentile equal to RangeS means "more
// than RangeS", not that figure. Mean and Max are exact either way.
type Latency struct {
	Mean        float64 `json:"mean"`
	P50         float64 `json:"p50"`
	P95         float64 `json:"p95"`
	P99         float64 `json:"p99"`
	Max         float64 `json:"max"`
	BeyondRange int64   `json:"beyond_range,omitempty"`
	RangeS      float64 `json:"range_s,omitempty"` // set with BeyondRange
}

// Wait is the time from arrival until service starts, in seconds; its
// BeyondRange and RangeS read as Latency's.
type Wait struct {
	Mean        float64 `json:"mean"`
	P99         float64 `json:"p99"`
	BeyondRange int64   `json:"beyond_range,omitempty"`
	RangeS      float64 `json:"range_s,omitempty"`
}

// Beyond says whether percentile v is beyond the histogram's range: the
// value is only known to be more than RangeS.
func (l Latency) Beyond(v float64) bool { return l.BeyondRange > 0 && v >= l.RangeS }

// Beyond says whether percentile v is beyond the histogram's range.
func (w Wait) Beyond(v float64) bool { return w.BeyondRange > 0 && v >= w.RangeS }

// Series holds bucketed time series for charts: Load is the arrival rate
// (requests per second) in each bucket; each target has its own.
type Series struct {
	Bucket time.Duration `json:"-"` // written to JSON as bucket_s, in seconds
	// MeanServiceS is the mean service time of a request, in seconds:
	// what turns slots into requests per second (see PerSecond).
	MeanServiceS float64        `json:"mean_service_s"`
	Load         []float64      `json:"load_rps"`
	Targets      []TargetSeries `json:"targets"`
}

// TargetSeries is one target's behaviour over time, one value per bucket.
type TargetSeries struct {
	Name      string    `json:"name"`
	Capacity  []float64 `json:"capacity"`    // requests it can serve at once (instances × concurrency)
	Busy      []float64 `json:"busy"`        // mean requests in service
	Instances []float64 `json:"instances"`   // mean instances alive (VMs or function environments)
	Queue     []float64 `json:"queue"`       // mean requests waiting
	Rejected  []float64 `json:"rejected"`    // dropped + throttled + failed + timed out, per second
	ColdStart []float64 `json:"cold_starts"` // cold starts per second
	P99       []float64 `json:"p99_s"`       // p99 latency of requests arriving in the bucket
	CostUSD   []float64 `json:"cost_usd"`    // cumulative cost at the end of the bucket
}

// BillItem is one line of an itemised bill.
type BillItem struct {
	Item      string  `json:"item"`
	Quantity  float64 `json:"quantity"`
	Unit      string  `json:"unit"`
	UnitPrice float64 `json:"unit_price_usd"`
	AmountUSD float64 `json:"amount_usd"`
}

// PerSecond turns a series counted in slots (Capacity, Busy) into requests
// per second, the unit of Load: c slots each taking S seconds a request
// serve c/S requests a second. Charts that draw capacity beside load need
// this, or they would compare slots with a rate.
func (s *Series) PerSecond(slots []float64) []float64 {
	if s.MeanServiceS <= 0 || slots == nil {
		return nil
	}
	out := make([]float64, len(slots))
	for i, v := range slots {
		out[i] = v / s.MeanServiceS
	}
	return out
}

// MarshalJSON writes the bucket width in seconds, like every other time in
// the JSON output, rather than as nanoseconds.
func (s Series) MarshalJSON() ([]byte, error) {
	type plain Series
	return json.Marshal(struct {
		BucketS float64 `json:"bucket_s"`
		plain
	}{s.Bucket.Seconds(), plain(s)})
}
