package sim

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// YAMLErrorLine splits a go.yaml.in/yaml/v3 error ("yaml: line 4: found a
// tab character ...") into a 1-based line and the detail, for messages in
// the "file:line: what" form. The library's parser (unlike its scanner
// and decoder) counts its lines from 0, so those messages are recognised
// and shifted, but never past the last line of src, the text parsed (an
// unclosed bracket on the last line is reported at the end of the input).
// ok is false when the error names no line.
func YAMLErrorLine(err error, src []byte) (line int, detail string, ok bool) {
	msg := err.Error()
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: "), false
	}
	line, _ = strconv.Atoi(m[1])
	detail = m[2]
	if yamlParserError(detail) {
		line++
	}
	last := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		last++
	}
	if last > 0 && line > last {
		line = last
	}
	return line, detail, true
}

func yamlParserError(detail string) bool {
	for _, p := range []string{"did not find expected", "found duplicate %TAG directive",
		"found duplicate %YAML directive", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(detail, p) {
			return true
		}
	}
	return false
}
