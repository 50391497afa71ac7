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
	w := setWalk{path: path, segs: strings.Split(path, "."), v: reflect.ValueOf(s).Elem()}
	for ; w.i < len(w.segs); w.i++ {
		if err := w.step(); err != nil {
			return err
		}
	}
	if k := w.v.Kind(); k == reflect.Struct || k == reflect.Pointer || k == reflect.Slice {
		return fieldErr(path, "not a single value; name one of its fields")
	}
	if err := setText(w.v, value, w.owner, w.key); err != nil {
		return fieldErr(path, "%v", err)
	}
	return nil
}

// setWalk follows a --set path one segment at a time.
type setWalk struct {
	path  string
	segs  []string
	i     int
	v     reflect.Value // where the walk has got to
	owner reflect.Type  // the struct holding v
	key   string        // v's key in owner
}

func (w *setWalk) step() error {
	m := setSegmentRE.FindStringSubmatch(w.segs[w.i])
	if m == nil {
		return fieldErr(w.path, "bad path segment %s", quote(w.segs[w.i]))
	}
	w.key = m[1]
	if err := w.field(); err != nil {
		return err
	}
	if w.v.Kind() == reflect.Slice {
		return w.entry(m[3])
	}
	if m[3] != "" {
		return fieldErr(w.path, "%s is not a list", w.key)
	}
	return nil
}

// field moves to the field w.key of the struct at w.v.
func (w *setWalk) field() error {
	if w.v.Kind() == reflect.Pointer {
		if w.v.IsNil() {
			w.v.Set(reflect.New(w.v.Type().Elem()))
		}
		w.v = w.v.Elem()
	}
	if w.v.Kind() != reflect.Struct {
		return fieldErr(w.path, "%s is a single value and has no field %s", strings.Join(w.segs[:w.i], "."), quote(w.key))
	}
	w.owner = w.v.Type()
	fv, ok := fieldByTag(w.v, w.key)
	switch {
	case !ok:
		msg := fmt.Sprintf("unknown field %s", quote(w.key))
		if near := nearest(w.key, tagNames(w.owner)); near != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", near)
		}
		return fieldErr(w.path, "%s", msg)
	case w.owner == reflect.TypeFor[Load]() && w.key == "file":
		return fieldErr(w.path, "cannot be set; the trace is read with the scenario file")
	case w.owner == reflect.TypeFor[Target]() && w.key == "kind":
		// A vm and a function take different fields; turning one into the
		// other would silently ignore what the file wrote for it.
		return fieldErr(w.path, "cannot be set; write a target of the other kind in the scenario")
	}
	w.v = fv
	return nil
}

// entry picks one entry of the list at w.v: by index ("targets[1]"), or by
// name from the next segment ("targets.fleet").
func (w *setWalk) entry(idx string) error {
	list := w.v
	switch {
	case idx != "":
		n, _ := strconv.Atoi(idx)
		if n >= list.Len() {
			return fieldErr(w.path, "index %d out of range (%s has %d)", n, w.key, list.Len())
		}
		w.v = list.Index(n)
		return nil
	case w.i+1 < len(w.segs) && hasNameField(list.Type().Elem()):
		w.i++
		name := w.segs[w.i]
		for j := range list.Len() {
			if list.Index(j).FieldByName("Name").String() == name {
				w.v = list.Index(j)
				return nil
			}
		}
		return fieldErr(w.path, "no %s named %s (have %s)", w.key, quote(name), strings.Join(namesIn(list), ", "))
	}
	return fieldErr(w.path, "%s is a list; pick one entry, e.g. %s[0]", w.key, w.key)
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
