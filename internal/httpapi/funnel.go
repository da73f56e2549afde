package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/funnel"
)

// The live room's funnel (docs/SELLING.md). Every viewer's page reports
// its steps, signed in or not; the room's operators read the counts.

func (a *API) funnelRoutes() []route {
	return []route{
		{Method: "POST", Path: v1 + "/live-sessions/{id}/funnel", Tag: "selling", Summary: "Report a funnel step: view, product_open or buy_click (deduplicated per viewer and minute)", Auth: authPublic, Body: funnel.Event{}, Status: http.StatusAccepted, H: a.recordFunnel, Hot: true},
		{Method: "GET", Path: v1 + "/live-sessions/{id}/funnel", Tag: "selling", Summary: "A session's conversion funnel: viewers, opens, clicks, orders and GMV", Auth: authUser, Resp: funnel.Funnel{}, Status: http.StatusOK, H: a.getFunnel},
	}
}

func (a *API) recordFunnel(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in funnel.Event
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.cfg.Funnel.Record(r.Context(), actor, r.PathValue("id"), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

func (a *API) getFunnel(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	f, err := a.cfg.Funnel.Funnel(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}
