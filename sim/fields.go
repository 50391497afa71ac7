package sim

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Struct fields by their YAML key, shared by the file reader and Set, so a
// key means the same field in a file and in a --set path.

func joinField(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// yamlTag is a struct field's YAML key, or "" for fields the file cannot set.
func yamlTag(f reflect.StructField) string {
	tag := f.Tag.Get("yaml")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

func fieldByTag(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if yamlTag(t.Field(i)) == key {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func tagNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if name := yamlTag(t.Field(i)); name != "" {
			out = append(out, name)
		}
	}
	return out
}

// setNumber parses text into an int, uint64 or float64 field, for files and
// --set alike. Ints accept an integral float ("12.0") because knobs are
// floats; no number may be negative, infinite or NaN.
func setNumber(v reflect.Value, text string) error {
	text = strings.TrimSpace(text)
	f, err := parseNumber(text)
	if err != nil {
		return err
	}
	switch v.Kind() {
	case reflect.Float64:
		v.SetFloat(f)
	case reflect.Int:
		if f != math.Trunc(f) {
			return fmt.Errorf("%s: want a whole number", clip(text))
		}
		if f > math.MaxInt32 {
			return fmt.Errorf("%s is too large (at most %d)", clip(text), math.MaxInt32)
		}
		v.SetInt(int64(f))
	case reflect.Uint64:
		if u, err := strconv.ParseUint(text, 0, 64); err == nil {
			v.SetUint(u) // exact, past float64's 53 bits
			return nil
		}
		if f != math.Trunc(f) || f >= math.MaxUint64 {
			return fmt.Errorf("%s: want a whole number", clip(text))
		}
		v.SetUint(uint64(f))
	}
	return nil
}

// parseNumber reads a finite, non-negative number as YAML writes it
// (1_000, 0x10 and .inf included, the last refused).
func parseNumber(text string) (float64, error) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil {
		if special := strings.TrimLeft(text, "+-"); strings.EqualFold(special, ".inf") || strings.EqualFold(special, ".nan") {
			return 0, fmt.Errorf("%s is not a finite number", clip(text))
		}
		i, ierr := strconv.ParseInt(text, 0, 64)
		if ierr != nil {
			return 0, fmt.Errorf("bad number %s", quote(text))
		}
		f = float64(i)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s is not a finite number", clip(text))
	}
	if f < 0 {
		return 0, fmt.Errorf("%s: must not be negative", clip(text))
	}
	return f, nil
}
