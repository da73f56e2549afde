package realtime

// ring keeps the last events of a room by seq, so a client reconnecting
// to this node resumes without asking the bus.
type ring struct {
	items []item // circular, oldest at start
	start int
	n     int
}

func newRing(size int) *ring { return &ring{items: make([]item, size)} }

// push adds an event; seqs only grow.
func (r *ring) push(it item) {
	if len(r.items) == 0 {
		return
	}
	if r.n < len(r.items) {
		r.items[(r.start+r.n)%len(r.items)] = it
		r.n++
		return
	}
	r.items[r.start] = it
	r.start = (r.start + 1) % len(r.items)
}

func (r *ring) at(i int) item { return r.items[(r.start+i)%len(r.items)] }
