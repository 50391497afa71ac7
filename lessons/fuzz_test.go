package lessons

import (
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
)

// Lesson files come from instructors' folders; no input may panic the
// loader, every rejected file must say why in clean one-line messages, a
// lesson that loads carries no control character into the terminal, and
// the work is bounded by the input (aliases included). The seed corpus is
// in testdata/fuzz/FuzzParseLesson; .ci/run fuzzes it for a few seconds.
func FuzzParseLesson(f *testing.F) {
	f.Add([]byte(goodFront))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &problems{file: "lessons/01-x.md"}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := parseLesson(p.file, "01-x.md", data, p)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20+2048*uint64(len(data)) {
			t.Fatalf("%d bytes of lesson allocated %d MB", len(data), n>>20)
		}
		if len(p.errs) > maxProblems+2 {
			t.Fatalf("%d problems for one file", len(p.errs))
		}
		for _, e := range p.errs {
			msg := e.Error()
			if msg == "" || strings.ContainsAny(msg, "\n\r") || len(msg) > 1000 {
				t.Fatalf("bad message %.200q", msg)
			}
			if strings.IndexFunc(msg, unicode.IsControl) >= 0 {
				t.Fatalf("control character in %q", msg)
			}
		}
		if len(p.errs) > 0 {
			return
		}
		l := got.lesson
		texts := []string{l.Title, l.Summary, l.Prose}
		for _, k := range l.Knobs {
			texts = append(texts, k.Label, k.Unit, k.Field)
		}
		for _, q := range l.Quiz {
			texts = append(append(texts, q.Prompt, q.Explain), q.Choices...)
		}
		for _, s := range texts {
			if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0 {
				t.Fatalf("a loaded lesson carries a control character: %q", s)
			}
		}
	})
}

func FuzzLoadCourse(f *testing.F) {
	f.Add([]byte(lessonFile("First", "two-ways", twoKnobs, "")))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := goodFS()
		fsys["lessons/01-first.md"] = &fstest.MapFile{Data: data}
		c, err := Load(fsys)
		if (c == nil) == (err == nil) {
			t.Fatalf("Load gave course %v and error %v; want exactly one", c, err)
		}
	})
}
