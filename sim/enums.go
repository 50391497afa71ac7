package sim

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Enumerations: the names a text field accepts, and the "did you mean"
// suggestions for a name that is close to one of them.

// enumValues lists the values a named enumeration accepts.
func enumValues(enum string) []string {
	switch enum {
	case "pattern":
		return []string{"constant", "diurnal", "business-hours", "spike", "bursty", "ramp", "trace"}
	case "distribution":
		return []string{"fixed", "exponential", "lognormal"}
	case "kind":
		return []string{"vm", "function"}
	case "arch":
		return []string{"x86_64", "arm64"}
	case "purchase":
		return []string{"on-demand", "savings-plan"}
	}
	return nil
}

func isEnum(enum, v string) bool { return slices.Contains(enumValues(enum), v) }

func badEnum(field, enum, v string) *FieldError {
	msg := fmt.Sprintf("unknown %s %s (want %s)", enum, quote(v), strings.Join(enumValues(enum), ", "))
	if near := nearest(v, enumValues(enum)); near != "" {
		msg = fmt.Sprintf("unknown %s %s (did you mean %s? want %s)", enum, quote(v), near, strings.Join(enumValues(enum), ", "))
	}
	return &FieldError{Field: field, Msg: msg}
}

// enumOf names the enumeration a string field draws from, if any.
func enumOf(owner reflect.Type, tag string) string {
	switch {
	case owner == reflect.TypeFor[Load]() && tag == "pattern":
		return "pattern"
	case owner == reflect.TypeFor[Request]() && tag == "distribution":
		return "distribution"
	case owner == reflect.TypeFor[Target]() && (tag == "kind" || tag == "arch" || tag == "purchase"):
		return tag
	}
	return ""
}

// nearest returns the candidate within a small edit distance of s, for
// "did you mean" hints.
func nearest(s string, candidates []string) string {
	best, bestD := "", 3
	if len(s) <= 3 {
		bestD = 2
	}
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance counts insertions, deletions, substitutions and swaps of
// neighbours ("rsp" is one from "rps").
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return len(a) + len(b)
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
