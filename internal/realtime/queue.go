package realtime

import (
	"sync"

	"github.com/coder/websocket"
)

// item is one encoded frame for a socket. seq is 0 for ephemeral frames.
// data holds n envelopes joined by commas (one tick of a busy room is a
// single item shared by every socket); seq is the highest among them.
type item struct {
	seq  uint64
	n    int
	data []byte
	ends bool // a status event that ends the room (kept in the ring for resumes)
}

// queue is a connection's bounded outbox. Pushing never blocks: a full
// queue refuses, and the room drops that connection rather than wait.
// The writer takes everything at once, which is what batches frames.
type queue struct {
	mu          sync.Mutex
	items       []item
	spare       []item
	max         int
	closeCode   websocket.StatusCode // after the queued frames, close with this
	closeReason string
	wake        chan struct{}
}

func newQueue(max int) *queue {
	return &queue{max: max, wake: make(chan struct{}, 1)}
}

// push queues frames; false when they do not fit (nothing is queued
// then). A closing queue takes nothing more, silently.
func (q *queue) push(its ...item) bool {
	q.mu.Lock()
	if q.closeCode != 0 {
		q.mu.Unlock()
		return true
	}
	if len(q.items)+len(its) > q.max {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, its...)
	q.mu.Unlock()
	q.signal()
	return true
}

// closeAfter asks the writer to close with code once the frames queued so
// far are written. The first call wins.
func (q *queue) closeAfter(code websocket.StatusCode, reason string) {
	q.mu.Lock()
	if q.closeCode == 0 {
		q.closeCode, q.closeReason = code, reason
	}
	q.mu.Unlock()
	q.signal()
}

// take returns everything queued and the close request, if any. The
// returned slice is valid until the next take.
func (q *queue) take() ([]item, websocket.StatusCode, string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	its := q.items
	q.items = q.spare[:0]
	q.spare = its
	return its, q.closeCode, q.closeReason
}

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}
