package realtime

import (
	"fmt"
	"testing"
	"time"
)

// publishN publishes n announcements numbered from first.
func publishN(b Bus, roomID string, first, n int) {
	for i := first; i < first+n; i++ {
		publishEvent(b, roomID, "announcement", map[string]int{"n": i})
	}
}

// seqsOf lists the seqs of the envelopes of type typ.
func seqsOf(got []env, typ string) []uint64 {
	var out []uint64
	for _, e := range got {
		if e.Type == typ {
			out = append(out, e.Seq)
		}
	}
	return out
}

func maxSeq(got []env) uint64 {
	var m uint64
	for _, e := range got {
		m = max(m, e.Seq)
	}
	return m
}

func wantSeqs(t *testing.T, got []uint64, from, to uint64) {
	t.Helper()
	if len(got) != int(to-from+1) {
		t.Fatalf("got seqs %v, want %d..%d", got, from, to)
	}
	for i, s := range got {
		if s != from+uint64(i) {
			t.Fatalf("got seqs %v, want %d..%d", got, from, to)
		}
	}
}

func TestResume(t *testing.T) {
	b := newMemBus(100) // the bus keeps 100 events a room
	rooms := newFakeRooms(b, "r1")
	opt := fastOptions()
	opt.RingLen = 20 // the node keeps 20
	n := startNode(t, b, rooms, opt)
	keeper := dial(t, n, "r1", "keeper", "") // keeps the room's hub alive
	keeper.waitFor("snapshot", 5*time.Second, ofType("snapshot"))

	c := dial(t, n, "r1", "alice", "")
	c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	publishN(b, "r1", 1, 5)
	c.waitUntil("5 events", 5*time.Second, func(got []env) bool { return countOf(got, "announcement") == 5 })
	// Each case counts from what the keeper has seen, so it must have all five first.
	keeper.waitUntil("5 events", 5*time.Second, func(got []env) bool { return countOf(got, "announcement") == 5 })
	_ = c.ws.CloseNow()

	cases := []struct {
		name      string
		missed    int  // events published while away
		viaNewHub bool // resume on a node that never saw the room
		reset     bool // too old: a snapshot with reset
		replays   int  // Replay calls expected
	}{
		{name: "from the node's ring", missed: 10},
		{name: "from the bus when the ring is too short", missed: 30, replays: 1},
		{name: "from the bus on another node", missed: 3, viaNewHub: true, replays: 1},
		{name: "too old for the bus: a fresh snapshot", missed: 120, reset: true, replays: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			since := maxSeq(keeper.envelopes())
			publishN(b, "r1", 100, tc.missed)
			waitFor(t, "the keeper to get the missed events", func() bool {
				return maxSeq(keeper.envelopes()) == since+uint64(tc.missed)
			})
			node := n
			if tc.viaNewHub {
				node = startNode(t, b, rooms, opt)
			}
			replays := b.replayCount()
			r := dial(t, node, "r1", "alice", fmt.Sprintf("since=%d", since))
			defer func() {
				if got := b.replayCount() - replays; got != tc.replays {
					t.Errorf("%d Replay calls, want %d", got, tc.replays)
				}
			}()
			if tc.reset {
				snap := r.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
				if snap.field("reset") != true || snap.Seq != since+uint64(tc.missed) {
					t.Fatalf("snapshot seq %d reset %v", snap.Seq, snap.field("reset"))
				}
				return
			}
			r.waitUntil("the missed events", 5*time.Second, func(got []env) bool {
				return countOf(got, "announcement") == tc.missed
			})
			got := r.envelopes()
			if countOf(got, "snapshot") != 0 {
				t.Fatal("a resume got a snapshot")
			}
			wantSeqs(t, seqsOf(got, "announcement"), since+1, since+uint64(tc.missed))
			r.waitFor("counts", 5*time.Second, ofType("counts"))
			// Live events follow the replayed ones without a gap.
			publishN(b, "r1", 900, 2)
			r.waitUntil("live events", 5*time.Second, func(got []env) bool { return countOf(got, "announcement") == tc.missed+2 })
			wantSeqs(t, seqsOf(r.envelopes(), "announcement"), since+1, since+uint64(tc.missed)+2)
			waitFor(t, "the keeper to get the live events", func() bool {
				return maxSeq(keeper.envelopes()) == since+uint64(tc.missed)+2
			})
			_ = r.ws.CloseNow()
		})
	}
}

// TestResumeAfterTheEnd: a client that missed the end of the room gets
// the status event, then 4010.
func TestResumeAfterTheEnd(t *testing.T) {
	b := newMemBus(100)
	rooms := newFakeRooms(b, "r1")
	n := startNode(t, b, rooms, fastOptions())
	c := dial(t, n, "r1", "alice", "")
	c.waitFor("snapshot", 5*time.Second, ofType("snapshot"))
	publishN(b, "r1", 1, 2)
	c.waitUntil("2 events", 5*time.Second, func(got []env) bool { return countOf(got, "announcement") == 2 })
	_ = c.ws.CloseNow()
	waitFor(t, "the hub to stop", func() bool { return b.subscribers() == 0 })

	rooms.end("r1")
	r := dial(t, n, "r1", "alice", "since=1")
	if got := r.closeStatus(5 * time.Second); got != CloseRoomEnded {
		t.Fatalf("closed with %v, want 4010", got)
	}
	got := r.envelopes()
	if len(got) < 2 || got[0].Seq != 2 || got[1].Type != "status" {
		t.Fatalf("resume after the end got %+v", got)
	}
}
