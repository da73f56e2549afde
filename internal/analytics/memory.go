package analytics

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Memory is an in-process work stream for tests and tools: a Sink and a
// Source in one. Fetched messages stay in flight until acknowledged;
// Redeliver puts the unacknowledged ones back, as the real stream does
// after its ack wait.
type Memory struct {
	mu       sync.Mutex
	ready    [][]byte
	inflight map[int][]byte
	next     int
	acked    int
	wake     chan struct{}
}

// NewMemory returns an empty stream.
func NewMemory() *Memory {
	return &Memory{inflight: map[int][]byte{}, wake: make(chan struct{}, 1)}
}

// PublishDurable implements Sink; data is copied.
func (m *Memory) PublishDurable(ctx context.Context, subject string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	m.ready = append(m.ready, slices.Clone(data))
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return nil
}

// Fetch implements Source, waiting up to 50 ms for a message.
func (m *Memory) Fetch(ctx context.Context, max int) ([]Delivery, error) {
	for {
		m.mu.Lock()
		if len(m.ready) > 0 {
			n := min(max, len(m.ready))
			out := make([]Delivery, n)
			for i, data := range m.ready[:n] {
				id := m.next
				m.next++
				m.inflight[id] = data
				out[i] = Delivery{Data: data, Ack: func() error { m.ack(id); return nil },
					Nak: func() error { m.nak(id); return nil }}
			}
			m.ready = m.ready[n:]
			m.mu.Unlock()
			return out, nil
		}
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-m.wake:
		case <-time.After(50 * time.Millisecond):
			return nil, nil
		}
	}
}

func (m *Memory) ack(id int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.inflight[id]; ok {
		delete(m.inflight, id)
		m.acked++
	}
}

// nak makes one message available again.
func (m *Memory) nak(id int) {
	m.mu.Lock()
	if data, ok := m.inflight[id]; ok {
		delete(m.inflight, id)
		m.ready = append(m.ready, data)
	}
	m.mu.Unlock()
}

// Redeliver makes every unacknowledged message available again.
func (m *Memory) Redeliver() {
	m.mu.Lock()
	for id, data := range m.inflight {
		m.ready = append(m.ready, data)
		delete(m.inflight, id)
	}
	m.mu.Unlock()
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Pending counts the messages not acknowledged yet (ready or in flight).
func (m *Memory) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ready) + len(m.inflight)
}

var (
	_ Sink   = (*Memory)(nil)
	_ Source = (*Memory)(nil)
)
