package room_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
)

// otherNodes stands in for the cluster's placement: which rooms this node
// announced, and which the test says run on another node.
type otherNodes struct {
	mu        sync.Mutex
	announced map[string]int
	withdrawn map[string]int
	elsewhere map[string]bool
	down      bool // the placement cannot be read
}

func newOtherNodes() *otherNodes {
	return &otherNodes{announced: map[string]int{}, withdrawn: map[string]int{}, elsewhere: map[string]bool{}}
}

func (o *otherNodes) Announce(_ context.Context, id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.announced[id]++
	return nil
}

func (o *otherNodes) Withdraw(_ context.Context, id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.withdrawn[id]++
	return nil
}

func (o *otherNodes) Elsewhere(_ context.Context, id string) (bool, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down {
		return false, errors.New("nats: no responders")
	}
	return o.elsewhere[id], nil
}

func (o *otherNodes) set(f func(o *otherNodes)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f(o)
}

// A session whose publisher left this node: live in the database, with no
// stream here.
func leftThisNode(t *testing.T, f *fixture) string {
	t.Helper()
	st := f.schedule(t, room.ScheduleInput{})
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	s.Close(false)
	return st.Session.ID
}

func TestStreamPlacementIsAnnouncedAndWithdrawn(t *testing.T) {
	place := newOtherNodes()
	f := newPlacedFixture(t, time.Hour, place)
	id := leftThisNode(t, f)
	deadline := time.Now().Add(5 * time.Second)
	for {
		place.mu.Lock()
		a, w := place.announced[id], place.withdrawn[id]
		place.mu.Unlock()
		if a == 1 && w == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("announced %d, withdrawn %d times; want once each", a, w)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEndOrphansLeavesSessionsLiveOnOtherNodes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		elsewhere bool
		down      bool
		ended     int
	}{
		{"streaming on another node", true, false, 0},
		{"placement unreadable: keep it", false, true, 0},
		{"streaming nowhere", false, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			place := newOtherNodes()
			f := newPlacedFixture(t, time.Hour, place)
			id := leftThisNode(t, f)
			place.set(func(o *otherNodes) { o.elsewhere[id], o.down = tc.elsewhere, tc.down })
			n, err := f.rooms.EndOrphans(t.Context())
			if err != nil || n != tc.ended {
				t.Fatalf("EndOrphans = %d, %v; want %d", n, err, tc.ended)
			}
		})
	}
}

func TestSweepEndsSessionsGoneFromEveryNode(t *testing.T) {
	const grace = 20 * time.Second // the timer is real time: it never fires in this test
	place := newOtherNodes()
	f := newPlacedFixture(t, grace, place)
	gone := leftThisNode(t, f)
	moved := leftThisNode(t, f)
	place.set(func(o *otherNodes) { o.elsewhere[moved] = true })

	sweep := func(want int) {
		t.Helper()
		if n, err := f.rooms.SweepOrphans(t.Context()); err != nil || n != want {
			t.Fatalf("SweepOrphans = %d, %v; want %d", n, err, want)
		}
	}
	sweep(0) // first seen missing now
	f.clock.Advance(grace - time.Second)
	sweep(0)
	// The placement cannot be read for a while: nothing is ended, and the
	// wait starts again once it can.
	place.set(func(o *otherNodes) { o.down = true })
	f.clock.Advance(time.Hour)
	sweep(0)
	place.set(func(o *otherNodes) { o.down = false })
	sweep(0)
	f.clock.Advance(grace)
	sweep(1)
	if f.status(t, gone) != room.Ended && f.status(t, gone) != room.Replay {
		t.Fatalf("the session gone from every node is %s", f.status(t, gone))
	}
	if f.status(t, moved) != room.Live {
		t.Fatalf("the session live on another node is %s", f.status(t, moved))
	}
}

func TestGraceEndSkippedWhenPublisherContinuesOnAnotherNode(t *testing.T) {
	const grace = 50 * time.Millisecond
	place := newOtherNodes()
	f := newPlacedFixture(t, grace, place)
	st := f.schedule(t, room.ScheduleInput{})
	id := st.Session.ID
	s, err := f.publish(t, st.StreamKey, media.RTMP)
	must(t, err)
	place.set(func(o *otherNodes) { o.elsewhere[id] = true }) // the publisher reconnects to another node…
	s.Close(false)                                            // …as this node sees it leave
	time.Sleep(10 * grace)
	if got := f.status(t, id); got != room.Live {
		t.Fatalf("status %s: the grace timer ended a session whose publisher moved to another node", got)
	}
}
