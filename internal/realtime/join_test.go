package realtime

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestSnapshotOnJoin(t *testing.T) {
	b := newMemBus(2000)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions())
	publishEvent(b, "r1", "announcement", map[string]string{"text": "before anyone came"})

	alice := dial(t, n, "r1", "alice", "")
	snap := alice.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	var data struct {
		Session struct{ Status string }
		Counts  Counts
		You     struct {
			UserID string `json:"user_id"`
			Role   string `json:"role"`
		} `json:"you"`
		Reset bool
	}
	if err := json.Unmarshal(snap.Data, &data); err != nil {
		t.Fatal(err)
	}
	if snap.V != 1 || data.Session.Status != "live" || data.You.UserID != "alice" || data.You.Role != RoleViewer ||
		data.Counts.Current != 1 || data.Counts.Unique != 1 || data.Reset {
		t.Fatalf("snapshot: %+v", data)
	}
	// The first connection started the hub after the announcement: its
	// seq is what this node has seen, and the snapshot always carries one.
	if !strings.Contains(string(snap.Data), `"counts"`) || snap.Seq != 0 {
		t.Fatalf("snapshot seq %d, data %s", snap.Seq, snap.Data)
	}

	publishEvent(b, "r1", "announcement", map[string]string{"text": "hello"})
	ann := alice.waitFor("announcement", 5*time.Second, ofType("announcement"))
	if ann.Seq != 2 || ann.field("text") != "hello" || ann.TS == 0 {
		t.Fatalf("announcement %+v %s", ann, ann.Data)
	}

	// A second viewer's snapshot has the seq of the last event.
	bob := dial(t, n, "r1", "", "anon=device-1")
	snap = bob.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	if snap.Seq != 2 {
		t.Fatalf("bob's snapshot seq %d, want 2", snap.Seq)
	}
	alice.waitFor("counts of two", 5*time.Second, func(e env) bool {
		return e.Type == "counts" && e.field("current") == 2.0 && e.field("unique") == 2.0
	})
	waitFor(t, "the peak stored", func() bool {
		p := rooms.peaksOf("r1")
		return len(p) > 0 && p[len(p)-1] == 2
	})
}

func TestRefusedJoins(t *testing.T) {
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions())

	if got := dial(t, n, "nope", "alice", "").closeStatus(5 * time.Second); got != CloseNoRoom {
		t.Errorf("missing room closed with %v, want 4004", got)
	}
	rooms.ban("r1", "mallory")
	if got := dial(t, n, "r1", "mallory", "").closeStatus(5 * time.Second); got != CloseBanned {
		t.Errorf("banned user closed with %v, want 4003", got)
	}
	resp, err := http.Get(n.http.URL + "/ws/rooms/r1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUpgradeRequired && resp.StatusCode != http.StatusBadRequest {
		t.Errorf("plain GET: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", n.http.URL+"/ws/rooms/r1?token=bad", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad ?token=: %d, want 401", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", n.http.URL+"/ws/rooms/r.1", nil)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("room id with a dot: %d, want 404", resp.StatusCode)
	}
}

func TestQueryTokenSignsIn(t *testing.T) {
	b := newMemBus(100)
	n := startNode(t, b, newFakeRooms(b, "r1"), fastOptions())
	c := dial(t, n, "r1", "", "token=carol")
	snap := c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	if !strings.Contains(string(snap.Data), `"user_id":"carol"`) {
		t.Fatalf("snapshot %s", snap.Data)
	}
}

func TestEndedRoom(t *testing.T) {
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions())
	a := dial(t, n, "r1", "alice", "")
	a.waitFor("snapshot", 5*time.Second, ofType("snapshot"))

	rooms.end("r1")
	if got := a.closeStatus(5 * time.Second); got != CloseRoomEnded {
		t.Fatalf("closed with %v, want 4010", got)
	}
	if st := a.envelopes(); st[len(st)-1].Type != "status" || st[len(st)-1].field("status") != "ended" {
		t.Fatalf("last envelope before 4010: %+v", st[len(st)-1])
	}
	// Joining an ended room: its snapshot, then 4010.
	late := dial(t, n, "r1", "bob", "")
	if got := late.closeStatus(5 * time.Second); got != CloseRoomEnded {
		t.Fatalf("late joiner closed with %v, want 4010", got)
	}
	if got := late.envelopes(); len(got) != 1 || got[0].Type != "snapshot" {
		t.Fatalf("late joiner got %+v", got)
	}
}

func TestServerCloseSays1001(t *testing.T) {
	b := newMemBus(100)
	s, err := New(Config{Rooms: newFakeRooms(b, "r1"), Bus: b, Auth: bearerAuth, Log: quietLog(), Options: fastOptions()})
	if err != nil {
		t.Fatal(err)
	}
	n := &testNode{srv: s}
	mux := http.NewServeMux()
	mux.Handle("GET /ws/rooms/{roomID}", s)
	n.http = newHTTPServer(t, mux)
	clients := make([]*client, 5)
	for i := range clients {
		clients[i] = dial(t, n, "r1", "", "")
		clients[i].waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, c := range clients {
		if got := c.closeStatus(5 * time.Second); got != websocket.StatusGoingAway {
			t.Errorf("closed with %v (%v), want 1001", got, c.err)
		}
	}
	waitFor(t, "no subscriptions left", func() bool { return b.subscribers() == 0 })
}

// waitFor polls cond for up to 10 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
