package store_test

import (
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConformanceAdminAudit checks that each admin action leaves exactly
// one admin_audit row, written with the change, and that refused or
// failed actions leave none.
func TestConformanceAdminAudit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com") // one row: the command line made them admin
		owner := w.user(t, "owner@example.com")
		apply := func(name string) catalog.Shop {
			t.Helper()
			sh, err := w.cat.Apply(ctx, owner, catalog.ShopApplication{Name: name, Category: "food", Region: "Jilin"})
			if err != nil {
				t.Fatal(err)
			}
			return sh
		}
		all := func() []account.AuditEntry {
			t.Helper()
			es, err := w.acct.AdminAudit(ctx, admin, "", 100)
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		// step runs one admin action and checks it added exactly want.
		step := func(name string, do func() error, want account.AuditEntry) {
			t.Helper()
			before := len(all())
			w.clock.Advance(time.Second)
			if err := do(); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			es := all()
			if len(es) != before+1 {
				t.Fatalf("%s: %d audit rows after, %d before; want one more", name, len(es), before)
			}
			got := es[0] // newest first
			if got.ActorID != want.ActorID || got.Action != want.Action || got.TargetKind != want.TargetKind ||
				got.TargetID != want.TargetID || got.Detail != want.Detail || !got.CreatedAt.Equal(w.clock.Now().Truncate(time.Millisecond)) {
				t.Errorf("%s: audit row %+v, want %+v at %v", name, got, want, w.clock.Now())
			}
		}

		if es := all(); len(es) != 1 || es[0].Action != account.AuditUserAdmin || es[0].ActorID != "" || es[0].TargetID != admin.ID() || es[0].Detail != "true" {
			t.Fatalf("audit after the command line made an admin: %+v", es)
		}

		good, bad := apply("Good Farm"), apply("Bad Farm")
		step("approve", func() error { _, err := w.cat.Review(ctx, admin, good.ID, true, ""); return err },
			account.AuditEntry{ActorID: admin.ID(), Action: account.AuditShopApprove, TargetKind: "shop", TargetID: good.ID})
		step("reject", func() error { _, err := w.cat.Review(ctx, admin, bad.ID, false, "no licence"); return err },
			account.AuditEntry{ActorID: admin.ID(), Action: account.AuditShopReject, TargetKind: "shop", TargetID: bad.ID, Detail: "no licence"})
		bps := 250
		step("fee override", func() error { _, err := w.cat.SetFeeOverride(ctx, admin, good.ID, &bps); return err },
			account.AuditEntry{ActorID: admin.ID(), Action: account.AuditShopFee, TargetKind: "shop", TargetID: good.ID, Detail: "250 bps"})
		step("fee cleared", func() error { _, err := w.cat.SetFeeOverride(ctx, admin, good.ID, nil); return err },
			account.AuditEntry{ActorID: admin.ID(), Action: account.AuditShopFee, TargetKind: "shop", TargetID: good.ID, Detail: "cleared"})
		step("grant admin", func() error { return w.acct.SetAdmin(ctx, admin, owner.ID(), true) },
			account.AuditEntry{ActorID: admin.ID(), Action: account.AuditUserAdmin, TargetKind: "user", TargetID: owner.ID(), Detail: "true"})
		step("revoke admin", func() error { return w.acct.SetAdmin(ctx, admin, owner.ID(), false) },
			account.AuditEntry{ActorID: admin.ID(), Action: account.AuditUserAdmin, TargetKind: "user", TargetID: owner.ID(), Detail: "false"})

		// Refused and failed actions change nothing, so they audit nothing.
		before := len(all())
		plain := w.actor(t, owner.ID())
		if _, err := w.cat.Review(ctx, admin, good.ID, true, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("approving twice: %v, want Conflict", err)
		}
		if _, err := w.cat.Review(ctx, plain, apply("Other").ID, true, ""); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("approval by a non-admin: %v, want Forbidden", err)
		}
		if _, err := w.cat.SetFeeOverride(ctx, admin, "shp_missing", &bps); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("fee on a missing shop: %v, want NotFound", err)
		}
		if err := w.acct.SetAdmin(ctx, admin, "usr_missing", true); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("admin for a missing user: %v, want NotFound", err)
		}
		if err := w.acct.SetAdmin(ctx, plain, owner.ID(), true); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("admin granted by a non-admin: %v, want Forbidden", err)
		}
		if got := len(all()); got != before {
			t.Errorf("refused actions wrote %d audit rows", got-before)
		}

		// Pages run newest first without overlap; only admins may read.
		var seen []string
		for cursor := ""; ; {
			es, err := w.acct.AdminAudit(ctx, admin, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				seen = append(seen, e.ID)
			}
			if len(es) < 2 {
				break
			}
			cursor = es[len(es)-1].ID
		}
		full := all()
		if len(seen) != len(full) {
			t.Fatalf("paging saw %d rows, want %d", len(seen), len(full))
		}
		for i := range full {
			if seen[i] != full[i].ID || (i > 0 && full[i].ID >= full[i-1].ID) {
				t.Fatalf("paging order %v, want %v newest first", seen, full)
			}
		}
		if _, err := w.acct.AdminAudit(ctx, plain, "", 10); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("audit read by a non-admin: %v, want Forbidden", err)
		}
		if _, err := w.acct.AdminAudit(ctx, account.Actor{}, "", 10); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("audit read by nobody: %v, want Unauthorized", err)
		}
	})
}
