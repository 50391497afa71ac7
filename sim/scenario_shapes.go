package sim

import (
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// What a scenario file may write, per load pattern, target kind and request
// distribution. A scenario decodes into Scenario itself (so a new optional
// field of Scenario is one line there); these structs say which keys each
// variant of a load, a target or a request takes, and which it needs. A key
// of Load that a pattern's struct lacks is "not used by the X pattern"; a
// field tagged `required` must be written. Their fields mirror the fields
// of Load, Target and Request with the same keys and types
// (TestShapesMirrorScenario holds them to it). Value rules that knobs and
// --set must obey too live in normalize, not here.

type constantLoad struct {
	Pattern string  `yaml:"pattern"`
	RPS     float64 `yaml:"rps" required:"by the constant pattern"`
}

type diurnalLoad struct {
	Pattern string   `yaml:"pattern"`
	BaseRPS float64  `yaml:"base_rps" required:"by the diurnal pattern"`
	PeakRPS float64  `yaml:"peak_rps" required:"by the diurnal pattern"`
	PeakAt  Duration `yaml:"peak_at" required:"by the diurnal pattern"`
}

type businessHoursLoad struct {
	Pattern string   `yaml:"pattern"`
	BaseRPS float64  `yaml:"base_rps" required:"by the business-hours pattern"`
	PeakRPS float64  `yaml:"peak_rps" required:"by the business-hours pattern"`
	Open    Duration `yaml:"open"`
	Close   Duration `yaml:"close"`
}

type spikeLoad struct {
	Pattern string       `yaml:"pattern"`
	RPS     float64      `yaml:"rps"`
	Spikes  []spikeShape `yaml:"spikes" required:"by the spike pattern"`
}

type spikeShape struct {
	At       Duration `yaml:"at" required:""`
	Duration Duration `yaml:"duration" required:""`
	RPS      float64  `yaml:"rps" required:""`
}

type burstyLoad struct {
	Pattern string   `yaml:"pattern"`
	OnRPS   float64  `yaml:"on_rps" required:"by the bursty pattern"`
	OffRPS  float64  `yaml:"off_rps"`
	On      Duration `yaml:"on" required:"by the bursty pattern"`
	Off     Duration `yaml:"off" required:"by the bursty pattern"`
}

type rampLoad struct {
	Pattern string  `yaml:"pattern"`
	FromRPS float64 `yaml:"from_rps" required:"by the ramp pattern"`
	ToRPS   float64 `yaml:"to_rps" required:"by the ramp pattern"`
}

type traceLoad struct {
	Pattern string `yaml:"pattern"`
	File    string `yaml:"file" required:"by the trace pattern"`
}

// loadShape is the struct of a pattern's keys, nil for an unknown pattern.
func loadShape(pattern string) reflect.Type {
	switch pattern {
	case "constant":
		return reflect.TypeFor[constantLoad]()
	case "diurnal":
		return reflect.TypeFor[diurnalLoad]()
	case "business-hours":
		return reflect.TypeFor[businessHoursLoad]()
	case "spike":
		return reflect.TypeFor[spikeLoad]()
	case "bursty":
		return reflect.TypeFor[burstyLoad]()
	case "ramp":
		return reflect.TypeFor[rampLoad]()
	case "trace":
		return reflect.TypeFor[traceLoad]()
	}
	return nil
}

func (Load) yamlShape(m *yaml.Node) (shape, *FieldError) {
	v, err := shapeKey(m, "pattern")
	if err != nil {
		return shape{}, err
	}
	if v == nil {
		return shape{}, fieldErr("pattern", "required (%s)", strings.Join(enumValues("pattern"), ", "))
	}
	t := loadShape(v.Value)
	if t == nil {
		return shape{}, located(badEnum("pattern", "pattern", v.Value), v)
	}
	return shape{typ: t, by: "the " + v.Value + " pattern"}, nil
}

type requestShape struct {
	Duration     Duration `yaml:"duration" required:"(the mean service time, e.g. 200ms)"`
	Distribution string   `yaml:"distribution"`
	MemoryMB     int      `yaml:"memory_mb"`
	Timeout      Duration `yaml:"timeout"`
}

type lognormalRequest struct {
	Duration     Duration `yaml:"duration" required:"(the mean service time, e.g. 200ms)"`
	Distribution string   `yaml:"distribution"`
	Sigma        float64  `yaml:"sigma"`
	MemoryMB     int      `yaml:"memory_mb"`
	Timeout      Duration `yaml:"timeout"`
}

func (Request) yamlShape(m *yaml.Node) (shape, *FieldError) {
	dist := "exponential"
	v, err := shapeKey(m, "distribution")
	if err != nil {
		return shape{}, err
	}
	if v != nil {
		if !isEnum("distribution", v.Value) {
			return shape{}, located(badEnum("distribution", "distribution", v.Value), v)
		}
		dist = v.Value
	}
	sh := shape{typ: reflect.TypeFor[requestShape](), by: "the " + dist + " distribution",
		hints: map[string]string{"sigma": "only the lognormal distribution uses it"}}
	if dist == "lognormal" {
		sh.typ = reflect.TypeFor[lognormalRequest]()
	}
	return sh, nil
}

type vmTarget struct {
	Name        string        `yaml:"name" required:""`
	Kind        string        `yaml:"kind"`
	Instance    string        `yaml:"instance"`
	Count       int           `yaml:"count"`
	Min         int           `yaml:"min"`
	Max         int           `yaml:"max"`
	Concurrency int           `yaml:"concurrency"`
	TargetUtil  float64       `yaml:"target_utilization"`
	BootDelay   Duration      `yaml:"boot_delay"`
	Cooldown    Duration      `yaml:"cooldown"`
	QueueLimit  int           `yaml:"queue_limit"`
	Zones       int           `yaml:"zones"`
	Outages     []outageShape `yaml:"outages"`
	Purchase    string        `yaml:"purchase"`
}

type outageShape struct {
	Zone     int      `yaml:"zone" required:""`
	At       Duration `yaml:"at" required:""`
	Duration Duration `yaml:"duration" required:""`
}

type functionTarget struct {
	Name             string   `yaml:"name" required:""`
	Kind             string   `yaml:"kind"`
	MemoryMB         int      `yaml:"memory_mb"`
	Arch             string   `yaml:"arch"`
	ColdStart        Duration `yaml:"cold_start"`
	KeepAlive        Duration `yaml:"keep_alive"`
	ConcurrencyLimit int      `yaml:"concurrency_limit"`
	ScaleRate        int      `yaml:"scale_rate"`
	ScaleInterval    Duration `yaml:"scale_interval"`
	Provisioned      int      `yaml:"provisioned"`
	Retries          int      `yaml:"retries"`
	FreeTier         bool     `yaml:"free_tier"`
}

func (Target) yamlShape(m *yaml.Node) (shape, *FieldError) {
	v, err := shapeKey(m, "kind")
	switch {
	case err != nil:
		return shape{}, err
	case v == nil:
		return shape{}, fieldErr("kind", "required (%s)", strings.Join(enumValues("kind"), " or "))
	case v.Value == "vm":
		return shape{typ: reflect.TypeFor[vmTarget](), by: "a vm"}, nil
	case v.Value == "function":
		return shape{typ: reflect.TypeFor[functionTarget](), by: "a function", hints: map[string]string{
			"concurrency": "a function serves one request per instance: did you mean concurrency_limit?"}}, nil
	}
	return shape{}, located(badEnum("kind", "kind", v.Value), v)
}

type poolingShape struct {
	Tenants int      `yaml:"tenants" required:""`
	P99     Duration `yaml:"p99"`
}

func (Pooling) yamlShape(*yaml.Node) (shape, *FieldError) {
	return shape{typ: reflect.TypeFor[poolingShape]()}, nil
}

type serviceShape struct {
	Name string  `yaml:"name" required:""`
	Per  float64 `yaml:"per_request"`
}

func (Service) yamlShape(*yaml.Node) (shape, *FieldError) {
	return shape{typ: reflect.TypeFor[serviceShape]()}, nil
}

// mappingValue is the value of key in mapping m (aliases resolved), or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := resolveAlias(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == key {
			return resolveAlias(m.Content[i+1])
		}
	}
	return nil
}

// shapeKey reads the key that picks a shape (pattern, kind,
// distribution): nil when the mapping does not write it.
func shapeKey(m *yaml.Node, key string) (*yaml.Node, *FieldError) {
	v := mappingValue(m, key)
	if v != nil && (v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null") {
		return nil, located(fieldErr(key, "want text, got %s", describe(v)), v)
	}
	return v, nil
}

func located(e *FieldError, n *yaml.Node) *FieldError {
	e.Line = n.Line
	return e
}

// patternNeeds lists the load keys a pattern requires.
func patternNeeds(pattern string) []string {
	var out []string
	if t := loadShape(pattern); t != nil {
		for _, f := range fieldsOf(t) {
			if _, ok := f.Tag.Lookup("required"); ok {
				out = append(out, yamlTag(f))
			}
		}
	}
	return out
}
