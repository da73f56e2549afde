package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/webhook"
)

func (a *API) createEndpoint(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in webhook.EndpointInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := a.cfg.Webhooks.Create(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (a *API) listEndpoints(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	es, err := a.cfg.Webhooks.List(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[webhook.Endpoint]{Items: es})
	return nil
}

func (a *API) deleteEndpoint(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Webhooks.Delete(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	ds, err := a.cfg.Webhooks.Deliveries(r.Context(), actor, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ds, limit, func(d webhook.Delivery) string { return d.ID }))
	return nil
}

func (a *API) redeliver(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Webhooks.Redeliver(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}
