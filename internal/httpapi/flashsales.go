package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/flashsale"
)

// Flash sales (docs/SELLING.md): the operator starts one in a live
// session; buyers reserve with an Idempotency-Key and then order the
// reservation like any other purchase.

// ReserveRequest is a buyer's flash-sale reservation request.
type ReserveRequest struct {
	Quantity int `json:"quantity"`
}

func (a *API) flashSaleRoutes() []route {
	ok, created := http.StatusOK, http.StatusCreated
	return []route{
		{Method: "POST", Path: v1 + "/live-sessions/{id}/flash-sales", Tag: "selling", Summary: "Start a flash sale (countdown, then the sale)", Auth: authUser, Body: flashsale.CreateInput{}, Resp: flashsale.Sale{}, Status: created, H: a.createFlashSale},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/flash-sales", Tag: "selling", Summary: "A session's flash sales, newest first", Auth: authPublic, Resp: Page[flashsale.Sale]{}, Status: ok, H: a.listFlashSales},
		{Method: "GET", Path: v1 + "/flash-sales/{id}", Tag: "selling", Summary: "A flash sale with its live stock", Auth: authPublic, Resp: flashsale.Sale{}, Status: ok, H: a.getFlashSale},
		{Method: "POST", Path: v1 + "/flash-sales/{id}/end", Tag: "selling", Summary: "End a flash sale now", Auth: authUser, Resp: flashsale.Sale{}, Status: ok, H: a.endFlashSale},
		{Method: "POST", Path: v1 + "/flash-sales/{id}/reservations", Tag: "selling", Summary: "Reserve from a flash sale (200 with the first reservation on a retried key)", Auth: authUser, Body: ReserveRequest{}, Resp: flashsale.Reservation{}, Status: created, Headers: idempotencyHd, H: a.reserveFlashSale, Hot: true},
		{Method: "GET", Path: v1 + "/flash-sales/{id}/reservations/mine", Tag: "selling", Summary: "My reservations in a flash sale", Auth: authUser, Resp: Page[flashsale.Reservation]{}, Status: ok, H: a.myReservations},
	}
}

func (a *API) createFlashSale(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in flashsale.CreateInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s, err := a.cfg.FlashSales.Create(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s)
	return nil
}

func (a *API) listFlashSales(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	sales, err := a.cfg.FlashSales.SessionSales(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[flashsale.Sale]{Items: sales})
	return nil
}

func (a *API) getFlashSale(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	s, err := a.cfg.FlashSales.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (a *API) endFlashSale(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	s, err := a.cfg.FlashSales.End(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (a *API) reserveFlashSale(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in ReserveRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	res, replayed, err := a.cfg.FlashSales.Reserve(r.Context(), actor, r.PathValue("id"),
		flashsale.ReserveInput{Quantity: in.Quantity, Key: r.Header.Get("Idempotency-Key")})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		status = http.StatusOK
	}
	writeJSON(w, status, res)
	return nil
}

func (a *API) myReservations(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	rs, err := a.cfg.FlashSales.MyReservations(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[flashsale.Reservation]{Items: rs})
	return nil
}
