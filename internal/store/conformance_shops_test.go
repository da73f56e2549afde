package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/store"
	"github.com/liveshop/liveshop/internal/store/storetest"
	"github.com/liveshop/liveshop/internal/webhook"
)

func TestConformanceShopOnboarding(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")

		t.Run("application is validated", func(t *testing.T) {
			good := catalog.ShopApplication{Name: "Wuchang Rice Co-op", Category: "fresh_produce", Region: "Heilongjiang"}
			tests := []struct {
				name  string
				edit  func(*catalog.ShopApplication)
				field string
			}{
				{"no name", func(a *catalog.ShopApplication) { a.Name = "  " }, "name"},
				{"long name", func(a *catalog.ShopApplication) { a.Name = strings.Repeat("米", 81) }, "name"},
				{"unknown category", func(a *catalog.ShopApplication) { a.Category = "weapons" }, "category"},
				{"no region", func(a *catalog.ShopApplication) { a.Region = "" }, "region"},
				{"unknown programme", func(a *catalog.ShopApplication) { a.Programme = "vip" }, "programme"},
				{"rural without county", func(a *catalog.ShopApplication) { a.Programme = "rural" }, "county"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					app := good
					tt.edit(&app)
					_, err := w.cat.Apply(ctx, owner, app)
					wantErr(t, err, apperr.Invalid, tt.field)
				})
			}
			_, err := w.cat.Apply(ctx, account.Actor{}, good)
			wantErr(t, err, apperr.Unauthorized, "")
			if mine, err := w.cat.ListShops(ctx, owner, catalog.ShopFilter{}, true); err != nil || len(mine) != 0 {
				t.Fatalf("refused applications were stored: %+v, %v", mine, err)
			}
		})

		standard, err := w.cat.Apply(ctx, owner, catalog.ShopApplication{Name: " Harbin Sausages ", Category: "food", Region: "Heilongjiang"})
		must(t, err)
		w.clock.Advance(time.Second)
		rural, err := w.cat.Apply(ctx, owner, catalog.ShopApplication{Name: "Wuchang Rice", Category: "fresh_produce", Region: "Heilongjiang", County: "Wuchang", Programme: "rural"})
		must(t, err)
		w.clock.Advance(time.Second)
		doomed, err := w.cat.Apply(ctx, owner, catalog.ShopApplication{Name: "Doomed", Category: "other", Region: "Nowhere"})
		must(t, err)

		owner = w.actor(t, owner.ID())
		if owner.ShopRole(standard.ID) != account.ShopOwner {
			t.Fatalf("applying did not make the applicant the owner: %+v", owner.ShopRoles)
		}
		got, err := w.cat.Shop(ctx, owner, standard.ID)
		must(t, err)
		if got.Name != "Harbin Sausages" || got.Programme != "standard" || got.Status != catalog.ShopPending || got.OwnerID != owner.ID() ||
			got.FeeOverrideBPS != nil || got.ReviewedAt != nil || !got.CreatedAt.Equal(standard.CreatedAt) {
			t.Fatalf("stored shop = %+v", got)
		}
		if got, _ := w.cat.Shop(ctx, owner, rural.ID); got.Programme != "rural" || got.County != "Wuchang" {
			t.Fatalf("rural shop = %+v", got)
		}

		t.Run("pending shops are hidden from the public", func(t *testing.T) {
			_, err := w.cat.Shop(ctx, account.Actor{}, standard.ID)
			wantErr(t, err, apperr.NotFound, "")
			public, err := w.cat.ListShops(ctx, account.Actor{}, catalog.ShopFilter{}, false)
			must(t, err)
			if len(public) != 0 {
				t.Fatalf("public shops = %v", shopIDs(public))
			}
			_, err = w.cat.ListShops(ctx, owner, catalog.ShopFilter{Status: catalog.ShopPending}, false)
			wantErr(t, err, apperr.Forbidden, "")
			pending, err := w.cat.ListShops(ctx, admin, catalog.ShopFilter{Status: catalog.ShopPending}, false)
			must(t, err)
			if want := []string{doomed.ID, rural.ID, standard.ID}; !slices.Equal(shopIDs(pending), want) {
				t.Fatalf("pending = %v, want %v (newest first)", shopIDs(pending), want)
			}
		})

		t.Run("only admins review", func(t *testing.T) {
			_, err := w.cat.Review(ctx, owner, standard.ID, true, "")
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.cat.Review(ctx, admin, doomed.ID, false, "  ")
			wantErr(t, err, apperr.Invalid, "reason")
			_, err = w.cat.Review(ctx, admin, "shp_missing", true, "")
			wantErr(t, err, apperr.NotFound, "")
		})

		w.clock.Advance(time.Minute)
		approved, err := w.cat.Review(ctx, admin, standard.ID, true, "")
		must(t, err)
		if approved.Status != catalog.ShopApproved || approved.ReviewedAt == nil || !approved.ReviewedAt.Equal(w.clock.Now()) {
			t.Fatalf("approved shop = %+v", approved)
		}
		_, err = w.cat.Review(ctx, admin, rural.ID, true, "")
		must(t, err)
		rejected, err := w.cat.Review(ctx, admin, doomed.ID, false, " Photos of the premises are missing. ")
		must(t, err)
		if rejected.Status != catalog.ShopRejected || rejected.RejectReason != "Photos of the premises are missing." {
			t.Fatalf("rejected shop = %+v", rejected)
		}

		t.Run("reviewing twice is a conflict", func(t *testing.T) {
			for _, id := range []string{standard.ID, doomed.ID} {
				for _, approve := range []bool{true, false} {
					_, err := w.cat.Review(ctx, admin, id, approve, "second thoughts")
					wantErr(t, err, apperr.Conflict, "")
				}
			}
			if got, _ := w.cat.Shop(ctx, admin, doomed.ID); got.Status != catalog.ShopRejected || got.RejectReason != "Photos of the premises are missing." {
				t.Fatalf("a second review changed the shop: %+v", got)
			}
		})

		t.Run("listings", func(t *testing.T) {
			tests := []struct {
				name   string
				a      account.Actor
				filter catalog.ShopFilter
				mine   bool
				want   []string
			}{
				{"public", account.Actor{}, catalog.ShopFilter{}, false, []string{rural.ID, standard.ID}},
				{"public asking for approved", account.Actor{}, catalog.ShopFilter{Status: catalog.ShopApproved}, false, []string{rural.ID, standard.ID}},
				{"admin: pending", admin, catalog.ShopFilter{Status: catalog.ShopPending}, false, []string{}},
				{"admin: rejected", admin, catalog.ShopFilter{Status: catalog.ShopRejected}, false, []string{doomed.ID}},
				{"mine", owner, catalog.ShopFilter{}, true, []string{doomed.ID, rural.ID, standard.ID}},
				{"mine, rejected", owner, catalog.ShopFilter{Status: catalog.ShopRejected}, true, []string{doomed.ID}},
				{"mine, page of one", owner, catalog.ShopFilter{Limit: 1}, true, []string{doomed.ID}},
				{"mine, after a cursor", owner, catalog.ShopFilter{Cursor: doomed.ID}, true, []string{rural.ID, standard.ID}},
				{"mine for an admin who owns none", admin, catalog.ShopFilter{}, true, []string{}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, err := w.cat.ListShops(ctx, tt.a, tt.filter, tt.mine)
					must(t, err)
					if !slices.Equal(shopIDs(got), tt.want) {
						t.Fatalf("got %v, want %v", shopIDs(got), tt.want)
					}
				})
			}
			_, err := w.cat.ListShops(ctx, admin, catalog.ShopFilter{Status: "closed"}, false)
			wantErr(t, err, apperr.Invalid, "status")
		})

		t.Run("fee override", func(t *testing.T) {
			bps := 250
			_, err := w.cat.SetFeeOverride(ctx, owner, standard.ID, &bps)
			wantErr(t, err, apperr.Forbidden, "")
			tooMuch := 10001
			_, err = w.cat.SetFeeOverride(ctx, admin, standard.ID, &tooMuch)
			wantErr(t, err, apperr.Invalid, "fee_override_bps")
			_, err = w.cat.SetFeeOverride(ctx, admin, "shp_missing", &bps)
			wantErr(t, err, apperr.NotFound, "")

			for _, v := range []int{250, 0} {
				sh, err := w.cat.SetFeeOverride(ctx, admin, standard.ID, &v)
				must(t, err)
				if sh.FeeOverrideBPS == nil || *sh.FeeOverrideBPS != v {
					t.Fatalf("override %d stored as %v", v, sh.FeeOverrideBPS)
				}
			}
			sh, err := w.cat.SetFeeOverride(ctx, admin, standard.ID, nil)
			must(t, err)
			if sh.FeeOverrideBPS != nil {
				t.Fatalf("override not cleared: %d", *sh.FeeOverrideBPS)
			}
		})

		t.Run("profile", func(t *testing.T) {
			name, desc := "  Harbin Red Sausages ", "Smoked over fruit wood."
			sh, err := w.cat.UpdateShop(ctx, owner, standard.ID, catalog.ShopUpdate{Name: &name, Description: &desc})
			must(t, err)
			if sh.Name != "Harbin Red Sausages" || sh.Description != desc || sh.Status != catalog.ShopApproved {
				t.Fatalf("updated shop = %+v", sh)
			}
			_, err = w.cat.UpdateShop(ctx, admin, "shp_missing", catalog.ShopUpdate{Name: &name})
			wantErr(t, err, apperr.NotFound, "")
		})
	})
}

func TestConformanceShopStaff(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s)
		ctx := t.Context()
		admin := w.admin(t, "admin@example.com")
		owner := w.user(t, "owner@example.com")
		carol := w.user(t, "carol@example.com")
		dave := w.user(t, "dave@example.com")
		shop, owner := w.shop(t, owner, admin, "Owner's Shop", "standard")
		daveShop, dave := w.shop(t, dave, admin, "Dave's Shop", "standard")

		inv, err := w.cat.Invite(ctx, owner, shop.ID, "  Carol@Example.com ")
		must(t, err)
		if inv.Email != "carol@example.com" || inv.Status != "pending" || inv.Role != account.ShopStaff {
			t.Fatalf("invitation = %+v", inv)
		}

		t.Run("invitations", func(t *testing.T) {
			_, err := w.cat.Invite(ctx, owner, shop.ID, "CAROL@example.com")
			wantErr(t, err, apperr.Conflict, "email")
			_, err = w.cat.Invite(ctx, owner, shop.ID, "not an email")
			wantErr(t, err, apperr.Invalid, "email")
			_, err = w.cat.Invite(ctx, carol, shop.ID, "erin@example.com")
			wantErr(t, err, apperr.Forbidden, "")
			// The same person may be invited by another shop meanwhile.
			_, err = w.cat.Invite(ctx, dave, daveShop.ID, "carol@example.com")
			must(t, err)

			list, err := w.cat.ShopInvitations(ctx, owner, shop.ID)
			must(t, err)
			if len(list) != 1 || list[0].ID != inv.ID || list[0].ShopName != "Owner's Shop" || list[0].InvitedBy != owner.ID() {
				t.Fatalf("shop's invitations = %+v", list)
			}
			mine, err := w.cat.MyInvitations(ctx, carol)
			must(t, err)
			if len(mine) != 2 || mine[1].ID != inv.ID || mine[0].ShopID != daveShop.ID {
				t.Fatalf("carol's invitations = %+v", mine)
			}
			// Only the invited email may answer; for others it does not exist.
			wantErr(t, w.cat.AnswerInvitation(ctx, dave, inv.ID, true), apperr.NotFound, "")
			wantErr(t, w.cat.AnswerInvitation(ctx, carol, "inv_missing", true), apperr.NotFound, "")
		})

		must(t, w.cat.AnswerInvitation(ctx, carol, inv.ID, true))
		wantErr(t, w.cat.AnswerInvitation(ctx, carol, inv.ID, true), apperr.Conflict, "")
		carol = w.actor(t, carol.ID())
		if carol.ShopRole(shop.ID) != account.ShopStaff || carol.ShopRole(daveShop.ID) != "" {
			t.Fatalf("carol's roles after accepting = %+v", carol.ShopRoles)
		}
		members, err := w.cat.Members(ctx, carol, shop.ID)
		must(t, err)
		if len(members) != 2 || members[0].UserID != owner.ID() || members[0].Role != account.ShopOwner ||
			members[1].UserID != carol.ID() || members[1].Role != account.ShopStaff || members[1].Email != "carol@example.com" {
			t.Fatalf("members = %+v", members)
		}
		_, err = w.cat.Invite(ctx, owner, shop.ID, "carol@example.com")
		wantErr(t, err, apperr.Conflict, "email")

		t.Run("declining adds no member", func(t *testing.T) {
			inv, err := w.cat.Invite(ctx, owner, shop.ID, "dave@example.com")
			must(t, err)
			must(t, w.cat.AnswerInvitation(ctx, dave, inv.ID, false))
			if d := w.actor(t, dave.ID()); d.ShopRole(shop.ID) != "" {
				t.Fatalf("declining made dave %s", d.ShopRole(shop.ID))
			}
			list, _ := w.cat.ShopInvitations(ctx, owner, shop.ID)
			if list[0].ID != inv.ID || list[0].Status != "declined" {
				t.Fatalf("declined invitation = %+v", list[0])
			}
		})

		// Staff operate the shop: products, stock.
		p := w.product(t, carol, shop.ID, "Red sausage", 3800, 10)
		if _, err := w.cat.AdjustStock(ctx, carol, p.SKUs[0].ID, 5, "delivery"); err != nil {
			t.Fatalf("staff adjusting stock: %v", err)
		}
		title := "Red sausage, 500 g"
		if _, err := w.cat.UpdateProduct(ctx, carol, p.ID, catalog.ProductUpdate{Title: &title}); err != nil {
			t.Fatalf("staff editing a product: %v", err)
		}

		t.Run("staff cannot administer", func(t *testing.T) {
			name := "Carol's now"
			_, err := w.cat.UpdateShop(ctx, carol, shop.ID, catalog.ShopUpdate{Name: &name})
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.cat.Invite(ctx, carol, shop.ID, "erin@example.com")
			wantErr(t, err, apperr.Forbidden, "")
			_, err = w.cat.ShopInvitations(ctx, carol, shop.ID)
			wantErr(t, err, apperr.Forbidden, "")
			wantErr(t, w.cat.RemoveMember(ctx, carol, shop.ID, owner.ID()), apperr.Forbidden, "")
			_, err = w.hooks.Create(ctx, carol, shop.ID, webhook.EndpointInput{URL: "https://carol.example/hook"})
			wantErr(t, err, apperr.Forbidden, "")
		})

		t.Run("a merchant cannot touch another shop", func(t *testing.T) {
			name := "Taken over"
			np := catalog.NewProduct{Title: "Intruder", SKUs: []catalog.NewSKU{{Code: "X", PriceMinor: 1}}}
			attempts := []struct {
				name string
				do   func() error
			}{
				{"create product", func() error { _, err := w.cat.CreateProduct(ctx, dave, shop.ID, np); return err }},
				{"edit product", func() error {
					_, err := w.cat.UpdateProduct(ctx, dave, p.ID, catalog.ProductUpdate{Title: &name})
					return err
				}},
				{"add SKU", func() error {
					_, err := w.cat.AddSKU(ctx, dave, p.ID, catalog.NewSKU{Code: "X", PriceMinor: 1})
					return err
				}},
				{"adjust stock", func() error { _, err := w.cat.AdjustStock(ctx, dave, p.SKUs[0].ID, -15, ""); return err }},
				{"read movements", func() error { _, err := w.cat.Movements(ctx, dave, p.SKUs[0].ID, "", 0); return err }},
				{"edit shop", func() error {
					_, err := w.cat.UpdateShop(ctx, dave, shop.ID, catalog.ShopUpdate{Name: &name})
					return err
				}},
				{"list members", func() error { _, err := w.cat.Members(ctx, dave, shop.ID); return err }},
				{"invite", func() error { _, err := w.cat.Invite(ctx, dave, shop.ID, "erin@example.com"); return err }},
				{"remove staff", func() error { return w.cat.RemoveMember(ctx, dave, shop.ID, carol.ID()) }},
				{"add webhook", func() error {
					_, err := w.hooks.Create(ctx, dave, shop.ID, webhook.EndpointInput{URL: "https://dave.example/hook"})
					return err
				}},
				{"list webhooks", func() error { _, err := w.hooks.List(ctx, dave, shop.ID); return err }},
				{"upload image", func() error {
					_, err := w.cat.AddImage(ctx, dave, p.ID, strings.NewReader(string(pngBytes(t, 2, 2))))
					return err
				}},
			}
			for _, a := range attempts {
				t.Run(a.name, func(t *testing.T) { wantErr(t, a.do(), apperr.Forbidden, "") })
			}
			// And nothing changed.
			got, err := w.cat.Product(ctx, owner, p.ID)
			must(t, err)
			if got.Title != title || got.SKUs[0].Stock != 15 || len(got.SKUs) != 1 || len(got.Images) != 0 {
				t.Fatalf("product after dave's attempts = %+v", got)
			}
			if sh, _ := w.cat.Shop(ctx, owner, shop.ID); sh.Name != "Owner's Shop" {
				t.Fatalf("shop renamed to %q", sh.Name)
			}
		})

		t.Run("owner removes staff", func(t *testing.T) {
			wantErr(t, w.cat.RemoveMember(ctx, owner, shop.ID, owner.ID()), apperr.Invalid, "user_id")
			must(t, w.cat.RemoveMember(ctx, owner, shop.ID, carol.ID()))
			wantErr(t, w.cat.RemoveMember(ctx, owner, shop.ID, carol.ID()), apperr.NotFound, "")
			carol = w.actor(t, carol.ID())
			if carol.ShopRole(shop.ID) != "" {
				t.Fatalf("carol is still %s", carol.ShopRole(shop.ID))
			}
			_, err := w.cat.AdjustStock(ctx, carol, p.SKUs[0].ID, 1, "")
			wantErr(t, err, apperr.Forbidden, "")
			// Removed staff may be invited again.
			_, err = w.cat.Invite(ctx, owner, shop.ID, "carol@example.com")
			must(t, err)
		})
	})
}

func shopIDs(ss []catalog.Shop) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.ID
	}
	return out
}
