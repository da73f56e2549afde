package httpapi

import (
	"io"
	"net/http"
	"strconv"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/order"
)

func (a *API) listAddresses(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	as, err := a.cfg.Orders.Addresses(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[order.Address]{Items: as})
	return nil
}

func (a *API) addAddress(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in order.Address
	if err := decode(w, r, &in); err != nil {
		return err
	}
	addr, err := a.cfg.Orders.AddAddress(r.Context(), actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, addr)
	return nil
}

func (a *API) getCart(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	items, err := a.cfg.Orders.Cart(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[order.CartItem]{Items: items})
	return nil
}

// CartItemRequest sets how many of a SKU are in the cart.
type CartItemRequest struct {
	Quantity int `json:"quantity"`
}

func (a *API) setCartItem(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in CartItemRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	items, err := a.cfg.Orders.SetCartItem(r.Context(), actor, r.PathValue("skuID"), in.Quantity)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[order.CartItem]{Items: items})
	return nil
}

// CheckoutResponse lists the orders a checkout made, one per shop.
type CheckoutResponse struct {
	Orders []order.Order `json:"orders"`
}

func (a *API) checkout(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in order.PlaceInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if len(in.Items) > 0 {
		return apperr.Field("items", "checkout takes the items from the cart; use POST /api/v1/orders to order items directly")
	}
	os, err := a.cfg.Orders.Checkout(r.Context(), actor, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, CheckoutResponse{Orders: os})
	return nil
}

func (a *API) placeOrder(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in order.PlaceInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, created, err := a.cfg.Orders.Place(r.Context(), actor, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	writeJSON(w, status, o)
	return nil
}

func (a *API) listOrders(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	os, err := a.cfg.Orders.ListOrders(r.Context(), actor, order.Filter{ShopID: q.Get("shop_id"), Status: q.Get("status"), Cursor: cursor, Limit: limit})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(os, limit, func(o order.Order) string { return o.ID }))
	return nil
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	o, err := a.cfg.Orders.Order(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

func (a *API) orderHistory(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	h, err := a.cfg.Orders.History(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[order.StatusChange]{Items: h})
	return nil
}

// PayRequest chooses a payment provider.
type PayRequest struct {
	Provider string `json:"provider"`
}

func (a *API) payOrder(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in PayRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	p, err := a.cfg.Orders.Pay(r.Context(), actor, id, in.Provider, r.Header.Get("Idempotency-Key"), "/orders/"+id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (a *API) listPayments(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ps, err := a.cfg.Orders.Payments(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[order.Payment]{Items: ps})
	return nil
}

func (a *API) shipOrder(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in order.ShipInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := a.cfg.Orders.Ship(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// ReasonRequest carries an optional reason.
type ReasonRequest struct {
	Reason string `json:"reason"`
}

// orderAction serves a status change that takes an optional reason.
func (a *API) orderAction(do func(s *order.Service, r *http.Request, actor account.Actor, id, reason string) (order.Order, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
		var in ReasonRequest
		if r.ContentLength != 0 {
			if err := decode(w, r, &in); err != nil {
				return err
			}
		}
		o, err := do(a.cfg.Orders, r, actor, r.PathValue("id"), in.Reason)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, o)
		return nil
	}
}

func deliver(s *order.Service, r *http.Request, a account.Actor, id, _ string) (order.Order, error) {
	return s.MarkDelivered(r.Context(), a, id)
}

func complete(s *order.Service, r *http.Request, a account.Actor, id, _ string) (order.Order, error) {
	return s.Complete(r.Context(), a, id)
}

func cancel(s *order.Service, r *http.Request, a account.Actor, id, reason string) (order.Order, error) {
	return s.Cancel(r.Context(), a, id, reason)
}

func refund(s *order.Service, r *http.Request, a account.Actor, id, reason string) (order.Order, error) {
	return s.Refund(r.Context(), a, id, reason)
}

// maxWebhookBody bounds provider callbacks.
const maxWebhookBody = 64 << 10

func (a *API) paymentWebhook(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		return &apperr.Error{Code: apperr.TooLarge, Field: "body", Message: "webhook body too large"}
	}
	if err := a.cfg.Orders.HandleProviderWebhook(r.Context(), r.PathValue("provider"), r.Header, body); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "processed"})
	return nil
}

func (a *API) shopSales(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	days := 14
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return apperr.Field("days", "days must be a whole number from 1 to 90")
		}
		days = n
	}
	sum, err := a.cfg.Orders.Sales(r.Context(), actor, r.PathValue("id"), days)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}
