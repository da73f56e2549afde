package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/draw"
	"github.com/liveshop/liveshop/internal/order"
)

// Lucky draws (docs/SELLING.md). Draws and their proofs are public;
// operators start them and may draw early, signed-in viewers enter, and
// winners claim their prize as a zero-price order.

func (a *API) drawRoutes() []route {
	ok, created := http.StatusOK, http.StatusCreated
	return []route{
		{Method: "POST", Path: v1 + "/live-sessions/{id}/draws", Tag: "selling", Summary: "Start a lucky draw (its prizes leave the SKU's stock)", Auth: authUser, Body: draw.CreateInput{}, Resp: draw.Draw{}, Status: created, H: a.createDraw},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/draws", Tag: "selling", Summary: "A session's draws, newest first", Auth: authPublic, Query: listQuery, Resp: Page[draw.Draw]{}, Status: ok, H: a.listDraws},
		{Method: "GET", Path: v1 + "/draws/{id}", Tag: "selling", Summary: "A draw: commitment, entrants, winners and, once drawn, the seed", Auth: authPublic, Resp: draw.Draw{}, Status: ok, H: a.getDraw},
		{Method: "POST", Path: v1 + "/draws/{id}/entries", Tag: "selling", Summary: "Enter a draw (200 with the first entry when entered before)", Auth: authUser, Resp: draw.Entry{}, Status: created, H: a.enterDraw, Hot: true},
		{Method: "POST", Path: v1 + "/draws/{id}/draw", Tag: "selling", Summary: "Draw the winners now, before the deadline", Auth: authUser, Resp: draw.Draw{}, Status: ok, H: a.drawNow},
		{Method: "GET", Path: v1 + "/draws/{id}/proof", Tag: "selling", Summary: "What anyone needs to verify a drawn draw", Auth: authPublic, Resp: draw.Proof{}, Status: ok, H: a.drawProof},
		{Method: "POST", Path: v1 + "/draws/{id}/claim", Tag: "selling", Summary: "Claim a prize you won: a zero-price paid order", Auth: authUser, Body: ClaimPrizeRequest{}, Resp: order.Order{}, Status: created, H: a.claimPrize},
	}
}

// ClaimPrizeRequest names the address a prize ships to; without it, the
// winner's default address.
type ClaimPrizeRequest struct {
	AddressID string `json:"address_id,omitempty"`
}

func (a *API) createDraw(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in draw.CreateInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d, err := a.cfg.Draws.Create(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, d)
	return nil
}

func (a *API) listDraws(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	ds, err := a.cfg.Draws.List(r.Context(), r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ds, limit, func(d draw.Draw) string { return d.ID }))
	return nil
}

func (a *API) getDraw(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	d, err := a.cfg.Draws.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (a *API) enterDraw(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	e, created, err := a.cfg.Draws.Enter(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, e)
	return nil
}

func (a *API) drawNow(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	d, err := a.cfg.Draws.DrawNow(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (a *API) drawProof(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	p, err := a.cfg.Draws.Proof(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *API) claimPrize(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in ClaimPrizeRequest
	if r.ContentLength != 0 { // an empty body ships to the default address
		if err := decode(w, r, &in); err != nil {
			return err
		}
	}
	o, err := a.cfg.Draws.Claim(r.Context(), actor, r.PathValue("id"), in.AddressID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}
