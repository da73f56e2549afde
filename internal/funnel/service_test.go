package funnel_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/funnel"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// The write buffer over a real SQLite store. Counting and deduplication
// on both databases are in internal/store's conformance suite.

// heldStore is the real store with a gate in front of its funnel writes,
// so a test can hold a write in progress and see requests go on.
type heldStore struct {
	*store.Store
	gate    chan struct{} // closed: writes go through
	waiting chan struct{} // told when a write reaches the gate
}

func (h *heldStore) AddFunnelEvents(ctx context.Context, rows []funnel.Row) (int, error) {
	select {
	case h.waiting <- struct{}{}:
	default:
	}
	<-h.gate
	return h.Store.AddFunnelEvents(ctx, rows)
}

// newRoom opens a store with one scheduled session and returns both with
// the session service.
func newRoom(t *testing.T) (*store.Store, *room.Service, string) {
	t.Helper()
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	now := time.Now().UTC()
	owner := account.User{ID: ids.New("usr"), Email: "owner@example.com", DisplayName: "Owner", CreatedAt: now}
	if err := st.CreateUser(ctx, owner, "unused"); err != nil {
		t.Fatal(err)
	}
	shopID := ids.New("shp")
	if err := st.CreateShop(ctx, catalog.Shop{ID: shopID, OwnerID: owner.ID, Name: "Farm", Category: "food", Region: "Jilin",
		Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	a, err := account.NewService(st, nil).ActorFor(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	rooms := room.NewService(room.Config{Repo: st, Grace: time.Minute})
	t.Cleanup(rooms.Close)
	studio, err := rooms.Schedule(ctx, a, shopID, room.ScheduleInput{Title: "Harvest"})
	if err != nil {
		t.Fatal(err)
	}
	return st, rooms, studio.Session.ID
}

func view(n int) funnel.Event {
	return funnel.Event{Step: funnel.StepView, AnonID: fmt.Sprintf("viewer-%05d", n)}
}

// views reads the room's distinct viewers straight from the store.
func views(t *testing.T, st *store.Store, sessionID string) int64 {
	t.Helper()
	f, err := st.FunnelCounts(t.Context(), sessionID)
	if err != nil {
		t.Fatal(err)
	}
	return f.Views
}

// eventually fails unless cond holds within 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRecordNeverWaits fills the buffer while a write is held: requests
// still return at once, and what does not fit is dropped and counted.
func TestRecordNeverWaits(t *testing.T) {
	ctx := t.Context()
	st, rooms, sessionID := newRoom(t)
	held := &heldStore{Store: st, gate: make(chan struct{}), waiting: make(chan struct{}, 1)}
	fs := funnel.NewService(funnel.Config{Repo: held, Rooms: rooms, FlushEvery: time.Hour, BatchSize: 1000, MaxBuffered: 100})
	t.Cleanup(fs.Close)
	t.Cleanup(func() {
		select {
		case <-held.gate:
		default:
			close(held.gate)
		}
	})
	anon := account.Actor{}

	for i := range 100 {
		if err := fs.Record(ctx, anon, sessionID, view(i)); err != nil {
			t.Fatal(err)
		}
	}
	flushed := make(chan error, 1)
	go func() { flushed <- fs.Flush(ctx) }()
	select {
	case <-held.waiting:
	case <-time.After(5 * time.Second):
		t.Fatal("the flush never reached the store")
	}

	// The write of the first 100 is held; 150 more viewers arrive.
	recorded := make(chan error, 1)
	go func() {
		for i := 100; i < 250; i++ {
			if err := fs.Record(ctx, anon, sessionID, view(i)); err != nil {
				recorded <- err
				return
			}
		}
		recorded <- nil
	}()
	select {
	case err := <-recorded:
		if err != nil {
			t.Fatalf("record while a write is held: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Record waited for the held write")
	}
	if s := fs.Stats(); s.Pending != 100 || s.Dropped != 50 || s.Written != 0 {
		t.Fatalf("while held: %+v, want 100 pending and 50 dropped", s)
	}

	close(held.gate)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	if err := fs.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if s := fs.Stats(); s.Pending != 0 || s.Dropped != 50 || s.Written != 200 || s.Failed != 0 {
		t.Fatalf("after the writes: %+v, want 200 written and 50 dropped", s)
	}
	if n := views(t, st, sessionID); n != 200 {
		t.Fatalf("views = %d, want the 200 that fitted", n)
	}
}

// TestBackgroundWrites: a full batch is written at once, anything else
// at the next tick, without anyone calling Flush.
func TestBackgroundWrites(t *testing.T) {
	ctx := t.Context()
	st, rooms, sessionID := newRoom(t)

	t.Run("a full batch", func(t *testing.T) {
		fs := funnel.NewService(funnel.Config{Repo: st, Rooms: rooms, FlushEvery: time.Hour, BatchSize: 5})
		t.Cleanup(fs.Close)
		for i := range 4 {
			if err := fs.Record(ctx, account.Actor{}, sessionID, view(i)); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(50 * time.Millisecond)
		if n := views(t, st, sessionID); n != 0 {
			t.Fatalf("%d views written before the batch was full", n)
		}
		if err := fs.Record(ctx, account.Actor{}, sessionID, view(4)); err != nil {
			t.Fatal(err)
		}
		eventually(t, "5 views written", func() bool { return views(t, st, sessionID) == 5 })
	})

	t.Run("the tick", func(t *testing.T) {
		fs := funnel.NewService(funnel.Config{Repo: st, Rooms: rooms, FlushEvery: 20 * time.Millisecond})
		t.Cleanup(fs.Close)
		if err := fs.Record(ctx, account.Actor{}, sessionID, view(5)); err != nil {
			t.Fatal(err)
		}
		// The row is visible before the writer counts it: wait for both.
		eventually(t, "the 6th view written", func() bool { return views(t, st, sessionID) == 6 && fs.Stats().Written == 1 })
		if s := fs.Stats(); s.Written != 1 || s.Pending != 0 {
			t.Fatalf("stats = %+v", s)
		}
	})
}

// TestCloseWritesWhatIsBuffered: shutting down loses nothing buffered,
// and later events are refused rather than silently kept.
func TestCloseWritesWhatIsBuffered(t *testing.T) {
	ctx := t.Context()
	st, rooms, sessionID := newRoom(t)
	fs := funnel.NewService(funnel.Config{Repo: st, Rooms: rooms, FlushEvery: time.Hour})
	for i := range 3 {
		if err := fs.Record(ctx, account.Actor{}, sessionID, view(i)); err != nil {
			t.Fatal(err)
		}
	}
	fs.Close()
	if n := views(t, st, sessionID); n != 3 {
		t.Fatalf("views after Close = %d, want 3", n)
	}
	err := fs.Record(ctx, account.Actor{}, sessionID, view(9))
	if !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("record after Close = %v, want unavailable", err)
	}
	fs.Close() // a second Close does nothing
}
