package feed

import "sort"

// best keeps the max smallest items by less, sorted, as they are added:
// a feed needs its top few dozen rooms out of thousands, so sorting them
// all would waste most of the work.
type best[T any] struct {
	items []T
	max   int
	less  func(a, b T) bool
}

func newBest[T any](max int, less func(a, b T) bool) *best[T] {
	return &best[T]{items: make([]T, 0, max), max: max, less: less}
}

func (b *best[T]) add(x T) {
	n := len(b.items)
	if b.max <= 0 || n == b.max && !b.less(x, b.items[n-1]) {
		return
	}
	i := sort.Search(n, func(i int) bool { return b.less(x, b.items[i]) })
	if n < b.max {
		b.items = append(b.items, x)
	}
	copy(b.items[i+1:], b.items[i:len(b.items)-1])
	b.items[i] = x
}
