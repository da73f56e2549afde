package catalog

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/money"
)

// Product statuses.
const (
	ProductActive   = "active"
	ProductArchived = "archived"
)

// Product is something a shop sells, in one or more SKUs.
type Product struct {
	ID            string    `json:"id"`
	ShopID        string    `json:"shop_id"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	Category      string    `json:"category"`
	Tags          []string  `json:"tags"`
	CommissionBPS int       `json:"commission_bps"`
	Status        string    `json:"status"`
	ExternalRef   string    `json:"external_ref,omitempty"`
	SKUs          []SKU     `json:"skus"`
	Images        []Image   `json:"images"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// SKU is one buyable variant with its own price and stock.
type SKU struct {
	ID         string            `json:"id"`
	ProductID  string            `json:"product_id"`
	ShopID     string            `json:"shop_id"`
	Code       string            `json:"code"`
	Attributes map[string]string `json:"attributes"`
	PriceMinor int64             `json:"price_minor"`
	Currency   string            `json:"currency"`
	Stock      int               `json:"stock"`
	CreatedAt  time.Time         `json:"created_at"`
	UpdatedAt  time.Time         `json:"updated_at"`
}

// AttributesJSON is how attributes are stored.
func (s SKU) AttributesJSON() string {
	if len(s.Attributes) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(s.Attributes)
	return string(b)
}

// Image is a product picture with a thumbnail.
type Image struct {
	ID          string    `json:"id"`
	ProductID   string    `json:"product_id"`
	ContentType string    `json:"content_type"`
	SizeBytes   int64     `json:"size_bytes"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Position    int       `json:"position"`
	URL         string    `json:"url"`
	ThumbURL    string    `json:"thumb_url"`
	CreatedAt   time.Time `json:"created_at"`
}

// ImageURLs fills the public URLs of an image.
func (i *Image) ImageURLs() {
	i.URL = "/media/images/" + i.ID
	i.ThumbURL = "/media/images/" + i.ID + "/thumb"
}

// NewProduct is a product with its SKUs, as a merchant enters it.
type NewProduct struct {
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Category      string   `json:"category"`
	Tags          []string `json:"tags"`
	CommissionBPS int      `json:"commission_bps"`
	ExternalRef   string   `json:"external_ref"`
	SKUs          []NewSKU `json:"skus"`
}

// NewSKU is a variant as entered.
type NewSKU struct {
	Code       string            `json:"code"`
	Attributes map[string]string `json:"attributes"`
	PriceMinor int64             `json:"price_minor"`
	Currency   string            `json:"currency"`
	Stock      int               `json:"stock"`
}

// MaxSKUsPerProduct bounds a product's variants.
const MaxSKUsPerProduct = 100

// Validate checks a new product; field names are JSON paths.
func (p *NewProduct) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	p.Description = strings.TrimSpace(p.Description)
	switch {
	case p.Title == "":
		return apperr.Field("title", "title is required")
	case utf8.RuneCountInString(p.Title) > 120:
		return apperr.Field("title", "title must be at most 120 characters")
	case utf8.RuneCountInString(p.Description) > 5000:
		return apperr.Field("description", "description must be at most 5000 characters")
	case p.Category != "" && !validCategory(p.Category):
		return apperr.Field("category", "category must be one of %s", strings.Join(Categories, ", "))
	case p.CommissionBPS < 0 || p.CommissionBPS > 9000:
		return apperr.Field("commission_bps", "host commission must be between 0 and 9000 basis points (90%%)")
	case len(p.Tags) > 20:
		return apperr.Field("tags", "at most 20 tags")
	case len(p.SKUs) == 0:
		return apperr.Field("skus", "a product needs at least one SKU")
	case len(p.SKUs) > MaxSKUsPerProduct:
		return apperr.Field("skus", "a product has at most %d SKUs", MaxSKUsPerProduct)
	}
	for i, t := range p.Tags {
		p.Tags[i] = strings.TrimSpace(t)
		if p.Tags[i] == "" || utf8.RuneCountInString(p.Tags[i]) > 30 || strings.Contains(p.Tags[i], ",") {
			return apperr.Field("tags", "tags are 1–30 characters without commas")
		}
	}
	codes := map[string]bool{}
	for i := range p.SKUs {
		if err := p.SKUs[i].validate(skuField(i)); err != nil {
			return err
		}
		if codes[p.SKUs[i].Code] {
			return apperr.Field(skuField(i)+".code", "SKU code %q is used twice", p.SKUs[i].Code)
		}
		codes[p.SKUs[i].Code] = true
	}
	return nil
}

func skuField(i int) string { return "skus[" + strconv.Itoa(i) + "]" }

// Validate checks a SKU entered on its own.
func (s *NewSKU) Validate() error { return s.validate("") }

func (s *NewSKU) validate(prefix string) error {
	f := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	s.Code = strings.TrimSpace(s.Code)
	if s.Currency == "" {
		s.Currency = money.DefaultCurrency
	}
	switch {
	case s.Code == "":
		return apperr.Field(f("code"), "SKU code is required")
	case len(s.Code) > 64:
		return apperr.Field(f("code"), "SKU code must be at most 64 characters")
	case s.PriceMinor <= 0:
		return apperr.Field(f("price_minor"), "price must be greater than zero")
	case s.PriceMinor > 100_000_000_00:
		return apperr.Field(f("price_minor"), "price must be at most 100,000,000")
	case !money.ValidCurrency(s.Currency):
		return apperr.Field(f("currency"), "unknown currency %q", s.Currency)
	case s.Stock < 0:
		return apperr.Field(f("stock"), "stock cannot be negative")
	case s.Stock > 10_000_000:
		return apperr.Field(f("stock"), "stock must be at most 10,000,000")
	case len(s.Attributes) > 10:
		return apperr.Field(f("attributes"), "at most 10 attributes")
	}
	for k, v := range s.Attributes {
		if strings.TrimSpace(k) == "" || utf8.RuneCountInString(k) > 30 || utf8.RuneCountInString(v) > 60 {
			return apperr.Field(f("attributes"), "attribute names are 1–30 characters and values at most 60")
		}
	}
	return nil
}

// ProductUpdate changes a product; nil fields stay.
type ProductUpdate struct {
	Title         *string   `json:"title,omitempty"`
	Description   *string   `json:"description,omitempty"`
	Category      *string   `json:"category,omitempty"`
	Tags          *[]string `json:"tags,omitempty"`
	CommissionBPS *int      `json:"commission_bps,omitempty"`
	Status        *string   `json:"status,omitempty"`
}

// Validate checks an update.
func (u *ProductUpdate) Validate() error {
	if u.Title != nil {
		t := strings.TrimSpace(*u.Title)
		if t == "" || utf8.RuneCountInString(t) > 120 {
			return apperr.Field("title", "title must be 1–120 characters")
		}
		u.Title = &t
	}
	if u.Description != nil && utf8.RuneCountInString(*u.Description) > 5000 {
		return apperr.Field("description", "description must be at most 5000 characters")
	}
	if u.Category != nil && *u.Category != "" && !validCategory(*u.Category) {
		return apperr.Field("category", "category must be one of %s", strings.Join(Categories, ", "))
	}
	if u.CommissionBPS != nil && (*u.CommissionBPS < 0 || *u.CommissionBPS > 9000) {
		return apperr.Field("commission_bps", "host commission must be between 0 and 9000 basis points")
	}
	if u.Status != nil && *u.Status != ProductActive && *u.Status != ProductArchived {
		return apperr.Field("status", "status must be active or archived")
	}
	if u.Tags != nil {
		np := NewProduct{Title: "x", Tags: *u.Tags, SKUs: []NewSKU{{Code: "x", PriceMinor: 1}}}
		if err := np.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// SKUUpdate changes a SKU's price or attributes. Stock changes go through
// AdjustStock so that they are audited.
type SKUUpdate struct {
	PriceMinor *int64             `json:"price_minor,omitempty"`
	Attributes *map[string]string `json:"attributes,omitempty"`
}

// Validate checks an update.
func (u SKUUpdate) Validate() error {
	if u.PriceMinor != nil && (*u.PriceMinor <= 0 || *u.PriceMinor > 100_000_000_00) {
		return apperr.Field("price_minor", "price must be greater than zero and at most 100,000,000")
	}
	if u.Attributes != nil {
		s := NewSKU{Code: "x", PriceMinor: 1, Attributes: *u.Attributes}
		if err := s.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// ProductFilter selects products.
type ProductFilter struct {
	ShopID       string
	Status       string
	Query        string // matched against title, case-insensitively
	OnlyApproved bool   // only products of approved shops
	Cursor       string
	Limit        int
}

// Movement is one change of a SKU's stock.
type Movement struct {
	ID         string    `json:"id"`
	SKUID      string    `json:"sku_id"`
	Delta      int       `json:"delta"`
	StockAfter int       `json:"stock_after"`
	Reason     string    `json:"reason"`
	Ref        string    `json:"ref,omitempty"`
	ActorID    string    `json:"actor_id,omitempty"`
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Movement reasons.
const (
	ReasonInitial    = "initial"
	ReasonAdjustment = "adjustment"
	ReasonImport     = "import"
	ReasonReserve    = "order_reserve"
	ReasonRelease    = "order_release"
	ReasonRestock    = "refund_restock"
	// Stock held by a live-room sale (docs/SELLING.md) and given back.
	ReasonFlashSale   = "flash_sale"
	ReasonFlashReturn = "flash_sale_return"
	ReasonAuction     = "auction"
	ReasonDraw        = "lucky_draw"
	ReasonHoldReturn  = "hold_return"
)
