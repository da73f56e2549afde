package realtime

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/coder/websocket"
)

// domainTimeout bounds one call into the room domain.
const domainTimeout = 10 * time.Second

// joinFrames are what a joining socket gets first: the events it missed
// (since > 0 and still available) or a snapshot. after is a close code to
// apply once they are written (an ended room); refuse closes at once.
// last and recent are the hub's last seq and ring at attach time: every
// later event is already on the way through the queue.
func (c *conn) joinFrames(h *hub, since, last uint64, recent []item) (frames []item, after, refuse websocket.StatusCode) {
	reset := false
	if since > 0 {
		if missed, ok := c.missed(h, since, recent); ok {
			return c.resumed(h, since, missed)
		}
		reset = true
	}
	snap, refuse := c.snapshot(h)
	if refuse != 0 {
		return nil, 0, refuse
	}
	frame, err := snapshotFrame(snap, h.countsNow(), last, reset, c.srv.now())
	if err != nil {
		c.srv.log.Error("realtime: snapshot", "room", c.roomID, "err", err)
		return nil, 0, closeInternal
	}
	c.sent = last
	if snap.Status == "ended" || snap.Status == "replay" {
		after = CloseRoomEnded
	}
	return []item{{n: 1, data: frame}}, after, 0
}

// resumed are the frames of a resume: the missed events and the counts.
// A missed status event that ended the room closes the socket after them.
func (c *conn) resumed(h *hub, since uint64, missed []item) (frames []item, after, refuse websocket.StatusCode) {
	if !h.statsKnown() { // a fresh hub: counts start from the stored totals
		if _, refuse := c.snapshot(h); refuse != 0 {
			return nil, 0, refuse
		}
	}
	c.sent = since
	for _, it := range missed {
		if it.ends {
			after = CloseRoomEnded
		}
	}
	if counts, err := encodeFrame(typeCounts, 0, c.srv.now().UnixMilli(), h.countsNow()); err == nil {
		missed = append(missed, item{n: 1, data: counts})
	}
	return missed, after, 0
}

// snapshot asks the domain for the room as c sees it and notes its totals.
func (c *conn) snapshot(h *hub) (Snapshot, websocket.StatusCode) {
	ctx, cancel := context.WithTimeout(c.ctx, domainTimeout)
	defer cancel()
	snap, err := c.srv.rooms.Snapshot(ctx, c.p, c.roomID)
	if err != nil {
		code, _ := c.srv.closeFor(err, c.roomID)
		return Snapshot{}, code
	}
	h.noteSnapshot(snap)
	return snap, 0
}

// missed returns the events after since: from the ring when it reaches
// back that far, else from the bus (with the ring for what the bus did not
// return). ok is false when some may be missing: the client needs a
// fresh snapshot.
func (c *conn) missed(h *hub, since uint64, recent []item) (_ []item, ok bool) {
	if items, covered := itemsAfter(recent, since); covered {
		return items, true
	}
	msgs, err := c.srv.bus.Replay(h.subject, since, c.srv.opt.ReplayMax)
	if err != nil {
		c.srv.log.Debug("realtime: resume from a fresh snapshot", "room", c.roomID, "since", since, "err", err)
		return nil, false
	}
	items := make([]item, 0, len(msgs))
	upTo := since
	for _, m := range msgs {
		if m.Seq <= upTo {
			continue
		}
		ev, err := decodeEvent(m)
		if err != nil {
			continue
		}
		items = append(items, item{seq: m.Seq, n: 1, data: ev.data, ends: ev.ends})
		upTo = m.Seq
	}
	if len(msgs) < c.srv.opt.ReplayMax {
		return items, true // the bus gave all it has: later ones come live
	}
	tail, covered := itemsAfter(recent, upTo)
	if !covered {
		return nil, false // more than ReplayMax missed and the ring does not reach back
	}
	return append(items, tail...), true
}

// itemsAfter returns the items with seq > since; covered is false when the
// items may not reach back to since.
func itemsAfter(items []item, since uint64) (after []item, covered bool) {
	if len(items) == 0 || since < items[0].seq {
		return nil, false
	}
	for _, it := range items {
		if it.seq > since {
			after = append(after, it)
		}
	}
	return after, true
}

// snapshotFrame adds counts, seq and reset to the domain's snapshot.
func snapshotFrame(s Snapshot, counts Counts, seq uint64, reset bool, now time.Time) ([]byte, error) {
	fields := map[string]json.RawMessage{}
	if len(s.Data) > 0 {
		if err := json.Unmarshal(s.Data, &fields); err != nil {
			return nil, fmt.Errorf("realtime: snapshot data is not a JSON object: %w", err)
		}
	}
	var err error
	if fields["counts"], err = json.Marshal(counts); err != nil {
		return nil, err
	}
	if reset {
		fields["reset"] = json.RawMessage("true")
	}
	return json.Marshal(struct {
		V    int                        `json:"v"`
		Type string                     `json:"type"`
		Seq  uint64                     `json:"seq"`
		TS   int64                      `json:"ts"`
		Data map[string]json.RawMessage `json:"data"`
	}{1, typeSnapshot, seq, now.UnixMilli(), fields})
}
