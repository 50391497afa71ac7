package sim

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yaml.v3 reports syntax errors as text only ("yaml: line 4: found a tab
// character ..."), so the line is read back from it. Its parser (unlike
// its scanner and decoder) counts lines from 0, and leaves the line out
// altogether for the first line and for errors of the reader (control
// characters, bad UTF-8), which are found in the input instead.
var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlErrorLine splits a YAML error into a 1-based line of src and the
// detail. A line past the end of src (an unclosed bracket on the last
// line is reported at the end of the input) is held to the last line.
func yamlErrorLine(err error, src []byte) (line int, detail string) {
	msg := err.Error()
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		detail = strings.TrimPrefix(msg, "yaml: ")
		return unnumberedLine(detail, src), detail
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
	return line, detail
}

// unnumberedLine finds the line of an error reported without one.
func unnumberedLine(detail string, src []byte) int {
	if strings.Contains(detail, "control characters") || strings.Contains(detail, "UTF-8") {
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 || isControl(r) && r != '\r' {
				return bytes.Count(src[:i], []byte("\n")) + 1
			}
			i += size
		}
	}
	return 1 // the parser's line 0
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
