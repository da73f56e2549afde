package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/coupon"
)

// Coupons (docs/SELLING.md): a shop's team creates them, a session's
// operators drop them into the room, signed-in viewers grab them, and
// checkout takes coupon_claim_id.

func (a *API) couponsRoutes() []route {
	ok, created := http.StatusOK, http.StatusCreated
	return []route{
		{Method: "POST", Path: v1 + "/shops/{id}/coupons", Tag: "coupons", Summary: "Create a coupon", Auth: authUser, Body: coupon.NewCoupon{}, Resp: coupon.Coupon{}, Status: created, H: a.createCoupon},
		{Method: "GET", Path: v1 + "/shops/{id}/coupons", Tag: "coupons", Summary: "A shop's coupons, newest first", Auth: authUser, Query: listQuery, Resp: Page[coupon.Coupon]{}, Status: ok, H: a.listShopCoupons},
		{Method: "POST", Path: v1 + "/live-sessions/{id}/coupons/{couponID}/drop", Tag: "coupons", Summary: "Drop a coupon into the live room for viewers to grab", Auth: authUser, Body: coupon.DropInput{}, Resp: coupon.Coupon{}, Status: ok, H: a.dropCoupon},
		{Method: "POST", Path: v1 + "/coupons/{id}/claims", Tag: "coupons", Summary: "Grab a dropped coupon", Auth: authUser, Resp: coupon.Claim{}, Status: created, H: a.claimCoupon, Hot: true},
		{Method: "GET", Path: v1 + "/me/coupons", Tag: "coupons", Summary: "My coupons, usable ones first", Auth: authUser, Query: append([]string{"shop_id"}, listQuery...), Resp: Page[coupon.Claim]{}, Status: ok, H: a.myCoupons},
	}
}

func (a *API) createCoupon(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in coupon.NewCoupon
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.cfg.Coupons.Create(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (a *API) listShopCoupons(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	cs, err := a.cfg.Coupons.ListShop(r.Context(), actor, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(cs, limit, func(c coupon.Coupon) string { return c.ID }))
	return nil
}

func (a *API) dropCoupon(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in coupon.DropInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.cfg.Coupons.Drop(r.Context(), actor, r.PathValue("id"), r.PathValue("couponID"), in.GrabSeconds)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (a *API) claimCoupon(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	cl, err := a.cfg.Coupons.Claim(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, cl)
	return nil
}

func (a *API) myCoupons(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	cls, next, err := a.cfg.Coupons.MyClaims(r.Context(), actor, r.URL.Query().Get("shop_id"), cursor, limit)
	if err != nil {
		return err
	}
	if cls == nil {
		cls = []coupon.Claim{}
	}
	writeJSON(w, http.StatusOK, Page[coupon.Claim]{Items: cls, NextCursor: next})
	return nil
}
