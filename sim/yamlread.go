package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// One way to read YAML: scenarios, the price table and lesson front matter
// all come through DecodeYAML, so they share one set of rules and one shape
// of message ("file:line: field: what is wrong, what is valid").
//
// go.yaml.in/yaml/v3 parses the text into nodes that know their line, in
// time linear in the input. checkYAML (yamlcheck.go) walks those nodes
// against the Go type they will fill: that walk is the strict mode. Only
// a document that passes it is decoded, by the same library, into the
// typed struct.
//
// github.com/goccy/go-yaml (v1.19.2) was considered for its structured
// errors, but its parser takes time and memory quadratic in the keys of
// one mapping: 10,000 keys in 88 KB took 1.2 s and 430 MB to parse.

// maxYAMLNodes bounds the values one document may hold once its aliases
// are expanded: a small file built from aliases (a "billion laughs") is
// refused after this much work instead of taking gigabytes.
const maxYAMLNodes = 1_000_000

// YAMLOptions say how one kind of document is read.
type YAMLOptions struct {
	What    string // what the file holds, for messages: "scenario"
	Want    string // what its top level must be: "a mapping with name, duration, ..."
	MaxErrs int    // problems to report before stopping; 0 means 1
}

// DecodeYAML reads one YAML document into v, a pointer to a struct, and
// says on which line each field was written. It returns the problems found
// (at most opt.MaxErrs); v is filled only when there are none. An empty
// document (nothing, or only comments) is not a problem: lines.Empty()
// reports it and the caller says what was expected.
func DecodeYAML(data []byte, file string, v any, opt YAMLOptions) (YAMLLines, []error) {
	lines, errs, _ := decodeYAML(data, file, v, opt)
	return lines, errs
}

// decodeYAML is DecodeYAML, also saying how many nodes the check visited
// (for the fuzz tests' bound on work against input).
func decodeYAML(data []byte, file string, v any, opt YAMLOptions) (YAMLLines, []error, int) {
	root, err := parseYAML(data, file, opt.What)
	if err != nil {
		return YAMLLines{}, []error{err}, 0
	}
	if root == nil {
		return YAMLLines{}, nil, 0
	}
	c := newYAMLCheck(file, max(opt.MaxErrs, 1))
	want := opt.Want
	if want == "" {
		want = "a mapping of keys"
	}
	c.root(root, reflect.TypeOf(v).Elem(), want)
	lines := YAMLLines{m: c.lines}
	if len(c.errs) > 0 {
		return lines, c.errs, c.nodes
	}
	if err := root.Decode(v); err != nil {
		// The check accepts only what the library decodes; this is a
		// safety net, not a path a file is expected to take.
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			err = errors.New(te.Errors[0])
		}
		line, detail := yamlErrorLine(err, data)
		return lines, []error{&FieldError{File: file, Line: line, Msg: clip(detail)}}, c.nodes
	}
	return lines, nil, c.nodes
}

// parseYAML parses the one document data holds; nil means it is empty.
func parseYAML(data []byte, file, what string) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, yamlSyntaxError(file, err, data)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return nil, yamlSyntaxError(file, err, data)
		}
		return nil, &FieldError{File: file, Line: extra.Line, Msg: fmt.Sprintf("a %s file holds one YAML document; found a second one", what)}
	}
	root := &doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil, nil
		}
		root = doc.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, nil
	}
	return root, nil
}

func yamlSyntaxError(file string, err error, data []byte) error {
	line, detail := yamlErrorLine(err, data)
	return &FieldError{File: file, Line: line, Msg: "YAML syntax: " + clip(detail)}
}

// YAMLLines maps the field paths of a document ("targets[1].cold_start",
// "knobs[0]") to the lines that wrote them.
type YAMLLines struct{ m map[string]int }

// Empty reports a document with nothing in it.
func (l YAMLLines) Empty() bool { return l.m == nil }

// Has reports whether the document wrote field.
func (l YAMLLines) Has(field string) bool {
	_, ok := l.m[field]
	return ok
}

// Line is the line of field, or of the nearest enclosing field the
// document wrote (the top level's first line at worst).
func (l YAMLLines) Line(field string) int {
	for p := field; ; {
		if line, ok := l.m[p]; ok {
			return line
		}
		i := lastSeparator(p)
		if i <= 0 {
			return l.m[""]
		}
		p = p[:i]
	}
}

func lastSeparator(p string) int {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' || p[i] == '[' {
			return i
		}
	}
	return -1
}

// Locate gives a *FieldError the file and the line of its field; other
// errors pass unchanged.
func (l YAMLLines) Locate(err error, file string) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return err
	}
	out := *fe
	out.File = file
	out.Line = l.Line(fe.Field)
	return &out
}
