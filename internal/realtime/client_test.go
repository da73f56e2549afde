package realtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// testNode is one Server behind an httptest server.
type testNode struct {
	srv  *Server
	http *httptest.Server
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// fastOptions make the periodic work quick so tests are short.
func fastOptions() Options {
	return Options{PresenceEvery: 50 * time.Millisecond, LikesEvery: 50 * time.Millisecond,
		CountsRefresh: time.Second, CloseGrace: 500 * time.Millisecond}
}

func startNode(t testing.TB, b Bus, rooms Rooms, opt Options) *testNode {
	t.Helper()
	s, err := New(Config{Rooms: rooms, Bus: b, Auth: bearerAuth, Log: quietLog(), Options: opt})
	if err != nil {
		t.Fatal(err)
	}
	return startNodeWith(t, s)
}

// startNodeWith serves s over HTTP until the test ends.
// wrap, when given, wraps the listener.
func startNodeWith(t testing.TB, s *Server, wrap ...func(net.Listener) net.Listener) *testNode {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /ws/rooms/{roomID}", s)
	hs := httptest.NewUnstartedServer(mux)
	for _, w := range wrap {
		hs.Listener = w(hs.Listener)
	}
	hs.Start()
	n := &testNode{srv: s, http: hs}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("close server: %v", err)
		}
		n.http.Close()
	})
	return n
}

func (n *testNode) url(roomID, query string) string {
	u := "ws" + strings.TrimPrefix(n.http.URL, "http") + "/ws/rooms/" + roomID
	if query != "" {
		u += "?" + query
	}
	return u
}

// env is an envelope as a client decodes it.
type env struct {
	V    int             `json:"v"`
	Type string          `json:"type"`
	Seq  uint64          `json:"seq"`
	TS   int64           `json:"ts"`
	Data json.RawMessage `json:"data"`

	at      time.Time // when it arrived
	batched bool      // it came in a JSON array
}

func (e env) field(name string) any {
	var m map[string]any
	_ = json.Unmarshal(e.Data, &m)
	return m[name]
}

// client is a WebSocket client of a room recording every envelope. It
// only stores what it reads and decodes when asked, so a flood of events
// does not make it slow.
type client struct {
	t  testing.TB
	ws *websocket.Conn

	mu      sync.Mutex
	raw     []rawMessage // read, not yet decoded
	got     []env
	changed chan struct{}
	err     error         // why reading stopped
	done    chan struct{} // closed when reading stopped
}

type rawMessage struct {
	b  []byte
	at time.Time
}

// dial connects as user ("" for anonymous) and starts reading.
func dial(t testing.TB, n *testNode, roomID, user, query string) *client {
	t.Helper()
	c := dialOnly(t, n, roomID, user, query, nil)
	go c.read()
	return c
}

// dialOnly connects without reading.
func dialOnly(t testing.TB, n *testNode, roomID, user, query string, hc *http.Client) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts := &websocket.DialOptions{HTTPClient: hc}
	if user != "" {
		opts.HTTPHeader = http.Header{"Authorization": {"Bearer " + user}}
	}
	ws, _, err := websocket.Dial(ctx, n.url(roomID, query), opts)
	if err != nil {
		t.Fatalf("dial %s as %q: %v", roomID, user, err)
	}
	ws.SetReadLimit(-1)
	c := &client{t: t, ws: ws, changed: make(chan struct{}, 1), done: make(chan struct{})}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return c
}

func (c *client) read() {
	defer close(c.done)
	for {
		_, b, err := c.ws.Read(context.Background())
		c.mu.Lock()
		if err != nil {
			c.err = err
		} else {
			c.raw = append(c.raw, rawMessage{b: b, at: time.Now()})
		}
		c.mu.Unlock()
		c.signal()
		if err != nil {
			return
		}
	}
}

// decodeLocked decodes what was read since the last call.
func (c *client) decodeLocked() {
	for _, m := range c.raw {
		var batch []env
		batched := len(m.b) > 0 && m.b[0] == '['
		var err error
		if batched {
			err = json.Unmarshal(m.b, &batch)
		} else {
			var one env
			err = json.Unmarshal(m.b, &one)
			batch = []env{one}
		}
		if err != nil {
			c.t.Errorf("client: undecodable message %q: %v", m.b, err)
			continue
		}
		for i := range batch {
			batch[i].at, batch[i].batched = m.at, batched
		}
		c.got = append(c.got, batch...)
	}
	clear(c.raw)
	c.raw = c.raw[:0]
}

func (c *client) signal() {
	select {
	case c.changed <- struct{}{}:
	default:
	}
}

// waitFor waits for the first envelope matching match and returns it.
func (c *client) waitFor(what string, within time.Duration, match func(env) bool) env {
	c.t.Helper()
	var found env
	c.waitUntil(what, within, func(got []env) bool {
		for _, e := range got {
			if match(e) {
				found = e
				return true
			}
		}
		return false
	})
	return found
}

// waitUntil waits until cond holds over everything received.
func (c *client) waitUntil(what string, within time.Duration, cond func([]env) bool) {
	c.t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		c.decodeLocked()
		ok, err := cond(c.got), c.err
		n := len(c.got)
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-c.changed:
		case <-deadline.C:
			c.t.Fatalf("no %s within %s: %d envelopes received, read error %v", what, within, n, err)
		}
		if err != nil {
			c.mu.Lock()
			c.decodeLocked()
			ok = cond(c.got)
			c.mu.Unlock()
			if !ok {
				c.t.Fatalf("no %s: the socket closed (%v) after %d envelopes", what, err, n)
			}
			return
		}
	}
}

func (c *client) envelopes() []env {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.decodeLocked()
	return append([]env(nil), c.got...)
}

// closeStatus waits for the socket to close and returns the server's code.
func (c *client) closeStatus(within time.Duration) websocket.StatusCode {
	c.t.Helper()
	select {
	case <-c.done:
	case <-time.After(within):
		c.t.Fatalf("socket still open after %s", within)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return websocket.CloseStatus(c.err)
}

func (c *client) send(frame string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		c.t.Fatalf("send %s: %v", frame, err)
	}
}

func ofType(typ string) func(env) bool { return func(e env) bool { return e.Type == typ } }

func countOf(got []env, typ string) int {
	n := 0
	for _, e := range got {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func newHTTPServer(t testing.TB, h http.Handler) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}
