package sim

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Durations in files are Go duration strings with a unit ("300ms", "24h");
// a bare number is refused, since 30 could mean seconds or minutes.

var durationType = reflect.TypeFor[Duration]()

// String writes the duration the way a scenario file would ("24h", "1m30s",
// "300ms"), without Go's trailing zero units.
func (d Duration) String() string {
	v := time.Duration(d)
	if v == 0 {
		return "0s"
	}
	if v < 0 {
		return "-" + Duration(-v).String()
	}
	if v < time.Second {
		return v.String()
	}
	var b strings.Builder
	if h := v / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
		v -= h * time.Hour
	}
	if m := v / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
		v -= m * time.Minute
	}
	if v > 0 {
		b.WriteString(strconv.FormatFloat(v.Seconds(), 'f', -1, 64))
		b.WriteString("s")
	}
	return b.String()
}

// parseDurationText reads a Go duration string, refusing negatives.
func parseDurationText(s string) (Duration, error) {
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("bad duration %s (write a number and a unit: 300ms, 30s, 10m, 24h)", quote(s))
	}
	if v < 0 {
		return 0, fmt.Errorf("duration %s must not be negative", quote(s))
	}
	return Duration(v), nil
}

// UnmarshalYAML reads a Go duration string; a bare 0 is also accepted.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return fmt.Errorf("want a duration such as 30s, got %s", describe(n))
	}
	if n.ShortTag() == "!!int" || n.ShortTag() == "!!float" {
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil && f == 0 {
			*d = 0
			return nil
		}
		return fmt.Errorf("bad duration %s: give a unit, e.g. %ss", quote(n.Value), clip(n.Value))
	}
	v, err := parseDurationText(n.Value)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"30s\"")
	}
	v, err := parseDurationText(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
