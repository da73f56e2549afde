package order

import (
	"context"
	"fmt"

	"github.com/liveshop/liveshop/internal/analytics"
	"github.com/liveshop/liveshop/internal/apperr"
	"github.com/liveshop/liveshop/internal/catalog"
	"github.com/liveshop/liveshop/internal/ids"
)

// PlaceAward makes the order for something won in a live room: an auction
// (a price to pay within the payment window) or a lucky-draw prize (a zero
// total, paid at once). The stock was held when the auction or draw was
// created, so none is taken here. in.Ref is the idempotency key: awarding
// twice returns the first order. Returns Invalid with Field "address_id"
// when the winner has no address to ship to.
func (s *Service) PlaceAward(ctx context.Context, in AwardInput) (Order, error) {
	if in.UserID == "" || in.SKUID == "" || in.Ref == "" || in.Quantity < 1 || in.UnitPriceMinor < 0 {
		return Order{}, fmt.Errorf("order: award %q: incomplete input", in.Ref)
	}
	addr, err := s.awardAddress(ctx, in)
	if err != nil {
		return Order{}, err
	}
	skus, err := s.repo.SKUsForOrder(ctx, []string{in.SKUID})
	if err != nil {
		return Order{}, err
	}
	sku, ok := skus[in.SKUID]
	if !ok || sku.ShopStatus != catalog.ShopApproved {
		return Order{}, apperr.New(apperr.Conflict, "the product won is no longer sold")
	}
	attr, err := s.attribution(ctx, Attribution{RoomID: in.RoomID})
	if err != nil {
		return Order{}, err
	}
	now := s.now().UTC()
	window := s.paymentWindow
	if in.PaymentWindow > 0 {
		window = in.PaymentWindow
	}
	o := Order{ID: ids.New("ord"), UserID: in.UserID, ShopID: sku.ShopID, Status: PendingPayment, Currency: sku.Currency,
		ShipTo: addr, ExpiresAt: now.Add(window), CreatedAt: now, UpdatedAt: now,
		IdempotencyKey: in.Ref, RequestHash: in.Ref}
	total := in.UnitPriceMinor * int64(in.Quantity)
	o.TotalMinor = total
	o.Lines = []Line{attr.line(Line{
		ID: ids.New("oln"), OrderID: o.ID, SKUID: sku.ID, ProductID: sku.ProductID, Title: sku.Title,
		SKUAttributes: sku.Attributes, UnitPriceMinor: in.UnitPriceMinor, Quantity: in.Quantity, LineTotalMinor: total,
		CommissionBPS: sku.CommissionBPS, Hold: HoldAward,
	}, sku.ShopID)}
	if total == 0 {
		// A prize: nothing to pay, ready to ship.
		o.Status, o.PaidAt = Paid, &now
	}
	stored, created, err := s.repo.CreateOrder(ctx, o, false)
	if err != nil {
		return Order{}, fmt.Errorf("order: award %s: %w", in.Ref, err)
	}
	if created {
		s.recordOrder(analytics.KindOrder, stored)
		if stored.Status == Paid {
			s.recordOrder(analytics.KindPaid, stored)
		}
	}
	return stored, nil
}

// awardAddress is the address named, or the winner's default (or only) one.
func (s *Service) awardAddress(ctx context.Context, in AwardInput) (Address, error) {
	if in.AddressID != "" {
		addr, err := s.repo.AddressByID(ctx, in.UserID, in.AddressID)
		if apperr.Is(err, apperr.NotFound) {
			return Address{}, apperr.Field("address_id", "unknown address %q", in.AddressID)
		}
		return addr, err
	}
	addrs, err := s.repo.ListAddresses(ctx, in.UserID)
	if err != nil {
		return Address{}, err
	}
	for _, a := range addrs {
		if a.IsDefault {
			return a, nil
		}
	}
	if len(addrs) > 0 {
		return addrs[0], nil
	}
	return Address{}, apperr.Field("address_id", "add a shipping address first")
}
