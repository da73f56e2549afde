package funnel

import "sync"

// rowKey is what storage deduplicates on; the buffer skips a row whose
// key it already holds, so a viewer refreshing a page costs nothing.
type rowKey struct {
	session, viewer, step, product string
	minute                         int64
}

func keyOf(r Row) rowKey {
	return rowKey{session: r.SessionID, viewer: r.Viewer, step: r.Step, product: r.ProductID, minute: r.Minute}
}

// buffer holds the rows waiting to be written, at most max of them.
type buffer struct {
	mu      sync.Mutex
	rows    []Row
	keys    map[rowKey]struct{}
	max     int
	dropped int64
	closed  bool
}

func newBuffer(limit int) *buffer {
	return &buffer{keys: map[rowKey]struct{}{}, max: limit}
}

// add queues r unless the buffer already holds its key. It never waits:
// a full buffer drops r and counts it. It returns how many rows wait, and
// ok false once the buffer is closed.
func (b *buffer) add(r Row) (pending int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return len(b.rows), false
	}
	k := keyOf(r)
	if _, dup := b.keys[k]; dup {
		return len(b.rows), true
	}
	if len(b.rows) >= b.max {
		b.dropped++
		return len(b.rows), true
	}
	b.rows = append(b.rows, r)
	b.keys[k] = struct{}{}
	return len(b.rows), true
}

// take empties the buffer and returns what it held.
func (b *buffer) take() []Row {
	b.mu.Lock()
	defer b.mu.Unlock()
	rows := b.rows
	if len(rows) > 0 {
		b.rows = nil
		clear(b.keys)
	}
	return rows
}

// close refuses rows from now on.
func (b *buffer) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
}

func (b *buffer) stats() (pending int, dropped int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.rows), b.dropped
}
