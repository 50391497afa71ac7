package lessons

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// A lesson built from aliases (the 297 KB one of issue 11 took 3.8 GB and
// 28 s, and lint found nothing wrong) is refused before its aliases are
// walked: front matter lists are short, and every reader has a node budget.
func TestFrontMatterAliases(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\ntitle: Bomb\nscenario: two-ways\nquiz:\n  - &q\n    prompt: Why\n    answer: 0\n    choices:\n")
	for range 2000 {
		b.WriteString("      - a choice\n")
	}
	for range 25_000 {
		b.WriteString("  - *q\n") // each alias walks the 2,000 choices again
	}
	b.WriteString("---\nText.\n")
	src := b.String()
	if len(src) < 200<<10 {
		t.Fatalf("the bomb is only %d KB", len(src)>>10)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p := &problems{file: "lessons/01-bomb.md"}
	parseLesson(p.file, "01-bomb.md", []byte(src), p)
	runtime.ReadMemStats(&after)
	if len(p.errs) != 1 || p.errs[0].Error() != "lessons/01-bomb.md:4: quiz: 25001 entries; at most 30" {
		t.Fatalf("%d KB of aliases: %v", len(src)>>10, p.errs)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<20 {
		t.Errorf("refusing %d KB allocated %d MB", len(src)>>10, n>>20)
	}
}

// A title with OSC 0 (set the window title) and CSI 2J (clear the screen)
// used to pass lint and drive the terminal; now lint names the field, and
// Load refuses the lesson.
func TestControlCharactersInLessons(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"title", lessonFile(`"\e]0;pwned\a\e[2JFirst"`, "two-ways", twoKnobs, ""),
			`lessons/01-first.md:2: title: contains a control character (\x1b at character 1)`},
		{"knob label", lessonFile("First", "two-ways", "knobs:\n  - {label: \"L\\x9b2J\", field: load.rps, min: 1, max: 5, step: 1, default: 2}\n", ""),
			`lessons/01-first.md:5: knobs[0].label: contains a control character (\x9b at character 2)`},
		{"prose", "---\ntitle: First\nscenario: two-ways\n---\n\nText.\nMore \x1b]8;;http://x\x1b\\link\n",
			`lessons/01-first.md:7: the lesson text contains a control character (\x1b at character 6)`},
		{"quiz", lessonFile("First", "two-ways", "quiz:\n  - {prompt: \"Why\\x07?\", choices: [a, b], answer: 0}\n", ""),
			`lessons/01-first.md:5: quiz[0].prompt: contains a control character (\x07`},
	}
	for _, c := range cases {
		fsys := goodFS()
		fsys["lessons/01-first.md"] = &fstest.MapFile{Data: []byte(c.file)}
		errs := Lint(fsys)
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
			t.Errorf("%s: %v\nwant %s", c.name, errs, c.want)
			continue
		}
		if strings.ContainsAny(errs[0].Error(), "\x1b\x07\x9b") || strings.Contains(errs[0].Error(), "\u009b") {
			t.Errorf("%s: the message carries the control character: %q", c.name, errs[0])
		}
		if course, err := Load(fsys); course != nil || err == nil {
			t.Errorf("%s: Load accepted the lesson", c.name)
		}
	}
}

// A content folder from a stranger may hold a named pipe, a link to
// /dev/zero or a huge file among its lessons: lint reports each at once.
func TestLessonsMustBeRegularFiles(t *testing.T) {
	dir := t.TempDir()
	for name, data := range goodFS() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lessonsDir := filepath.Join(dir, "lessons")
	if err := os.Symlink("/dev/zero", filepath.Join(lessonsDir, "03-zero.md")); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(lessonsDir, "04-big.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(2 << 20); err != nil { // sparse: refused by its size
		t.Fatal(err)
	}
	big.Close()
	want := []string{"lessons/03-zero.md: is a device, not a lesson file", "lessons/04-big.md: is larger than 1 MiB, the limit for a lesson file"}
	if makeFIFO(t, filepath.Join(lessonsDir, "05-pipe.md")) {
		want = append(want, "lessons/05-pipe.md: is a named pipe, not a lesson file")
	}
	done := make(chan []error, 1)
	go func() { done <- Lint(os.DirFS(dir)) }()
	select {
	case errs := <-done:
		if len(errs) != len(want) {
			t.Fatalf("got %v, want %v", errs, want)
		}
		for i, w := range want {
			if errs[i].Error() != w {
				t.Errorf("error %d: %q, want %q", i, errs[i], w)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("lint blocked on a lesson file")
	}
}
