package realtime

import (
	"context"
	"encoding/json"
	"time"
)

// runTicks flushes a busy room's events every Options.Tick.
func (h *hub) runTicks() {
	defer h.loops.Done()
	t := time.NewTicker(h.srv.opt.Tick)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			h.flushTick()
		case <-h.quit:
			return
		}
	}
}

// runPulse publishes the aggregated likes and this node's presence, and
// sends counts to the local sockets. It does the room's blocking work
// (bus publishes, storage), away from the fan-out.
func (h *hub) runPulse() {
	defer h.loops.Done()
	likes := time.NewTicker(h.srv.opt.LikesEvery)
	defer likes.Stop()
	presence := time.NewTicker(h.srv.opt.PresenceEvery)
	defer presence.Stop()
	for {
		select {
		case <-likes.C:
			h.publishLikes()
		case <-presence.C:
			h.publishPresence()
			h.reportWatch(h.srv.now(), false)
		case <-h.quit:
			// The last word: the taps still pending, and no viewers here
			// any more, so other nodes need not wait for the report to age.
			h.publishLikes()
			h.publishPresence()
			h.reportWatch(h.srv.now(), true)
			return
		}
	}
}

// publishLikes sends the taps of the last period as one likes event and
// adds them to the session's total.
func (h *hub) publishLikes() {
	h.mu.Lock()
	n := h.likes
	h.likes = 0
	h.mu.Unlock()
	if n == 0 {
		return
	}
	data, err := newBusEvent(typeLikes, h.srv.now().UnixMilli(), map[string]int{"count": n})
	if err != nil {
		h.srv.log.Error("realtime: likes event", "room", h.id, "err", err)
		return
	}
	h.srv.bus.Publish(h.subject, data)
	if h.srv.analytics != nil {
		h.srv.analytics.Liked(h.id, n)
	}
	ctx, cancel := context.WithTimeout(h.srv.ctx, 5*time.Second)
	defer cancel()
	if err := h.srv.rooms.AddLikes(ctx, h.id, n); err != nil {
		h.srv.log.Warn("realtime: store likes", "room", h.id, "likes", n, "err", err)
	}
}

// publishPresence reports this node's viewers, sends the counts to local
// sockets when they changed (or every CountsRefresh) and stores a new peak.
func (h *hub) publishPresence() {
	now := h.srv.now()
	h.mu.Lock()
	current := len(h.conns)
	uniques, err := h.local.MarshalBinary()
	counts := h.countsLocked(now)
	if counts != h.counts || now.Sub(h.sentAt) >= h.srv.opt.CountsRefresh {
		if frame, err := encodeFrame(typeCounts, 0, now.UnixMilli(), counts); err == nil {
			h.broadcastLocked(frame)
			h.counts, h.sentAt = counts, now
		}
	}
	// Old user buckets that have refilled need not be remembered.
	for user, b := range h.chat {
		if b.full(now) {
			delete(h.chat, user)
		}
	}
	peak := 0
	if h.stats.peak > h.stats.recordedPeak {
		peak = h.stats.peak
	}
	h.mu.Unlock()

	if err != nil {
		h.srv.log.Error("realtime: encode uniques", "room", h.id, "err", err)
	} else if report, err := json.Marshal(presenceReport{Node: h.srv.node, Current: current, HLL: uniques}); err == nil {
		h.srv.bus.Publish(presenceSubject(h.id), report)
	}
	if peak > 0 {
		ctx, cancel := context.WithTimeout(h.srv.ctx, 5*time.Second)
		defer cancel()
		if err := h.srv.rooms.RecordPeak(ctx, h.id, peak); err != nil {
			h.srv.log.Warn("realtime: store peak", "room", h.id, "peak", peak, "err", err)
			return
		}
		h.mu.Lock()
		h.stats.recordedPeak = max(h.stats.recordedPeak, peak)
		h.mu.Unlock()
	}
}
