package realtime

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// tryDial dials a room and returns the socket, or nil and the refusal's
// status when the upgrade was refused.
func tryDial(t *testing.T, n *testNode, roomID, user string) (*websocket.Conn, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	opts := &websocket.DialOptions{}
	if user != "" {
		opts.HTTPHeader = http.Header{"Authorization": {"Bearer " + user}}
	}
	ws, resp, err := websocket.Dial(ctx, n.url(roomID, ""), opts)
	if err != nil {
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		return nil, resp.StatusCode
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws, http.StatusSwitchingProtocols
}

// refusedBody fetches the room without upgrading, which meets the same
// caps, and decodes the refusal.
func refusedBody(t *testing.T, n *testNode, user string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", n.http.URL+"/ws/rooms/r1", nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+user)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatalf("status %d body %q: %v", resp.StatusCode, b, err)
	}
	if resp.Header.Get("Retry-After") == "" || body.Error.Message == "" {
		t.Fatalf("refusal without Retry-After or message: %v %s", resp.Header, b)
	}
	return resp.StatusCode, body.Error.Code, body.Error.Field
}

func TestConnectionCaps(t *testing.T) {
	tests := []struct {
		name      string
		limits    Limits
		allowed   []string // users that connect (""=anonymous), in order
		refused   string   // the next user, refused
		status    int
		code      string
		field     string
		stillOpen string // a user who may still connect after the refusal; "-" for none
	}{
		{"per IP", Limits{PerIP: 2}, []string{"", "alice"}, "bob", http.StatusTooManyRequests, "rate_limited", "ws_per_ip", "-"},
		{"per user", Limits{PerUser: 2}, []string{"alice", "alice"}, "alice", http.StatusTooManyRequests, "rate_limited", "ws_per_user", "bob"},
		{"anonymous viewers are not one user", Limits{PerUser: 1}, []string{"", "", "alice"}, "alice", http.StatusTooManyRequests, "rate_limited", "ws_per_user", ""},
		{"node full", Limits{Max: 2, PerIP: 10, PerUser: 10}, []string{"alice", "bob"}, "carol", http.StatusServiceUnavailable, "unavailable", "ws_max", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newMemBus(100)
			s, err := New(Config{Rooms: newFakeRooms(b, "r1"), Bus: b, Auth: bearerAuth, Log: quietLog(), Options: fastOptions(), Limits: tt.limits})
			if err != nil {
				t.Fatal(err)
			}
			n := startNodeWith(t, s)
			var open []*websocket.Conn
			for i, u := range tt.allowed {
				ws, status := tryDial(t, n, "r1", u)
				if ws == nil {
					t.Fatalf("connection %d (%q): refused with %d", i, u, status)
				}
				open = append(open, ws)
			}
			if ws, status := tryDial(t, n, "r1", tt.refused); ws != nil || status != tt.status {
				t.Fatalf("connection over the cap: status %d, want %d", status, tt.status)
			}
			if status, code, field := refusedBody(t, n, tt.refused); status != tt.status || code != tt.code || field != tt.field {
				t.Fatalf("refusal %d %s %s, want %d %s %s", status, code, field, tt.status, tt.code, tt.field)
			}
			if tt.stillOpen != "-" {
				if ws, status := tryDial(t, n, "r1", tt.stillOpen); ws == nil {
					t.Fatalf("%q refused with %d", tt.stillOpen, status)
				}
			}
			// Closing a socket frees its slot once its handler returns.
			_ = open[len(open)-1].Close(websocket.StatusNormalClosure, "")
			deadline := time.Now().Add(10 * time.Second)
			for {
				ws, status := tryDial(t, n, "r1", tt.refused)
				if ws != nil {
					break
				}
				if status != tt.status || time.Now().After(deadline) {
					t.Fatalf("after a close: still refused with %d", status)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// With no limits every connection from one address is accepted (the
// load tests rely on it).
func TestNoCapsByDefault(t *testing.T) {
	b := newMemBus(100)
	n := startNode(t, b, newFakeRooms(b, "r1"), fastOptions())
	for i := range 50 {
		if ws, status := tryDial(t, n, "r1", "alice"); ws == nil {
			t.Fatalf("connection %d refused with %d", i, status)
		}
	}
	if s := n.srv.limits; s.total != 0 || len(s.byIP) != 0 || len(s.byUser) != 0 {
		t.Fatalf("uncapped server counted sockets: %+v", s)
	}
}
