package sim

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Set changes one field by a dotted path, as `sim --set` and lesson knobs
// do: "load.rps", "request.duration", "targets.fleet.count" (a target by
// name), "targets[1].memory_mb", "load.spikes[0].rps", "pooling.tenants".
//
// The value is read by the field's type. Numbers may be written as floats
// ("12.0") even for whole-number fields, and a duration given as a bare
// number means seconds ("0.3" is 300ms), because knobs are floats. Set
// checks the value's form (a number, not negative, a known pattern name);
// Normalized checks how it fits with the rest.
func (s *Scenario) Set(path, value string) error {
	if path == "" {
		return fieldErr("", "empty field path")
	}
	v := reflect.ValueOf(s).Elem()
	segs := strings.Split(path, ".")
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		m := setSegmentRE.FindStringSubmatch(seg)
		if m == nil {
			return fieldErr(path, "bad path segment %s", quote(seg))
		}
		key, idx := m[1], m[3]
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return fieldErr(path, "%s is a single value and has no field %q", strings.Join(segs[:i], "."), key)
		}
		owner := v.Type()
		fv, ok := fieldByTag(v, key)
		if !ok {
			msg := fmt.Sprintf("unknown field %s", quote(key))
			if near := nearest(key, tagNames(owner)); near != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", near)
			}
			return fieldErr(path, "%s", msg)
		}
		if owner == reflect.TypeOf(Load{}) && key == "file" {
			return fieldErr(path, "cannot be set; the trace is read with the scenario file")
		}
		// A vm and a function take different fields; turning one into the
		// other would silently ignore what the file wrote for it.
		if owner == reflect.TypeOf(Target{}) && key == "kind" {
			return fieldErr(path, "cannot be set; write a target of the other kind in the scenario")
		}
		v = fv
		if v.Kind() == reflect.Slice {
			switch {
			case idx != "":
				n, _ := strconv.Atoi(idx)
				if n >= v.Len() {
					return fieldErr(path, "index %d out of range (%s has %d)", n, key, v.Len())
				}
				v = v.Index(n)
			case i+1 < len(segs) && hasNameField(v.Type().Elem()):
				i++
				name := segs[i]
				found := false
				for j := 0; j < v.Len(); j++ {
					if v.Index(j).FieldByName("Name").String() == name {
						v, found = v.Index(j), true
						break
					}
				}
				if !found {
					return fieldErr(path, "no %s named %s (have %s)", key, quote(name), strings.Join(namesIn(fv), ", "))
				}
			default:
				return fieldErr(path, "%s is a list; pick one entry, e.g. %s[0]", key, key)
			}
		} else if idx != "" {
			return fieldErr(path, "%s is not a list", key)
		}
		if i == len(segs)-1 {
			if v.Kind() == reflect.Struct && v.Type() != durationType || v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice {
				return fieldErr(path, "not a single value; name one of its fields")
			}
			if err := setText(v, value, owner, key); err != nil {
				return fieldErr(path, "%v", err)
			}
		}
	}
	return nil
}

// SetAll applies "path=value" assignments in order, as `sim --set` does.
// A pattern switched by them needs every field the new pattern requires,
// set in the same call or already non-zero: switching to diurnal and
// setting no rates would otherwise run without a single request.
func (s *Scenario) SetAll(assignments []string) error {
	before := s.Load.Pattern
	set := map[string]bool{}
	for _, a := range assignments {
		path, value, ok := strings.Cut(a, "=")
		if !ok {
			return fieldErr("", "%s: want key.path=value", quote(a))
		}
		path = strings.TrimSpace(path)
		if err := s.Set(path, strings.TrimSpace(value)); err != nil {
			return err
		}
		set[path] = true
	}
	if s.Load.Pattern == before {
		return nil
	}
	var missing []string
	v := reflect.ValueOf(s.Load)
	for _, key := range patternNeeds(s.Load.Pattern) {
		if f, _ := fieldByTag(v, key); !set["load."+key] && f.IsZero() {
			missing = append(missing, "load."+key)
		}
	}
	if len(missing) > 0 {
		return fieldErr("load.pattern", "the %s pattern needs %s too; set them with --set as well (or write them in the file)",
			s.Load.Pattern, strings.Join(missing, ", "))
	}
	return nil
}

var setSegmentRE = regexp.MustCompile(`^([A-Za-z0-9_-]+)(\[(\d+)\])?$`)

func hasNameField(t reflect.Type) bool {
	f, ok := t.FieldByName("Name")
	return ok && f.Type.Kind() == reflect.String
}

func namesIn(list reflect.Value) []string {
	var out []string
	for j := 0; j < list.Len(); j++ {
		out = append(out, list.Index(j).FieldByName("Name").String())
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}

// setText parses value according to v's type.
func setText(v reflect.Value, value string, owner reflect.Type, key string) error {
	value = strings.TrimSpace(value)
	if v.Type() == durationType {
		if f, err := strconv.ParseFloat(value, 64); err == nil {
			if f < 0 || f != f || f > 1e9 {
				return fmt.Errorf("bad duration %s", quote(value))
			}
			v.SetInt(int64(time.Duration(f * float64(time.Second))))
			return nil
		}
		d, err := parseDurationText(value)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		if enum := enumOf(owner, key); enum != "" && !isEnum(enum, value) {
			return badEnum("", enum, value)
		}
		v.SetString(value)
	case reflect.Bool:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return fmt.Errorf("want true or false, got %s", quote(value))
		}
		v.SetBool(b)
	case reflect.Int, reflect.Uint64, reflect.Float64:
		return setNumber(v, value)
	default:
		return fmt.Errorf("cannot be set")
	}
	return nil
}

// Clone returns a deep copy, so that a lesson can apply knobs without
// touching its base scenario.
func (s Scenario) Clone() Scenario {
	c := s
	c.Load.Spikes = cloneSlice(s.Load.Spikes)
	c.Load.Trace = cloneSlice(s.Load.Trace)
	c.Targets = cloneSlice(s.Targets)
	for i := range c.Targets {
		c.Targets[i].Outages = cloneSlice(c.Targets[i].Outages)
	}
	c.Services = cloneSlice(s.Services)
	if s.Pooling != nil {
		p := *s.Pooling
		c.Pooling = &p
	}
	return c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
