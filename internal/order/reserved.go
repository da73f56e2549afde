package order

import (
	"context"
	"time"

	"github.com/liveshop/liveshop/internal/account"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

// HeldReservation is a flash-sale reservation as checkout sees it.
type HeldReservation struct {
	ID         string
	UserID     string
	SKUID      string
	RoomID     string
	Quantity   int
	PriceMinor int64
	Currency   string
	Status     string // held, paid, expired, released, returned
	OrderID    string
	ExpiresAt  time.Time
}

// buildReserved prices an order for a held flash reservation: the sale's
// price and quantity, no stock taken (the sale holds it), and the same
// deadline as the reservation, so the order and its hold lapse together.
func (s *Service) buildReserved(ctx context.Context, a account.Actor, in PlaceInput, addr Address, attr attributed) ([]Order, error) {
	if len(in.Items) > 0 {
		return nil, apperr.Field("items", "an order for a reservation takes no items")
	}
	if in.CouponClaimID != "" {
		return nil, apperr.Field("coupon_claim_id", "coupons do not apply to flash-sale prices")
	}
	r, err := s.repo.ReservationForOrder(ctx, in.ReservationID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && r.UserID != a.ID()) {
		return nil, apperr.Field("reservation_id", "unknown reservation %q", in.ReservationID)
	}
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	switch {
	case r.OrderID != "":
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "reservation_id", Message: "this reservation already has order " + r.OrderID}
	case r.Status != "held" || !now.Before(r.ExpiresAt):
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "reservation_id", Message: "this reservation has expired; its stock went back to the sale"}
	}
	skus, err := s.repo.SKUsForOrder(ctx, []string{r.SKUID})
	if err != nil {
		return nil, err
	}
	sku, ok := skus[r.SKUID]
	if !ok || sku.ShopStatus != catalog.ShopApproved {
		return nil, apperr.Field("reservation_id", "the product of this reservation is no longer sold")
	}
	if attr.RoomID == "" {
		attr, err = s.attribution(ctx, Attribution{Source: in.Attribution.Source, RoomID: r.RoomID})
		if err != nil {
			return nil, err
		}
	}
	o := Order{ID: ids.New("ord"), UserID: a.ID(), ShopID: sku.ShopID, Status: PendingPayment, Currency: r.Currency,
		ShipTo: addr, ExpiresAt: r.ExpiresAt, CreatedAt: now, UpdatedAt: now}
	total := r.PriceMinor * int64(r.Quantity)
	o.TotalMinor = total
	o.Lines = []Line{attr.line(Line{
		ID: ids.New("oln"), OrderID: o.ID, SKUID: sku.ID, ProductID: sku.ProductID, Title: sku.Title,
		SKUAttributes: sku.Attributes, UnitPriceMinor: r.PriceMinor, Quantity: r.Quantity, LineTotalMinor: total,
		CommissionBPS: sku.CommissionBPS, Hold: HoldFlash + r.ID,
	}, sku.ShopID)}
	return []Order{o}, nil
}
