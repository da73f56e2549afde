package realtime

// sampleTick chooses what a room in tick mode delivers: every event that
// is not droppable, and at most keep droppable ones (viewers' chat),
// spread evenly over the tick, in their original order.
func sampleTick(evs []event, keep int) []event {
	drop := 0
	for _, e := range evs {
		if e.droppable {
			drop++
		}
	}
	if drop <= keep {
		return evs
	}
	out := make([]event, 0, len(evs)-drop+keep)
	// The i-th droppable event is kept when it starts a new bucket of
	// drop/keep events: floor(i*keep/drop) changes.
	i := 0
	for _, e := range evs {
		if !e.droppable {
			out = append(out, e)
			continue
		}
		if keep > 0 && (i == 0 || i*keep/drop != (i-1)*keep/drop) {
			out = append(out, e)
		}
		i++
	}
	return out
}
