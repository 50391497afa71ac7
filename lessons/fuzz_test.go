package lessons

import (
	"testing"
	"testing/fstest"
)

// Lesson files come from instructors' folders; no input may panic the
// loader, and every rejected file must say why.
func FuzzParseLesson(f *testing.F) {
	f.Add([]byte(goodFront))
	f.Add([]byte("---\ntitle: x\n---\n"))
	f.Add([]byte("---\n- a\n---\nb"))
	f.Add([]byte("---\nknobs: [{min: .nan, max: *a}]\n---\nb"))
	f.Add([]byte("---\nquiz: &a [*a]\n---\nb"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &problems{file: "lessons/01-x.md"}
		parseLesson(p.file, "01-x.md", data, p)
		for _, e := range p.errs {
			if e.Error() == "" {
				t.Fatal("empty error message")
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
