package hls

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// viewerWindow is how recently a client must have fetched a playlist to
// count as watching. Players reload an LL-HLS playlist every part and a
// plain one every segment, so 10 s leaves room for a slow network.
const viewerWindow = 10 * time.Second

// maxClientsPerRoom bounds the memory one room's counter can take.
const maxClientsPerRoom = 100_000

// viewerCounter counts distinct HLS clients per room: a client is its
// address and user agent. Every viewer behind one CDN or proxy counts as
// one; the packagers' own stream readers are never counted.
type viewerCounter struct {
	now func() time.Time

	mu    sync.Mutex
	rooms map[string]map[string]time.Time
	swept time.Time
}

func newViewerCounter(now func() time.Time) *viewerCounter {
	return &viewerCounter{now: now, rooms: map[string]map[string]time.Time{}}
}

// seen records a playlist request of roomID.
func (v *viewerCounter) seen(roomID string, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	key := host + "|" + r.UserAgent()
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	if now.Sub(v.swept) > viewerWindow {
		// Forget clients of every room now and then, so that rooms nobody
		// asks about do not keep their clients forever.
		for id := range v.rooms {
			v.prune(id, now)
		}
		v.swept = now
	}
	clients := v.rooms[roomID]
	if clients == nil {
		clients = map[string]time.Time{}
		v.rooms[roomID] = clients
	}
	if _, ok := clients[key]; !ok && len(clients) >= maxClientsPerRoom {
		return
	}
	clients[key] = now
}

// count returns the clients of roomID seen within viewerWindow.
func (v *viewerCounter) count(roomID string) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.prune(roomID, v.now())
	return len(v.rooms[roomID])
}

// prune forgets roomID's clients not seen within viewerWindow, and the
// room itself once it has none; called with v.mu held.
func (v *viewerCounter) prune(roomID string, now time.Time) {
	clients := v.rooms[roomID]
	for k, at := range clients {
		if now.Sub(at) > viewerWindow {
			delete(clients, k)
		}
	}
	if len(clients) == 0 {
		delete(v.rooms, roomID)
	}
}
