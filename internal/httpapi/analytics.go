package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
)

// The live room's dashboard (docs/DISCOVERY.md): the roll-ups of the
// analytics pipeline plus the funnel, for the room's operators. The studio
// loads it here once and then follows the WebSocket's dashboard frames.

func (a *API) analyticsRoutes() []route {
	return []route{
		{Method: "GET", Path: v1 + "/live-sessions/{id}/dashboard", Tag: "analytics", Summary: "A live room's dashboard: viewers, watch time, likes, clicks, orders, GMV, conversion, the funnel and per-product sales", Auth: authUser, Resp: analytics.Dashboard{}, Status: http.StatusOK, H: a.getDashboard},
	}
}

func (a *API) getDashboard(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if a.cfg.Analytics == nil {
		return apperr.New(apperr.Unavailable, "analytics is not running on this server")
	}
	d, err := a.cfg.Analytics.Dashboard(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}
