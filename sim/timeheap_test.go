package sim

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The heap gives entries back in time order whatever mix of pushes, pops,
// top replacements and filters built it.
func TestTimeHeapOrdersByTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h timeHeap[int]
	var want []float64 // the times the heap holds
	for step := range 20000 {
		switch op := rng.IntN(10); {
		case op < 5 || h.len() == 0:
			at := rng.Float64() * 100
			if rng.IntN(4) == 0 {
				at = float64(rng.IntN(5)) // ties
			}
			h.push(at, step)
			want = append(want, at)
		case op < 7:
			e := h.pop()
			i := slices.Index(want, e.at)
			if i < 0 || e.at != slices.Min(want) {
				t.Fatalf("step %d: popped %v, want the minimum %v", step, e.at, slices.Min(want))
			}
			want = slices.Delete(want, i, i+1)
		case op < 9:
			if got := h.top().at; got != slices.Min(want) {
				t.Fatalf("step %d: top %v, want %v", step, got, slices.Min(want))
			}
			at := h.top().at + rng.Float64()*10
			want = slices.Delete(want, slices.Index(want, h.top().at), slices.Index(want, h.top().at)+1)
			h.replaceTop(at, step)
			want = append(want, at)
		default:
			cut := rng.Float64() * 100
			h.retain(func(e *timed[int]) bool { return e.at < cut })
			want = slices.DeleteFunc(want, func(v float64) bool { return v >= cut })
		}
		if h.len() != len(want) {
			t.Fatalf("step %d: %d entries, want %d", step, h.len(), len(want))
		}
		if len(want) >= 2 {
			s := slices.Sorted(slices.Values(want))
			if h.next() != s[0] || h.second() != s[1] {
				t.Fatalf("step %d: next %v second %v, want %v %v", step, h.next(), h.second(), s[0], s[1])
			}
		}
	}
	var got []float64
	for h.len() > 0 {
		got = append(got, h.pop().at)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("drained %v, want %v", got, want)
	}
	if !math.IsInf(h.next(), 1) || !math.IsInf(h.second(), 1) || h.due(1e300) {
		t.Fatal("an empty heap must have no next time and nothing due")
	}
}

// The engine's hot operation, a request finishing and the next one taking
// its slot (replace the top), on a heap the size of an M/M/c fleet's: the
// engine's heap against container/heap on the same entries.
func BenchmarkHeapReplaceTop(b *testing.B) {
	const slots = 55
	b.Run("timeHeap", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		var h timeHeap[job]
		for i := range slots {
			h.push(rng.ExpFloat64(), job{vm: int32(i)})
		}
		for b.Loop() {
			top := h.top()
			h.replaceTop(top.at+rng.ExpFloat64()*slots, top.v)
		}
	})
	b.Run("container/heap", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(1, 2))
		h := &stdHeap{}
		for i := range slots {
			heap.Push(h, timed[job]{rng.ExpFloat64(), job{vm: int32(i)}})
		}
		for b.Loop() {
			(*h)[0].at += rng.ExpFloat64() * slots
			heap.Fix(h, 0)
		}
	})
}

type stdHeap []timed[job]

func (h stdHeap) Len() int           { return len(h) }
func (h stdHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h stdHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *stdHeap) Push(x any)        { *h = append(*h, x.(timed[job])) }
func (h *stdHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
