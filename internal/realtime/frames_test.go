package realtime

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// TestChatOrderPerSender: 50 signed-in clients each send 10 chats; every
// client receives all 500, each sender's in the order sent.
func TestChatOrderPerSender(t *testing.T) {
	const senders, each = 50, 10
	b := newMemBus(5000)
	opt := fastOptions()
	opt.ChatRate, opt.ChatBurst = 1000, each
	opt.TickThreshold = 1 << 30 // no sampling: every chat must arrive
	n := startNode(t, b, newFakeRooms(b, "r1"), opt)
	clients := make([]*client, senders)
	for i := range clients {
		clients[i] = dial(t, n, "r1", fmt.Sprintf("user%02d", i), "")
		clients[i].waitFor("snapshot", 10*time.Second, ofType("snapshot"))
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			for k := range each {
				c.send(fmt.Sprintf(`{"type":"chat","id":"c%d","data":{"text":"%d:%d"}}`, k, i, k))
			}
		})
	}
	wg.Wait()
	for _, c := range clients {
		c.waitUntil("every chat", 20*time.Second, func(got []env) bool { return countOf(got, "chat") == senders*each })
		next := make([]int, senders)
		var lastSeq uint64
		for _, e := range c.envelopes() {
			if e.Type != "chat" {
				continue
			}
			var from, k int
			if _, err := fmt.Sscanf(e.field("text").(string), "%d:%d", &from, &k); err != nil {
				t.Fatal(err)
			}
			if k != next[from] {
				t.Fatalf("from sender %d got chat %d, want %d", from, k, next[from])
			}
			next[from]++
			if e.Seq <= lastSeq {
				t.Fatalf("seq %d after %d", e.Seq, lastSeq)
			}
			lastSeq = e.Seq
		}
	}
	t.Logf("received after %v", time.Since(start))
}

func TestChatRateLimit(t *testing.T) {
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions()) // 1 a second, burst 3
	c := dial(t, n, "r1", "alice", "")
	c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	for i := range 5 {
		c.send(fmt.Sprintf(`{"type":"chat","id":"m%d","data":{"text":"hi %d"}}`, i, i))
	}
	c.waitUntil("3 chats and 2 refusals", 5*time.Second, func(got []env) bool {
		return countOf(got, "chat") == 3 && countOf(got, "error") == 2
	})
	for _, e := range c.envelopes() {
		if e.Type == "error" && (e.field("code") != "rate_limited" || e.field("ref") != "m3" && e.field("ref") != "m4") {
			t.Fatalf("error frame %s", e.Data)
		}
	}
	// A question shares the budget; an anonymous viewer may not chat.
	c.send(`{"type":"question","id":"q","data":{"text":"price?"}}`)
	c.waitFor("a refused question", 5*time.Second, func(e env) bool { return e.Type == "error" && e.field("ref") == "q" })
	anon := dial(t, n, "r1", "", "")
	anon.send(`{"type":"chat","id":"a","data":{"text":"hi"}}`)
	if e := anon.waitFor("an error", 5*time.Second, ofType("error")); e.field("code") != "forbidden" {
		t.Fatalf("anonymous chat: %s", e.Data)
	}
}

func TestDomainErrorsBecomeErrorFrames(t *testing.T) {
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions())
	c := dial(t, n, "r1", "alice", "")
	c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	rooms.mu.Lock()
	rooms.status["r1"] = "scheduled"
	rooms.mu.Unlock()
	c.send(`{"type":"chat","id":"x","data":{"text":"early"}}`)
	e := c.waitFor("an error", 5*time.Second, ofType("error"))
	if e.field("code") != "conflict" || e.field("ref") != "x" || e.field("message") == "" {
		t.Fatalf("error frame %s", e.Data)
	}
	rooms.mu.Lock()
	rooms.failChat = fmt.Errorf("database on fire")
	rooms.mu.Unlock()
	c.send(`{"type":"chat","id":"y","data":{"text":"again"}}`)
	e = c.waitFor("an internal error", 5*time.Second, func(e env) bool { return e.Type == "error" && e.field("ref") == "y" })
	if e.field("code") != "internal" || strings.Contains(string(e.Data), "fire") {
		t.Fatalf("internal error frame leaks: %s", e.Data)
	}
}

func TestBanClosesAndRefusesReconnect(t *testing.T) {
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions())
	mallory := dial(t, n, "r1", "mallory", "")
	bob := dial(t, n, "r1", "bob", "")
	mallory.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	bob.waitFor("snapshot", 5*time.Second, ofType("snapshot"))

	rooms.ban("r1", "mallory")
	if got := mallory.closeStatus(5 * time.Second); got != CloseBanned {
		t.Fatalf("banned user closed with %v, want 4003", got)
	}
	bob.waitFor("the moderation event", 5*time.Second, ofType("moderation"))
	publishEvent(b, "r1", "announcement", map[string]string{"text": "still here"})
	bob.waitFor("a later event", 5*time.Second, ofType("announcement"))
	if got := dial(t, n, "r1", "mallory", "").closeStatus(5 * time.Second); got != CloseBanned {
		t.Fatalf("reconnect closed with %v, want 4003", got)
	}
}

func TestBadFrames(t *testing.T) {
	b := newMemBus(100)
	n := startNode(t, b, newFakeRooms(b, "r1"), fastOptions())

	t.Run("oversized frame closes with 1009", func(t *testing.T) {
		c := dial(t, n, "r1", "alice", "")
		c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
		big := `{"type":"chat","data":{"text":"` + strings.Repeat("x", 5000) + `"}}`
		_ = c.ws.Write(t.Context(), websocket.MessageText, []byte(big))
		if got := c.closeStatus(5 * time.Second); got != websocket.StatusMessageTooBig {
			t.Fatalf("closed with %v, want 1009", got)
		}
	})
	t.Run("three non-JSON frames close with 4000", func(t *testing.T) {
		c := dial(t, n, "r1", "alice", "")
		c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
		c.send("hello")
		c.send(`{"type":"ping","id":"p"}`)
		_ = c.ws.Write(t.Context(), websocket.MessageBinary, []byte{1, 2, 3})
		c.waitUntil("two errors and a pong", 5*time.Second, func(got []env) bool {
			return countOf(got, "error") == 2 && countOf(got, "pong") == 1
		})
		c.send("{not json")
		if got := c.closeStatus(5 * time.Second); got != CloseNotJSON {
			t.Fatalf("closed with %v, want 4000", got)
		}
	})
	t.Run("unknown and invalid frames get errors", func(t *testing.T) {
		c := dial(t, n, "r1", "alice", "")
		c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
		c.send(`{"type":"dance","id":"d1"}`)
		c.send(`{"type":"chat","id":"c1","data":{"text":""}}`)
		c.send(`{"type":"like","id":"l1","data":{"count":51}}`)
		c.send(`{"type":"ping","id":7}`)
		c.waitUntil("three errors and a pong", 5*time.Second, func(got []env) bool {
			return countOf(got, "error") == 3 && countOf(got, "pong") == 1
		})
		want := map[string]string{"d1": "unsupported", "c1": "invalid", "l1": "invalid"}
		for _, e := range c.envelopes() {
			switch e.Type {
			case "error":
				if ref := e.field("ref").(string); want[ref] != e.field("code") {
					t.Errorf("error for %s: %s", ref, e.Data)
				}
			case "pong":
				if e.field("ref") != "7" {
					t.Errorf("pong %s", e.Data)
				}
			}
		}
		// Mistakes that are JSON are no strikes: the socket stays open.
		c.send(`{"type":"ping"}`)
		c.waitUntil("a second pong", 5*time.Second, func(got []env) bool { return countOf(got, "pong") == 2 })
	})
}
