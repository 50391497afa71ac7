package sim

import (
	"fmt"
	"strings"
	"time"
)

const timeOfDayEnd = Duration(24 * time.Hour) // times of day are below it

func (c *Scenario) normalizeLoad(needTrace bool) error {
	l := &c.Load
	for _, f := range []struct {
		name string
		v    float64
	}{{"rps", l.RPS}, {"base_rps", l.BaseRPS}, {"peak_rps", l.PeakRPS}, {"on_rps", l.OnRPS},
		{"off_rps", l.OffRPS}, {"from_rps", l.FromRPS}, {"to_rps", l.ToRPS}} {
		if err := checkNumber("load."+f.name, f.v); err != nil {
			return err
		}
	}
	switch l.Pattern {
	case "":
		return fieldErr("load.pattern", "required (%s)", strings.Join(enumValues("pattern"), ", "))
	case "constant", "ramp":
		return nil
	case "diurnal":
		return l.normalizeDiurnal()
	case "business-hours":
		return l.normalizeBusinessHours()
	case "spike":
		return l.normalizeSpikes()
	case "bursty":
		return l.normalizeBursty()
	case "trace":
		return l.normalizeTrace(needTrace)
	}
	return badEnum("load.pattern", "pattern", l.Pattern)
}

func (l *Load) normalizeDiurnal() error {
	if l.PeakRPS < l.BaseRPS {
		return fieldErr("load.peak_rps", "%g is below base_rps %g", l.PeakRPS, l.BaseRPS)
	}
	if l.PeakAt < 0 || l.PeakAt >= timeOfDayEnd {
		return fieldErr("load.peak_at", "a time of day, from 0s to under 24h (e.g. 14h)")
	}
	return nil
}

func (l *Load) normalizeBusinessHours() error {
	if l.Open == 0 {
		l.Open = Duration(9 * time.Hour)
	}
	if l.Close == 0 {
		l.Close = Duration(17 * time.Hour)
	}
	if l.Open < 0 || l.Open >= timeOfDayEnd {
		return fieldErr("load.open", "a time of day, from 0s to under 24h (e.g. 9h)")
	}
	if l.Close <= l.Open || l.Close > timeOfDayEnd {
		return fieldErr("load.close", "a time of day after open (%v) and at most 24h", l.Open)
	}
	return nil
}

func (l *Load) normalizeSpikes() error {
	if len(l.Spikes) == 0 {
		return fieldErr("load.spikes", "the spike pattern needs at least one spike")
	}
	for i, sp := range l.Spikes {
		p := fmt.Sprintf("load.spikes[%d]", i)
		if sp.At < 0 {
			return fieldErr(p+".at", "must not be negative")
		}
		if sp.Duration <= 0 {
			return fieldErr(p+".duration", "must be > 0")
		}
		if err := checkNumber(p+".rps", sp.RPS); err != nil {
			return err
		}
	}
	return nil
}

func (l *Load) normalizeBursty() error {
	if l.On <= 0 {
		return fieldErr("load.on", "must be > 0")
	}
	if l.Off <= 0 {
		return fieldErr("load.off", "must be > 0")
	}
	return nil
}

func (l *Load) normalizeTrace(needTrace bool) error {
	switch {
	case len(l.Trace) > 0:
		if l.TraceStep <= 0 {
			return fieldErr("load.file", "trace has no step")
		}
		for i, r := range l.Trace {
			if err := checkNumber(fmt.Sprintf("load.file row %d", i+1), r); err != nil {
				return err
			}
		}
	case l.File == "":
		return fieldErr("load.file", "required for the trace pattern")
	case needTrace:
		return fieldErr("load.file", "trace %s not loaded (read the scenario with ParseFile or ParseFS)", quote(l.File))
	}
	return nil
}

// normalizeLoadTimes checks the load's times against the duration, once the
// duration is known.
func (c *Scenario) normalizeLoadTimes() error {
	if c.Load.Pattern != "spike" || c.Duration == 0 {
		return nil
	}
	for i, sp := range c.Load.Spikes {
		if sp.At >= c.Duration {
			return fieldErr(fmt.Sprintf("load.spikes[%d].at", i), "%v is not before the end of the scenario (%v)", sp.At, c.Duration)
		}
	}
	return nil
}
