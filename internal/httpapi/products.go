package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
)

func (a *API) createProduct(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.NewProduct
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.cfg.Catalog.CreateProduct(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (a *API) listProducts(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	ps, err := a.cfg.Catalog.ListProducts(r.Context(), actor, catalog.ProductFilter{
		ShopID: q.Get("shop_id"), Status: q.Get("status"), Query: q.Get("q"), Cursor: cursor, Limit: limit,
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ps, limit, func(p catalog.Product) string { return p.ID }))
	return nil
}

func (a *API) getProduct(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	p, err := a.cfg.Catalog.Product(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *API) updateProduct(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.ProductUpdate
	if err := decode(w, r, &in); err != nil {
		return err
	}
	p, err := a.cfg.Catalog.UpdateProduct(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (a *API) addSKU(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.NewSKU
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sku, err := a.cfg.Catalog.AddSKU(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, sku)
	return nil
}

func (a *API) updateSKU(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in catalog.SKUUpdate
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sku, err := a.cfg.Catalog.UpdateSKU(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sku)
	return nil
}

// StockRequest adjusts stock by delta with a note for the audit trail.
type StockRequest struct {
	Delta int    `json:"delta"`
	Note  string `json:"note"`
}

func (a *API) adjustStock(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	var in StockRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := a.cfg.Catalog.AdjustStock(r.Context(), actor, r.PathValue("id"), in.Delta, in.Note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (a *API) listMovements(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	limit, cursor, err := listParams(r)
	if err != nil {
		return err
	}
	ms, err := a.cfg.Catalog.Movements(r.Context(), actor, r.PathValue("id"), cursor, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page(ms, limit, func(m catalog.Movement) string { return m.ID }))
	return nil
}

// maxUpload bounds a multipart upload; the image store enforces its own,
// smaller limit on the file itself.
const maxUpload = 8 << 20

func (a *API) uploadImage(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	f, _, err := r.FormFile("image")
	if err != nil {
		return uploadError("image", err)
	}
	defer f.Close()
	img, err := a.cfg.Catalog.AddImage(r.Context(), actor, r.PathValue("id"), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, img)
	return nil
}

func uploadError(field string, err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &apperr.Error{Code: apperr.TooLarge, Field: field, Message: "the upload is larger than " + strconv.Itoa(maxUpload>>20) + " MiB"}
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, http.ErrMissingBoundary):
		return &apperr.Error{Code: apperr.Unsupported, Field: field, Message: "send the file as multipart/form-data"}
	case errors.Is(err, http.ErrMissingFile):
		return apperr.Field(field, "the multipart field %q with the file is missing", field)
	}
	return apperr.Field(field, "could not read the upload: %v", err)
}

func (a *API) deleteImage(w http.ResponseWriter, r *http.Request, actor account.Actor) error {
	if err := a.cfg.Catalog.DeleteImage(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
