package realtime

import (
	"context"
	"time"
)

// Analytics takes the room's analytics events (internal/analytics through
// an adapter in main; this package does not import it). Every method must
// return at once: implementations only buffer.
type Analytics interface {
	// Viewed is a socket that joined a room; userID is "" for anonymous.
	Viewed(roomID, userID string)
	// Liked is the likes this node published for a room in one tick.
	Liked(roomID string, n int)
	// Watched reports this node's viewers of a room: the viewer-seconds
	// since the last report and the viewers now.
	Watched(roomID string, viewerSeconds int64, viewers int)
}

// Dashboards builds a room's live dashboard (analytics.Service through an
// adapter); the result is sent as the data of a dashboard frame.
type Dashboards interface {
	RoomDashboard(ctx context.Context, roomID string) (any, error)
}

// typeDashboard is the ephemeral frame operators get every
// Options.DashboardEvery.
const typeDashboard = "dashboard"

// watch accumulates a room's viewer-time between analytics reports.
type watch struct {
	last     time.Time // when viewer-time was last added
	viewerMS int64     // viewer-milliseconds not reported yet
	reported time.Time
}

// addWatchLocked adds the viewer-time since the last call and reports it
// every Options.WatchEvery (or at once when final). It returns what to report.
func (h *hub) addWatchLocked(now time.Time, final bool) (seconds int64, viewers int, report bool) {
	w := &h.watch
	if !w.last.IsZero() {
		w.viewerMS += int64(len(h.conns)) * now.Sub(w.last).Milliseconds()
	}
	w.last = now
	if w.reported.IsZero() {
		w.reported = now
	}
	if !final && now.Sub(w.reported) < h.srv.opt.WatchEvery {
		return 0, 0, false
	}
	w.reported = now
	seconds = w.viewerMS / 1000
	w.viewerMS -= seconds * 1000
	return seconds, len(h.conns), true
}

// reportWatch sends the watch report when one is due.
func (h *hub) reportWatch(now time.Time, final bool) {
	a := h.srv.analytics
	if a == nil {
		return
	}
	h.mu.Lock()
	seconds, viewers, due := h.addWatchLocked(now, final)
	h.mu.Unlock()
	if due {
		a.Watched(h.id, seconds, viewers)
	}
}

// isOperator reports whether a participant may see the dashboard.
func isOperator(p Participant) bool {
	return p.Role == RoleHost || p.Role == RoleOperator || p.Role == RoleAdmin
}

// runDashboards sends the room's operators a dashboard frame every
// Options.DashboardEvery while any is connected to this node: built once per room
// and node, not per socket.
func (h *hub) runDashboards() {
	defer h.loops.Done()
	t := time.NewTicker(h.srv.opt.DashboardEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			h.sendDashboard()
		case <-h.quit:
			return
		}
	}
}

func (h *hub) sendDashboard() {
	h.mu.Lock()
	found := false
	for c := range h.conns {
		if isOperator(c.p) {
			found = true
			break
		}
	}
	h.mu.Unlock()
	if !found {
		return
	}
	ctx, cancel := context.WithTimeout(h.srv.ctx, 5*time.Second)
	d, err := h.srv.dashboards.RoomDashboard(ctx, h.id)
	cancel()
	if err != nil {
		h.srv.log.Warn("realtime: dashboard", "room", h.id, "err", err)
		return
	}
	frame, err := encodeFrame(typeDashboard, 0, h.srv.now().UnixMilli(), d)
	if err != nil {
		h.srv.log.Error("realtime: dashboard frame", "room", h.id, "err", err)
		return
	}
	it := item{n: 1, data: frame}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		if isOperator(c.p) {
			h.pushLocked(c, it)
		}
	}
}
