package store_test

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/media"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// liveWorld is the suite's world plus a live-session service over the
// same store, with a recorder stand-in (the recorder is not storage).
type liveWorld struct {
	*world
	rooms *room.Service
	recs  *recordingsForTest
	owner account.Actor
	farm  catalog.Shop
	prods []catalog.Product
}

func newLiveWorld(t *testing.T, s *store.Store) *liveWorld {
	t.Helper()
	w := newWorld(t, s)
	recs := &recordingsForTest{recorded: map[string]bool{}}
	rooms := room.NewService(room.Config{Repo: s, Recordings: recs, Now: w.clock.Now, Grace: time.Hour,
		RTMPServer: "rtmp://live.test:1935/live", WHIPURL: "https://live.test/whip"})
	t.Cleanup(rooms.Close)
	admin := w.admin(t, "admin@example.com")
	owner := w.user(t, "owner@example.com")
	sh, owner := w.shop(t, owner, admin, "Black Soil Farm", "standard")
	lw := &liveWorld{world: w, rooms: rooms, recs: recs, owner: owner, farm: sh}
	for _, title := range []string{"Rice", "Soybeans", "Honey"} {
		lw.prods = append(lw.prods, w.product(t, owner, sh.ID, title, 1990, 10))
	}
	return lw
}

func (lw *liveWorld) schedule(t *testing.T, title string, productIDs ...string) room.Studio {
	t.Helper()
	st, err := lw.rooms.Schedule(t.Context(), lw.owner, lw.farm.ID, room.ScheduleInput{Title: title, ProductIDs: productIDs})
	if err != nil {
		t.Fatalf("schedule %q: %v", title, err)
	}
	return st
}

// goLive admits a publisher with key as the media engine would.
func (lw *liveWorld) goLive(t *testing.T, key string) string {
	t.Helper()
	id, err := lw.rooms.Authorize(t.Context(), key, media.RTMP)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	must(t, lw.rooms.Started(t.Context(), id, media.RTMP))
	return id
}

func TestLiveSessionsCreateGetList(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		a := lw.schedule(t, "Harvest live", lw.prods[2].ID, lw.prods[0].ID)
		if a.StreamKey == "" || a.RTMPURL != "rtmp://live.test:1935/live/"+a.StreamKey || a.WHIPURL != "https://live.test/whip" {
			t.Fatalf("studio = %+v", a)
		}
		got, err := lw.rooms.Get(ctx, a.Session.ID)
		must(t, err)
		if got.Status != room.Scheduled || got.ShopName != "Black Soil Farm" || got.HostID != nil || got.StartedAt != nil ||
			len(got.Products) != 2 || got.Products[0].ProductID != lw.prods[2].ID || got.Products[0].Position != 1 ||
			got.Products[1].Title != "Rice" || got.Products[1].PriceMinor != 1990 || got.Products[1].Currency != "CNY" {
			t.Fatalf("session = %+v", got)
		}
		if !got.PlannedStart.Equal(lw.clock.Now()) || !got.CreatedAt.Equal(lw.clock.Now()) {
			t.Fatalf("planned %v created %v, want %v", got.PlannedStart, got.CreatedAt, lw.clock.Now())
		}
		if _, err := lw.rooms.Get(ctx, "ses_missing"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("missing session: %v", err)
		}

		// A host, a second shop, and sessions in several states to filter.
		host := lw.user(t, "host@example.com")
		withHost, err := lw.rooms.Schedule(ctx, lw.owner, lw.farm.ID, room.ScheduleInput{Title: "With host", HostID: host.ID()})
		must(t, err)
		if withHost.Session.HostID == nil || *withHost.Session.HostID != host.ID() {
			t.Fatalf("host = %v", withHost.Session.HostID)
		}
		otherOwner := lw.user(t, "other@example.com")
		other, otherOwner := lw.shop(t, otherOwner, lw.admin(t, "admin2@example.com"), "Other", "standard")
		_, err = lw.rooms.Schedule(ctx, otherOwner, other.ID, room.ScheduleInput{Title: "Elsewhere"})
		must(t, err)
		lw.goLive(t, a.StreamKey)

		titlesOf := func(ss []room.Session) []string {
			out := []string{}
			for _, s := range ss {
				out = append(out, s.Title)
			}
			return out
		}
		tests := []struct {
			name string
			f    room.Filter
			want []string
		}{
			{"all, newest first", room.Filter{}, []string{"Elsewhere", "With host", "Harvest live"}},
			{"by shop", room.Filter{ShopID: lw.farm.ID}, []string{"With host", "Harvest live"}},
			{"live", room.Filter{Status: room.Live}, []string{"Harvest live"}},
			{"scheduled in a shop", room.Filter{Status: room.Scheduled, ShopID: other.ID}, []string{"Elsewhere"}},
			{"one page", room.Filter{Limit: 2}, []string{"Elsewhere", "With host"}},
			{"after a cursor", room.Filter{Cursor: withHost.Session.ID}, []string{"Harvest live"}},
		}
		for _, tt := range tests {
			got, err := lw.rooms.List(ctx, tt.f)
			must(t, err)
			if g := titlesOf(got); !slices.Equal(g, tt.want) {
				t.Errorf("%s: %v, want %v", tt.name, g, tt.want)
			}
		}
		_, err = lw.rooms.List(ctx, room.Filter{Status: "paused"})
		wantErr(t, err, apperr.Invalid, "status")
	})
}

func TestLiveSessionScheduleRefusals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		other := lw.user(t, "other@example.com")
		foreign, otherOwner := lw.shop(t, other, lw.admin(t, "admin2@example.com"), "Other", "standard")
		foreignProduct := lw.product(t, otherOwner, foreign.ID, "Not yours", 100, 1)
		pendingOwner := lw.user(t, "pending@example.com")
		pending, err := lw.cat.Apply(ctx, pendingOwner, catalog.ShopApplication{Name: "Pending", Category: "food", Region: "Jilin"})
		must(t, err)
		pendingOwner = lw.actor(t, pendingOwner.ID())

		p := lw.prods
		tests := []struct {
			name  string
			actor account.Actor
			shop  string
			in    room.ScheduleInput
			code  string
			field string
		}{
			{"anonymous", account.Actor{}, lw.farm.ID, room.ScheduleInput{Title: "x"}, apperr.Unauthorized, ""},
			{"not a member", other, lw.farm.ID, room.ScheduleInput{Title: "x"}, apperr.Forbidden, ""},
			{"pending shop", pendingOwner, pending.ID, room.ScheduleInput{Title: "x"}, apperr.Conflict, ""},
			{"no title", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "  "}, apperr.Invalid, "title"},
			{"foreign product", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "x", ProductIDs: []string{p[0].ID, foreignProduct.ID}}, apperr.Invalid, "product_ids[1]"},
			{"unknown product", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "x", ProductIDs: []string{"prd_nope"}}, apperr.Invalid, "product_ids[0]"},
			{"duplicate product", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "x", ProductIDs: []string{p[0].ID, p[1].ID, p[0].ID}}, apperr.Invalid, "product_ids[2]"},
			{"unknown host", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "x", HostID: "usr_nope"}, apperr.Invalid, "host_id"},
			{"bad planned start", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "x", PlannedStart: "tomorrow"}, apperr.Invalid, "planned_start"},
			{"unknown cover", lw.owner, lw.farm.ID, room.ScheduleInput{Title: "x", CoverImageID: "img_nope"}, apperr.Invalid, "cover_image_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := lw.rooms.Schedule(ctx, tt.actor, tt.shop, tt.in)
				wantErr(t, err, tt.code, tt.field)
			})
		}
		all, err := lw.rooms.List(ctx, room.Filter{})
		must(t, err)
		if len(all) != 0 {
			t.Fatalf("refused schedules stored %d sessions", len(all))
		}
	})
}

func TestLiveSessionKeysAndRotation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		st := lw.schedule(t, "Keys")
		id, err := lw.rooms.Authorize(ctx, st.StreamKey, media.WHIP)
		must(t, err)
		if id != st.Session.ID {
			t.Fatalf("key publishes to %s, want %s", id, st.Session.ID)
		}
		_, err = lw.rooms.Authorize(ctx, "sk_guessed", media.RTMP)
		wantErr(t, err, apperr.Unauthorized, "")

		stranger := lw.user(t, "stranger@example.com")
		_, err = lw.rooms.Studio(ctx, stranger, st.Session.ID)
		wantErr(t, err, apperr.Forbidden, "")
		_, err = lw.rooms.RotateKey(ctx, stranger, st.Session.ID)
		wantErr(t, err, apperr.Forbidden, "")

		rotated, err := lw.rooms.RotateKey(ctx, lw.owner, st.Session.ID)
		must(t, err)
		if rotated.StreamKey == st.StreamKey {
			t.Fatal("rotation kept the key")
		}
		_, err = lw.rooms.Authorize(ctx, st.StreamKey, media.RTMP)
		wantErr(t, err, apperr.Unauthorized, "")
		if id, err := lw.rooms.Authorize(ctx, rotated.StreamKey, media.RTMP); err != nil || id != st.Session.ID {
			t.Fatalf("new key: %s, %v", id, err)
		}
		studio, err := lw.rooms.Studio(ctx, lw.owner, st.Session.ID)
		must(t, err)
		if studio.StreamKey != rotated.StreamKey {
			t.Fatal("studio shows an old key")
		}

		// Two sessions never share a key, so a key names one room.
		other := lw.schedule(t, "Other")
		if other.StreamKey == rotated.StreamKey {
			t.Fatal("two sessions share a key")
		}
	})
}

func TestLiveSessionTransitions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		st := lw.schedule(t, "Lifecycle")
		id := st.Session.ID
		start := lw.clock.Now()
		lw.goLive(t, st.StreamKey)
		ses, err := lw.rooms.Get(ctx, id)
		must(t, err)
		if ses.Status != room.Live || ses.Protocol != media.RTMP || ses.StartedAt == nil || !ses.StartedAt.Equal(start) {
			t.Fatalf("after start: %+v", ses)
		}

		// A reconnect keeps the first started_at and records the new protocol.
		lw.clock.Advance(time.Minute)
		must(t, lw.rooms.Started(ctx, id, media.WHIP))
		ses, _ = lw.rooms.Get(ctx, id)
		if !ses.StartedAt.Equal(start) || ses.Protocol != media.WHIP {
			t.Fatalf("after reconnect: started %v protocol %s", ses.StartedAt, ses.Protocol)
		}

		// The store refuses impossible moves.
		wantErr(t, s.MarkReplay(ctx, id), apperr.Conflict, "")
		lw.clock.Advance(time.Minute)
		ended, err := lw.rooms.End(ctx, lw.owner, id)
		must(t, err)
		if ended.Status != room.Ended || ended.EndedAt == nil || !ended.EndedAt.Equal(lw.clock.Now()) {
			t.Fatalf("after end: %+v", ended)
		}
		wantErr(t, s.StartLiveSession(ctx, id, media.RTMP, lw.clock.Now()), apperr.Conflict, "")
		wantErr(t, lw.rooms.Started(ctx, id, media.RTMP), apperr.Conflict, "")
		_, err = lw.rooms.Authorize(ctx, st.StreamKey, media.RTMP)
		wantErr(t, err, apperr.Conflict, "")
		_, err = lw.rooms.RotateKey(ctx, lw.owner, id)
		wantErr(t, err, apperr.Conflict, "")
		if again, err := s.EndLiveSession(ctx, id, lw.clock.Now()); err != nil || again {
			t.Fatalf("ending twice: %v, %v", again, err)
		}
		if _, err := s.EndLiveSession(ctx, "ses_missing", lw.clock.Now()); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("ending a missing session: %v", err)
		}
		must(t, s.MarkReplay(ctx, id))
		wantErr(t, s.MarkReplay(ctx, id), apperr.Conflict, "")
		ses, _ = lw.rooms.Get(ctx, id)
		if ses.Status != room.Replay {
			t.Fatalf("status %s, want replay", ses.Status)
		}

		// With a recording, End makes the session a replay at once.
		rec := lw.schedule(t, "Recorded")
		lw.goLive(t, rec.StreamKey)
		lw.recs.record(rec.Session.ID)
		done, err := lw.rooms.End(ctx, lw.owner, rec.Session.ID)
		must(t, err)
		if done.Status != room.Replay {
			t.Fatalf("recorded session is %s after End, want replay", done.Status)
		}

		// A session ended before it went live has no recording and stays ended.
		never := lw.schedule(t, "Cancelled")
		done, err = lw.rooms.End(ctx, lw.owner, never.Session.ID)
		must(t, err)
		if done.Status != room.Ended || done.StartedAt != nil {
			t.Fatalf("cancelled session: %+v", done)
		}
	})
}

func TestLiveSessionMomentsAndShelf(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		p := lw.prods
		img, err := lw.cat.AddImage(ctx, lw.owner, p[1].ID, bytes.NewReader(pngBytes(t, 8, 8)))
		must(t, err)
		st := lw.schedule(t, "Moments", p[0].ID, p[1].ID)
		id := st.Session.ID
		_, err = lw.rooms.Explain(ctx, lw.owner, id, p[0].ID)
		wantErr(t, err, apperr.Conflict, "") // not live yet

		lw.goLive(t, st.StreamKey)
		lw.clock.Advance(90 * time.Second)
		m1, err := lw.rooms.Explain(ctx, lw.owner, id, p[0].ID)
		must(t, err)
		if m1.OffsetMS != 90000 || m1.Title != "Rice" {
			t.Fatalf("moment = %+v", m1)
		}
		lw.clock.Advance(time.Minute)
		_, err = lw.rooms.Explain(ctx, lw.owner, id, p[1].ID)
		must(t, err)
		lw.clock.Advance(time.Minute)
		m3, err := lw.rooms.Explain(ctx, lw.owner, id, p[0].ID)
		must(t, err)
		_, err = lw.rooms.Explain(ctx, lw.owner, id, p[2].ID)
		wantErr(t, err, apperr.Invalid, "product_id")

		ms, err := lw.rooms.Moments(ctx, id, "", 0)
		must(t, err)
		if len(ms) != 3 || ms[0].ID != m1.ID || ms[2].ID != m3.ID || ms[1].OffsetMS != 150000 || ms[2].OffsetMS != 210000 {
			t.Fatalf("moments = %+v", ms)
		}
		page, err := lw.rooms.Moments(ctx, id, ms[0].ID, 1)
		must(t, err)
		if len(page) != 1 || page[0].ID != ms[1].ID {
			t.Fatalf("page after cursor = %+v", page)
		}
		ses, _ := lw.rooms.Get(ctx, id)
		if ses.ExplainingProductID != p[0].ID || ses.Products[1].ImageID != img.ID {
			t.Fatalf("session = %+v", ses)
		}

		// Replacing the shelf reorders it and drops the explained product.
		order := []string{p[2].ID, p[1].ID}
		ses, err = lw.rooms.Update(ctx, lw.owner, id, room.UpdateInput{ProductIDs: &order})
		must(t, err)
		if len(ses.Products) != 2 || ses.Products[0].ProductID != p[2].ID || ses.Products[0].Position != 1 ||
			ses.Products[1].ProductID != p[1].ID || ses.Products[1].Position != 2 || ses.ExplainingProductID != "" {
			t.Fatalf("after shelf change: %+v", ses)
		}
		empty := []string{}
		ses, err = lw.rooms.Update(ctx, lw.owner, id, room.UpdateInput{ProductIDs: &empty})
		must(t, err)
		if len(ses.Products) != 0 {
			t.Fatalf("shelf not cleared: %+v", ses.Products)
		}

		// Title and cover change in any state; planned start only before going live.
		title, cover, planned := "  New title ", img.ID, lw.clock.Now().Add(time.Hour).Format(time.RFC3339)
		ses, err = lw.rooms.Update(ctx, lw.owner, id, room.UpdateInput{Title: &title, CoverImageID: &cover})
		must(t, err)
		if ses.Title != "New title" || ses.CoverImageID != img.ID {
			t.Fatalf("after edit: %+v", ses)
		}
		_, err = lw.rooms.Update(ctx, lw.owner, id, room.UpdateInput{PlannedStart: &planned})
		wantErr(t, err, apperr.Conflict, "")
		wantErr(t, s.UpdateLiveSession(ctx, id, room.Change{PlannedStart: &time.Time{}}), apperr.Conflict, "")
		later := lw.schedule(t, "Later")
		ses, err = lw.rooms.Update(ctx, lw.owner, later.Session.ID, room.UpdateInput{PlannedStart: &planned})
		must(t, err)
		if ses.PlannedStart.Format(time.RFC3339) != planned {
			t.Fatalf("planned start %v, want %s", ses.PlannedStart, planned)
		}
		bad := []string{p[0].ID, "prd_nope"}
		_, err = lw.rooms.Update(ctx, lw.owner, later.Session.ID, room.UpdateInput{ProductIDs: &bad})
		wantErr(t, err, apperr.Invalid, "product_ids[1]")
	})
}

func TestLiveDemoRoomAndOrphans(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		lw := newLiveWorld(t, s)
		ctx := t.Context()
		const key = "demo-key-123456"
		ses, err := lw.rooms.EnsureDemoRoom(ctx, lw.farm.ID, lw.owner.ID(), "Demo", key, []string{lw.prods[0].ID})
		must(t, err)
		if ses.ID != room.DemoRoomID || ses.Status != room.Scheduled || len(ses.Products) != 1 {
			t.Fatalf("demo = %+v", ses)
		}
		lw.goLive(t, key)
		_, err = lw.rooms.Explain(ctx, lw.owner, room.DemoRoomID, lw.prods[0].ID)
		must(t, err)
		_, err = lw.rooms.End(ctx, lw.owner, room.DemoRoomID)
		must(t, err)
		_, err = lw.rooms.Authorize(ctx, key, media.RTMP)
		wantErr(t, err, apperr.Conflict, "")

		// Ensuring it again makes it publishable with the same key.
		ses, err = lw.rooms.EnsureDemoRoom(ctx, lw.farm.ID, "", "Demo again", key, []string{lw.prods[1].ID, lw.prods[2].ID})
		must(t, err)
		if ses.Status != room.Scheduled || ses.StartedAt != nil || ses.EndedAt != nil || ses.HostID != nil ||
			ses.Title != "Demo again" || len(ses.Products) != 2 {
			t.Fatalf("demo after reset = %+v", ses)
		}
		if id, err := lw.rooms.Authorize(ctx, key, media.RTMP); err != nil || id != room.DemoRoomID {
			t.Fatalf("demo key after reset: %s, %v", id, err)
		}
		if ms, _ := lw.rooms.Moments(ctx, room.DemoRoomID, "", 0); len(ms) != 0 {
			t.Fatalf("moments survived the reset: %+v", ms)
		}

		// Sessions a previous run left live are ended at startup.
		lw.goLive(t, key)
		left := lw.schedule(t, "Left live")
		lw.goLive(t, left.StreamKey)
		lw.recs.record(left.Session.ID)
		restarted := room.NewService(room.Config{Repo: s, Recordings: lw.recs, Now: lw.clock.Now, Grace: time.Hour})
		defer restarted.Close()
		n, err := restarted.EndOrphans(ctx)
		must(t, err)
		if n != 2 {
			t.Fatalf("ended %d orphans, want 2", n)
		}
		demo, _ := lw.rooms.Get(ctx, room.DemoRoomID)
		rec, _ := lw.rooms.Get(ctx, left.Session.ID)
		if demo.Status != room.Ended || rec.Status != room.Replay {
			t.Fatalf("after EndOrphans: demo %s, recorded %s", demo.Status, rec.Status)
		}
	})
}

// recordingsForTest stands in for the recorder: a room "has a recording"
// once the test says so.
type recordingsForTest struct {
	mu        sync.Mutex
	recorded  map[string]bool
	positions map[string]time.Duration
}

func (r *recordingsForTest) record(roomID string) {
	r.mu.Lock()
	r.recorded[roomID] = true
	r.mu.Unlock()
}

func (r *recordingsForTest) Position(roomID string) (time.Duration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.positions[roomID]
	return d, ok
}

func (r *recordingsForTest) Finalise(_ context.Context, roomID string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recorded[roomID], nil
}
