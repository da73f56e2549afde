package feed

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
)

// countingRepo serves fixed rooms and counts the reads, to test what the
// service caches. The queries themselves are tested on both databases in
// store's conformance suite.
type countingRepo struct {
	mu         sync.Mutex
	rooms      []Room
	stats      map[string]RoomStats
	viewer     Viewer
	roomReads  int
	stateReads int
	hostReads  int
	features   int
}

func (r *countingRepo) FeedRooms(context.Context, time.Time, time.Time) ([]Room, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.roomReads++
	return append([]Room(nil), r.rooms...), nil
}

func (r *countingRepo) FeedRoomStates(context.Context, time.Time, time.Time) (map[string]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stateReads++
	out := map[string]string{}
	for _, rm := range r.rooms {
		out[rm.ID] = rm.Status
	}
	return out, nil
}

func (r *countingRepo) FeedRoomStats(context.Context, time.Time) (map[string]RoomStats, error) {
	return r.stats, nil
}

func (r *countingRepo) FeedHostStats(context.Context, time.Time, time.Time) (map[Target]HostStats, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hostReads++
	return map[Target]HostStats{{Kind: "host", ID: "usr_a"}: {Followers: 500, Sessions: 9}}, nil
}

func (r *countingRepo) ViewerFeatures(context.Context, string) (Viewer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.features++
	return r.viewer, nil
}

func (r *countingRepo) ChannelRooms(context.Context, ChannelQuery) ([]Room, error) { return nil, nil }

func (r *countingRepo) ProgrammeCounties(context.Context, string) ([]County, error) { return nil, nil }

type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestServiceCaches(t *testing.T) {
	repo := &countingRepo{
		rooms:  []Room{liveRoom("a", func(r *Room) { r.HostID = "usr_a" }), liveRoom("b", func(r *Room) { r.HostID = "usr_b" })},
		stats:  map[string]RoomStats{"b": {Viewers: 77, Likes: 5}},
		viewer: Viewer{Hosts: map[string]bool{"usr_a": true}},
	}
	clock := &testClock{now: t0}
	s := NewService(Config{Repo: repo, Now: clock.Now})
	ctx := t.Context()
	alice := account.Actor{User: &account.User{ID: "usr_alice"}}

	f, err := s.Feed(ctx, alice, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	// The first request builds the index; stats and host figures land on the rooms.
	if len(f.Items) != 2 || f.Items[0].ID != "a" || f.Items[0].HostFollowers != 500 || f.Items[1].Viewers != 77 ||
		f.Items[1].Likes != 5 || repo.roomReads != 1 || repo.hostReads != 1 || repo.features != 1 {
		t.Fatalf("feed %+v; reads: rooms %d hosts %d features %d", f, repo.roomReads, repo.hostReads, repo.features)
	}
	if f.Items[0].Reasons[0] != ReasonFollowedHost {
		t.Fatalf("first item %+v", f.Items[0])
	}

	// Within the TTL and the index's freshness: no reads.
	clock.Advance(3 * time.Second)
	if _, err := s.Feed(ctx, alice, "", 10); err != nil {
		t.Fatal(err)
	}
	if repo.roomReads != 1 || repo.features != 1 {
		t.Fatalf("reads within the TTL: rooms %d features %d", repo.roomReads, repo.features)
	}
	// Past twice the refresh interval the request rebuilds the index
	// (Run is not running): the same rooms in the same states keep their
	// details; host figures are kept until HostStatsEvery.
	clock.Advance(2 * time.Second)
	if _, err := s.Feed(ctx, alice, "", 10); err != nil {
		t.Fatal(err)
	}
	if repo.roomReads != 1 || repo.stateReads != 1 || repo.hostReads != 1 {
		t.Fatalf("stale index: rooms %d states %d hosts %d", repo.roomReads, repo.stateReads, repo.hostReads)
	}
	// A new room rereads the details at once, and a room of a host never
	// asked about reads host figures at once.
	repo.mu.Lock()
	repo.rooms = append(repo.rooms, liveRoom("c", func(r *Room) { r.HostID = "usr_new" }))
	repo.mu.Unlock()
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if repo.roomReads != 2 || repo.hostReads != 2 {
		t.Fatalf("new room of a new host: room reads %d, host reads %d", repo.roomReads, repo.hostReads)
	}
	if idx, _ := s.current(ctx); len(idx.rooms) != len(repo.rooms) {
		t.Fatalf("index holds %d rooms, want %d", len(idx.rooms), len(repo.rooms))
	}
	// A status change rereads them too.
	repo.mu.Lock()
	repo.rooms[0].Status = "ended"
	repo.mu.Unlock()
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if repo.roomReads != 3 {
		t.Fatalf("status change: room reads %d, want 3", repo.roomReads)
	}
	repo.mu.Lock()
	repo.rooms[0].Status = "live"
	repo.mu.Unlock()
	if err := s.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// Past the viewer TTL the features are read again; Forget drops them at once.
	clock.Advance(DefaultViewerTTL)
	if _, err := s.Feed(ctx, alice, "", 10); err != nil {
		t.Fatal(err)
	}
	s.Forget("usr_alice")
	if _, err := s.Feed(ctx, alice, "", 10); err != nil {
		t.Fatal(err)
	}
	if repo.features != 3 {
		t.Fatalf("features read %d times, want 3", repo.features)
	}
	// Anonymous viewers read no features.
	if _, err := s.Feed(ctx, account.Actor{}, "visitor-0001", 10); err != nil || repo.features != 3 {
		t.Fatalf("anonymous: %v, features %d", err, repo.features)
	}
	chans, err := s.Channels(ctx)
	if err != nil || chans[0].Code != "foodie" || chans[0].LiveCount != 3 {
		t.Fatalf("channels %+v %v", chans, err)
	}
	if _, _, err := s.Channel(ctx, "nope", "", 10, ""); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown channel: %v", err)
	}
}

func TestViewerCacheBounded(t *testing.T) {
	repo := &countingRepo{}
	c := newViewerCache(repo, time.Minute, 3)
	ctx := t.Context()
	for _, id := range []string{"u1", "u2", "u3", "u4"} {
		if _, err := c.get(ctx, id, t0); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.m) > 3 {
		t.Fatalf("%d entries, max 3", len(c.m))
	}
	// Expired entries go first.
	c = newViewerCache(repo, time.Minute, 3)
	c.get(ctx, "old", t0)
	c.get(ctx, "new1", t0.Add(50*time.Second))
	c.get(ctx, "new2", t0.Add(50*time.Second))
	c.get(ctx, "new3", t0.Add(70*time.Second))
	if _, ok := c.m["old"]; ok || len(c.m) != 3 {
		t.Fatalf("entries %v", c.m)
	}
}
