package httpapi

import (
	"net/http"
	"strconv"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/auction"
)

// Live auctions (docs/SELLING.md). Auctions and their bid steps are
// public; operators start them, signed-in viewers with an address bid.

func (a *API) auctionRoutes() []route {
	ok, created := http.StatusOK, http.StatusCreated
	return []route{
		{Method: "POST", Path: v1 + "/live-sessions/{id}/auctions", Tag: "selling", Summary: "Start an auction of one unit of a SKU on the shelf", Auth: authUser, Body: auction.CreateInput{}, Resp: auction.Auction{}, Status: created, H: a.createAuction},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/auctions", Tag: "selling", Summary: "A session's auctions, newest first", Auth: authPublic, Query: listQuery, Resp: Page[auction.Auction]{}, Status: ok, H: a.listAuctions},
		{Method: "GET", Path: v1 + "/auctions/{id}", Tag: "selling", Summary: "An auction: price, leader's name, end", Auth: authPublic, Resp: auction.Auction{}, Status: ok, H: a.getAuction},
		{Method: "POST", Path: v1 + "/auctions/{id}/bids", Tag: "selling", Summary: "Place a proxy bid (the most you will pay)", Auth: authUser, Headers: idempotencyHd, Body: auction.BidInput{}, Resp: auction.Bid{}, Status: created, H: a.placeBid, Hot: true},
		{Method: "GET", Path: v1 + "/auctions/{id}/bids", Tag: "selling", Summary: "An auction's bids, newest first: bidder, time and the price each left", Auth: authPublic, Query: listQuery, Resp: Page[auction.BidStep]{}, Status: ok, H: a.listBids},
	}
}

func (a *API) createAuction(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in auction.CreateInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	au, err := a.cfg.Auctions.Create(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, au)
	return nil
}

func (a *API) listAuctions(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	as, err := a.cfg.Auctions.List(r.Context(), r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(as, limit, func(x auction.Auction) string { return x.ID }))
	return nil
}

func (a *API) getAuction(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	au, err := a.cfg.Auctions.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, au)
	return nil
}

func (a *API) placeBid(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		return apperr.Field("Idempotency-Key", "the Idempotency-Key header is required: send a new random key with each bid, the same one when retrying it")
	}
	var in auction.BidInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	b, created, err := a.cfg.Auctions.Bid(r.Context(), actor, r.PathValue("id"), in.MaxMinor, key)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, b)
	return nil
}

func (a *API) listBids(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	seq := 0
	if cursor != "" {
		if seq, err = strconv.Atoi(cursor); err != nil || seq < 1 {
			return apperr.Field("cursor", "cursor is not valid")
		}
	}
	steps, err := a.cfg.Auctions.Bids(r.Context(), r.PathValue("id"), seq, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(steps, limit, func(b auction.BidStep) string { return strconv.Itoa(b.Seq) }))
	return nil
}
