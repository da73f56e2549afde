package httpapi

import (
	"io"
	"net/http"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

func (a *API) startImport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	r.Body = http.MaxBytesReader(w, r.Body, catalog.MaxImportBytes+64<<10)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return uploadError("file", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, catalog.MaxImportBytes+1))
	if err != nil {
		return apperr.Field("file", "could not read the upload: %v", err)
	}
	job, err := a.cfg.Imports.Start(r.Context(), actor, r.PathValue("id"), hdr.Filename, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

func (a *API) getImport(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	j, err := a.cfg.Imports.Job(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

func (a *API) listImports(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	js, err := a.cfg.Imports.Jobs(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, Page[catalog.ImportJob]{Items: js})
	return nil
}
