package store_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
	"github.com/liveshop/liveshop/internal/webhook"
)

func TestConformanceWebhookEndpoints(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		rival := w.user(t, "rival@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		rivalShop, rival := w.shop(t, rival, admin, "Rival", "standard")

		t.Run("invalid", func(t *testing.T) {
			tests := []struct {
				name  string
				in    webhook.EndpointInput
				field string
			}{
				{"no scheme", webhook.EndpointInput{URL: "merchant.example/hooks"}, "url"},
				{"not http", webhook.EndpointInput{URL: "ftp://merchant.example/hooks"}, "url"},
				{"no host", webhook.EndpointInput{URL: "https:///hooks"}, "url"},
				{"unknown event", webhook.EndpointInput{URL: "https://merchant.example/hooks", Events: []string{"order.paid", "order.eaten"}}, "events"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := w.hooks.Create(ctx, owner, shop.ID, tt.in)
					wantErr(t, err, apperr.Invalid, tt.field)
				})
			}
		})

		paidOnly, err := w.hooks.Create(ctx, owner, shop.ID, webhook.EndpointInput{URL: "https://merchant.example/paid", Events: []string{order.EventOrderPaid}})
		must(t, err)
		all, err := w.hooks.Create(ctx, owner, shop.ID, webhook.EndpointInput{URL: " https://merchant.example/all "})
		must(t, err)
		if len(all.Secret) < 20 || all.Secret == paidOnly.Secret || !slices.Equal(all.Events, webhook.Events) || all.URL != "https://merchant.example/all" {
			t.Fatalf("created endpoint = %+v", all)
		}

		list, err := w.hooks.List(ctx, owner, shop.ID)
		must(t, err)
		if len(list) != 2 || list[0].ID != paidOnly.ID || list[1].ID != all.ID {
			t.Fatalf("endpoints = %+v", list)
		}
		for _, e := range list {
			if e.Secret != "" {
				t.Fatalf("list shows the secret of %s", e.ID)
			}
			if !e.Active || e.ShopID != shop.ID || !e.CreatedAt.Equal(w.clock.Now()) {
				t.Fatalf("listed endpoint = %+v", e)
			}
		}
		if !slices.Equal(list[0].Events, []string{order.EventOrderPaid}) || !slices.Equal(list[1].Events, webhook.Events) {
			t.Fatalf("events = %v and %v", list[0].Events, list[1].Events)
		}
		if theirs, _ := w.hooks.List(ctx, rival, rivalShop.ID); len(theirs) != 0 {
			t.Fatalf("rival's shop lists %d endpoints", len(theirs))
		}

		_, err = w.hooks.Deliveries(ctx, rival, all.ID, "", 0)
		wantErr(t, err, apperr.Forbidden, "")
		wantErr(t, w.hooks.Delete(ctx, rival, all.ID), apperr.Forbidden, "")
		must(t, w.hooks.Delete(ctx, owner, paidOnly.ID))
		wantErr(t, w.hooks.Delete(ctx, owner, paidOnly.ID), apperr.NotFound, "")
		if list, _ := w.hooks.List(ctx, owner, shop.ID); len(list) != 1 || list[0].ID != all.ID {
			t.Fatalf("endpoints after delete = %+v", list)
		}
		_, err = w.hooks.Create(ctx, account.Actor{}, shop.ID, webhook.EndpointInput{URL: "https://x.example"})
		wantErr(t, err, apperr.Unauthorized, "")
	})
}

func TestConformanceWebhookDelivery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		rival := w.user(t, "rival@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice", "standard")
		rivalShop, rival := w.shop(t, rival, admin, "Rival", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		rp := w.product(t, rival, rivalShop.ID, "Rival rice", 1000, 100)

		ok := newHookReceiver(w.clock, http.StatusOK)
		failing := newHookReceiver(w.clock, http.StatusInternalServerError)
		okSrv, failSrv := httptest.NewServer(ok), httptest.NewServer(failing)
		t.Cleanup(okSrv.Close)
		t.Cleanup(failSrv.Close)

		paidShipped, err := w.hooks.Create(ctx, owner, shop.ID, webhook.EndpointInput{URL: okSrv.URL + "/hooks",
			Events: []string{order.EventOrderPaid, order.EventOrderShipped}})
		must(t, err)
		everything, err := w.hooks.Create(ctx, owner, shop.ID, webhook.EndpointInput{URL: failSrv.URL + "/hooks"})
		must(t, err)
		rivalHook, err := w.hooks.Create(ctx, rival, rivalShop.ID, webhook.EndpointInput{URL: okSrv.URL + "/rival"})
		must(t, err)
		ok.setSecret(paidShipped.Secret)
		failing.setSecret(everything.Secret)

		// Each transition enqueues, in its own transaction, one delivery
		// per subscribed endpoint of the order's shop.
		cancelled := w.place(t, buyer, p.SKUs[0].ID, 1)
		_, err = w.ord.Cancel(ctx, buyer, cancelled.ID, "")
		must(t, err)
		w.clock.Advance(time.Second)
		o := w.place(t, buyer, p.SKUs[0].ID, 2)
		w.pay(t, buyer, o.ID)
		w.clock.Advance(time.Second)
		_, err = w.ord.Ship(ctx, owner, o.ID, order.ShipInput{Carrier: "SF", TrackingNumber: "SF1"})
		must(t, err)
		w.place(t, buyer, rp.SKUs[0].ID, 1) // another shop's order, unpaid: no event

		deliveries := func(t *testing.T, e webhook.Endpoint) []webhook.Delivery {
			t.Helper()
			ds, err := w.hooks.Deliveries(ctx, owner, e.ID, "", 0)
			must(t, err)
			return ds
		}
		events := func(ds []webhook.Delivery) []string {
			var out []string
			for _, d := range ds {
				out = append(out, d.EventType)
			}
			return out
		}
		if got := events(deliveries(t, paidShipped)); !slices.Equal(got, []string{order.EventOrderShipped, order.EventOrderPaid}) {
			t.Fatalf("paid+shipped endpoint got %v", got)
		}
		if got := events(deliveries(t, everything)); !slices.Equal(got, []string{order.EventOrderShipped, order.EventOrderPaid, order.EventOrderCancelled}) {
			t.Fatalf("all-events endpoint got %v", got)
		}
		if ds, _ := w.hooks.Deliveries(ctx, rival, rivalHook.ID, "", 0); len(ds) != 0 {
			t.Fatalf("rival's endpoint got %v", events(ds))
		}
		queued := deliveries(t, paidShipped)[1]
		var payload struct {
			Type string      `json:"type"`
			Data order.Order `json:"data"`
		}
		must(t, json.Unmarshal([]byte(queued.Payload), &payload))
		if payload.Type != order.EventOrderPaid || payload.Data.ID != o.ID || payload.Data.Status != order.Paid || payload.Data.Lines[0].MerchantNet != 1900 ||
			queued.Status != webhook.Pending || queued.Attempts != 0 {
			t.Fatalf("queued delivery = %+v, payload %+v", queued, payload)
		}

		d := &webhook.Dispatcher{Repo: s, Client: &http.Client{Timeout: 5 * time.Second}, Log: slog.New(slog.DiscardHandler),
			Now: w.clock.Now, Backoff: []time.Duration{time.Minute, 5 * time.Minute}}
		tick := func(t *testing.T, want int) {
			t.Helper()
			n, err := d.Tick(ctx)
			must(t, err)
			if n != want {
				t.Fatalf("tick made %d attempts, want %d", n, want)
			}
		}

		w.clock.Advance(time.Second)
		sentAt := w.clock.Now()
		tick(t, 5)

		t.Run("delivered, signed", func(t *testing.T) {
			got := ok.received()
			if len(got) != 2 {
				t.Fatalf("receiver got %d posts, want 2", len(got))
			}
			byID := map[string]webhook.Delivery{}
			for _, del := range deliveries(t, paidShipped) {
				byID[del.ID] = del
				if del.Status != webhook.Delivered || del.Attempts != 1 || del.LastStatusCode != 200 || del.DeliveredAt == nil || !del.DeliveredAt.Equal(sentAt) {
					t.Fatalf("delivery = %+v", del)
				}
			}
			for _, r := range got {
				if r.sigErr != nil {
					t.Fatalf("signature of %s: %v", r.delivery, r.sigErr)
				}
				del, found := byID[r.delivery]
				if !found || r.event != del.EventType || string(r.body) != del.Payload || r.path != "/hooks" {
					t.Fatalf("received %+v, stored %+v", r, del)
				}
			}
			// A signature made with another endpoint's secret does not verify.
			if err := webhook.Verify(everything.Secret, got[0].signature, got[0].body, w.clock.Now(), time.Minute); err == nil {
				t.Fatal("signature verified with the wrong secret")
			}
		})

		t.Run("retried with backoff, then failed", func(t *testing.T) {
			check := func(t *testing.T, status string, attempts int, next time.Time) {
				t.Helper()
				for _, del := range deliveries(t, everything) {
					if del.Status != status || del.Attempts != attempts || !del.NextAttemptAt.Equal(next) || del.LastStatusCode != 500 ||
						del.LastError != "endpoint answered 500" || del.DeliveredAt != nil {
						t.Fatalf("delivery = %+v, want %s after %d attempts, next at %v", del, status, attempts, next)
					}
				}
			}
			check(t, webhook.Pending, 1, sentAt.Add(time.Minute))
			tick(t, 0)
			w.clock.Advance(time.Minute - time.Millisecond)
			tick(t, 0)
			w.clock.Advance(time.Millisecond)
			tick(t, 3)
			check(t, webhook.Pending, 2, w.clock.Now().Add(5*time.Minute))
			w.clock.Advance(5 * time.Minute)
			tick(t, 3)
			check(t, webhook.Failed, 3, w.clock.Now())
			w.clock.Advance(24 * time.Hour)
			tick(t, 0)
			if n := len(failing.received()); n != 9 {
				t.Fatalf("failing endpoint got %d posts, want 3 deliveries × 3 attempts", n)
			}
			for _, r := range failing.received() {
				if r.sigErr != nil {
					t.Fatalf("signature of %s: %v", r.delivery, r.sigErr)
				}
			}
		})

		t.Run("redeliver", func(t *testing.T) {
			failed := deliveries(t, everything)[0]
			wantErr(t, w.hooks.Redeliver(ctx, rival, failed.ID), apperr.Forbidden, "")
			wantErr(t, w.hooks.Redeliver(ctx, owner, "whd_missing"), apperr.NotFound, "")
			failing.setStatus(http.StatusNoContent)
			must(t, w.hooks.Redeliver(ctx, owner, failed.ID))
			tick(t, 1)
			ds := deliveries(t, everything)
			if ds[0].Status != webhook.Delivered || ds[0].Attempts != 4 || ds[0].LastStatusCode != 204 || ds[0].LastError != "" {
				t.Fatalf("redelivered = %+v", ds[0])
			}
			if ds[1].Status != webhook.Failed || ds[2].Status != webhook.Failed {
				t.Fatal("redelivering one delivery touched the others")
			}
		})

		t.Run("delivery log pages", func(t *testing.T) {
			first, err := w.hooks.Deliveries(ctx, owner, everything.ID, "", 2)
			must(t, err)
			rest, err := w.hooks.Deliveries(ctx, owner, everything.ID, first[1].ID, 2)
			must(t, err)
			if len(first) != 2 || len(rest) != 1 || rest[0].EventType != order.EventOrderCancelled {
				t.Fatalf("pages = %v / %v", events(first), events(rest))
			}
		})

		t.Run("deleting an endpoint drops its log", func(t *testing.T) {
			must(t, w.hooks.Delete(ctx, owner, everything.ID))
			_, err := w.hooks.Deliveries(ctx, owner, everything.ID, "", 0)
			wantErr(t, err, apperr.NotFound, "")
			_, err = w.ord.Cancel(ctx, buyer, w.place(t, buyer, p.SKUs[0].ID, 1).ID, "")
			must(t, err)
			w.clock.Advance(time.Hour)
			tick(t, 0)
		})
	})
}

func TestConformanceWebhookClaims(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Busy", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)

		recv := newHookReceiver(w.clock, http.StatusOK)
		srv := httptest.NewServer(recv)
		t.Cleanup(srv.Close)
		var endpoints []webhook.Endpoint
		for range 6 {
			e, err := w.hooks.Create(ctx, owner, shop.ID, webhook.EndpointInput{URL: srv.URL})
			must(t, err)
			endpoints = append(endpoints, e)
		}
		for range 5 {
			_, err := w.ord.Cancel(ctx, buyer, w.place(t, buyer, p.SKUs[0].ID, 1).ID, "")
			must(t, err)
		}
		const total = 6 * 5
		now := w.clock.Now()

		t.Run("concurrent claimers get disjoint sets", func(t *testing.T) {
			const claimers = 4
			claimed := make([][]string, claimers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range claimers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					for {
						ds, err := s.ClaimDue(ctx, now, time.Minute, 3)
						if err != nil {
							t.Errorf("claim: %v", err)
							return
						}
						if len(ds) == 0 {
							return
						}
						for _, d := range ds {
							if d.URL != srv.URL || d.Secret == "" {
								t.Errorf("claimed delivery without its target: %+v", d)
							}
							claimed[i] = append(claimed[i], d.ID)
						}
					}
				}()
			}
			close(start)
			wg.Wait()
			seen := map[string]int{}
			for i, ids := range claimed {
				for _, id := range ids {
					if j, dup := seen[id]; dup {
						t.Fatalf("delivery %s claimed by claimers %d and %d", id, j, i)
					}
					seen[id] = i
				}
			}
			if len(seen) != total {
				t.Fatalf("%d deliveries claimed, want %d", len(seen), total)
			}
		})

		t.Run("a lease holds until it ends", func(t *testing.T) {
			if ds, err := s.ClaimDue(ctx, now.Add(time.Minute-time.Millisecond), time.Minute, 100); err != nil || len(ds) != 0 {
				t.Fatalf("claimed %d leased deliveries: %v", len(ds), err)
			}
			ds, err := s.ClaimDue(ctx, now.Add(time.Minute), time.Minute, 100)
			must(t, err)
			if len(ds) != total {
				t.Fatalf("after the lease ended %d deliveries were claimable, want %d", len(ds), total)
			}
		})

		t.Run("concurrent dispatchers send each delivery once", func(t *testing.T) {
			w.clock.Advance(3 * time.Minute)
			var wg sync.WaitGroup
			for range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d := &webhook.Dispatcher{Repo: s, Client: &http.Client{Timeout: 5 * time.Second}, Log: slog.New(slog.DiscardHandler),
						Now: w.clock.Now, Backoff: webhook.DefaultBackoff}
					for {
						n, err := d.Tick(ctx)
						if err != nil {
							t.Errorf("tick: %v", err)
							return
						}
						if n == 0 {
							return
						}
					}
				}()
			}
			wg.Wait()
			posts := map[string]int{}
			for _, r := range recv.received() {
				posts[r.delivery]++
			}
			if len(posts) != total {
				t.Fatalf("%d distinct deliveries posted, want %d", len(posts), total)
			}
			for id, n := range posts {
				if n != 1 {
					t.Fatalf("delivery %s posted %d times", id, n)
				}
			}
			for _, e := range endpoints {
				ds, err := w.hooks.Deliveries(ctx, owner, e.ID, "", 0)
				must(t, err)
				for _, d := range ds {
					if d.Status != webhook.Delivered || d.Attempts != 1 {
						t.Fatalf("delivery = %+v", d)
					}
				}
			}
		})
	})
}

// hookReceiver is a merchant's webhook endpoint: it checks each post's
// signature with its secret at the suite's clock and answers status.
type hookReceiver struct {
	clock *storetest.Clock

	mu     sync.Mutex
	secret string
	status int
	posts  []receivedHook
}

type receivedHook struct {
	path, event, delivery, signature string
	body                             []byte
	sigErr                           error
}

func newHookReceiver(clock *storetest.Clock, status int) *hookReceiver {
	return &hookReceiver{clock: clock, status: status}
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	sig := r.Header.Get("Liveshop-Signature")
	rec := receivedHook{path: r.URL.Path, event: r.Header.Get("Liveshop-Event"), delivery: r.Header.Get("Liveshop-Delivery"),
		signature: sig, body: body}
	if h.secret != "" {
		rec.sigErr = webhook.Verify(h.secret, sig, body, h.clock.Now(), time.Minute)
	}
	h.posts = append(h.posts, rec)
	w.WriteHeader(h.status)
}

func (h *hookReceiver) setSecret(s string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.secret = s
}

func (h *hookReceiver) setStatus(code int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = code
}

func (h *hookReceiver) received() []receivedHook {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.posts)
}
