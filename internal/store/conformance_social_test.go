package store_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/social"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// socialWorld is the farm with a host, a social service over the store
// on the world's clock, and the analytics events it records.
type socialWorld struct {
	*liveWorld
	host   account.Actor
	svc    *social.Service
	events *analyticsForTest
}

type analyticsForTest struct {
	mu     sync.Mutex
	events []analytics.Event
}

func (r *analyticsForTest) Record(ev analytics.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *analyticsForTest) all() []analytics.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

func newSocialWorld(t *testing.T, s *store.Store) *socialWorld {
	t.Helper()
	lw := newLiveWorld(t, s)
	host := lw.user(t, "host@example.com")
	must(t, lw.acct.BecomeHost(t.Context(), host))
	sw := &socialWorld{liveWorld: lw, host: lw.actor(t, host.ID()), events: &analyticsForTest{}}
	sw.svc = sw.node()
	return sw
}

// node returns another social service over the same store, as another
// node of a cluster runs one.
func (sw *socialWorld) node() *social.Service {
	return social.NewService(social.Config{Repo: sw.s, Rooms: sw.rooms, Analytics: sw.events, Now: sw.clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// hosted schedules a session hosted by the world's host, planned at in
// from now.
func (sw *socialWorld) hosted(t *testing.T, title string, in time.Duration) room.Studio {
	t.Helper()
	st, err := sw.rooms.Schedule(t.Context(), sw.owner, sw.farm.ID, room.ScheduleInput{Title: title, HostID: sw.host.ID(),
		PlannedStart: sw.clock.Now().Add(in).Format(time.RFC3339Nano), ProductIDs: []string{sw.prods[0].ID}})
	must(t, err)
	return st
}

// fastUsers stores n users directly (no password hashing).
func fastUsers(t *testing.T, s *store.Store, prefix string, n int) []account.Actor {
	t.Helper()
	out := make([]account.Actor, n)
	for i := range out {
		u := account.User{ID: ids.New("usr"), Email: fmt.Sprintf("%s%d@example.com", prefix, i), DisplayName: fmt.Sprintf("%s %d", prefix, i),
			CreatedAt: time.Now().UTC()}
		must(t, s.CreateUser(t.Context(), u, "unused"))
		out[i] = account.Actor{User: &u}
	}
	return out
}

func (sw *socialWorld) follow(t *testing.T, a account.Actor, kind, id string) {
	t.Helper()
	if _, _, err := sw.svc.Follow(t.Context(), a, social.FollowInput{TargetKind: kind, TargetID: id}); err != nil {
		t.Fatalf("%s follows %s %s: %v", a.ID(), kind, id, err)
	}
}

func TestSocialFollows(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		viewer := sw.user(t, "viewer@example.com")
		notHost := sw.user(t, "plain@example.com")
		ses := sw.hosted(t, "Harvest", time.Hour).Session

		refusals := []struct {
			name  string
			a     account.Actor
			in    social.FollowInput
			code  string
			field string
		}{
			{"anonymous", account.Actor{}, social.FollowInput{TargetKind: "host", TargetID: sw.host.ID()}, apperr.Unauthorized, ""},
			{"bad kind", viewer, social.FollowInput{TargetKind: "agency", TargetID: "x"}, apperr.Invalid, "target_kind"},
			{"no target", viewer, social.FollowInput{TargetKind: "shop"}, apperr.Invalid, "target_id"},
			{"yourself", sw.host, social.FollowInput{TargetKind: "host", TargetID: sw.host.ID()}, apperr.Invalid, "target_id"},
			{"your own shop", sw.owner, social.FollowInput{TargetKind: "shop", TargetID: sw.farm.ID}, apperr.Invalid, "target_id"},
			{"not a host", viewer, social.FollowInput{TargetKind: "host", TargetID: notHost.ID()}, apperr.NotFound, ""},
			{"unknown shop", viewer, social.FollowInput{TargetKind: "shop", TargetID: "shp_missing"}, apperr.NotFound, ""},
			{"unknown room", viewer, social.FollowInput{TargetKind: "shop", TargetID: sw.farm.ID, RoomID: "ses_missing"}, apperr.Invalid, "room_id"},
		}
		for _, tt := range refusals {
			_, _, err := sw.svc.Follow(ctx, tt.a, tt.in)
			if apperr.CodeOf(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
				continue
			}
			if e, _ := apperr.As(err); e.Field != tt.field {
				t.Errorf("%s: field %q, want %q", tt.name, e.Field, tt.field)
			}
		}

		var changed []string
		sw.svc.OnFollowsChanged(func(userID string) { changed = append(changed, userID) })
		f, created, err := sw.svc.Follow(ctx, viewer, social.FollowInput{TargetKind: "host", TargetID: sw.host.ID(), RoomID: ses.ID})
		must(t, err)
		if len(changed) != 1 || changed[0] != viewer.ID() {
			t.Fatalf("follows changed for %v, want the viewer once", changed)
		}
		if !created || f.TargetName != "host" || f.SourceRoomID != ses.ID || !f.CreatedAt.Equal(sw.clock.Now()) {
			t.Fatalf("follow = %+v created %v", f, created)
		}
		sw.clock.Advance(time.Second)
		again, created, err := sw.svc.Follow(ctx, viewer, social.FollowInput{TargetKind: "host", TargetID: sw.host.ID(), RoomID: ses.ID})
		must(t, err)
		if created || !again.CreatedAt.Equal(f.CreatedAt) {
			t.Fatalf("following again = %+v created %v, want the first follow", again, created)
		}
		if len(changed) != 1 {
			t.Fatalf("following again told %v that follows changed", changed)
		}
		// Only the new follow made in a room is an analytics event.
		if evs := sw.events.all(); len(evs) != 1 || evs[0].Kind != analytics.KindFollow || evs[0].SessionID != ses.ID || evs[0].UserID != viewer.ID() {
			t.Fatalf("analytics = %+v", evs)
		}
		sw.clock.Advance(time.Second)
		sw.follow(t, viewer, "shop", sw.farm.ID)
		sw.follow(t, sw.host, "shop", sw.farm.ID) // a host may follow a shop they host for
		if n := len(sw.events.all()); n != 1 {
			t.Fatalf("follows outside rooms recorded %d events", n)
		}

		counts, err := sw.svc.ShopFollowers(ctx, viewer, sw.farm.ID)
		must(t, err)
		if counts.Followers != 2 || !counts.Following {
			t.Fatalf("shop followers = %+v", counts)
		}
		if counts, err = sw.svc.ShopFollowers(ctx, account.Actor{}, sw.farm.ID); err != nil || counts.Following || counts.Followers != 2 {
			t.Fatalf("shop followers for anonymous = %+v %v", counts, err)
		}
		if _, err := sw.svc.ShopFollowers(ctx, viewer, "shp_missing"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("followers of a missing shop: %v", err)
		}
		prof, err := sw.svc.Host(ctx, viewer, sw.host.ID())
		must(t, err)
		if prof.Followers != 1 || !prof.Following || prof.DisplayName != sw.host.User.DisplayName || len(prof.Sessions) != 1 || prof.Sessions[0].ID != ses.ID ||
			len(prof.Sessions[0].Products) != 1 {
			t.Fatalf("host profile = %+v", prof)
		}
		if _, err := sw.svc.Host(ctx, viewer, notHost.ID()); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("profile of a non-host: %v", err)
		}

		// Newest first, with names, one per page.
		page1, next, err := sw.svc.Following(ctx, viewer, "", 1)
		must(t, err)
		page2, next2, err := sw.svc.Following(ctx, viewer, next, 1)
		must(t, err)
		page3, _, err := sw.svc.Following(ctx, viewer, next2, 1)
		must(t, err)
		if len(page1) != 1 || page1[0].TargetKind != "shop" || page1[0].TargetName != "Black Soil Farm" ||
			len(page2) != 1 || page2[0].TargetKind != "host" || page2[0].TargetID != sw.host.ID() || page2[0].TargetName == "" || len(page3) != 0 {
			t.Fatalf("follows = %+v / %+v / %+v", page1, page2, page3)
		}
		if _, _, err := sw.svc.Following(ctx, viewer, "nonsense", 10); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("bad cursor: %v", err)
		}

		// The draw's followers rule asks the store.
		if ok, err := s.FollowsHostOrShop(ctx, viewer.ID(), "", sw.farm.ID); err != nil || !ok {
			t.Fatalf("viewer follows the farm: %v %v", ok, err)
		}
		if ok, err := s.FollowsHostOrShop(ctx, notHost.ID(), sw.host.ID(), sw.farm.ID); err != nil || ok {
			t.Fatalf("plain user follows: %v %v", ok, err)
		}

		// Unfollowing is idempotent.
		must(t, sw.svc.Unfollow(ctx, viewer, "host", sw.host.ID()))
		must(t, sw.svc.Unfollow(ctx, viewer, "host", sw.host.ID()))
		if err := sw.svc.Unfollow(ctx, viewer, "agency", "x"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("unfollow bad kind: %v", err)
		}
		if prof, err = sw.svc.Host(ctx, viewer, sw.host.ID()); err != nil || prof.Followers != 0 || prof.Following {
			t.Fatalf("after unfollow = %+v %v", prof, err)
		}
	})
}

func TestSocialReminders(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		viewer := sw.user(t, "viewer@example.com")
		st := sw.hosted(t, "Harvest", time.Hour)

		r, created, err := sw.svc.Remind(ctx, viewer, st.Session.ID)
		must(t, err)
		if !created || r.SessionID != st.Session.ID {
			t.Fatalf("reminder = %+v %v", r, created)
		}
		if _, created, err = sw.svc.Remind(ctx, viewer, st.Session.ID); err != nil || created {
			t.Fatalf("second reminder: created %v %v", created, err)
		}
		if got, err := sw.svc.Reminded(ctx, viewer, st.Session.ID); err != nil || !got.Reminded {
			t.Fatalf("reminded = %+v %v", got, err)
		}
		if got, err := sw.svc.Reminded(ctx, account.Actor{}, st.Session.ID); err != nil || got.Reminded {
			t.Fatalf("reminded for anonymous = %+v %v", got, err)
		}
		if _, _, err := sw.svc.Remind(ctx, viewer, "ses_missing"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("remind of a missing session: %v", err)
		}
		if _, _, err := sw.svc.Remind(ctx, account.Actor{}, st.Session.ID); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("anonymous remind: %v", err)
		}
		must(t, sw.svc.Unremind(ctx, viewer, st.Session.ID))
		must(t, sw.svc.Unremind(ctx, viewer, st.Session.ID))
		if got, _ := sw.svc.Reminded(ctx, viewer, st.Session.ID); got.Reminded {
			t.Fatal("still reminded after unremind")
		}
		// Only scheduled sessions take reminders.
		sw.goLive(t, st.StreamKey)
		if _, _, err := sw.svc.Remind(ctx, viewer, st.Session.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("remind of a live session: %v", err)
		}
	})
}

// TestSocialNotifyLiveOnce runs NotifyLive for one session from three
// services at once, as three nodes that all hear room.{id}.live: every
// follower and reminder holder gets exactly one notification, and the
// rows each call reports it wrote add up to exactly the audience.
func TestSocialNotifyLiveOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		st := sw.hosted(t, "Harvest", 0)
		// 620 followers of the host (more than one fan-out batch), 30 of
		// the shop of whom 10 also follow the host, 5 reminder holders of
		// whom 2 follow, and people who hear nothing.
		hostFans := fastUsers(t, s, "hostfan", 620)
		shopFans := fastUsers(t, s, "shopfan", 20)
		reminded := fastUsers(t, s, "reminded", 3)
		others := fastUsers(t, s, "other", 3)
		for _, a := range hostFans {
			sw.follow(t, a, "host", sw.host.ID())
		}
		for _, a := range append(slices.Clone(shopFans), hostFans[:10]...) {
			sw.follow(t, a, "shop", sw.farm.ID)
		}
		for _, a := range append(slices.Clone(reminded), hostFans[20:22]...) {
			if _, _, err := sw.svc.Remind(ctx, a, st.Session.ID); err != nil {
				t.Fatal(err)
			}
		}
		sw.follow(t, sw.host, "shop", sw.farm.ID) // the host hears nothing of their own session
		audience := len(hostFans) + len(shopFans) + len(reminded)

		// Not live yet: nothing.
		if n, err := sw.svc.NotifyLive(ctx, st.Session.ID); err != nil || n != 0 {
			t.Fatalf("notify before live: %d %v", n, err)
		}
		sw.goLive(t, st.StreamKey)
		nodes := []*social.Service{sw.node(), sw.node(), sw.node()}
		counts := make([]int, len(nodes))
		var wg sync.WaitGroup
		errs := make(chan error, len(nodes))
		for i, node := range nodes {
			wg.Go(func() {
				n, err := node.NotifyLive(ctx, st.Session.ID)
				counts[i] = n
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		if sum := counts[0] + counts[1] + counts[2]; sum != audience {
			t.Fatalf("nodes wrote %v = %d notifications, want %d", counts, sum, audience)
		}
		if n, err := sw.svc.NotifyLive(ctx, st.Session.ID); err != nil || n != 0 {
			t.Fatalf("notify again: %d %v", n, err)
		}
		everyone := slices.Concat(hostFans, shopFans, reminded)
		for _, a := range everyone {
			ns, err := sw.svc.Notifications(ctx, a, false, "", 10)
			must(t, err)
			if len(ns) != 1 || ns[0].Kind != social.KindLive || ns[0].SessionID != st.Session.ID || ns[0].URL != "/live/"+st.Session.ID ||
				ns[0].Title != "host is live: Harvest" || ns[0].Body != "Watch now at Black Soil Farm" ||
				ns[0].Params != (social.NotificationParams{Host: "host", Shop: "Black Soil Farm", Title: "Harvest"}) {
				t.Fatalf("%s has %+v", a.ID(), ns)
			}
		}
		for _, a := range append(slices.Clone(others), sw.host) {
			if n, err := sw.svc.Unread(ctx, a); err != nil || n.Count != 0 {
				t.Fatalf("%s has %d unread (%v)", a.ID(), n.Count, err)
			}
		}
	})
}

func TestSocialNotificationsRead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		fans := fastUsers(t, s, "fan", 2)
		me, other := fans[0], fans[1]
		var studios []room.Studio
		for i := range 3 {
			studios = append(studios, sw.hosted(t, fmt.Sprintf("Show %d", i), 0))
		}
		for _, a := range fans {
			sw.follow(t, a, "host", sw.host.ID())
		}
		for _, st := range studios {
			sw.goLive(t, st.StreamKey)
			if _, err := sw.svc.NotifyLive(ctx, st.Session.ID); err != nil {
				t.Fatal(err)
			}
		}
		all, err := sw.svc.Notifications(ctx, me, false, "", 10)
		must(t, err)
		if len(all) != 3 || all[0].SessionID != studios[2].Session.ID || all[2].SessionID != studios[0].Session.ID {
			t.Fatalf("notifications, newest first = %+v", all)
		}
		if n, _ := sw.svc.Unread(ctx, me); n.Count != 3 {
			t.Fatalf("unread = %d", n.Count)
		}
		theirs, err := sw.svc.Notifications(ctx, other, false, "", 10)
		must(t, err)
		// Marking someone else's notification read changes nothing for them.
		must(t, sw.svc.MarkRead(ctx, me, social.ReadInput{IDs: []string{all[1].ID, theirs[0].ID}}))
		if n, _ := sw.svc.Unread(ctx, me); n.Count != 2 {
			t.Fatalf("unread after one read = %d", n.Count)
		}
		if n, _ := sw.svc.Unread(ctx, other); n.Count != 3 {
			t.Fatalf("other's unread = %d", n.Count)
		}
		unread, err := sw.svc.Notifications(ctx, me, true, "", 10)
		must(t, err)
		if len(unread) != 2 || unread[0].ID != all[0].ID || unread[1].ID != all[2].ID || unread[0].ReadAt != nil {
			t.Fatalf("unread list = %+v", unread)
		}
		page, err := sw.svc.Notifications(ctx, me, false, all[0].ID, 10)
		must(t, err)
		if len(page) != 2 || page[0].ID != all[1].ID || page[0].ReadAt == nil {
			t.Fatalf("page after cursor = %+v", page)
		}
		must(t, sw.svc.MarkRead(ctx, me, social.ReadInput{All: true}))
		if n, _ := sw.svc.Unread(ctx, me); n.Count != 0 {
			t.Fatalf("unread after all = %d", n.Count)
		}
		for _, tt := range []struct {
			in    social.ReadInput
			field string
		}{
			{social.ReadInput{}, "ids"},
			{social.ReadInput{IDs: []string{"x"}, All: true}, "ids"},
			{social.ReadInput{IDs: []string{""}}, "ids[0]"},
			{social.ReadInput{IDs: make([]string, social.MaxReadIDs+1)}, "ids"},
		} {
			err := sw.svc.MarkRead(ctx, me, tt.in)
			if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != tt.field {
				t.Errorf("mark read %+v: %v, want field %s", tt.in, err, tt.field)
			}
		}
	})
}

func TestSocialStartingSoon(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		soon := sw.hosted(t, "Soon", 5*time.Minute)
		later := sw.hosted(t, "Later", 30*time.Minute)
		fans := fastUsers(t, s, "fan", 3)
		holder := fastUsers(t, s, "holder", 1)[0]
		for _, a := range fans {
			sw.follow(t, a, "shop", sw.farm.ID)
		}
		for _, id := range []string{soon.Session.ID, later.Session.ID} {
			if _, _, err := sw.svc.Remind(ctx, holder, id); err != nil {
				t.Fatal(err)
			}
		}
		n, err := sw.svc.SweepStartingSoon(ctx)
		must(t, err)
		if n != 4 {
			t.Fatalf("first sweep wrote %d, want 4", n)
		}
		if n, err = sw.svc.SweepStartingSoon(ctx); err != nil || n != 0 {
			t.Fatalf("second sweep wrote %d (%v), want 0", n, err)
		}
		ns, err := sw.svc.Notifications(ctx, holder, false, "", 10)
		must(t, err)
		if len(ns) != 1 || ns[0].Kind != social.KindStartingSoon || ns[0].SessionID != soon.Session.ID || ns[0].Body != "Starts in 5 minutes at Black Soil Farm" ||
			ns[0].Params != (social.NotificationParams{Host: "host", Shop: "Black Soil Farm", Title: "Soon", Minutes: 5}) {
			t.Fatalf("holder's notifications = %+v", ns)
		}
		// Twenty-five minutes on, the later one is due.
		sw.clock.Advance(25 * time.Minute)
		if n, err = sw.svc.SweepStartingSoon(ctx); err != nil || n != 4 {
			t.Fatalf("later sweep wrote %d (%v), want 4", n, err)
		}
		// Going live is a separate notification.
		sw.goLive(t, soon.StreamKey)
		if n, err = sw.svc.NotifyLive(ctx, soon.Session.ID); err != nil || n != 4 {
			t.Fatalf("live wrote %d (%v), want 4", n, err)
		}
	})
}

func TestSocialSchedule(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		viewer := sw.user(t, "viewer@example.com")
		c := sw.hosted(t, "Third", 3*time.Hour)
		a := sw.hosted(t, "First", time.Hour)
		b := sw.hosted(t, "Second", 2*time.Hour)
		far := sw.hosted(t, "Next month", 40*24*time.Hour)
		live := sw.hosted(t, "On air", 0)
		sw.goLive(t, live.StreamKey)
		_ = far
		// A rural shop's session is in the rural channel too.
		admin := sw.admin(t, "admin2@example.com")
		ruralOwner := sw.user(t, "rural@example.com")
		rural, ruralOwner := sw.shop(t, ruralOwner, admin, "Wuchang Rice Co-op", "rural")
		rs, err := sw.rooms.Schedule(ctx, ruralOwner, rural.ID, room.ScheduleInput{Title: "Paddy", PlannedStart: sw.clock.Now().Add(90 * time.Minute).Format(time.RFC3339)})
		must(t, err)

		// The viewer follows both the host and the farm: counted once.
		sw.follow(t, viewer, "host", sw.host.ID())
		sw.follow(t, viewer, "shop", sw.farm.ID)
		sw.follow(t, sw.user(t, "fan@example.com"), "shop", sw.farm.ID)
		if _, _, err := sw.svc.Remind(ctx, viewer, b.Session.ID); err != nil {
			t.Fatal(err)
		}

		items, next, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{})
		must(t, err)
		got := []string{}
		for _, it := range items {
			got = append(got, it.Title)
		}
		if !slices.Equal(got, []string{"First", "Paddy", "Second", "Third"}) || next != "" {
			t.Fatalf("schedule = %v next %q", got, next)
		}
		first := items[0]
		if first.ID != a.Session.ID || first.Followers != 2 || first.Reminded || len(first.Products) != 1 || first.Products[0].Title != "Rice" ||
			first.HostName == "" || first.ShopName != "Black Soil Farm" || !slices.Equal(first.Channels, []string{"foodie"}) {
			t.Fatalf("first = %+v", first)
		}
		if !items[2].Reminded || items[1].Followers != 0 || !slices.Equal(items[1].Channels, []string{"foodie", "rural"}) {
			t.Fatalf("second %+v / paddy %+v", items[2], items[1])
		}
		if items, _, _ := sw.svc.Schedule(ctx, account.Actor{}, social.ScheduleQuery{}); items[2].Reminded {
			t.Fatal("anonymous schedule shows a reminder")
		}
		// Pages of two, soonest first.
		p1, next, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{Limit: 2})
		must(t, err)
		p2, _, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{Limit: 2, Cursor: next})
		must(t, err)
		if len(p1) != 2 || len(p2) != 2 || p1[1].ID != rs.Session.ID || p2[0].ID != b.Session.ID || p2[1].ID != c.Session.ID {
			t.Fatalf("pages %v / %v", p1, p2)
		}
		// A channel and a window.
		ruralOnly, _, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{Channel: "rural"})
		must(t, err)
		if len(ruralOnly) != 1 || ruralOnly[0].ID != rs.Session.ID {
			t.Fatalf("rural channel = %+v", ruralOnly)
		}
		if none, _, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{Channel: "fashion"}); err != nil || len(none) != 0 {
			t.Fatalf("fashion channel = %+v %v", none, err)
		}
		from := sw.clock.Now().Add(100 * time.Minute).Format(time.RFC3339)
		to := sw.clock.Now().Add(150 * time.Minute).Format(time.RFC3339)
		window, _, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{From: from, To: to})
		must(t, err)
		if len(window) != 1 || window[0].ID != b.Session.ID {
			t.Fatalf("window = %+v", window)
		}
		month, _, err := sw.svc.Schedule(ctx, viewer, social.ScheduleQuery{From: sw.clock.Now().Add(35 * 24 * time.Hour).Format(time.DateOnly),
			To: sw.clock.Now().Add(45 * 24 * time.Hour).Format(time.DateOnly)})
		must(t, err)
		if len(month) != 1 || month[0].Title != "Next month" {
			t.Fatalf("next month = %+v", month)
		}

		now := sw.clock.Now()
		for _, tt := range []struct {
			q     social.ScheduleQuery
			field string
		}{
			{social.ScheduleQuery{From: "tomorrow"}, "from"},
			{social.ScheduleQuery{To: "soon"}, "to"},
			{social.ScheduleQuery{From: now.Format(time.RFC3339), To: now.Add(-time.Hour).Format(time.RFC3339)}, "to"},
			{social.ScheduleQuery{From: now.Format(time.RFC3339), To: now.Add(32 * 24 * time.Hour).Format(time.RFC3339)}, "to"},
			{social.ScheduleQuery{Channel: "opera"}, "channel"},
			{social.ScheduleQuery{Cursor: "x"}, "cursor"},
		} {
			_, _, err := sw.svc.Schedule(ctx, viewer, tt.q)
			if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != tt.field {
				t.Errorf("schedule %+v: %v, want field %s", tt.q, err, tt.field)
			}
		}
	})
}

// TestSocialDrawFollowers: with follows wired in, a followers draw takes
// only followers of the session's host or shop, and says nothing more.
func TestSocialDrawFollowers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		dw := newDrawWorld(t, s)
		ctx := t.Context()
		dw.draws = draw.NewService(draw.Config{Repo: s, Rooms: dw.rooms, Awards: dw.ord, Follows: s, Publisher: dw.ev, Now: dw.clock.Now,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		sw := &socialWorld{liveWorld: dw.liveWorld, events: &analyticsForTest{}}
		sw.svc = sw.node()
		fol := dw.create(t, draw.CreateInput{Winners: 1, Eligibility: draw.Followers})
		if fol.EligibilityNote != "" {
			t.Fatalf("followers draw still has a note: %q", fol.EligibilityNote)
		}
		_, _, err := dw.draws.Enter(ctx, dw.viewer, fol.ID)
		wantErr(t, err, apperr.Conflict, "eligibility")
		sw.follow(t, dw.viewer, "shop", dw.farm.ID)
		dw.enter(t, dw.viewer, fol.ID)
	})
}

// TestSocialFanoutScale fans a live notification out to every follower,
// on one node and on three racing nodes, and checks every follower gets
// exactly one notification. By default it uses 300 followers; with
// LIVESHOP_SCALE_SOCIAL=1 it uses 5,000 and is the measurement in
// docs/BENCHMARKS.md (the follows are made through the service, which is
// slow); the times go to the log (go test -v).
func TestSocialFanoutScale(t *testing.T) {
	followers := 300
	if os.Getenv("LIVESHOP_SCALE_SOCIAL") != "" {
		followers = 5000
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		fans := fastUsers(t, s, "fan", followers)
		for _, a := range fans {
			sw.follow(t, a, "host", sw.host.ID())
		}
		for _, nodes := range []int{1, 3} {
			st := sw.hosted(t, "Scale", 0)
			sw.goLive(t, st.StreamKey)
			start := time.Now()
			counts := make([]int, nodes)
			var wg sync.WaitGroup
			for i := range nodes {
				node := sw.node()
				wg.Go(func() {
					n, err := node.NotifyLive(t.Context(), st.Session.ID)
					if err != nil {
						t.Error(err)
					}
					counts[i] = n
				})
			}
			wg.Wait()
			took := time.Since(start)
			sum := 0
			for _, n := range counts {
				sum += n
			}
			if sum != followers {
				t.Fatalf("%d nodes wrote %v, want %d in all", nodes, counts, followers)
			}
			t.Logf("%s: %d followers, %d node(s): %v (%.0f notifications/s), per node %v",
				s.Dialect(), followers, nodes, took.Round(time.Millisecond), float64(followers)/took.Seconds(), counts)
		}
		if n, _ := sw.svc.Unread(t.Context(), fans[followers-1]); n.Count != 2 {
			t.Fatalf("last fan has %d unread, want 2", n.Count)
		}
	})
}

func TestSocialPruneNotifications(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		viewer := sw.user(t, "pruned@example.com")
		old := sw.hosted(t, "Old", time.Hour).Session
		fresh := sw.hosted(t, "Fresh", time.Hour).Session
		write := func(sessionID string) {
			t.Helper()
			n := social.Notification{ID: ids.New("ntf"), UserID: viewer.ID(), Kind: social.KindLive, SessionID: sessionID,
				Title: "live", CreatedAt: sw.clock.Now()}
			if got, err := s.InsertNotifications(ctx, []social.Notification{n}); err != nil || len(got) != 1 {
				t.Fatalf("insert: %v %v", got, err)
			}
		}
		write(old.ID)
		sw.clock.Advance(social.NotificationTTL + time.Minute)
		write(fresh.ID)
		n, err := sw.svc.PruneNotifications(ctx)
		must(t, err)
		if n != 1 {
			t.Fatalf("pruned %d, want the one older than the TTL", n)
		}
		list, err := sw.svc.Notifications(ctx, viewer, false, "", 10)
		must(t, err)
		if len(list) != 1 || list[0].SessionID != fresh.ID {
			t.Fatalf("left after pruning: %+v", list)
		}
		if n, err := sw.svc.PruneNotifications(ctx); err != nil || n != 0 {
			t.Fatalf("pruning again: %d %v", n, err)
		}
	})
}

// TestSocialNotificationParamsAndPushLocale: a notification's params and a
// push subscription's language are stored and read back; a notification
// written without params (as before they existed) reads with none.
func TestSocialNotificationParamsAndPushLocale(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sw := newSocialWorld(t, s)
		ctx := t.Context()
		st := sw.hosted(t, "Params", time.Hour)
		u := fastUsers(t, s, "reader", 1)[0]
		at := time.Now().UTC().Truncate(time.Millisecond)
		with := social.Notification{ID: ids.New("ntf"), UserID: u.ID(), Kind: social.KindStartingSoon, SessionID: st.Session.ID,
			Title: "t", Body: "b", URL: "/live/x", CreatedAt: at,
			Params: social.NotificationParams{Host: "小雨", Shop: "黑土农场", Title: "五常大米 \"new\"", Minutes: 3}}
		without := social.Notification{ID: ids.New("ntf"), UserID: u.ID(), Kind: social.KindLive, SessionID: st.Session.ID,
			Title: "old", Body: "text", CreatedAt: at}
		if got, err := s.InsertNotifications(ctx, []social.Notification{with, without}); err != nil || len(got) != 2 {
			t.Fatalf("insert: %d %v", len(got), err)
		}
		ns, err := s.ListNotifications(ctx, u.ID(), false, "", 10)
		must(t, err)
		byID := map[string]social.Notification{}
		for _, n := range ns {
			byID[n.ID] = n
		}
		if got := byID[with.ID].Params; got != with.Params {
			t.Fatalf("params read back as %+v, want %+v", got, with.Params)
		}
		if got := byID[without.ID].Params; got != (social.NotificationParams{}) || byID[without.ID].Title != "old" {
			t.Fatalf("a notification without params reads %+v", byID[without.ID])
		}

		keys := social.PushKeys{P256dh: "p", Auth: "a"}
		for _, p := range []social.PushSubscription{
			{ID: ids.New("psb"), UserID: u.ID(), Endpoint: "https://push.example.com/zh", Keys: keys, Locale: "zh-CN", CreatedAt: at},
			{ID: ids.New("psb"), UserID: u.ID(), Endpoint: "https://push.example.com/none", Keys: keys, CreatedAt: at},
		} {
			must(t, s.SavePushSubscription(ctx, p))
		}
		subs, err := s.PushSubscriptionsOf(ctx, []string{u.ID()})
		must(t, err)
		got := map[string]string{}
		for _, p := range subs {
			got[p.Endpoint] = p.Locale
		}
		if got["https://push.example.com/zh"] != "zh-CN" || got["https://push.example.com/none"] != "en" {
			t.Fatalf("locales = %v", got)
		}
		// Subscribing the same endpoint again in another language moves it.
		must(t, s.SavePushSubscription(ctx, social.PushSubscription{ID: ids.New("psb"), UserID: u.ID(), Endpoint: "https://push.example.com/zh",
			Keys: keys, Locale: "en", CreatedAt: at}))
		subs, err = s.PushSubscriptionsOf(ctx, []string{u.ID()})
		must(t, err)
		for _, p := range subs {
			if p.Locale != "en" {
				t.Fatalf("after resubscribing: %+v", subs)
			}
		}
	})
}
