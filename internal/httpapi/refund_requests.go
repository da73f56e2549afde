package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/order"
)

func (a *API) requestRefund(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in order.RefundRequestInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	o, err := a.cfg.Orders.RequestRefund(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, o)
	return nil
}

func withdrawRefundRequest(s *order.Service, r *http.Request, a account.Actor, id, _ string) (order.Order, error) {
	return s.WithdrawRefundRequest(r.Context(), a, id)
}

func declineRefundRequest(s *order.Service, r *http.Request, a account.Actor, id, reason string) (order.Order, error) {
	return s.DeclineRefundRequest(r.Context(), a, id, reason)
}
