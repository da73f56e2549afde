package store_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/coupon"
	"github.com/liveshop/liveshop/internal/ids"
	"github.com/liveshop/liveshop/internal/room"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// couponWorld is a shop with a scheduled live session and a coupon
// service over the same store, recording the room events it publishes.
type couponWorld struct {
	*liveWorld
	svc *coupon.Service
	ev  *roomEvents
	ses room.Session
}

func newCouponWorld(t *testing.T, s *store.Store) *couponWorld {
	t.Helper()
	lw := newLiveWorld(t, s)
	cw := &couponWorld{liveWorld: lw, ev: &roomEvents{}}
	cw.svc = coupon.NewService(coupon.Config{Repo: s, Rooms: lw.rooms, Publisher: cw.ev, Now: lw.clock.Now})
	t.Cleanup(cw.svc.Close)
	cw.ses = lw.schedule(t, "Harvest").Session
	return cw
}

// create adds a coupon to the farm, valid for a week from now.
func (cw *couponWorld) create(t *testing.T, edit func(*coupon.NewCoupon)) coupon.Coupon {
	t.Helper()
	off := int64(500)
	in := coupon.NewCoupon{Title: "Five off", AmountOffMinor: &off, MinSpendMinor: 2000,
		ValidUntil: cw.clock.Now().Add(7 * 24 * time.Hour).Format(time.RFC3339), TotalLimit: 10}
	if edit != nil {
		edit(&in)
	}
	c, err := cw.svc.Create(t.Context(), cw.owner, cw.farm.ID, in)
	if err != nil {
		t.Fatalf("create coupon %q: %v", in.Title, err)
	}
	return c
}

func (cw *couponWorld) drop(t *testing.T, couponID string, seconds int) coupon.Coupon {
	t.Helper()
	c, err := cw.svc.Drop(t.Context(), cw.owner, cw.ses.ID, couponID, seconds)
	if err != nil {
		t.Fatalf("drop %s: %v", couponID, err)
	}
	return c
}

// fastUser stores a user directly (no password hashing), for tests that
// need many.
func couponFastUser(t *testing.T, s *store.Store, name string) account.Actor {
	t.Helper()
	u := account.User{ID: ids.New("usr"), Email: name + "@example.com", DisplayName: name, CreatedAt: time.Now().UTC()}
	if err := s.CreateUser(t.Context(), u, "unused"); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return account.Actor{User: &u}
}

func TestCouponsCreateListDrop(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cw := newCouponWorld(t, s)
		ctx := t.Context()
		viewer := cw.user(t, "viewer@example.com")

		_, err := cw.svc.Create(ctx, cw.owner, cw.farm.ID, coupon.NewCoupon{Title: "x", ValidUntil: "2099-01-01T00:00:00Z", TotalLimit: 1})
		wantErr(t, err, apperr.Invalid, "amount_off_minor")
		_, err = cw.svc.Create(ctx, viewer, cw.farm.ID, coupon.NewCoupon{})
		wantErr(t, err, apperr.Forbidden, "")
		_, err = cw.svc.Create(ctx, account.Actor{}, cw.farm.ID, coupon.NewCoupon{})
		wantErr(t, err, apperr.Unauthorized, "")

		a := cw.create(t, nil)
		pct := 15
		b := cw.create(t, func(in *coupon.NewCoupon) {
			in.Title, in.AmountOffMinor, in.PercentOff, in.PerUserLimit = "Fifteen percent", nil, &pct, 3
		})
		got, err := cw.s.CouponByID(ctx, b.ID)
		must(t, err)
		if got.Kind != coupon.KindPercent || got.PercentOff == nil || *got.PercentOff != 15 || got.AmountOffMinor != nil ||
			got.PerUserLimit != 3 || got.Status != coupon.Ready || got.SessionID != nil || got.GrabEndsAt != nil ||
			!got.ValidFrom.Equal(cw.clock.Now()) || !got.CreatedAt.Equal(cw.clock.Now()) || got.Currency != "CNY" {
			t.Fatalf("stored coupon = %+v", got)
		}
		list, err := cw.svc.ListShop(ctx, cw.owner, cw.farm.ID, "", 1)
		must(t, err)
		if len(list) != 1 || list[0].ID != b.ID {
			t.Fatalf("first page = %+v", list)
		}
		list, err = cw.svc.ListShop(ctx, cw.owner, cw.farm.ID, list[0].ID, 10)
		must(t, err)
		if len(list) != 1 || list[0].ID != a.ID || *list[0].AmountOffMinor != 500 {
			t.Fatalf("second page = %+v", list)
		}
		_, err = cw.svc.ListShop(ctx, viewer, cw.farm.ID, "", 10)
		wantErr(t, err, apperr.Forbidden, "")

		// Drops: who, which coupon, how long.
		_, err = cw.svc.Drop(ctx, viewer, cw.ses.ID, a.ID, 60)
		wantErr(t, err, apperr.Forbidden, "")
		_, err = cw.svc.Drop(ctx, cw.owner, cw.ses.ID, a.ID, 9)
		wantErr(t, err, apperr.Invalid, "grab_seconds")
		_, err = cw.svc.Drop(ctx, cw.owner, "ses_missing", a.ID, 60)
		wantErr(t, err, apperr.NotFound, "")
		_, err = cw.svc.Drop(ctx, cw.owner, cw.ses.ID, "cpn_missing", 60)
		wantErr(t, err, apperr.NotFound, "")
		otherOwner := cw.user(t, "other@example.com")
		other, otherOwner := cw.shop(t, otherOwner, cw.admin(t, "admin2@example.com"), "Other", "standard")
		foreign, err := cw.svc.Create(ctx, otherOwner, other.ID, coupon.NewCoupon{Title: "Theirs", PercentOff: &pct,
			ValidUntil: cw.clock.Now().Add(time.Hour).Format(time.RFC3339), TotalLimit: 5})
		must(t, err)
		_, err = cw.svc.Drop(ctx, cw.owner, cw.ses.ID, foreign.ID, 60)
		wantErr(t, err, apperr.NotFound, "")

		dropped := cw.drop(t, a.ID, 60)
		if dropped.Status != coupon.Dropped || dropped.SessionID == nil || *dropped.SessionID != cw.ses.ID ||
			dropped.GrabEndsAt == nil || !dropped.GrabEndsAt.Equal(cw.clock.Now().Add(time.Minute)) {
			t.Fatalf("dropped = %+v", dropped)
		}
		evs := cw.ev.take()
		if len(evs) != 1 || evs[0].Type != coupon.EventDropped || evs[0].Data.(coupon.Coupon).ID != a.ID {
			t.Fatalf("events = %+v", evs)
		}
		_, err = cw.svc.Drop(ctx, cw.owner, cw.ses.ID, a.ID, 60)
		wantErr(t, err, apperr.Conflict, "")
		open, err := cw.svc.Dropped(ctx, cw.ses.ID)
		must(t, err)
		if len(open) != 1 || open[0].ID != a.ID {
			t.Fatalf("dropped list = %+v", open)
		}

		// The session's host, who is not in the shop, may drop its coupons.
		host := cw.user(t, "host@example.com")
		hosted, err := cw.rooms.Schedule(ctx, cw.owner, cw.farm.ID, room.ScheduleInput{Title: "Hosted", HostID: host.ID()})
		must(t, err)
		_, err = cw.svc.Drop(ctx, host, hosted.Session.ID, a.ID, 60)
		wantErr(t, err, apperr.Conflict, "") // dropped in another session
		if _, err := cw.svc.Drop(ctx, host, hosted.Session.ID, b.ID, 600); err != nil {
			t.Fatalf("host drop: %v", err)
		}

		// Once the window closes it is no longer listed, and can be dropped again here.
		cw.clock.Advance(time.Minute)
		open, err = cw.svc.Dropped(ctx, cw.ses.ID)
		must(t, err)
		if len(open) != 0 {
			t.Fatalf("dropped after the window = %+v", open)
		}
		again := cw.drop(t, a.ID, 30)
		if !again.GrabEndsAt.Equal(cw.clock.Now().Add(30 * time.Second)) {
			t.Fatalf("dropped again = %+v", again)
		}

		// A window never outlasts the coupon; an expired coupon or an ended session is refused.
		short := cw.create(t, func(in *coupon.NewCoupon) {
			in.Title, in.ValidUntil = "Short", cw.clock.Now().Add(20*time.Second).Format(time.RFC3339)
		})
		c := cw.drop(t, short.ID, 600)
		if !c.GrabEndsAt.Equal(c.ValidUntil) {
			t.Fatalf("grab ends %v, valid until %v", c.GrabEndsAt, c.ValidUntil)
		}
		late := cw.create(t, func(in *coupon.NewCoupon) { in.Title = "Late" })
		_, err = cw.rooms.End(ctx, cw.owner, cw.ses.ID)
		must(t, err)
		_, err = cw.svc.Drop(ctx, cw.owner, cw.ses.ID, late.ID, 60)
		wantErr(t, err, apperr.Conflict, "")
	})
}

func TestCouponClaimsAndQuote(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cw := newCouponWorld(t, s)
		ctx := t.Context()
		buyer := cw.user(t, "buyer@example.com")
		other := cw.user(t, "other@example.com")

		c := cw.create(t, func(in *coupon.NewCoupon) { in.TotalLimit, in.PerUserLimit = 3, 2 })
		_, err := cw.svc.Claim(ctx, buyer, c.ID)
		wantErr(t, err, apperr.Conflict, "coupon") // not dropped
		_, err = cw.svc.Claim(ctx, account.Actor{}, c.ID)
		wantErr(t, err, apperr.Unauthorized, "")
		_, err = cw.svc.Claim(ctx, buyer, "cpn_missing")
		wantErr(t, err, apperr.NotFound, "")

		cw.drop(t, c.ID, 60)
		cw.ev.take()
		first, err := cw.svc.Claim(ctx, buyer, c.ID)
		must(t, err)
		if first.UserID != buyer.ID() || first.CouponID != c.ID || first.OrderID != nil || first.Coupon.Claimed != 1 ||
			!first.ClaimedAt.Equal(cw.clock.Now()) {
			t.Fatalf("claim = %+v", first)
		}
		second, err := cw.svc.Claim(ctx, buyer, c.ID)
		must(t, err)
		_, err = cw.svc.Claim(ctx, buyer, c.ID)
		wantErr(t, err, apperr.Conflict, "coupon") // limit reached
		if got, _ := cw.s.CouponByID(ctx, c.ID); got.Claimed != 2 {
			t.Fatalf("claimed after a refusal = %d, want 2", got.Claimed)
		}
		last, err := cw.svc.Claim(ctx, other, c.ID)
		must(t, err)
		if last.Coupon.Claimed != 3 {
			t.Fatalf("last claim = %+v", last)
		}
		_, err = cw.svc.Claim(ctx, cw.user(t, "third@example.com"), c.ID)
		wantErr(t, err, apperr.Conflict, "coupon") // all claimed
		// The first count went out at once, the last at once with gone
		// (the second only if the claims were 250 ms apart).
		evs := cw.ev.take()
		if n := len(evs); n < 3 || evs[0].Data != (coupon.Stock{ID: c.ID, Claimed: 1, TotalLimit: 3}) ||
			evs[n-2].Data != (coupon.Stock{ID: c.ID, Claimed: 3, TotalLimit: 3}) || evs[n-1].Data != (coupon.Gone{ID: c.ID}) ||
			(n == 4 && evs[1].Data != (coupon.Stock{ID: c.ID, Claimed: 2, TotalLimit: 3})) || n > 4 {
			t.Fatalf("events = %+v", evs)
		}

		// The grab window closes.
		d := cw.create(t, func(in *coupon.NewCoupon) { in.Title = "Window" })
		cw.drop(t, d.ID, 10)
		cw.clock.Advance(10 * time.Second)
		_, err = cw.svc.Claim(ctx, buyer, d.ID)
		wantErr(t, err, apperr.Conflict, "coupon")

		// Quotes at checkout.
		q := func(userID, claimID, shopID, currency string, subtotal int64) (int64, error) {
			return cw.svc.Quote(ctx, userID, claimID, shopID, currency, subtotal, cw.clock.Now())
		}
		if off, err := q(buyer.ID(), first.ID, cw.farm.ID, "CNY", 2000); err != nil || off != 500 {
			t.Fatalf("quote = %d, %v", off, err)
		}
		for _, tt := range []struct {
			name           string
			user, claim    string
			shop, currency string
			subtotal       int64
		}{
			{"unknown claim", buyer.ID(), "ccl_missing", cw.farm.ID, "CNY", 2000},
			{"someone else's claim", other.ID(), first.ID, cw.farm.ID, "CNY", 2000},
			{"another shop", buyer.ID(), first.ID, "shp_other", "CNY", 2000},
			{"another currency", buyer.ID(), first.ID, cw.farm.ID, "USD", 2000},
			{"below the minimum spend", buyer.ID(), first.ID, cw.farm.ID, "CNY", 1999},
		} {
			if off, err := q(tt.user, tt.claim, tt.shop, tt.currency, tt.subtotal); off != 0 || !couponIsField(err, "coupon_claim_id") {
				t.Errorf("%s: quote = %d, %v", tt.name, off, err)
			}
		}

		// Mine: usable first, then expired; newest first within each; by shop; in pages.
		soon := cw.create(t, func(in *coupon.NewCoupon) {
			in.Title, in.ValidUntil = "Soon over", cw.clock.Now().Add(time.Hour).Format(time.RFC3339)
		})
		cw.drop(t, soon.ID, 60)
		expiring, err := cw.svc.Claim(ctx, buyer, soon.ID)
		must(t, err)
		cw.clock.Advance(time.Hour)
		if _, err := q(buyer.ID(), expiring.ID, cw.farm.ID, "CNY", 5000); !couponIsField(err, "coupon_claim_id") {
			t.Fatalf("expired quote: %v", err)
		}
		later := cw.create(t, func(in *coupon.NewCoupon) { in.Title = "Later" })
		cw.drop(t, later.ID, 60)
		newest, err := cw.svc.Claim(ctx, buyer, later.ID)
		must(t, err)
		claims, next, err := cw.svc.MyClaims(ctx, buyer, "", "", 20)
		must(t, err)
		if want := []string{newest.ID, second.ID, first.ID, expiring.ID}; !slices.Equal(couponClaimIDs(claims), want) || next != "" ||
			claims[0].Coupon.Title != "Later" || claims[3].Coupon.Title != "Soon over" {
			t.Fatalf("my claims = %v (next %q)", couponClaimIDs(claims), next)
		}
		var paged []string
		cursor := ""
		for range 5 {
			page, n, err := cw.svc.MyClaims(ctx, buyer, cw.farm.ID, cursor, 1)
			must(t, err)
			paged = append(paged, couponClaimIDs(page)...)
			if cursor = n; cursor == "" {
				break
			}
		}
		if !slices.Equal(paged, couponClaimIDs(claims)) {
			t.Fatalf("paged %v, want %v", paged, couponClaimIDs(claims))
		}
		if mine, _, err := cw.svc.MyClaims(ctx, buyer, "shp_other", "", 20); err != nil || len(mine) != 0 {
			t.Fatalf("claims in another shop = %v, %v", mine, err)
		}
		_, _, err = cw.svc.MyClaims(ctx, buyer, "", "garbage", 20)
		wantErr(t, err, apperr.Invalid, "cursor")
	})
}

// TestCouponClaimsConcurrent races 600 claims on two coupons: one bound
// by its total limit, one by its per-user limit. Neither is ever exceeded.
func TestCouponClaimsConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		cw := newCouponWorld(t, s)
		ctx := t.Context()
		scarce := cw.create(t, func(in *coupon.NewCoupon) { in.Title, in.TotalLimit, in.PerUserLimit = "Scarce", 50, 2 })
		plenty := cw.create(t, func(in *coupon.NewCoupon) { in.Title, in.TotalLimit, in.PerUserLimit = "Plenty", 1000, 3 })
		cw.drop(t, scarce.ID, 600)
		cw.drop(t, plenty.ID, 600)
		cw.ev.take()
		users := make([]account.Actor, 40)
		for i := range users {
			users[i] = couponFastUser(t, s, fmt.Sprintf("grabber%02d", i))
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		won := map[string]map[string]int{scarce.ID: {}, plenty.ID: {}}
		var unexpected []error
		claim := func(couponID string, u account.Actor) {
			defer wg.Done()
			cl, err := cw.svc.Claim(ctx, u, couponID)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won[couponID][u.ID()]++
				if cl.Coupon.Claimed > cl.Coupon.TotalLimit {
					unexpected = append(unexpected, fmt.Errorf("claimed %d of %d", cl.Coupon.Claimed, cl.Coupon.TotalLimit))
				}
			case !apperr.Is(err, apperr.Conflict):
				unexpected = append(unexpected, err)
			}
		}
		for i := range 300 {
			wg.Add(2)
			go claim(scarce.ID, users[i%len(users)])
			go claim(plenty.ID, users[i%10])
		}
		wg.Wait()
		if len(unexpected) > 0 {
			t.Fatalf("%d unexpected results, first: %v", len(unexpected), unexpected[0])
		}

		for _, tt := range []struct {
			c         coupon.Coupon
			want, per int
		}{{scarce, 50, 2}, {plenty, 30, 3}} {
			total := 0
			for user, n := range won[tt.c.ID] {
				if n > tt.per {
					t.Errorf("%s: user %s won %d, limit %d", tt.c.Title, user, n, tt.per)
				}
				total += n
			}
			stored, err := s.CouponByID(ctx, tt.c.ID)
			must(t, err)
			if total != tt.want || stored.Claimed != tt.want {
				t.Errorf("%s: %d claims won, %d stored, want %d", tt.c.Title, total, stored.Claimed, tt.want)
			}
		}
		// The stored claims agree with the winners, user by user.
		for _, u := range users {
			mine, _, err := cw.svc.MyClaims(ctx, u, cw.farm.ID, "", 100)
			must(t, err)
			got := map[string]int{}
			for _, cl := range mine {
				got[cl.CouponID]++
			}
			if got[scarce.ID] != won[scarce.ID][u.ID()] || got[plenty.ID] != won[plenty.ID][u.ID()] {
				t.Errorf("user %s: stored %v, won %d/%d", u.ID(), got, won[scarce.ID][u.ID()], won[plenty.ID][u.ID()])
			}
		}

		// Events: one gone for the scarce coupon, and the last counts went out.
		cw.svc.Close()
		lastCount := map[string]int{}
		gone := 0
		for _, ev := range cw.ev.take() {
			switch d := ev.Data.(type) {
			case coupon.Stock:
				if d.Claimed <= lastCount[d.ID] {
					t.Errorf("%s: count went from %d to %d", d.ID, lastCount[d.ID], d.Claimed)
				}
				lastCount[d.ID] = d.Claimed
			case coupon.Gone:
				if d.ID != scarce.ID {
					t.Errorf("gone for %s", d.ID)
				}
				gone++
			}
		}
		if gone != 1 || lastCount[scarce.ID] != 50 || lastCount[plenty.ID] != 30 {
			t.Errorf("gone %d, last counts %v", gone, lastCount)
		}
	})
}

func couponClaimIDs(cs []coupon.Claim) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// isField reports whether err is Invalid naming field.
func couponIsField(err error, field string) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.Invalid && e.Field == field
}
