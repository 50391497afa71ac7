package lessons

import (
	"fmt"
	"strings"
)

// Error is one problem in a content folder. It prints as
// "file:line: field: message", the shape editors and terminals link to.
type Error struct {
	File  string // path inside the content folder, e.g. "lessons/02-idle.md"
	Line  int    // 1-based line in File; 0 when the problem is the whole file
	Field string // front-matter path such as "knobs[0].max"; may be empty
	Msg   string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// problems collects the errors found in one file, so that a lint run
// reports every one of them rather than stopping at the first.
type problems struct {
	file string
	errs []error
}

func (p *problems) add(line int, field, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}
