package tour

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/serverless-tour/serverless-tour/lessons"
)

// Messages of the progress saves.
type (
	saveMsg struct{ gen int }
	// savedMsg is a save's outcome: the error, or the progress now on
	// disk, which holds what other windows saved too.
	savedMsg struct {
		disk lessons.Progress
		err  error
	}
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

func (w *saver) save(p lessons.Progress, seq int) savedMsg {
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq < w.written {
		return savedMsg{disk: p} // a newer save is already on disk
	}
	w.written = seq
	disk, err := p.Save(w.path)
	return savedMsg{disk: disk, err: err}
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
	p, seq, w := m.progress.Clone(), m.saveSeq, m.saver
	return func() tea.Msg { return w.save(p, seq) }
}
