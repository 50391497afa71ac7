package lessons

import (
	"errors"
	"testing"
)

// The progress file is read on every start; nothing in it may panic the
// reader, and whatever it accepts must survive a save unchanged.
// testdata/fuzz/FuzzDecodeProgress holds the seed corpus.
func FuzzDecodeProgress(f *testing.F) {
	f.Add([]byte(`{"version": 1, "last": "a", "completed": {"a": true}, "answers": {"a": [1, -1]}, "knobs": {"a": [1.5]}}`))
	f.Add([]byte(`{"version": 2, "last": "a", "last_at": "2026-12-02T09:00:01Z", "lessons": {"a": {"visited": true, "answers": [0, -1], "answers_at": "2026-12-02T09:00:02.5+01:00", "predictions": {"p": {"guess": 1e300, "at": "2026-12-02T09:00:03Z"}}}}}`))
	f.Add([]byte(`{"version": 3, "anything": [1, 2, 3]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodeProgress(data, "progress.json")
		if err != nil {
			var newer *NewerProgressError
			if errors.As(err, &newer) && newer.Version <= progressVersion {
				t.Fatalf("version %d called newer", newer.Version)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		out, err := encodeProgress(p)
		if err != nil {
			t.Fatalf("accepted %q but cannot write it back: %v", data, err)
		}
		again, err := decodeProgress(out, "progress.json")
		if err != nil || !sameProgress(again, p) {
			t.Fatalf("round trip changed it: %v\n%s", err, out)
		}
		if !sameProgress(p.Merge(p), p) {
			t.Fatal("merging with itself changed it")
		}
		for slug := range p.lessons {
			p.Status(slug, Requirements{Challenge: true, Questions: 3, Key: []int{0, 1, 2}})
		}
	})
}
