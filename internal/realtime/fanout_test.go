package realtime

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/bus"
)

func TestLikesAggregation(t *testing.T) {
	const clients, frames, taps = 20, 10, 5 // 1,000 taps
	b := newMemBus(1000)
	rooms := newFakeRooms(b, "r1")
	opt := fastOptions()
	opt.LikesEvery = 200 * time.Millisecond
	opt.LikeRate, opt.LikeBurst = 1000, frames
	n := startNode(t, b, rooms, opt)
	var mu sync.Mutex
	var events, total int
	unsub, _ := b.Subscribe("room.r1.events", func(m Message) {
		var ev struct {
			Type string
			Data struct{ Count int }
		}
		if json.Unmarshal(m.Data, &ev) == nil && ev.Type == "likes" {
			mu.Lock()
			events++
			total += ev.Data.Count
			mu.Unlock()
		}
	})
	defer unsub()

	cs := make([]*client, clients)
	for i := range cs {
		cs[i] = dial(t, n, "r1", fmt.Sprintf("fan%d", i), "")
		cs[i].waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(func() {
			for range frames {
				c.send(fmt.Sprintf(`{"type":"like","data":{"count":%d}}`, taps))
			}
		})
	}
	wg.Wait()
	waitFor(t, "every tap published", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return total == clients*frames*taps
	})
	took := time.Since(start)
	mu.Lock()
	// One event per 200 ms tick at most, plus the tick in progress.
	if limit := int(took/opt.LikesEvery) + 2; events > limit {
		t.Errorf("%d likes events in %v, want at most %d", events, took, limit)
	}
	t.Logf("%d taps became %d likes events in %v", total, events, took)
	mu.Unlock()
	waitFor(t, "the likes stored", func() bool { return rooms.likesOf("r1") == clients*frames*taps })
	cs[0].waitFor("counts with every like", 5*time.Second, func(e env) bool {
		return e.Type == "counts" && e.field("likes") == float64(clients*frames*taps)
	})
	// A sender is not echoed tap by tap: clients see the aggregated events.
	if got := countOf(cs[0].envelopes(), "likes"); got != events {
		t.Errorf("a client saw %d likes events, the bus had %d", got, events)
	}
	anon := dial(t, n, "r1", "", "")
	anon.send(`{"type":"like","id":"l","data":{"count":1}}`)
	if e := anon.waitFor("an error", 5*time.Second, ofType("error")); e.field("code") != "forbidden" {
		t.Errorf("anonymous like: %s", e.Data)
	}
}

// twoBuses returns the bus of node A and of node B: one bus shared, or two
// connections to one NATS server.
type twoBuses func(t *testing.T) (a, b Bus)

// embeddedNATS is a NATS server in process with JetStream: node A uses
// its in-process connection, node B dials it over loopback.
func embeddedNATS(t *testing.T) (Bus, Bus) {
	emb, err := bus.StartEmbedded(bus.EmbeddedConfig{StoreDir: t.TempDir(), Listen: "127.0.0.1:0", Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Shutdown() })
	other, err := bus.Connect(t.Context(), emb.ClientURL(), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	return BusOf(emb.Bus()), BusOf(other)
}

// TestTwoNodes: two Servers on one bus. A chat sent on node A reaches
// node B, and counts sum both nodes' viewers.
func TestTwoNodes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		buses   twoBuses
		uniques Uniques
	}{
		{"bus.Local and HyperLogLog", func(*testing.T) (Bus, Bus) {
			b := BusOf(bus.NewLocal(quietLog()))
			return b, b
		}, HLLUniques{}},
		{"test bus and exact uniques", func(*testing.T) (Bus, Bus) {
			b := newMemBus(100)
			return b, b
		}, exactUniques{}},
		{"embedded NATS and HyperLogLog", embeddedNATS, HLLUniques{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			busA, busB := tc.buses(t)
			rooms := newFakeRooms(busA, "r1")
			node := func(b Bus) *testNode {
				s, err := New(Config{Rooms: rooms, Bus: b, Auth: bearerAuth, Log: quietLog(), Uniques: tc.uniques, Options: fastOptions()})
				if err != nil {
					t.Fatal(err)
				}
				return startNodeWith(t, s)
			}
			a, bn := node(busA), node(busB)
			onA := dial(t, a, "r1", "alice", "")
			onA2 := dial(t, a, "r1", "", "anon=phone")
			onB := dial(t, bn, "r1", "bob", "")
			for _, c := range []*client{onA, onA2, onB} {
				c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
			}
			onA.send(`{"type":"chat","data":{"text":"from node A"}}`)
			got := onB.waitFor("the chat from node A", 5*time.Second, ofType("chat"))
			if got.field("text") != "from node A" || got.field("user_id") != "alice" || got.Seq == 0 {
				t.Fatalf("chat on node B: %+v %s", got, got.Data)
			}
			for _, c := range []*client{onA, onB} {
				c.waitFor("counts of both nodes", 5*time.Second, func(e env) bool {
					return e.Type == "counts" && e.field("current") == 3.0 && e.field("unique") == 3.0 && e.field("peak") == 3.0
				})
			}
			// Likes tapped on B count on A.
			onB.send(`{"type":"like","data":{"count":4}}`)
			onA.waitFor("bob's likes", 5*time.Second, func(e env) bool { return e.Type == "likes" && e.field("count") == 4.0 })
			// A node whose last viewer leaves says so at once.
			_ = onB.ws.CloseNow()
			onA.waitFor("counts without bob", 5*time.Second, func(e env) bool {
				return e.Type == "counts" && e.field("current") == 2.0 && e.field("peak") == 3.0 && e.field("likes") == 4.0
			})
			waitFor(t, "the peak stored", func() bool {
				p := rooms.peaksOf("r1")
				return len(p) > 0 && p[len(p)-1] == 3
			})
		})
	}
}
