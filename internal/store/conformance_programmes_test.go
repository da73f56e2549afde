package store_test

import (
	"slices"
	"testing"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
)

// TestConformanceProgrammes checks that admins create and edit fee
// programmes with field-named refusals and one audit row per change.
func TestConformanceProgrammes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		plain := w.user(t, "plain@example.com")

		_, err := w.cat.CreateProgramme(ctx, plain, catalog.NewProgramme{Code: "coop", Name: "Co-op", PlatformFeeBPS: 100})
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.cat.CreateProgramme(ctx, account.Actor{}, catalog.NewProgramme{Code: "coop", Name: "Co-op", PlatformFeeBPS: 100})
		wantErr(t, err, apperr.Unauthorized, "")
		for _, tt := range []struct {
			in    catalog.NewProgramme
			field string
		}{
			{catalog.NewProgramme{Code: "Bad Code", Name: "x", PlatformFeeBPS: 1}, "code"},
			{catalog.NewProgramme{Code: "coop", Name: "  ", PlatformFeeBPS: 1}, "name"},
			{catalog.NewProgramme{Code: "coop", Name: "Co-op", PlatformFeeBPS: -1}, "platform_fee_bps"},
			{catalog.NewProgramme{Code: "coop", Name: "Co-op", PlatformFeeBPS: 5001}, "platform_fee_bps"},
			{catalog.NewProgramme{Code: "standard", Name: "Again", PlatformFeeBPS: 100}, "code"},
		} {
			_, err := w.cat.CreateProgramme(ctx, admin, tt.in)
			wantErr(t, err, apperr.Invalid, tt.field)
		}

		p, err := w.cat.CreateProgramme(ctx, admin, catalog.NewProgramme{Code: "coop", Name: " Co-op ", Description: "Cooperatives", PlatformFeeBPS: 5000})
		must(t, err)
		if p != (catalog.Programme{Code: "coop", Name: "Co-op", Description: "Cooperatives", PlatformFeeBPS: 5000}) {
			t.Fatalf("created = %+v", p)
		}
		fee := 120
		name := "Cooperative"
		_, err = w.cat.UpdateProgramme(ctx, plain, "coop", catalog.ProgrammeUpdate{PlatformFeeBPS: &fee})
		wantErr(t, err, apperr.Forbidden, "")
		bad := 9000
		_, err = w.cat.UpdateProgramme(ctx, admin, "coop", catalog.ProgrammeUpdate{PlatformFeeBPS: &bad})
		wantErr(t, err, apperr.Invalid, "platform_fee_bps")
		_, err = w.cat.UpdateProgramme(ctx, admin, "nope", catalog.ProgrammeUpdate{PlatformFeeBPS: &fee})
		wantErr(t, err, apperr.NotFound, "")
		_, err = w.cat.UpdateProgramme(ctx, admin, "coop", catalog.ProgrammeUpdate{})
		wantErr(t, err, apperr.Invalid, "name")
		got, err := w.cat.UpdateProgramme(ctx, admin, "coop", catalog.ProgrammeUpdate{PlatformFeeBPS: &fee, Name: &name})
		must(t, err)
		if got != (catalog.Programme{Code: "coop", Name: "Cooperative", Description: "Cooperatives", PlatformFeeBPS: 120}) {
			t.Fatalf("updated = %+v", got)
		}
		ps, err := w.cat.Programmes(ctx)
		must(t, err)
		if len(ps) != 3 || ps[0] != got {
			t.Fatalf("programmes = %+v", ps)
		}

		es, err := w.acct.AdminAudit(ctx, admin, "", 100)
		must(t, err)
		// Newest first: the update, the creation, then making the admin.
		if len(es) != 3 || es[0].Action != catalog.AuditProgrammeUpdate || es[0].TargetID != "coop" ||
			es[0].Detail != "name Cooperative; fee 120 bps" || es[0].ActorID != admin.ID() ||
			es[1].Action != catalog.AuditProgrammeCreate || es[1].Detail != "Co-op, 5000 bps" {
			t.Fatalf("audit = %+v", es)
		}

		// The admin's shop list shows each shop's programme and effective fee.
		owner := w.user(t, "owner@example.com")
		farm, _ := w.shop(t, owner, admin, "Farm", "standard")
		rural, _ := w.shop(t, owner, admin, "Rural", "rural")
		override := 250
		_, err = w.cat.SetFeeOverride(ctx, admin, rural.ID, &override)
		must(t, err)
		_, err = w.cat.ShopFees(ctx, plain, catalog.ShopFilter{})
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.cat.ShopFees(ctx, admin, catalog.ShopFilter{Status: "closed"})
		wantErr(t, err, apperr.Invalid, "status")
		fees, err := w.cat.ShopFees(ctx, admin, catalog.ShopFilter{})
		must(t, err)
		byID := map[string]catalog.ShopFee{}
		for _, f := range fees {
			byID[f.Shop.ID] = f
		}
		if f := byID[farm.ID]; len(fees) != 2 || f.ProgrammeName != "Standard" || f.EffectiveFeeBPS != 500 || f.ProgrammeFeeBPS != 500 {
			t.Fatalf("shop fees = %+v", fees)
		}
		if f := byID[rural.ID]; f.EffectiveFeeBPS != 250 || f.ProgrammeFeeBPS != 0 || f.Shop.FeeOverrideBPS == nil {
			t.Fatalf("rural shop fee = %+v", f)
		}
	})
}

// TestConformanceFeeNotRetroactive checks that an order keeps the fee it
// was placed under: a programme change or a shop override made after the
// order, before its payment, does not reprice it, while the next order
// pays the new fee.
func TestConformanceFeeNotRetroactive(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		buyer := w.user(t, "buyer@example.com")
		sh, owner := w.shop(t, owner, admin, "Farm", "standard")
		p := w.product(t, owner, sh.ID, "Rice", 10000, 10)

		before := w.place(t, buyer, p.SKUs[0].ID, 1) // standard: 5%
		fee := 1000
		_, err := w.cat.UpdateProgramme(ctx, admin, "standard", catalog.ProgrammeUpdate{PlatformFeeBPS: &fee})
		must(t, err)
		after := w.place(t, buyer, p.SKUs[0].ID, 1) // 10%
		override := 200
		_, err = w.cat.SetFeeOverride(ctx, admin, sh.ID, &override)
		must(t, err)
		last := w.place(t, buyer, p.SKUs[0].ID, 1) // the shop's 2%
		_, err = w.cat.SetFeeOverride(ctx, admin, sh.ID, nil)
		must(t, err)

		// Moved to the rural programme: new orders pay its fee.
		_, err = w.cat.MoveShop(ctx, owner, sh.ID, "rural")
		wantErr(t, err, apperr.Forbidden, "")
		_, err = w.cat.MoveShop(ctx, admin, sh.ID, "gold")
		wantErr(t, err, apperr.Invalid, "programme")
		_, err = w.cat.MoveShop(ctx, admin, "shp_missing", "rural")
		wantErr(t, err, apperr.NotFound, "")
		rural := programmeByCode(t, w, "rural")
		moved, err := w.cat.MoveShop(ctx, admin, sh.ID, " rural ")
		must(t, err)
		if moved.Shop.Programme != "rural" || moved.ProgrammeFeeBPS != rural.PlatformFeeBPS || moved.EffectiveFeeBPS != rural.PlatformFeeBPS {
			t.Fatalf("moved = %+v", moved)
		}
		if again, err := w.cat.MoveShop(ctx, admin, sh.ID, "rural"); err != nil || again.Shop.Programme != "rural" {
			t.Fatalf("moving again: %+v, %v", again, err)
		}
		entries, err := w.acct.AdminAudit(ctx, admin, "", 0)
		must(t, err)
		var moves []string
		for _, e := range entries {
			if e.Action == account.AuditShopProgramme {
				moves = append(moves, e.TargetID+": "+e.Detail)
			}
		}
		if !slices.Equal(moves, []string{sh.ID + ": standard → rural"}) {
			t.Fatalf("programme moves audited = %v", moves)
		}
		inRural := w.place(t, buyer, p.SKUs[0].ID, 1)

		for _, tt := range []struct {
			id   string
			want int64
		}{{before.ID, 500}, {after.ID, 1000}, {last.ID, 200}, {inRural.ID, int64(10000 * rural.PlatformFeeBPS / 10000)}} {
			w.pay(t, buyer, tt.id)
			o := w.order(t, buyer, tt.id)
			if got := o.Lines[0].PlatformFee; got != tt.want {
				t.Errorf("order %s: platform fee %d, want %d", tt.id, got, tt.want)
			}
		}
	})
}

func programmeByCode(t *testing.T, w *world, code string) catalog.Programme {
	t.Helper()
	ps, err := w.cat.Programmes(t.Context())
	must(t, err)
	for _, p := range ps {
		if p.Code == code {
			return p
		}
	}
	t.Fatalf("no programme %s", code)
	return catalog.Programme{}
}
