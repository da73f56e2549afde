package store_test

import (
	"testing"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// Migration 00019 rebuilds notifications for order kinds: session rows
// survive it both ways, order rows go on the way down, and the table's
// rules hold: one subject of the kind's sort, session kinds unique per
// (user, kind, session).
func TestMigrateOrderNotifications(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		shop, owner := w.shop(t, owner, admin, "Rice Farm", "standard")
		p := w.product(t, owner, shop.ID, "Rice", 1000, 100)
		o := w.place(t, buyer, p.SKUs[0].ID, 1)
		must(t, s.ExecFeedFixture(ctx, `INSERT INTO live_sessions (id, shop_id, title, planned_start, status, stream_key, stream_key_hash, created_at)
			VALUES ('ses_m', $1, 'Harvest', 1, 'live', 'k', 'h', 1)`, shop.ID))
		insert := func(id, kind, session, order string) error {
			var ses, ord any
			if session != "" {
				ses = session
			}
			if order != "" {
				ord = order
			}
			return s.ExecFeedFixture(ctx, `INSERT INTO notifications (id, user_id, kind, session_id, order_id, title, created_at)
				VALUES ($1, $2, $3, $4, $5, 't', 1)`, id, buyer.ID(), kind, ses, ord)
		}
		must(t, insert("ntf_live", "live", "ses_m", ""))
		must(t, insert("ntf_ship", "order_shipped", "", o.ID))
		must(t, insert("ntf_ship2", "order_shipped", "", o.ID)) // NULL sessions never collide
		for name, err := range map[string]error{
			"a session kind twice":       insert("ntf_x1", "live", "ses_m", ""),
			"both subjects":              insert("ntf_x2", "order_shipped", "ses_m", o.ID),
			"no subject":                 insert("ntf_x3", "order_shipped", "", ""),
			"an order kind on a session": insert("ntf_x4", "order_shipped", "ses_m", ""),
			"a session kind on an order": insert("ntf_x5", "live", "", o.ID),
			"an unknown kind":            insert("ntf_x6", "order_lost", "", o.ID),
		} {
			if err == nil {
				t.Errorf("%s was stored", name)
			}
		}

		must(t, s.MigrateDownTo(ctx, 18))
		ns, err := s.UnreadNotifications(ctx, buyer.ID())
		must(t, err)
		if ns != 1 {
			t.Fatalf("after down, %d notifications, want the live one", ns)
		}
		must(t, s.Migrate(ctx))
		got, err := s.NotificationByID(ctx, buyer.ID(), "ntf_live")
		must(t, err)
		if got.SessionID != "ses_m" || got.OrderID != "" || got.Kind != "live" {
			t.Fatalf("after down and up = %+v", got)
		}
		_, err = s.NotificationByID(ctx, buyer.ID(), "ntf_ship")
		wantErr(t, err, apperr.NotFound, "")
		must(t, insert("ntf_ship3", "order_shipped", "", o.ID))
	})
}
