package sim

import "math"

// timeHeap is the engine's one priority queue: a binary min-heap of values
// ordered by a time (requests by when they finish, retries by when they come
// back, pooling's slots by when they free). The time sits beside the value
// rather than behind a comparison function, so the compiler sees a plain
// float64 compare in the hot loops; with container/heap's interface calls
// the engine's hot operation (replace the top) takes over twice as long
// (BenchmarkHeapReplaceTop).
//
// Times must not be negative (they are seconds since the start of a run):
// sift-down compares their bits as unsigned integers, see siftDown.
type timeHeap[T any] struct {
	e []timed[T]
}

// timed is one entry: a value and its time.
type timed[T any] struct {
	at float64
	v  T
}

func (h *timeHeap[T]) len() int { return len(h.e) }

// top is the earliest entry; the heap must not be empty.
func (h *timeHeap[T]) top() *timed[T] { return &h.e[0] }

// due says whether the earliest entry's time is at or before t.
func (h *timeHeap[T]) due(t float64) bool { return len(h.e) > 0 && h.e[0].at <= t }

// next is the earliest time, +Inf when the heap is empty.
func (h *timeHeap[T]) next() float64 {
	if len(h.e) == 0 {
		return math.Inf(1)
	}
	return h.e[0].at
}

// second is the second earliest time (the smaller of the top's children),
// +Inf when there is none.
func (h *timeHeap[T]) second() float64 {
	s := math.Inf(1)
	for _, e := range h.e[min(1, len(h.e)):min(3, len(h.e))] {
		s = min(s, e.at)
	}
	return s
}

func (h *timeHeap[T]) push(at float64, v T) {
	h.e = append(h.e, timed[T]{})
	e := h.e
	i := len(e) - 1
	for i > 0 {
		p := (i - 1) / 2
		if e[p].at <= at {
			break
		}
		e[i] = e[p]
		i = p
	}
	e[i] = timed[T]{at, v}
}

// pop removes and returns the earliest entry; the heap must not be empty.
func (h *timeHeap[T]) pop() timed[T] {
	top := h.e[0]
	last := len(h.e) - 1
	h.e[0] = h.e[last]
	h.e = h.e[:last]
	if last > 0 {
		h.siftDown(0)
	}
	return top
}

// replaceTop puts a new entry in the earliest one's place: a pop and a push
// in one sift.
func (h *timeHeap[T]) replaceTop(at float64, v T) {
	h.e[0] = timed[T]{at, v}
	h.siftDown(0)
}

// retain keeps the entries keep accepts, in their order, and restores the
// heap over them.
func (h *timeHeap[T]) retain(keep func(*timed[T]) bool) {
	kept := h.e[:0]
	for i := range h.e {
		if keep(&h.e[i]) {
			kept = append(kept, h.e[i])
		}
	}
	clear(h.e[len(kept):])
	h.e = kept
	for i := len(h.e)/2 - 1; i >= 0; i-- {
		h.siftDown(i)
	}
}

// reset empties the heap, keeping its memory.
func (h *timeHeap[T]) reset() { h.e = h.e[:0] }

// siftDown restores the heap below i bottom-up: it walks the smaller
// children down to a leaf, then lifts x back up. The new entry is usually
// late (a request that just started), so this does about half the
// comparisons of the textbook version, and those it skips are the
// unpredictable ones.
func (h *timeHeap[T]) siftDown(i int) {
	e := h.e
	n := len(e)
	x := e[i]
	top := i
	for {
		l := 2*i + 1
		if l+1 >= n {
			if l < n { // an only child
				e[i] = e[l]
				i = l
			}
			break
		}
		// Times are never negative, so their bits order like unsigned
		// integers: an integer compare lets the compiler pick the child
		// with a conditional move instead of a coin-flip branch.
		c := l
		if math.Float64bits(e[l+1].at) < math.Float64bits(e[l].at) {
			c = l + 1
		}
		e[i] = e[c]
		i = c
	}
	for i > top {
		p := (i - 1) / 2
		if e[p].at <= x.at {
			break
		}
		e[i] = e[p]
		i = p
	}
	e[i] = x
}
