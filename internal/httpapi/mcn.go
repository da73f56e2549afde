package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/mcn"
)

// AgencyRequest names a new agency.
type AgencyRequest struct {
	Name string `json:"name"`
}

func (a *API) createAgency(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in AgencyRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ag, err := a.cfg.MCNs.Create(r.Context(), actor, in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ag)
	return nil
}

func (a *API) myAgenciesManaged(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ags, err := a.cfg.MCNs.Mine(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[mcn.Agency]{Items: ags})
	return nil
}

func (a *API) roster(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ags, err := a.cfg.MCNs.Roster(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[mcn.Agreement]{Items: ags})
	return nil
}

// HostInviteRequest offers a host an agreement.
type HostInviteRequest struct {
	Email       string `json:"email"`
	MCNShareBPS int    `json:"mcn_share_bps"`
}

func (a *API) inviteHost(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in HostInviteRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ag, err := a.cfg.MCNs.InviteHost(r.Context(), actor, r.PathValue("id"), in.Email, in.MCNShareBPS)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ag)
	return nil
}

func (a *API) endAgreement(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.MCNs.EndAgreement(r.Context(), actor, r.PathValue("id"), r.PathValue("hostID")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) myAgreements(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	ags, err := a.cfg.MCNs.MyAgreements(r.Context(), actor)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[mcn.Agreement]{Items: ags})
	return nil
}

func (a *API) answerAgency(accept bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
		if err := a.cfg.MCNs.Answer(r.Context(), actor, r.PathValue("mcnID"), accept); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}
