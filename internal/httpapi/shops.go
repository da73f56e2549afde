package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/catalog"
)

func (a *API) listProgrammes(w http.ResponseWriter, r *http.Request, _ account.Actor) error {
	ps, err := a.cfg.Catalog.Programmes(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[catalog.Programme]{Items: ps})
	return nil
}

func (a *API) applyShop(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.ShopApplication
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sh, err := a.cfg.Catalog.Apply(r.Context(), actor, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sh)
	return nil
}

func (a *API) listShops(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := catalog.ShopFilter{Status: q.Get("status"), Cursor: cursor, Limit: limit}
	shops, err := a.cfg.Catalog.ListShops(r.Context(), actor, f, q.Get("mine") == "1" || q.Get("mine") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(shops, limit, func(s catalog.Shop) string { return s.ID }))
	return nil
}

func (a *API) getShop(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	sh, err := a.cfg.Catalog.Shop(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}

func (a *API) updateShop(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.ShopUpdate
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sh, err := a.cfg.Catalog.UpdateShop(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}

// RejectRequest says why a shop is rejected.
type RejectRequest struct {
	Reason string `json:"reason"`
}

func (a *API) approveShop(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	sh, err := a.cfg.Catalog.Review(r.Context(), actor, r.PathValue("id"), true, "")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}

func (a *API) rejectShop(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in RejectRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sh, err := a.cfg.Catalog.Review(r.Context(), actor, r.PathValue("id"), false, in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}

// FeeRequest sets a shop's own platform fee; null clears it.
type FeeRequest struct {
	FeeOverrideBPS *int `json:"fee_override_bps"`
}

func (a *API) setShopFee(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in FeeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sh, err := a.cfg.Catalog.SetFeeOverride(r.Context(), actor, r.PathValue("id"), in.FeeOverrideBPS)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sh)
	return nil
}

// ProgrammeRequest names the programme a shop moves to.
type ProgrammeRequest struct {
	Programme string `json:"programme"`
}

func (a *API) moveShop(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in ProgrammeRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sf, err := a.cfg.Catalog.MoveShop(r.Context(), actor, r.PathValue("id"), in.Programme)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sf)
	return nil
}

func (a *API) listMembers(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ms, err := a.cfg.Catalog.Members(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[catalog.Member]{Items: ms})
	return nil
}

func (a *API) removeMember(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Catalog.RemoveMember(r.Context(), actor, r.PathValue("id"), r.PathValue("userID")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// InviteRequest invites someone by email.
type InviteRequest struct {
	Email string `json:"email"`
}

func (a *API) inviteStaff(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in InviteRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	inv, err := a.cfg.Catalog.Invite(r.Context(), actor, r.PathValue("id"), in.Email)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, inv)
	return nil
}

func (a *API) listShopInvitations(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	invs, err := a.cfg.Catalog.ShopInvitations(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[catalog.Invitation]{Items: invs})
	return nil
}

func (a *API) myInvitations(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	invs, err := a.cfg.Catalog.MyInvitations(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[catalog.Invitation]{Items: invs})
	return nil
}

func (a *API) answerInvitation(accept bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
		if err := a.cfg.Catalog.AnswerInvitation(r.Context(), actor, r.PathValue("id"), accept); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
