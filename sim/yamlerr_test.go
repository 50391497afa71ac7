package sim

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

// The line a YAML error names is the 1-based line of the problem, whatever
// part of the library found it, and whether or not it gave one.
func TestYAMLErrorLine(t *testing.T) {
	cases := []struct {
		src  string
		line int
	}{
		{"a: 1\nb: [x, y\nc: 2\n", 2},       // parser: counts from 0
		{"a:\n  b: 1\n c: 2\n", 3},          // parser
		{"name: [unclosed\n", 1},            // parser, at the end of input: clamped to the last line
		{"a: 1\nb: 2\n  c: 3\n", 3},         // scanner: already 1-based
		{"a: 1\n\tb: 2\n", 2},               // scanner: a tab
		{"a: {b: 1, c: [x, y}\n", 1},        // parser on the first line: no line given
		{"a: 1\nb: 2\nc: \"\x1b[2J\"\n", 3}, // reader: a control character, no line given
		{"a: 1\nb: \xff\n", 2},              // reader: not UTF-8, no line given
	}
	for _, c := range cases {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(c.src), &n)
		if err == nil {
			t.Fatalf("%q parsed", c.src)
		}
		line, detail := yamlErrorLine(err, []byte(c.src))
		if line != c.line || detail == "" {
			t.Errorf("%q: line %d (%q), want %d", c.src, line, detail, c.line)
		}
	}
}
