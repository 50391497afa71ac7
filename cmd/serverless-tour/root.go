package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/serverless-tour/serverless-tour/content"
	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
	"github.com/serverless-tour/serverless-tour/tour"
)

// globalFlags are shared by every subcommand.
type globalFlags struct {
	contentDir  string
	pricingFile string
}

// usageError is a misused command line: exit code 2 and a pointer to
// --help. Other errors that are not runtimeErrors are bad input too (a
// malformed file, an unknown name) and also exit 2, without the pointer.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func isUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return true
	}
	s := err.Error()
	for _, prefix := range []string{"flag needs an argument", "unknown flag", "unknown shorthand flag", "unknown command", "invalid argument", "accepts ", "requires "} {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{}
	var (
		lessonRef     string
		theme         string
		noColor       bool
		resetProgress bool
	)
	root := &cobra.Command{
		Use:   "serverless-tour",
		Short: "A terminal tour of how serverless computing really works",
		Long: "A terminal tour of how serverless computing works underneath: lessons beside\n" +
			"live simulations of load, scaling and cost that you adjust with the keyboard.",
		Example: "  # start the tour, or resume where you left off\n" +
			"  serverless-tour\n" +
			"  # open lesson 2 (by number or slug)\n" +
			"  serverless-tour --lesson 2\n" +
			"  # run a scenario, or price a month of Lambda\n" +
			"  serverless-tour sim content/scenarios/lunch-rush.yaml\n" +
			"  serverless-tour cost lambda --requests 3M --duration 120ms --memory 1536MB --free-tier",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The whole command line is checked before anything changes, so
			// a mistake in it never costs a learner their progress.
			switch theme {
			case "auto", "dark", "light":
			default:
				return usageError{fmt.Sprintf("--theme must be auto, dark or light, not %q", printable(theme))}
			}
			course, err := g.course()
			if err != nil {
				return err
			}
			start := -1
			if lessonRef != "" {
				if start, err = course.Find(lessonRef); err != nil {
					return usageError{err.Error()}
				}
			}
			if !isTerminal(stdin) || !isTerminal(stdout) {
				return usageError{"the tour needs an interactive terminal to read keys from and draw in; for plain output try `serverless-tour list` or `serverless-tour sim FILE`"}
			}
			pricing, err := g.pricing()
			if err != nil {
				return err
			}
			path, err := lessons.DefaultProgressPath()
			if err != nil {
				return runtimeError{fmt.Errorf("finding where to keep progress: %w", err)}
			}
			// Notes for the learner are printed after the tour, when the
			// alternate screen is gone and they can be read.
			var notes []string
			defer func() {
				for _, n := range notes {
					fmt.Fprintln(stderr, printable(n))
				}
			}()
			if resetProgress {
				backup, err := lessons.ResetProgress(path)
				if err != nil {
					return runtimeError{err}
				}
				if backup != "" {
					notes = append(notes, fmt.Sprintf("Progress cleared. The old progress is kept in %s; to restore it, quit and rename it to %s.", backup, path))
				}
			}
			progress, err := lessons.LoadProgress(path)
			savePath, warning := path, ""
			if err != nil {
				var corrupt *lessons.CorruptProgressError
				var newer *lessons.NewerProgressError
				switch {
				case errors.As(err, &newer):
					// Keep this session's progress in memory only: the
					// file is a newer release's and stays as it is.
					savePath, warning = "", "progress will not be saved: a newer serverless-tour wrote it"
				case errors.As(err, &corrupt):
					warning = "the progress file was unreadable and was moved aside; starting afresh"
				default:
					return runtimeError{err}
				}
				notes = append(notes, "warning: "+err.Error())
			}
			cfg := tour.Config{
				Course:       course,
				Pricing:      pricing,
				Progress:     progress,
				ProgressPath: savePath,
				Warning:      warning,
				Start:        start,
				Theme:        theme,
				NoColor:      noColor || os.Getenv("NO_COLOR") != "",
			}
			opts := append(tour.ProgramOptions(cfg), tea.WithContext(cmd.Context()), tea.WithInput(stdin), tea.WithOutput(stdout))
			if _, err := tea.NewProgram(tour.New(cfg), opts...).Run(); err != nil && !errors.Is(err, tea.ErrInterrupted) {
				return runtimeError{err}
			}
			return nil
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&g.contentDir, "content", "", "load lessons and scenarios from this folder instead of the built-in ones")
	root.PersistentFlags().StringVar(&g.pricingFile, "pricing", "", "use this price table (same shape as content/pricing/aws-us-east-1.yaml)")
	root.Flags().StringVar(&lessonRef, "lesson", "", "open this lesson (number or slug)")
	root.Flags().StringVar(&theme, "theme", "auto", "colour theme: auto, dark or light")
	root.Flags().BoolVar(&noColor, "no-color", false, "no colour at all (also when NO_COLOR is set)")
	root.Flags().BoolVar(&resetProgress, "reset-progress", false, "forget completed lessons and start from the first")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })

	root.AddCommand(
		newListCmd(g, stdout, stderr),
		newLintCmd(g, stdout),
		newVersionCmd(stdout),
		newSimCmd(g, stdout),
		newCostCmd(g, stdout),
		newServeCmd(g, stdout, stderr),
	)
	return root
}

// contentFS is the built-in content, or the folder dir, which the
// command line named through via (--content, or lint's DIR): messages
// about it say which.
func contentFS(dir, via string) (fs.FS, error) {
	if dir == "" {
		return content.FS, nil
	}
	name := via + " " + printable(dir)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, usageError{name + ": no such folder"}
	case err != nil:
		return nil, usageError{fmt.Sprintf("%s: %v", name, pathErrText(err))}
	case !info.IsDir():
		return nil, usageError{name + ": not a folder (a content folder holds lessons/ and scenarios/)"}
	}
	// Read it once here, so that a folder the user may not read is
	// reported as that folder, not as the lessons/ inside it.
	f, err := os.Open(dir)
	if err == nil {
		_, err = f.ReadDir(1)
		f.Close()
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, usageError{fmt.Sprintf("%s: cannot read the folder: %v", name, pathErrText(err))}
	}
	return os.DirFS(dir), nil
}

// pathErrText is an error without the path a *fs.PathError repeats.
func pathErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (g *globalFlags) course() (*lessons.Course, error) {
	fsys, err := contentFS(g.contentDir, "--content")
	if err != nil {
		return nil, err
	}
	course, err := lessons.Load(fsys)
	if err != nil {
		return nil, err
	}
	return course, nil
}

// defaultPricing is the table the tour ships with.
const defaultPricing = "pricing/aws-us-east-1.yaml"

func (g *globalFlags) pricing() (*sim.Pricing, error) {
	name := g.pricingFile
	var (
		data []byte
		err  error
	)
	if name == "" {
		name = defaultPricing
		data, err = fs.ReadFile(content.FS, defaultPricing)
	} else {
		data, err = sim.ReadFile(name, sim.PricingFile) // a regular file within its size limit
	}
	if err != nil {
		return nil, usageError{fmt.Sprintf("--pricing: %v", printable(err.Error()))}
	}
	p, err := sim.ParsePricing(data, name)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// isTerminal reports whether stream (stdin or stdout) is a terminal.
func isTerminal(stream any) bool {
	f, ok := stream.(term.File)
	return ok && term.IsTerminal(f.Fd())
}
