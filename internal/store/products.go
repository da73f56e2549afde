package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

// CreateProduct stores a product, its SKUs and their opening stock.
func (s *Store) CreateProduct(ctx context.Context, p catalog.Product, actorID string) error {
	return s.tx(ctx, func(tx *dbtx) error {
		return insertProduct(ctx, tx, p, actorID, catalog.ReasonInitial)
	})
}

func insertProduct(ctx context.Context, tx *dbtx, p catalog.Product, actorID, reason string) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO products (id, shop_id, title, description, category, tags, commission_bps, status, external_ref, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.ShopID, p.Title, p.Description, p.Category, strings.Join(p.Tags, ","), p.CommissionBPS, p.Status,
		p.ExternalRef, millis(p.CreatedAt), millis(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create product: %w", err)
	}
	for i, sku := range p.SKUs {
		if err := insertSKU(ctx, tx, sku, actorID, reason); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return &apperr.Error{Code: apperr.Conflict, Field: "skus[" + strconv.Itoa(i) + "].code", Message: fmt.Sprintf("SKU code %q is already used in this shop", sku.Code)}
			}
			return err
		}
	}
	return indexProduct(ctx, tx, p.ID)
}

func insertSKU(ctx context.Context, tx *dbtx, sku catalog.SKU, actorID, reason string) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO skus (id, product_id, shop_id, code, attributes, price_minor, currency, stock, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		sku.ID, sku.ProductID, sku.ShopID, sku.Code, sku.AttributesJSON(), sku.PriceMinor, sku.Currency, sku.Stock,
		millis(sku.CreatedAt), millis(sku.UpdatedAt))
	if isUnique(err) {
		return &apperr.Error{Code: apperr.Conflict, Field: "code", Message: fmt.Sprintf("SKU code %q is already used in this shop", sku.Code)}
	}
	if err != nil {
		return fmt.Errorf("store: create sku: %w", err)
	}
	if sku.Stock > 0 {
		return insertMovement(ctx, tx, catalog.Movement{SKUID: sku.ID, Delta: sku.Stock, StockAfter: sku.Stock, Reason: reason, ActorID: actorID, CreatedAt: sku.CreatedAt})
	}
	return nil
}

func insertMovement(ctx context.Context, q queryer, m catalog.Movement) error {
	if m.ID == "" {
		m.ID = ids.New("mov")
	}
	_, err := q.ExecContext(ctx, `
		INSERT INTO inventory_movements (id, sku_id, delta, stock_after, reason, ref, actor_id, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		m.ID, m.SKUID, m.Delta, m.StockAfter, m.Reason, m.Ref, nullString(m.ActorID), m.Note, millis(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: record movement: %w", err)
	}
	return nil
}

const productColumns = `id, shop_id, title, description, category, tags, commission_bps, status, external_ref, created_at, updated_at`

func scanProduct(row interface{ Scan(...any) error }) (catalog.Product, error) {
	var p catalog.Product
	var tags string
	var created, updated int64
	if err := row.Scan(&p.ID, &p.ShopID, &p.Title, &p.Description, &p.Category, &tags, &p.CommissionBPS, &p.Status,
		&p.ExternalRef, &created, &updated); err != nil {
		return catalog.Product{}, err
	}
	p.Tags = []string{}
	if tags != "" {
		p.Tags = strings.Split(tags, ",")
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	p.SKUs, p.Images = []catalog.SKU{}, []catalog.Image{}
	return p, nil
}

// ProductByID returns a product with its SKUs and images.
func (s *Store) ProductByID(ctx context.Context, id string) (catalog.Product, error) {
	p, err := scanProduct(s.rq.QueryRowContext(ctx, `SELECT `+productColumns+` FROM products WHERE id = $1`, id))
	if err != nil {
		return catalog.Product{}, notFound(err, "product")
	}
	ps := []catalog.Product{p}
	if err := s.attachVariants(ctx, ps); err != nil {
		return catalog.Product{}, err
	}
	return ps[0], nil
}

// ListProducts lists products newest first, with SKUs and images.
func (s *Store) ListProducts(ctx context.Context, f catalog.ProductFilter) ([]catalog.Product, error) {
	q := ""
	if f.Query != "" {
		q = "%" + likeEscaper.Replace(strings.ToLower(f.Query)) + "%"
	}
	// SQLite's LOWER folds ASCII only; liveshop_lower (see store.go) folds
	// all of Unicode as PostgreSQL's LOWER does.
	lower := "LOWER(title)"
	if s.dialect == SQLite {
		lower = "liveshop_lower(title)"
	}
	rows, err := s.rq.QueryContext(ctx, `
		SELECT `+productColumns+` FROM products
		WHERE ($1 = '' OR shop_id = $1)
		  AND ($2 = '' OR status = $2)
		  AND ($3 = '' OR `+lower+` LIKE $3 ESCAPE '\')
		  AND ($4 = FALSE OR shop_id IN (SELECT id FROM shops WHERE status = 'approved'))
		  AND ($5 = '' OR id < $5)
		ORDER BY id DESC LIMIT $6`, f.ShopID, f.Status, q, f.OnlyApproved, f.Cursor, pageLimit(f.Limit))
	if err != nil {
		return nil, fmt.Errorf("store: list products: %w", err)
	}
	defer rows.Close()
	out := []catalog.Product{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list products: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, s.attachVariants(ctx, out)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// placeholders returns "$from, $from+1, …" for n values.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+i))
	}
	return b.String()
}

// attachVariants loads the SKUs and images of ps in two queries.
func (s *Store) attachVariants(ctx context.Context, ps []catalog.Product) error {
	if len(ps) == 0 {
		return nil
	}
	idx := map[string]int{}
	args := make([]any, len(ps))
	for i, p := range ps {
		idx[p.ID] = i
		args[i] = p.ID
	}
	in := placeholders(1, len(ps))
	rows, err := s.rq.QueryContext(ctx, `SELECT `+skuColumns+` FROM skus WHERE product_id IN (`+in+`) ORDER BY created_at, id`, args...)
	if err != nil {
		return fmt.Errorf("store: load skus: %w", err)
	}
	for rows.Next() {
		sku, err := scanSKU(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("store: load skus: %w", err)
		}
		p := &ps[idx[sku.ProductID]]
		p.SKUs = append(p.SKUs, sku)
	}
	rows.Close()
	rows, err = s.rq.QueryContext(ctx, `
		SELECT id, product_id, content_type, size_bytes, width, height, position, created_at
		FROM product_images WHERE product_id IN (`+in+`) ORDER BY position, id`, args...)
	if err != nil {
		return fmt.Errorf("store: load images: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		img, err := scanImage(rows)
		if err != nil {
			return fmt.Errorf("store: load images: %w", err)
		}
		p := &ps[idx[img.ProductID]]
		p.Images = append(p.Images, img)
	}
	return rows.Err()
}

func scanImage(row interface{ Scan(...any) error }) (catalog.Image, error) {
	var img catalog.Image
	var created int64
	if err := row.Scan(&img.ID, &img.ProductID, &img.ContentType, &img.SizeBytes, &img.Width, &img.Height, &img.Position, &created); err != nil {
		return catalog.Image{}, err
	}
	img.CreatedAt = fromMillis(created)
	img.ImageURLs()
	return img, nil
}

const skuColumns = `id, product_id, shop_id, code, attributes, price_minor, currency, stock, created_at, updated_at`

func scanSKU(row interface{ Scan(...any) error }) (catalog.SKU, error) {
	var sku catalog.SKU
	var attrs string
	var created, updated int64
	if err := row.Scan(&sku.ID, &sku.ProductID, &sku.ShopID, &sku.Code, &attrs, &sku.PriceMinor, &sku.Currency, &sku.Stock, &created, &updated); err != nil {
		return catalog.SKU{}, err
	}
	sku.Attributes = map[string]string{}
	if err := json.Unmarshal([]byte(attrs), &sku.Attributes); err != nil {
		return catalog.SKU{}, fmt.Errorf("sku %s attributes: %w", sku.ID, err)
	}
	sku.CreatedAt, sku.UpdatedAt = fromMillis(created), fromMillis(updated)
	return sku, nil
}

// UpdateProduct edits a product.
func (s *Store) UpdateProduct(ctx context.Context, id string, u catalog.ProductUpdate, at time.Time) error {
	return s.tx(ctx, func(tx *dbtx) error {
		set := func(col string, v any) error {
			return execOne(ctx, tx, "product", `UPDATE products SET `+col+` = $1, updated_at = $2 WHERE id = $3`, v, millis(at), id)
		}
		var err error
		if u.Title != nil && err == nil {
			err = set("title", *u.Title)
		}
		if u.Description != nil && err == nil {
			err = set("description", *u.Description)
		}
		if u.Category != nil && err == nil {
			err = set("category", *u.Category)
		}
		if u.Tags != nil && err == nil {
			err = set("tags", strings.Join(*u.Tags, ","))
		}
		if u.CommissionBPS != nil && err == nil {
			err = set("commission_bps", *u.CommissionBPS)
		}
		if u.Status != nil && err == nil {
			err = set("status", *u.Status)
		}
		if err != nil {
			return err
		}
		return indexProduct(ctx, tx, id)
	})
}

// CreateSKU adds a SKU with its opening stock.
func (s *Store) CreateSKU(ctx context.Context, sku catalog.SKU, actorID string) error {
	return s.tx(ctx, func(tx *dbtx) error { return insertSKU(ctx, tx, sku, actorID, catalog.ReasonInitial) })
}

// SKUByID returns a SKU.
func (s *Store) SKUByID(ctx context.Context, id string) (catalog.SKU, error) {
	sku, err := scanSKU(s.rq.QueryRowContext(ctx, `SELECT `+skuColumns+` FROM skus WHERE id = $1`, id))
	if err != nil {
		return catalog.SKU{}, notFound(err, "SKU")
	}
	return sku, nil
}

// UpdateSKU changes price or attributes.
func (s *Store) UpdateSKU(ctx context.Context, id string, u catalog.SKUUpdate, at time.Time) error {
	return s.tx(ctx, func(tx *dbtx) error {
		if u.PriceMinor != nil {
			if err := execOne(ctx, tx, "SKU", `UPDATE skus SET price_minor = $1, updated_at = $2 WHERE id = $3`, *u.PriceMinor, millis(at), id); err != nil {
				return err
			}
		}
		if u.Attributes != nil {
			sku := catalog.SKU{Attributes: *u.Attributes}
			if err := execOne(ctx, tx, "SKU", `UPDATE skus SET attributes = $1, updated_at = $2 WHERE id = $3`, sku.AttributesJSON(), millis(at), id); err != nil {
				return err
			}
		}
		return nil
	})
}

// AdjustStock changes stock by delta and records the movement.
func (s *Store) AdjustStock(ctx context.Context, skuID string, delta int, reason, ref, note, actorID string) (catalog.Movement, error) {
	m := catalog.Movement{ID: ids.New("mov"), SKUID: skuID, Delta: delta, Reason: reason, Ref: ref, Note: note, ActorID: actorID, CreatedAt: s.now().UTC()}
	err := s.tx(ctx, func(tx *dbtx) error {
		after, err := addStock(ctx, tx, skuID, delta, m.CreatedAt)
		if err != nil {
			return err
		}
		m.StockAfter = after
		return insertMovement(ctx, tx, m)
	})
	return m, err
}

// addStock changes a SKU's stock unless it would go below zero.
func addStock(ctx context.Context, tx *dbtx, skuID string, delta int, at time.Time) (int, error) {
	var after int
	err := tx.QueryRowContext(ctx, `
		UPDATE skus SET stock = stock + $1, updated_at = $2 WHERE id = $3 AND stock + $1 >= 0 RETURNING stock`,
		delta, millis(at), skuID).Scan(&after)
	if err == sql.ErrNoRows {
		var stock int
		if err := tx.QueryRowContext(ctx, `SELECT stock FROM skus WHERE id = $1`, skuID).Scan(&stock); err != nil {
			return 0, notFound(err, "SKU")
		}
		return 0, &apperr.Error{Code: apperr.Conflict, Field: "delta", Message: fmt.Sprintf("only %d in stock; cannot take %d", stock, -delta)}
	}
	if err != nil {
		return 0, fmt.Errorf("store: change stock of %s: %w", skuID, err)
	}
	return after, nil
}

// ListMovements lists a SKU's stock history, newest first.
func (s *Store) ListMovements(ctx context.Context, skuID, cursor string, limit int) ([]catalog.Movement, error) {
	rows, err := s.rq.QueryContext(ctx, `
		SELECT id, sku_id, delta, stock_after, reason, ref, actor_id, note, created_at FROM inventory_movements
		WHERE sku_id = $1 AND ($2 = '' OR id < $2) ORDER BY id DESC LIMIT $3`, skuID, cursor, pageLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: list movements: %w", err)
	}
	defer rows.Close()
	out := []catalog.Movement{}
	for rows.Next() {
		var m catalog.Movement
		var actor sql.NullString
		var created int64
		if err := rows.Scan(&m.ID, &m.SKUID, &m.Delta, &m.StockAfter, &m.Reason, &m.Ref, &actor, &m.Note, &created); err != nil {
			return nil, fmt.Errorf("store: list movements: %w", err)
		}
		m.ActorID, m.CreatedAt = actor.String, fromMillis(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddImage records a stored image.
func (s *Store) AddImage(ctx context.Context, img catalog.Image) error {
	_, err := s.wq.ExecContext(ctx, `
		INSERT INTO product_images (id, product_id, content_type, size_bytes, width, height, position, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		img.ID, img.ProductID, img.ContentType, img.SizeBytes, img.Width, img.Height, img.Position, millis(img.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: add image: %w", err)
	}
	return nil
}

// ImageByID returns an image's record.
func (s *Store) ImageByID(ctx context.Context, id string) (catalog.Image, error) {
	img, err := scanImage(s.rq.QueryRowContext(ctx, `
		SELECT id, product_id, content_type, size_bytes, width, height, position, created_at FROM product_images WHERE id = $1`, id))
	return img, notFound(err, "image")
}

// DeleteImage removes an image's record.
func (s *Store) DeleteImage(ctx context.Context, id string) error {
	return execOne(ctx, s.wq, "image", `DELETE FROM product_images WHERE id = $1`, id)
}

var _ catalog.Repo = (*Store)(nil)
