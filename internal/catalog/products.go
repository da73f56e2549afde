package catalog

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/ids"
)

// CreateProduct adds a product with its SKUs to an approved shop.
func (s *Service) CreateProduct(ctx context.Context, a account.Actor, shopID string, np NewProduct) (Product, error) {
	if err := requireOperate(a, shopID); err != nil {
		return Product{}, err
	}
	sh, err := s.repo.ShopByID(ctx, shopID)
	if err != nil {
		return Product{}, err
	}
	if sh.Status != ShopApproved {
		return Product{}, apperr.New(apperr.Conflict, "shop %s is %s; products can be added once it is approved", shopID, sh.Status)
	}
	if err := np.Validate(); err != nil {
		return Product{}, err
	}
	p := s.buildProduct(shopID, np)
	if err := s.repo.CreateProduct(ctx, p, a.ID()); err != nil {
		return Product{}, fmt.Errorf("catalog: create product %q: %w", np.Title, err)
	}
	return s.repo.ProductByID(ctx, p.ID)
}

func (s *Service) buildProduct(shopID string, np NewProduct) Product {
	now := s.now().UTC()
	if np.Category == "" {
		np.Category = "other"
	}
	tags := np.Tags
	if tags == nil {
		tags = []string{}
	}
	p := Product{
		ID: ids.New("prd"), ShopID: shopID, Title: np.Title, Description: np.Description, Category: np.Category,
		Tags: tags, CommissionBPS: np.CommissionBPS, Status: ProductActive, ExternalRef: strings.TrimSpace(np.ExternalRef),
		CreatedAt: now, UpdatedAt: now,
	}
	for _, ns := range np.SKUs {
		p.SKUs = append(p.SKUs, SKU{
			ID: ids.New("sku"), ProductID: p.ID, ShopID: shopID, Code: ns.Code, Attributes: ns.Attributes,
			PriceMinor: ns.PriceMinor, Currency: ns.Currency, Stock: ns.Stock, CreatedAt: now, UpdatedAt: now,
		})
	}
	return p
}

// Product returns a product the actor may see: active products of
// approved shops are public; members see everything of their shop.
func (s *Service) Product(ctx context.Context, a account.Actor, id string) (Product, error) {
	p, err := s.repo.ProductByID(ctx, id)
	if err != nil {
		return Product{}, err
	}
	if CanOperate(a, p.ShopID) {
		return p, nil
	}
	sh, err := s.repo.ShopByID(ctx, p.ShopID)
	if err != nil {
		return Product{}, err
	}
	if sh.Status != ShopApproved || p.Status != ProductActive {
		return Product{}, apperr.New(apperr.NotFound, "product not found")
	}
	return p, nil
}

// ListProducts lists products. Without operator rights on the shop only
// active products of approved shops are listed.
func (s *Service) ListProducts(ctx context.Context, a account.Actor, f ProductFilter) ([]Product, error) {
	if f.ShopID == "" || !CanOperate(a, f.ShopID) {
		f.Status = ProductActive
		f.OnlyApproved = true
	}
	if f.Status != "" && f.Status != ProductActive && f.Status != ProductArchived {
		return nil, apperr.Field("status", "status must be active or archived")
	}
	if len(f.Query) > 100 {
		return nil, apperr.Field("q", "search text must be at most 100 characters")
	}
	return s.repo.ListProducts(ctx, f)
}

// UpdateProduct edits a product.
func (s *Service) UpdateProduct(ctx context.Context, a account.Actor, id string, u ProductUpdate) (Product, error) {
	p, err := s.repo.ProductByID(ctx, id)
	if err != nil {
		return Product{}, err
	}
	if err := requireOperate(a, p.ShopID); err != nil {
		return Product{}, err
	}
	if err := u.Validate(); err != nil {
		return Product{}, err
	}
	if err := s.repo.UpdateProduct(ctx, id, u, s.now().UTC()); err != nil {
		return Product{}, fmt.Errorf("catalog: update product %s: %w", id, err)
	}
	return s.repo.ProductByID(ctx, id)
}

// AddSKU adds a variant to a product.
func (s *Service) AddSKU(ctx context.Context, a account.Actor, productID string, ns NewSKU) (SKU, error) {
	p, err := s.repo.ProductByID(ctx, productID)
	if err != nil {
		return SKU{}, err
	}
	if err := requireOperate(a, p.ShopID); err != nil {
		return SKU{}, err
	}
	if err := ns.Validate(); err != nil {
		return SKU{}, err
	}
	if len(p.SKUs) >= MaxSKUsPerProduct {
		return SKU{}, apperr.Field("skus", "a product has at most %d SKUs", MaxSKUsPerProduct)
	}
	now := s.now().UTC()
	sku := SKU{ID: ids.New("sku"), ProductID: p.ID, ShopID: p.ShopID, Code: ns.Code, Attributes: ns.Attributes,
		PriceMinor: ns.PriceMinor, Currency: ns.Currency, Stock: ns.Stock, CreatedAt: now, UpdatedAt: now}
	if err := s.repo.CreateSKU(ctx, sku, a.ID()); err != nil {
		return SKU{}, fmt.Errorf("catalog: add sku %q: %w", ns.Code, err)
	}
	return s.repo.SKUByID(ctx, sku.ID)
}

// UpdateSKU changes a SKU's price or attributes.
func (s *Service) UpdateSKU(ctx context.Context, a account.Actor, id string, u SKUUpdate) (SKU, error) {
	sku, err := s.repo.SKUByID(ctx, id)
	if err != nil {
		return SKU{}, err
	}
	if err := requireOperate(a, sku.ShopID); err != nil {
		return SKU{}, err
	}
	if err := u.Validate(); err != nil {
		return SKU{}, err
	}
	if err := s.repo.UpdateSKU(ctx, id, u, s.now().UTC()); err != nil {
		return SKU{}, fmt.Errorf("catalog: update sku %s: %w", id, err)
	}
	return s.repo.SKUByID(ctx, id)
}

// AdjustStock changes a SKU's stock by delta with an audited note.
func (s *Service) AdjustStock(ctx context.Context, a account.Actor, skuID string, delta int, note string) (Movement, error) {
	sku, err := s.repo.SKUByID(ctx, skuID)
	if err != nil {
		return Movement{}, err
	}
	if err := requireOperate(a, sku.ShopID); err != nil {
		return Movement{}, err
	}
	if delta == 0 {
		return Movement{}, apperr.Field("delta", "delta must not be zero")
	}
	if delta > 10_000_000 || delta < -10_000_000 {
		return Movement{}, apperr.Field("delta", "delta must be within ±10,000,000")
	}
	note = strings.TrimSpace(note)
	if len(note) > 200 {
		return Movement{}, apperr.Field("note", "note must be at most 200 characters")
	}
	m, err := s.repo.AdjustStock(ctx, skuID, delta, ReasonAdjustment, "", note, a.ID())
	if err != nil {
		return Movement{}, fmt.Errorf("catalog: adjust %s by %d: %w", skuID, delta, err)
	}
	return m, nil
}

// Movements lists a SKU's stock history, newest first.
func (s *Service) Movements(ctx context.Context, a account.Actor, skuID, cursor string, limit int) ([]Movement, error) {
	sku, err := s.repo.SKUByID(ctx, skuID)
	if err != nil {
		return nil, err
	}
	if err := requireOperate(a, sku.ShopID); err != nil {
		return nil, err
	}
	return s.repo.ListMovements(ctx, skuID, cursor, limit)
}

// AddImage stores an uploaded picture for a product.
func (s *Service) AddImage(ctx context.Context, a account.Actor, productID string, r io.Reader) (Image, error) {
	p, err := s.repo.ProductByID(ctx, productID)
	if err != nil {
		return Image{}, err
	}
	if err := requireOperate(a, p.ShopID); err != nil {
		return Image{}, err
	}
	if len(p.Images) >= MaxImagesPerProduct {
		return Image{}, apperr.Field("image", "a product has at most %d images", MaxImagesPerProduct)
	}
	img := Image{ID: ids.New("img"), ProductID: productID, Position: len(p.Images), CreatedAt: s.now().UTC()}
	meta, err := s.images.Store(ctx, img.ID, r)
	if err != nil {
		return Image{}, err
	}
	img.ContentType, img.SizeBytes, img.Width, img.Height = meta.ContentType, meta.SizeBytes, meta.Width, meta.Height
	if err := s.repo.AddImage(ctx, img); err != nil {
		s.images.Remove(img.ID)
		return Image{}, fmt.Errorf("catalog: add image to %s: %w", productID, err)
	}
	img.ImageURLs()
	return img, nil
}

// DeleteImage removes a product picture.
func (s *Service) DeleteImage(ctx context.Context, a account.Actor, imageID string) error {
	img, err := s.repo.ImageByID(ctx, imageID)
	if err != nil {
		return err
	}
	p, err := s.repo.ProductByID(ctx, img.ProductID)
	if err != nil {
		return err
	}
	if err := requireOperate(a, p.ShopID); err != nil {
		return err
	}
	if err := s.repo.DeleteImage(ctx, imageID); err != nil {
		return err
	}
	return s.images.Remove(imageID)
}
