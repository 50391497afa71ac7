// Command serverless-tour is a terminal tour of how serverless computing
// works underneath: lessons beside live simulations of load, scaling and
// cost.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Set by the release build with -ldflags "-X main.version=... -X main.commit=... -X main.date=...".
var (
	version = "dev"
	commit  = ""
	date    = ""
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line and returns the process exit code:
// 0 success, 1 a failure while running, 2 bad input (flags, files, names).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := fang.Execute(ctx, root,
		fang.WithVersion(versionString()),
		fang.WithErrorHandler(oneLineError),
	)
	if err == nil {
		return 0
	}
	var fail runtimeError
	if errors.As(err, &fail) {
		return 1
	}
	return 2
}

// runtimeError marks a failure that is not the user's input (the terminal
// went away, a file could not be written): exit code 1 rather than 2.
type runtimeError struct{ err error }

func (e runtimeError) Error() string { return e.err.Error() }
func (e runtimeError) Unwrap() error { return e.err }

// oneLineError prints errors on a single line, so that scripts and
// classrooms see exactly what went wrong and nothing else. Messages quote
// names and text from files and flags, so anything a terminal would obey
// is escaped (printableLines; several problems stay one to a line).
func oneLineError(w io.Writer, styles fang.Styles, err error) {
	msg := printableLines(err.Error())
	if isUsage(err) {
		msg += " (see --help)"
	}
	label := "error:"
	if cw, ok := w.(*colorprofile.Writer); ok && cw.Profile > colorprofile.NoTTY {
		label = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Red).Render(label)
	}
	fmt.Fprintf(w, "serverless-tour: %s %s\n", label, msg)
}
