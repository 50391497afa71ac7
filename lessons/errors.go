package lessons

import (
	"fmt"

	"github.com/serverless-tour/serverless-tour/sim"
)

// Error is one problem in a content folder: File is the path inside the
// folder ("lessons/02-idle.md"), Line 1-based (0 for the whole file), and
// Field a front-matter path such as "knobs[0].max". It prints as
// "file:line: field: message", the shape editors and terminals link to,
// and is the same type as a scenario's errors, which lint reports too.
type Error = sim.FieldError

// problems collects the errors found in one file, so that a lint run
// reports every one of them rather than stopping at the first.
type problems struct {
	file string
	errs []error
}

func (p *problems) add(line int, field, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}
