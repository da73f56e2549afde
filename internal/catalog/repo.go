package catalog

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/account"
)

// Repo stores the catalog. Methods return apperr NotFound for missing
// rows and Conflict for duplicates or state that forbids the change.
type Repo interface {
	Programmes(ctx context.Context) ([]Programme, error)
	// CreateProgramme stores p and writes audit with it; Conflict when the
	// code is taken.
	CreateProgramme(ctx context.Context, p Programme, audit account.AuditEntry) error
	// UpdateProgramme applies u, writes audit with it and returns the
	// programme as it now is.
	UpdateProgramme(ctx context.Context, code string, u ProgrammeUpdate, audit account.AuditEntry) (Programme, error)

	CreateShop(ctx context.Context, s Shop) error // also makes the owner a member
	ShopByID(ctx context.Context, id string) (Shop, error)
	ListShops(ctx context.Context, f ShopFilter) ([]Shop, error)
	UpdateShop(ctx context.Context, id string, u ShopUpdate) error
	// ReviewShop moves a pending shop to approved or rejected, reviewed by
	// audit's actor at its time, and writes audit with it.
	ReviewShop(ctx context.Context, id, status, reason string, audit account.AuditEntry) error
	// SetShopProgramme moves a shop to another programme and writes audit
	// with it; NotFound for an unknown shop.
	SetShopProgramme(ctx context.Context, id, programme string, audit account.AuditEntry) error
	// SetFeeOverride sets or clears a shop's own fee and writes audit with it.
	SetFeeOverride(ctx context.Context, id string, bps *int, audit account.AuditEntry) error

	ListMembers(ctx context.Context, shopID string) ([]Member, error)
	RemoveMember(ctx context.Context, shopID, userID string) error
	CreateInvitation(ctx context.Context, inv Invitation) error
	InvitationByID(ctx context.Context, id string) (Invitation, error)
	ListInvitations(ctx context.Context, shopID, email string) ([]Invitation, error)
	// AnswerInvitation records the answer and, when accepted, the membership.
	AnswerInvitation(ctx context.Context, id, userID string, accept bool, at time.Time) error

	// CreateProduct stores a product with its SKUs and their initial stock movements.
	CreateProduct(ctx context.Context, p Product, actorID string) error
	ProductByID(ctx context.Context, id string) (Product, error)
	ListProducts(ctx context.Context, f ProductFilter) ([]Product, error)
	UpdateProduct(ctx context.Context, id string, u ProductUpdate, at time.Time) error

	CreateSKU(ctx context.Context, s SKU, actorID string) error
	SKUByID(ctx context.Context, id string) (SKU, error)
	UpdateSKU(ctx context.Context, id string, u SKUUpdate, at time.Time) error
	// AdjustStock adds delta to stock and records the movement; returns
	// Conflict when stock would go below zero.
	AdjustStock(ctx context.Context, skuID string, delta int, reason, ref, note, actorID string) (Movement, error)
	ListMovements(ctx context.Context, skuID, cursor string, limit int) ([]Movement, error)

	AddImage(ctx context.Context, img Image) error
	ImageByID(ctx context.Context, id string) (Image, error)
	DeleteImage(ctx context.Context, id string) error
}
