package realtime

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// hub is one room on this node: its connections, its bus subscriptions,
// the recent events for resumes and the counts.
type hub struct {
	srv     *Server
	id      string
	subject string
	refs    int // guarded by srv.mu

	mu       sync.Mutex
	conns    map[*conn]struct{}
	ring     *ring
	lastSeq  uint64
	meter    rateMeter
	ticking  bool    // busy: events wait for the next tick
	pending  []event // events of the current tick
	likes    int     // local taps not yet published
	stats    roomStats
	local    Sketch // every identity seen here
	pres     *presence
	counts   Counts
	sentAt   time.Time // when counts last went out
	unique   uint64    // the last merged unique count
	uniqueAt time.Time
	joinAt   time.Time // when the last join notice went out
	chat     map[string]*bucket
	watch    watch // viewer-time for analytics

	unsubs []func()
	quit   chan struct{}
	loops  sync.WaitGroup
}

// roomStats are the room's totals as this node knows them.
type roomStats struct {
	known        bool // a snapshot has given the stored totals
	likes        int64
	peak         int
	recordedPeak int // the peak last stored on the session
}

// startHub subscribes to the room and starts its loops.
func startHub(s *Server, roomID string) (*hub, error) {
	h := &hub{srv: s, id: roomID, subject: eventsSubject(roomID), conns: map[*conn]struct{}{},
		ring: newRing(s.opt.RingLen), local: s.uniques.New(), pres: newPresence(s.uniques, s.opt.PresenceTTL),
		chat: map[string]*bucket{}, quit: make(chan struct{})}
	for subject, fn := range map[string]func(Message){h.subject: h.onEvent, presenceSubject(roomID): h.onPresence} {
		unsub, err := s.bus.Subscribe(subject, fn)
		if err != nil {
			h.unsubscribe()
			return nil, fmt.Errorf("realtime: subscribe to %s: %w", subject, err)
		}
		h.unsubs = append(h.unsubs, unsub)
	}
	h.loops.Add(2)
	go h.runTicks()
	go h.runPulse()
	if s.dashboards != nil {
		h.loops.Add(1)
		go h.runDashboards()
	}
	return h, nil
}

// stop ends the subscriptions and loops; the pulse loop publishes the
// likes still pending and a last presence report (no viewers here) first.
func (h *hub) stop() {
	h.unsubscribe()
	close(h.quit)
	h.loops.Wait()
}

func (h *hub) unsubscribe() {
	for _, u := range h.unsubs {
		u()
	}
	h.unsubs = nil
}

// onEvent takes a room event from the bus: remembered for resumes, then
// delivered now, or at the next tick when the room is busy.
func (h *hub) onEvent(m Message) {
	ev, err := decodeEvent(m)
	if err != nil {
		h.srv.log.Warn("realtime: dropped a room event", "room", h.id, "err", err)
		return
	}
	now := h.srv.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if ev.seq != 0 {
		if ev.seq <= h.lastSeq {
			return // redelivered
		}
		h.lastSeq = ev.seq
		h.ring.push(item{seq: ev.seq, n: 1, data: ev.data, ends: ev.ends})
	}
	h.stats.likes += ev.likes
	h.meter.add(now)
	if !h.ticking && h.busyLocked(now, 1) {
		h.ticking = true
		h.srv.log.Info("realtime: room busy, batching on ticks", "room", h.id, "events_per_s", h.meter.perSecond(now),
			"sockets", len(h.conns))
	}
	if h.ticking {
		h.pending = append(h.pending, ev)
		return
	}
	h.deliverLocked([]event{ev})
}

// busyLocked reports whether the room should batch on ticks: its event
// rate, or the socket writes that rate costs on this node (events a second
// times sockets), is above its threshold divided by slack. Counting writes
// matters because one chat a second to 10,000 sockets costs as much as 200
// a second to 50.
func (h *hub) busyLocked(now time.Time, slack int) bool {
	rate := h.meter.perSecond(now)
	return rate > h.srv.opt.TickThreshold/slack || rate*len(h.conns) > h.srv.opt.WriteThreshold/slack
}

// flushTick delivers a busy room's tick, sampled, as one shared frame
// list, and leaves tick mode once the rate has halved.
func (h *hub) flushTick() {
	now := h.srv.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.ticking {
		return
	}
	if len(h.pending) > 0 {
		evs := h.pending
		// Only a high event rate thins viewers' chat; a big audience alone
		// is served by batching.
		if h.meter.perSecond(now) > h.srv.opt.TickThreshold {
			evs = sampleTick(evs, h.srv.opt.SampleChats)
		}
		h.deliverLocked(evs)
		clear(h.pending)
		h.pending = h.pending[:0]
	}
	if !h.busyLocked(now, 2) {
		h.ticking = false
		h.srv.log.Info("realtime: room calm again, sending at once", "room", h.id)
	}
}

// deliverLocked hands events to every connection as one item (encoded
// once for all), then applies their effects: banned users' sockets and,
// when the room ends, all sockets close after the event.
func (h *hub) deliverLocked(evs []event) {
	if len(evs) == 0 {
		return
	}
	it := joinEvents(evs)
	for c := range h.conns {
		h.pushLocked(c, it)
	}
	for _, ev := range evs {
		if ev.banUser != "" {
			for c := range h.conns {
				if c.p.UserID == ev.banUser {
					c.q.closeAfter(CloseBanned, "banned")
				}
			}
		}
		if ev.ends {
			for c := range h.conns {
				c.q.closeAfter(CloseRoomEnded, "room ended")
			}
		}
	}
}

// pushLocked queues an item for c; a full queue drops c alone.
func (h *hub) pushLocked(c *conn, it item) {
	if !c.q.push(it) {
		delete(h.conns, c)
		c.fail(CloseSlowConsumer, "slow consumer")
	}
}

// broadcastLocked sends an ephemeral frame to every connection.
func (h *hub) broadcastLocked(data []byte) {
	it := item{n: 1, data: data}
	for c := range h.conns {
		h.pushLocked(c, it)
	}
}

// joinEvents makes one item of several events: their envelopes joined by
// commas, which the writer wraps in an array.
func joinEvents(evs []event) item {
	if len(evs) == 1 {
		return item{seq: evs[0].seq, n: 1, data: evs[0].data}
	}
	size := len(evs)
	for _, e := range evs {
		size += len(e.data)
	}
	it := item{n: len(evs), data: make([]byte, 0, size)}
	for i, e := range evs {
		if i > 0 {
			it.data = append(it.data, ',')
		}
		it.data = append(it.data, e.data...)
		it.seq = max(it.seq, e.seq)
	}
	return it
}

// attach adds a connection. It returns the last seq this node has seen and
// a copy of the ring; from now on c receives every later event.
func (h *hub) attach(c *conn) (last uint64, recent []item) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.conns[c] = struct{}{}
	h.local.Add(c.identity)
	recent = make([]item, 0, h.ring.n)
	for i := 0; i < h.ring.n; i++ {
		recent = append(recent, h.ring.at(i))
	}
	return h.lastSeq, recent
}

func (h *hub) detach(c *conn) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
}

// noteSnapshot starts the totals from what the session has stored.
func (h *hub) noteSnapshot(s Snapshot) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stats.known = true
	h.stats.likes = max(h.stats.likes, s.Likes)
	h.stats.peak = max(h.stats.peak, s.Peak)
	h.stats.recordedPeak = max(h.stats.recordedPeak, s.Peak)
}

// statsKnown reports whether a snapshot has given the stored totals yet.
func (h *hub) statsKnown() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats.known
}

// countsLocked are the room's counts now, with this node's current
// connections rather than its last report. Merging sketches costs their
// size, so between pulses joins reuse the last unique count.
func (h *hub) countsLocked(now time.Time) Counts {
	h.pres.recordLocal(h.srv.node, len(h.conns), h.local, now)
	current := h.pres.current(now)
	if h.uniqueAt.IsZero() || now.Sub(h.uniqueAt) >= h.srv.opt.PresenceEvery {
		h.unique, h.uniqueAt = h.pres.unique(), now
	}
	h.stats.peak = max(h.stats.peak, current)
	return Counts{Current: current, Peak: h.stats.peak, Unique: h.unique, Likes: h.stats.likes}
}

func (h *hub) countsNow() Counts {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.countsLocked(h.srv.now())
}

// onPresence takes another node's (or this node's) presence report.
func (h *hub) onPresence(m Message) {
	var r presenceReport
	if err := json.Unmarshal(m.Data, &r); err != nil || r.Node == "" {
		h.srv.log.Warn("realtime: bad presence report", "room", h.id, "err", err)
		return
	}
	if r.Node == h.srv.node {
		return // recorded locally, with a fresher count
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.pres.record(r, h.srv.now()); err != nil {
		h.srv.log.Warn("realtime: bad presence report", "room", h.id, "err", err)
	}
}

// allowChat applies the per-user chat and question rate limit.
func (h *hub) allowChat(userID string) bool {
	now := h.srv.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	b := h.chat[userID]
	if b == nil {
		b = newBucket(h.srv.opt.ChatRate, h.srv.opt.ChatBurst, now)
		h.chat[userID] = b
	}
	return b.allow(now)
}

// addLikes counts local taps for the next likes event.
func (h *hub) addLikes(n int) {
	h.mu.Lock()
	h.likes += n
	h.mu.Unlock()
}

// noticeJoin tells the room a signed-in viewer joined, at most once per
// JoinEvery per node.
func (h *hub) noticeJoin(name string) {
	now := h.srv.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if now.Sub(h.joinAt) < h.srv.opt.JoinEvery {
		return
	}
	h.joinAt = now
	data, err := encodeFrame(typeJoin, 0, now.UnixMilli(), map[string]string{"name": name})
	if err != nil {
		return
	}
	h.broadcastLocked(data)
}
