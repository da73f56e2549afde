package httpapi

import (
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
)

func (a *API) listAdminAudit(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	es, err := a.cfg.Accounts.AdminAudit(r.Context(), actor, cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(es, limit, func(e account.AuditEntry) string { return e.ID }))
	return nil
}
