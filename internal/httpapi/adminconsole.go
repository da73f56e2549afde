package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/room"
)

// The admin console's endpoints (docs/ARCHITECTURE.md, "Admin console"):
// programmes and fee schedules, and the platform moderation queue. The
// services check that the caller is a platform admin.

func (a *API) createProgramme(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.NewProgramme
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.cfg.Catalog.CreateProgramme(r.Context(), actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (a *API) updateProgramme(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.ProgrammeUpdate
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.cfg.Catalog.UpdateProgramme(r.Context(), actor, r.PathValue("code"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *API) listShopFees(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	f := catalog.ShopFilter{Status: r.URL.Query().Get("status"), Cursor: cursor, Limit: limit}
	fees, err := a.cfg.Catalog.ShopFees(r.Context(), actor, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(fees, limit, func(s catalog.ShopFee) string { return s.Shop.ID }))
	return nil
}

func (a *API) listReportQueue(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	reps, err := a.cfg.Rooms.OpenReports(r.Context(), actor, cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(reps, limit, func(rep room.Report) string { return rep.ID }))
	return nil
}

func (a *API) resolveReport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in room.ResolveInput
	if err := decode(w, r, &in); err != nil {
		return err
	}
	rep, err := a.cfg.Rooms.ResolveReport(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
