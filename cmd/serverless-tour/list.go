package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/serverless-tour/serverless-tour/lessons"
	"github.com/serverless-tour/serverless-tour/sim"
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
			w := &checkedWriter{w: stdout}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "#\tSLUG\tTITLE\tDONE")
			for _, l := range course.Lessons {
				fmt.Fprintf(tw, "%02d\t%s\t%s\t%s\n", l.Number, printable(l.Slug), printable(l.Title), doneMark(progress.Status(l.Slug, l.Requirements())))
			}
			return w.done(tw.Flush())
		},
	}
}

// doneMark is ✓ for a complete lesson and, for one begun, what is left.
func doneMark(s lessons.LessonStatus) string {
	switch {
	case s.Complete:
		return "✓"
	case s.Visited:
		return "begun; left: " + strings.Join(s.Left, ", ")
	}
	return ""
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
		fmt.Fprintln(stderr, "warning:", printable(err.Error()))
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
			dir, via := g.contentDir, "--content"
			if len(args) == 1 {
				dir, via = args[0], "lint"
			}
			fsys, err := contentFS(dir, via)
			if err != nil {
				return err
			}
			problems := lessons.Lint(fsys)
			where := printable(dir)
			if dir == "" {
				where = "built-in content"
			}
			w := &checkedWriter{w: stdout}
			if len(problems) == 0 {
				// The files are sound: prove each challenge reachable by
				// running the lessons on the engine.
				course, err := lessons.Load(fsys)
				if err != nil {
					return err
				}
				pricing, err := g.pricing()
				if err != nil {
					return err
				}
				for _, r := range course.CheckChallenges(sim.Run, sim.Options{Pricing: pricing}) {
					if r.Err != nil {
						problems = append(problems, r.Err)
						continue
					}
					fmt.Fprintf(w, "%s: challenge met at %s\n", r.Lesson.Source, printable(r.Setting()))
				}
			}
			if len(problems) == 0 {
				fmt.Fprintf(w, "%s: no problems\n", where)
				return w.done(nil)
			}
			for _, p := range problems {
				fmt.Fprintln(w, printableLines(p.Error()))
			}
			return w.done(fmt.Errorf("%s: %s problem(s)", where, sim.Thousands(int64(len(problems)))))
		},
	}
}

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			w := &checkedWriter{w: stdout}
			fmt.Fprintln(w, "serverless-tour", versionString())
			return w.done(nil)
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
