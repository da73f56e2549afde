package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/room"
)

// Live sessions (docs/LIVE.md). Sessions, moments and health are public;
// the studio, with its stream key, only for the session's operators.

// ExplainRequest names the product the host is explaining now.
type ExplainRequest struct {
	ProductID string `json:"product_id"`
}

func (a *API) scheduleLiveSession(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.ScheduleInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	st, err := a.cfg.Rooms.Schedule(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, st)
	return nil
}

func (a *API) listLiveSessions(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := room.Filter{Status: q.Get("status"), ShopID: q.Get("shop_id"), Cursor: cursor, Limit: limit}
	sessions, err := a.cfg.Rooms.List(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(sessions, limit, func(s room.Session) string { return s.ID }))
	return nil
}

func (a *API) getLiveSession(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	ses, err := a.cfg.Rooms.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ses)
	return nil
}

func (a *API) updateLiveSession(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.UpdateInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ses, err := a.cfg.Rooms.Update(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ses)
	return nil
}

func (a *API) liveStudio(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	st, err := a.cfg.Rooms.Studio(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // it holds the stream key
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) rotateStreamKey(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	st, err := a.cfg.Rooms.RotateKey(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (a *API) endLiveSession(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ses, err := a.cfg.Rooms.End(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ses)
	return nil
}

func (a *API) explainProduct(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in ExplainRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := a.cfg.Rooms.Explain(r.Context(), actor, r.PathValue("id"), in.ProductID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (a *API) listMoments(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	ms, err := a.cfg.Rooms.Moments(r.Context(), r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ms, limit, func(m room.Moment) string { return m.ID }))
	return nil
}

func (a *API) liveHealth(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	h, err := a.cfg.Rooms.Health(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}
