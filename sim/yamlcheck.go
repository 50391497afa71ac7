package sim

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlCheck is the strict mode of DecodeYAML: it walks a parsed document
// against the Go type it will fill and reports, with the path and line of
// each, keys the type does not have (with a "did you mean"), keys written
// twice, required keys left out, values of the wrong kind, numbers that are
// negative, fractional or not finite, and text a terminal would act on.
//
// The rules live beside the fields, in their types and tags:
//   - a field's Go type says what it holds (text, a whole number, a
//     duration ...); a type with an UnmarshalYAML method checks itself;
//   - `required:"hint"` marks a key the file must write; the hint follows
//     "required" in the message ("required by the constant pattern");
//   - `range:"lo..hi"` bounds a number other than 0 ("1e-10..1e6"), so
//     a price can be neither absurdly large nor tiny but not zero;
//   - `max:"n"` bounds the entries of a list;
//   - a type whose keys depend on the mapping (a load on its pattern, a
//     target on its kind) implements yamlShaper.
//
// Every node visited counts against maxYAMLNodes, aliases expanded, so the
// walk (and the decode after it, which visits the same nodes) is bounded
// whatever the aliases multiply.
type yamlCheck struct {
	file   string
	lines  map[string]int
	errs   []error
	max    int
	nodes  int
	active map[*yaml.Node]bool // anchors being expanded, to refuse cycles
	types  map[reflect.Type]*typeKeys
}

// typeKeys are the keys of a struct type, in order and by name.
type typeKeys struct {
	keys  []string
	byKey map[string]reflect.StructField
}

// yamlShaper is a type whose keys depend on what the mapping says: Load
// takes its keys from its pattern, Target from its kind. yamlShape returns
// the struct that lists them, or a problem with the field that decides.
type yamlShaper interface {
	yamlShape(m *yaml.Node) (shape, *FieldError)
}

// shape is the struct that says which keys a mapping may hold.
type shape struct {
	typ   reflect.Type
	by    string            // whose keys these are: "the constant pattern", "a vm"
	hints map[string]string // a word more for a key this shape does not take
}

func newYAMLCheck(file string, maxErrs int) *yamlCheck {
	return &yamlCheck{file: file, lines: map[string]int{}, max: maxErrs, active: map[*yaml.Node]bool{},
		types: map[reflect.Type]*typeKeys{}}
}

func (c *yamlCheck) fail(line int, field, format string, args ...any) {
	if len(c.errs) < c.max {
		c.errs = append(c.errs, &FieldError{File: c.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
}

func (c *yamlCheck) stopped() bool { return len(c.errs) >= c.max }

func (c *yamlCheck) root(n *yaml.Node, t reflect.Type, want string) {
	c.lines[""] = n.Line
	if resolveAlias(n).Kind != yaml.MappingNode {
		c.fail(n.Line, "", "want %s, got %s", want, describe(n))
		return
	}
	c.value(n, t, "")
}

func (c *yamlCheck) value(n *yaml.Node, t reflect.Type, path string) {
	if c.stopped() {
		return
	}
	if c.nodes++; c.nodes > maxYAMLNodes {
		c.fail(n.Line, path, "the document holds more than %d values once its aliases are expanded; write it with fewer aliases", maxYAMLNodes)
		c.max = len(c.errs) // nothing after this is worth the time
		return
	}
	if n.Kind == yaml.AliasNode {
		if c.active[n.Alias] {
			c.fail(n.Line, path, "alias *%s refers to itself", clip(n.Value))
			return
		}
		c.active[n.Alias] = true
		c.value(n.Alias, t, path)
		delete(c.active, n.Alias)
		return
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		c.fail(n.Line, path, "has no value")
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		c.value(n, t.Elem(), path)
	case reflect.Struct:
		c.mapping(n, t, path)
	case reflect.Slice:
		c.sequence(n, t, path)
	case reflect.Map:
		c.table(n, t, path)
	default:
		c.scalar(n, t, path)
	}
}

// mapping checks a mapping against the struct t (or the shape t takes).
func (c *yamlCheck) mapping(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		c.fail(n.Line, path, "want a mapping of keys, got %s", describe(n))
		return
	}
	sh := shape{typ: t}
	if s, ok := reflect.Zero(t).Interface().(yamlShaper); ok {
		var err *FieldError
		if sh, err = s.yamlShape(n); err != nil {
			c.shapeFailed(err, n, path)
			return
		}
	}
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content) && !c.stopped(); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key, ok := c.key(k, path)
		if !ok {
			continue
		}
		p := joinField(path, key)
		if first, dup := seen[key]; dup {
			c.fail(k.Line, p, "written twice (first on line %d)", first)
			continue
		}
		seen[key] = k.Line
		c.record(p, k.Line)
		f, ok := c.field(sh.typ, key)
		if !ok {
			c.unknown(k.Line, key, path, t, sh)
			continue
		}
		if !c.tooMany(resolveAlias(v), f, p) {
			before := len(c.errs)
			c.value(v, f.Type, p)
			if r, ok := f.Tag.Lookup("range"); ok && len(c.errs) == before {
				c.inRange(resolveAlias(v), r, p)
			}
		}
	}
	tk := c.keys(sh.typ)
	for _, key := range tk.keys {
		f := tk.byKey[key]
		if hint, ok := f.Tag.Lookup("required"); ok {
			if _, written := seen[key]; !written {
				c.fail(c.lineOf(path, n), joinField(path, key), "%s", strings.TrimSpace("required "+hint))
			}
		}
	}
}

// keys lists a struct type's keys, remembered per type: a long list of
// mappings asks for the same few types again and again.
func (c *yamlCheck) keys(t reflect.Type) *typeKeys {
	tk, ok := c.types[t]
	if !ok {
		tk = &typeKeys{byKey: map[string]reflect.StructField{}}
		for _, f := range fieldsOf(t) {
			tk.keys = append(tk.keys, yamlTag(f))
			tk.byKey[yamlTag(f)] = f
		}
		c.types[t] = tk
	}
	return tk
}

func (c *yamlCheck) field(t reflect.Type, key string) (reflect.StructField, bool) {
	f, ok := c.keys(t).byKey[key]
	return f, ok
}

// record notes the line of a field the file wrote. Inside an alias the
// fields are the anchor's, so their errors point at the alias instead.
func (c *yamlCheck) record(path string, line int) {
	if len(c.active) == 0 {
		c.lines[path] = line
	}
}

// lineOf is the line of the key that holds the mapping at path, else the
// mapping's own.
func (c *yamlCheck) lineOf(path string, n *yaml.Node) int {
	if line, ok := c.lines[path]; ok {
		return line
	}
	return n.Line
}

func (c *yamlCheck) shapeFailed(err *FieldError, n *yaml.Node, path string) {
	err.File = c.file
	err.Field = joinField(path, err.Field)
	if err.Line == 0 {
		err.Line = c.lineOf(path, n)
	}
	if len(c.errs) < c.max {
		c.errs = append(c.errs, err)
	}
}

// key reads a mapping key, which must be a plain name.
func (c *yamlCheck) key(k *yaml.Node, path string) (string, bool) {
	k = resolveAlias(k)
	switch {
	case k.Kind != yaml.ScalarNode:
		c.fail(k.Line, path, "keys must be plain names, not %s", describe(k))
	case k.ShortTag() == "!!merge":
		c.fail(k.Line, path, "YAML merge keys (<<) are not supported; write the fields out")
	default:
		return k.Value, true
	}
	return "", false
}

func (c *yamlCheck) unknown(line int, key, path string, t reflect.Type, sh shape) {
	if sh.typ != t {
		if _, ok := c.field(t, key); ok {
			msg := "not used by " + sh.by
			if h := sh.hints[key]; h != "" {
				msg += "; " + h
			}
			c.fail(line, joinField(path, key), "%s", msg)
			return
		}
	}
	names := c.keys(sh.typ).keys
	if near := nearest(key, names); near != "" {
		c.fail(line, path, "unknown field %s (did you mean %s?)", quote(key), near)
		return
	}
	c.fail(line, path, "unknown field %s (known: %s)", quote(key), strings.Join(names, ", "))
}

func (c *yamlCheck) sequence(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.SequenceNode {
		c.fail(n.Line, path, "want a list, got %s", describe(n))
		return
	}
	for i, item := range n.Content {
		if c.stopped() {
			return
		}
		p := path + "[" + strconv.Itoa(i) + "]"
		c.record(p, item.Line)
		c.value(item, t.Elem(), p)
	}
}

// table checks a mapping of names to values (a Go map), such as a price
// table's instance types.
func (c *yamlCheck) table(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		c.fail(n.Line, path, "want a mapping of names, got %s", describe(n))
		return
	}
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content) && !c.stopped(); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key, ok := c.key(k, path)
		if !ok {
			continue
		}
		p := joinField(path, key)
		if msg := CheckText(key); msg != "" {
			c.fail(k.Line, path, "the name %s %s", quote(key), msg)
			continue
		}
		if first, dup := seen[key]; dup {
			c.fail(k.Line, p, "written twice (first on line %d)", first)
			continue
		}
		seen[key] = k.Line
		c.record(p, k.Line)
		c.value(v, t.Elem(), p)
	}
}

// scalar checks a single value against its field's Go type.
func (c *yamlCheck) scalar(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.ScalarNode {
		c.fail(n.Line, path, "want %s, got %s%s", wants(t), describe(n), colonHint(n, t))
		return
	}
	switch n.ShortTag() {
	case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
	default:
		c.fail(n.Line, path, "the YAML tag %s is not supported here; write the value without it", quote(n.Tag))
		return
	}
	if t.Kind() == reflect.String {
		if msg := CheckText(n.Value); msg != "" {
			c.fail(n.Line, path, "%s", msg)
			return
		}
	}
	if u, ok := reflect.New(t).Interface().(yaml.Unmarshaler); ok {
		if err := u.UnmarshalYAML(n); err != nil {
			c.fail(n.Line, path, "%v", err)
		}
		return
	}
	switch t.Kind() {
	case reflect.String: // any scalar reads as text
	case reflect.Bool:
		if n.ShortTag() != "!!bool" {
			c.fail(n.Line, path, "want true or false, got %s", describe(n))
		}
	case reflect.Int, reflect.Uint64, reflect.Float64:
		if tag := n.ShortTag(); tag != "!!int" && tag != "!!float" {
			c.fail(n.Line, path, "want %s, got %s", wants(t), describe(n))
		} else if err := setNumber(reflect.New(t).Elem(), n.Value); err != nil {
			c.fail(n.Line, path, "%v", err)
		}
	default:
		c.fail(n.Line, path, "cannot hold %s", describe(n))
	}
}

// tooMany applies a list's `max` tag, before its entries are walked.
func (c *yamlCheck) tooMany(n *yaml.Node, f reflect.StructField, path string) bool {
	m, ok := f.Tag.Lookup("max")
	if limit, _ := strconv.Atoi(m); ok && n.Kind == yaml.SequenceNode && len(n.Content) > limit {
		c.fail(c.lineOf(path, n), path, "%d entries; at most %d", len(n.Content), limit)
		return true
	}
	return false
}

// inRange checks a number against a `range:"lo..hi"` tag.
func (c *yamlCheck) inRange(n *yaml.Node, r, path string) {
	lo, hi, _ := strings.Cut(r, "..")
	min, _ := strconv.ParseFloat(lo, 64)
	max, _ := strconv.ParseFloat(hi, 64)
	v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil {
		return // a hex or octal integer: whole numbers are never the ranged ones
	}
	if v != 0 && (v < min || v > max) { // 0 is "not given", for the file's own rules
		c.fail(n.Line, path, "%s is out of range: want %s to %s", clip(n.Value), lo, hi)
	}
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// describe words a node for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "nothing"
		case "!!int", "!!float", "!!bool":
			return clip(n.Value)
		}
		return "string " + quote(n.Value)
	}
	return "a YAML node"
}

// wants words what a Go type holds.
func wants(t reflect.Type) string {
	switch {
	case t == durationType:
		return "a duration such as 30s"
	case t.Kind() == reflect.String:
		return "text"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Float64:
		return "a number"
	}
	return "a whole number"
}

// colonHint explains the commonest way text turns into a mapping.
func colonHint(n *yaml.Node, t reflect.Type) string {
	n = resolveAlias(n)
	if t.Kind() == reflect.String && n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Style&yaml.FlowStyle == 0 {
		return ` (a ": " inside text starts one; put the text in quotes)`
	}
	return ""
}

// fieldsOf lists the fields a file can write, inline structs flattened.
func fieldsOf(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if strings.HasSuffix(f.Tag.Get("yaml"), ",inline") {
			out = append(out, fieldsOf(f.Type)...)
		} else if yamlTag(f) != "" {
			out = append(out, f)
		}
	}
	return out
}
