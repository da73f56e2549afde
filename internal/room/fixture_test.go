package room_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// fixture is a room service over a real SQLite store, wired to a real
// media.Hub as cmd/liveshop wires them, with a hand-moved clock, a
// recorder stand-in and an event recorder.
type fixture struct {
	st     *store.Store
	clock  *storetest.Clock
	hub    *media.Hub
	rooms  *room.Service
	recs   *fakeRecordings
	events *events
	owner  account.Actor
	shopID string
	prods  []string
}

func newFixture(t *testing.T, grace time.Duration) *fixture {
	t.Helper()
	return newPlacedFixture(t, grace, nil)
}

// newPlacedFixture is a fixture whose node shares its streams' placement
// with other nodes through place.
func newPlacedFixture(t *testing.T, grace time.Duration, place room.Placement) *fixture {
	t.Helper()
	ctx := t.Context()
	st := storetest.Open(t, store.SQLite, store.Options{})
	f := &fixture{st: st, clock: storetest.NewClock(time.Now()), recs: &fakeRecordings{positions: map[string]time.Duration{}, recorded: map[string]bool{}}, events: &events{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.rooms = room.NewService(room.Config{Repo: st, Recordings: f.recs, Publisher: f.events, Log: log, Now: f.clock.Now,
		Grace: grace, Placement: place, RTMPServer: "rtmp://live.test:1935/live/", WHIPURL: "https://live.test/whip",
		Warnings: func() []string { return []string{"ffmpeg is not installed"} }})
	f.hub = media.NewHub(f.rooms, log, f.clock.Now)
	f.rooms.UseMedia(f.hub)
	t.Cleanup(f.rooms.Close)

	// Users, an approved shop and products straight into storage: the
	// catalog's own rules are tested in the store's conformance suite.
	now := f.clock.Now()
	owner := account.User{ID: ids.New("usr"), Email: "owner@example.com", DisplayName: "Owner", CreatedAt: now}
	must(t, st.CreateUser(ctx, owner, "not-a-real-hash"))
	f.shopID = ids.New("shp")
	must(t, st.CreateShop(ctx, catalog.Shop{ID: f.shopID, OwnerID: owner.ID, Name: "Black Soil Farm", Category: "food",
		Region: "Heilongjiang", Programme: "standard", Status: catalog.ShopApproved, CreatedAt: now}))
	f.owner = account.Actor{User: &owner, ShopRoles: map[string]string{f.shopID: account.ShopOwner}}
	for i, title := range []string{"Rice", "Soybeans"} {
		p := catalog.Product{ID: ids.New("prd"), ShopID: f.shopID, Title: title, Category: "food", Tags: []string{},
			Status: catalog.ProductActive, CreatedAt: now, UpdatedAt: now}
		p.SKUs = []catalog.SKU{{ID: ids.New("sku"), ProductID: p.ID, ShopID: f.shopID, Code: ids.Token(5),
			PriceMinor: int64(1000 * (i + 1)), Currency: "CNY", Stock: 5, CreatedAt: now, UpdatedAt: now}}
		must(t, st.CreateProduct(ctx, p, owner.ID))
		f.prods = append(f.prods, p.ID)
	}
	return f
}

// user stores a person with no roles.
func (f *fixture) user(t *testing.T, name string) account.Actor {
	t.Helper()
	u := account.User{ID: ids.New("usr"), Email: name + "@example.com", DisplayName: name, CreatedAt: f.clock.Now()}
	must(t, f.st.CreateUser(t.Context(), u, "not-a-real-hash"))
	return account.Actor{User: &u}
}

func (f *fixture) schedule(t *testing.T, in room.ScheduleInput) room.Studio {
	t.Helper()
	if in.Title == "" {
		in.Title = "Harvest live"
	}
	st, err := f.rooms.Schedule(t.Context(), f.owner, f.shopID, in)
	must(t, err)
	return st
}

// publish admits a publisher through the hub, as an ingest adapter does.
func (f *fixture) publish(t *testing.T, key string, p media.Protocol) (*media.Stream, error) {
	t.Helper()
	return f.hub.Publish(t.Context(), key, p, media.Tracks{Video: &media.VideoInfo{Codec: media.H264}})
}

func (f *fixture) status(t *testing.T, id string) string {
	t.Helper()
	ses, err := f.rooms.Get(context.Background(), id)
	must(t, err)
	return ses.Status
}

// waitStatus waits (bounded) for a session to reach want.
func (f *fixture) waitStatus(t *testing.T, id, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := f.status(t, id)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %s is %s, want %s", id, got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitEvents waits (bounded) until exactly want has been published.
func (f *fixture) waitEvents(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := f.events.list()
		if slices.Equal(got, want) {
			return
		}
		if len(got) > len(want) || time.Now().After(deadline) {
			t.Fatalf("events %v, want %v", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fakeRecordings stands in for the recorder.
type fakeRecordings struct {
	mu        sync.Mutex
	positions map[string]time.Duration
	recorded  map[string]bool
	finalised []string
}

func (r *fakeRecordings) Position(roomID string) (time.Duration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.positions[roomID]
	return d, ok
}

func (r *fakeRecordings) Finalise(_ context.Context, roomID string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finalised = append(r.finalised, roomID)
	return r.recorded[roomID], nil
}

func (r *fakeRecordings) finalisedRooms() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.finalised...)
}

func (r *fakeRecordings) set(roomID string, recorded bool, pos time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recorded[roomID] = recorded
	r.positions[roomID] = pos
}

// events records what was published: the subject, followed for room
// events by ":" and the event type ("room.ses_1.events:status").
type events struct {
	mu       sync.Mutex
	subjects []string
	payloads []any
}

func (e *events) Publish(subject string, payload any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if ev, ok := payload.(room.Event); ok {
		subject += ":" + ev.Type
	}
	e.subjects = append(e.subjects, subject)
	e.payloads = append(e.payloads, payload)
}

func (e *events) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.subjects...)
}

func (e *events) last() (string, any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.subjects) == 0 {
		return "", nil
	}
	return e.subjects[len(e.subjects)-1], e.payloads[len(e.payloads)-1]
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
