package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/liveshop/liveshop/internal/store"
)

// roomSocket is a WebSocket client of a live room that records every
// envelope it receives.
type roomSocket struct {
	t    *testing.T
	conn *websocket.Conn

	mu     sync.Mutex
	events []map[string]any
	closed error
}

func dialRoom(t *testing.T, c *Client, base, roomID string) *roomSocket {
	t.Helper()
	return dialRoomURL(t, c, "ws"+strings.TrimPrefix(base, "http")+"/ws/rooms/"+roomID)
}

// dialRoomURL opens a room socket at url (which may carry ?since=).
func dialRoomURL(t *testing.T, c *Client, url string) *roomSocket {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: c.http})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	s := &roomSocket{t: t, conn: conn}
	go s.read()
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	return s
}

func (s *roomSocket) read() {
	for {
		_, b, err := s.conn.Read(context.Background())
		if err != nil {
			s.mu.Lock()
			s.closed = err
			s.mu.Unlock()
			return
		}
		var batch []map[string]any
		if len(b) > 0 && b[0] == '[' {
			_ = json.Unmarshal(b, &batch)
		} else {
			var one map[string]any
			if json.Unmarshal(b, &one) == nil {
				batch = append(batch, one)
			}
		}
		s.mu.Lock()
		s.events = append(s.events, batch...)
		s.mu.Unlock()
	}
}

func (s *roomSocket) send(typ string, data any) {
	s.t.Helper()
	b, _ := json.Marshal(map[string]any{"type": typ, "id": typ + "-1", "data": data})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.conn.Write(ctx, websocket.MessageText, b); err != nil {
		s.t.Fatalf("send %s: %v", typ, err)
	}
}

// waitFor waits for an envelope for which match is true.
func (s *roomSocket) waitFor(what string, within time.Duration, match func(map[string]any) bool) map[string]any {
	s.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, e := range s.events {
			if match(e) {
				s.mu.Unlock()
				return e
			}
		}
		s.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Fatalf("no %s within %s; got %d events (closed: %v)", what, within, len(s.events), s.closed)
	return nil
}

func ofType(typ string) func(map[string]any) bool {
	return func(e map[string]any) bool { return e["type"] == typ }
}

// TestRealtimeAcrossNodes runs two liveshop processes on one PostgreSQL
// and the machine's NATS: a chat sent through node A reaches a viewer on
// node B, and the viewer count sums both nodes.
func TestRealtimeAcrossNodes(t *testing.T) {
	natsURL := "nats://127.0.0.1:4222"
	p := bootPlatform(t, store.Postgres, "", "--nats", natsURL)
	nodeB := StartCommandOn(t, p.srv, "serve", "--nats", natsURL, "--sandbox-secret", sandboxSecret)
	id, key := p.scheduleLive(t, "Two nodes, one room")
	publishRTMP(t, p.srv.RTMP, key, 60)
	waitStatus(t, p.srv.Client(), id, "live", 15*time.Second)

	onB := dialRoom(t, nodeB.Client(), nodeB.URL, id)
	onB.waitFor("snapshot", 10*time.Second, ofType("snapshot"))
	onA := dialRoom(t, p.buyer, p.srv.URL, id)
	onA.waitFor("snapshot", 10*time.Second, ofType("snapshot"))

	onA.send("chat", map[string]any{"text": "is the rice from this year's harvest?"})
	got := onB.waitFor("chat from node A", 10*time.Second, ofType("chat"))
	data := got["data"].(map[string]any)
	if data["text"] != "is the rice from this year's harvest?" || got["seq"].(float64) <= 0 {
		t.Fatalf("chat on node B: %v", got)
	}
	onB.waitFor("counts summing both nodes", 10*time.Second, func(e map[string]any) bool {
		if e["type"] != "counts" {
			return false
		}
		d := e["data"].(map[string]any)
		return d["current"].(float64) == 2 && d["unique"].(float64) >= 2
	})

	// The chat is stored for the replay.
	history := p.srv.Client().Must(200, "GET", "/api/v1/live-sessions/"+id+"/chat", nil).Map(t)["items"].([]any)
	if len(history) != 1 {
		t.Fatalf("chat history: %v", history)
	}
	// An anonymous viewer may read but not chat.
	onB.send("chat", map[string]any{"text": "hello"})
	onB.waitFor("an error frame for an anonymous chat", 5*time.Second, ofType("error"))
}
