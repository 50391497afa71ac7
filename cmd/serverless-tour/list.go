package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/serverless-tour/serverless-tour/lessons"
)

func newListCmd(g *globalFlags, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the lessons, with a mark on those you have completed",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			course, err := g.course()
			if err != nil {
				return err
			}
			progress := loadProgressQuietly(stderr)
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "#\tSLUG\tTITLE\tDONE")
			for _, l := range course.Lessons {
				done := ""
				if progress.Completed[l.Slug] {
					done = "✓"
				}
				fmt.Fprintf(tw, "%02d\t%s\t%s\t%s\n", l.Number, l.Slug, l.Title, done)
			}
			return tw.Flush()
		},
	}
}

// loadProgressQuietly reads the learner's progress for display: a
// problem with it is a warning on stderr, never a failure of the command.
func loadProgressQuietly(stderr io.Writer) lessons.Progress {
	path, err := lessons.DefaultProgressPath()
	if err != nil {
		return lessons.Progress{}
	}
	p, err := lessons.LoadProgress(path)
	if err != nil {
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	return p
}

func newLintCmd(g *globalFlags, stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check a content folder (lessons/, scenarios/) and report every problem",
		Long: "Check a content folder laid out like the built-in one (lessons/NN-slug.md,\n" +
			"scenarios/*.yaml) and report every problem with its file and line.\n" +
			"Without DIR, checks --content or the built-in lessons.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				g.contentDir = args[0]
			}
			fsys, err := g.contentFS()
			if err != nil {
				return err
			}
			problems := lessons.Lint(fsys)
			where := g.contentDir
			if where == "" {
				where = "built-in content"
			}
			if len(problems) == 0 {
				fmt.Fprintf(stdout, "%s: no problems\n", where)
				return nil
			}
			for _, p := range problems {
				fmt.Fprintln(stdout, p)
			}
			return fmt.Errorf("%s: %d problem(s)", where, len(problems))
		},
	}
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			fmt.Fprintln(stdout, "serverless-tour", versionString())
			return nil
		},
	}
}

// versionString is what the build injected, falling back to the module
// version that `go install ...@vX` records.
func versionString() string {
	v, c, d := version, commit, date
	if v == "dev" {
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
	}
	s := v
	if c != "" {
		if len(c) > 12 {
			c = c[:12]
		}
		s += " (commit " + c
		if d != "" {
			s += ", built " + d
		}
		s += ")"
	} else if d != "" {
		s += " (built " + d + ")"
	}
	return s
}
