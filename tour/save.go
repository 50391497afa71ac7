package tour

import (
	"maps"
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
)

// Messages of the progress saves.
type (
	saveMsg  struct{ gen int }
	savedMsg struct{ err error }
)

// saver writes the progress file. Saves run as commands, concurrently,
// and an older one finishing last must not overwrite a newer file, so it
// numbers them. One per model (shared by the model's copies), never
// global.
type saver struct {
	path    string
	mu      sync.Mutex
	written int
}

func (w *saver) save(p lessons.Progress, seq int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq < w.written {
		return nil // a newer save is already on disk
	}
	w.written = seq
	return p.Save(w.path)
}

// saveLater saves once a burst of changes (a held key) is over.
func (m *Model) saveLater() tea.Cmd {
	m.saveGen++
	return m.clock(saveAfter, saveMsg{gen: m.saveGen})
}

// saveNow writes a copy of the progress off the UI loop.
func (m *Model) saveNow() tea.Cmd {
	if m.saver.path == "" {
		return nil
	}
	m.saveGen++ // a pending debounced save is now covered
	m.saveSeq++
	p, seq, w := cloneProgress(m.progress), m.saveSeq, m.saver
	return func() tea.Msg { return savedMsg{err: w.save(p, seq)} }
}

func cloneProgress(p lessons.Progress) lessons.Progress {
	c := p
	c.Completed = maps.Clone(p.Completed)
	c.Answers = make(map[string][]int, len(p.Answers))
	for k, v := range p.Answers {
		c.Answers[k] = slices.Clone(v)
	}
	c.Knobs = make(map[string][]float64, len(p.Knobs))
	for k, v := range p.Knobs {
		c.Knobs[k] = slices.Clone(v)
	}
	return c
}
